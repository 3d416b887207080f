"""What the browser tests share: Debian's Chromium (never a downloaded browser), its launch
options, and a page that refuses every request leaving the local server."""

import os
import shutil
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def require_chromium() -> None:
    """Call at a browser test module's top: skip it without Chromium, fail in CI."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            raise RuntimeError(f"Chromium is missing at {CHROMIUM}: `make test` installs it")
        pytest.skip(
            "Debian's Chromium is not installed (make test installs it)", allow_module_level=True
        )
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def demo_business(server_url: str, as_of: str = "2026-11-23") -> dict:
    """The demo business, generated as `rapport demo` makes it (its messages left unread),
    and how to log in to it."""
    from rapport.cli import main
    from rapport.demo import DEMO_PASSWORD
    from rapport.demo.generate import DEMO_LOGINS

    assert main(["demo", "--no-serve", "--no-read", "--as-of", as_of]) == 0
    return {"url": server_url, "email": DEMO_LOGINS[0].email, "password": DEMO_PASSWORD}


def log_in(page, demo: dict) -> None:
    page.goto(demo["url"] + "/login/")
    page.get_by_label("Email").fill(demo["email"])
    page.get_by_label("Password").fill(demo["password"])
    page.get_by_role("button", name="Log in").click()


@contextmanager
def local_page(server_url: str, **context_options):
    """A fresh page in a new browser; fails the test if the page tried to reach outside."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        context = browser.new_context(**context_options)
        local = urlsplit(server_url).netloc
        outside = []

        def guard(route):
            if urlsplit(route.request.url).netloc != local:
                outside.append(route.request.url)
                return route.abort()
            return route.continue_()

        context.route("**/*", guard)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        # While Playwright's event loop runs, Django hands the test's own ORM calls a
        # connection of their own; close it, or PostgreSQL cannot drop the test database.
        from django.db import connections

        connections.close_all()
        browser.close()
        assert not outside, f"the page tried to reach outside: {outside}"
