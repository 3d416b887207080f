"""A real browser: Debian's Chromium driven by Playwright logs in to the demo business and
opens a person page, checking what a person would see.

Chromium comes from Debian (`make test` installs it); Playwright never downloads a browser.
Every request the page makes must go to the local server: no CDN, nothing from outside.
"""

import pytest

from tests.browser import demo_business, local_page, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def demo(live_server):
    from django.db.models import Q

    from rapport.accounts.models import Workspace
    from rapport.understanding.actions import analyze_pending

    found = demo_business(live_server.url)
    # `rapport demo` reads all 10,000 messages (minutes on 2 cores, covered by the demo
    # command's own path); the test reads those of the VIP customers it opens, the same way.
    read = analyze_pending(Workspace.objects.get(slug="demo"), only=Q(person__tags__name="VIP"))
    assert read > 0
    return found


@pytest.fixture
def page(demo):
    with local_page(demo["url"]) as page:
        yield page


def test_an_owner_logs_in_finds_a_regular_and_reads_their_relationship(page, demo):
    from playwright.sync_api import expect

    page.goto(demo["url"] + "/")
    expect(page).to_have_title("Log in · Rapport")
    page.get_by_label("Email").fill(demo["email"])
    page.get_by_label("Password").fill(demo["password"])
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    assert page.locator("table.directory tbody tr").count() == 50

    page.get_by_label("Group").select_option("customer")
    page.get_by_label("Tag").select_option("VIP")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("status").filter(has_text="people")).to_be_visible()
    first = page.locator("table.directory tbody th a").first
    name = first.inner_text()
    first.click()

    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_text("Last human contact")).to_be_visible()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    entries = page.locator("ol.timeline > li")
    assert entries.count() > 0
    # Every entry says who handled it: a person, an automation, or nobody yet.
    for i in range(entries.count()):
        assert entries.nth(i).locator(".handler").count() == 1
    # Newest first.
    stamps = page.locator("ol.timeline time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert stamps == sorted(stamps, reverse=True)

    # The demo's messages were read when it was set up: the relationship has a trend, and
    # each message's reading explains itself.
    expect(page.get_by_role("heading", name="How they feel")).to_be_visible()
    why = page.locator("ol.timeline .reading a", has_text="Why?")
    assert why.count() > 0
    why.first.click()
    expect(page.get_by_role("heading", name="What Rapport read in this message")).to_be_visible()
    expect(page.get_by_role("heading", name="Does it need a human?")).to_be_visible()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page, demo):
    from playwright.sync_api import expect

    page.goto(demo["url"] + "/login/")
    page.get_by_label("Email").fill(demo["email"])
    page.get_by_label("Password").fill(demo["password"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    # The link moves the focus to the main content (a same-page jump the browser finishes
    # in its own time: pressing Tab before it has would start from the link again).
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    # After skipping, the next stop is inside the main content, not the navigation.
    assert page.evaluate("document.activeElement.closest('main') !== null")
