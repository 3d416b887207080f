"""A real browser: Alice adds an entry to her knowledge base with the keyboard alone, and a
mistake is shown beside the field it concerns. Debian's Chromium driven by Playwright."""

import pytest

from rapport.test import PASSWORD
from tests.browser import local_page, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


def test_alice_adds_an_entry_with_the_keyboard(live_server, personas):
    from playwright.sync_api import expect

    from rapport.knowledge.models import Entry

    with local_page(live_server.url) as page:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email").fill("alice@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(live_server.url + "/w/alices-bakery/knowledge/")
        expect(page.get_by_role("link", name="Knowledge base")).to_have_attribute(
            "aria-current", "page"
        )
        page.get_by_role("link", name="Add an entry").focus()
        page.keyboard.press("Enter")
        page.get_by_label("Questions people ask").focus()
        page.keyboard.type("Do you deliver?")
        page.keyboard.press("Tab")
        expect(page.get_by_label("Answer", exact=True)).to_be_focused()
        page.keyboard.press("Tab")
        expect(page.get_by_label("Language")).to_be_focused()
        page.get_by_role("button", name="Save").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_have_text("write the answer")
        page.get_by_label("Answer", exact=True).fill("Yes, within 5 km.")
        page.get_by_role("button", name="Save").press("Enter")
        expect(page.get_by_role("status").first).to_contain_text("Entry “do-you-deliver” added.")
    assert Entry.objects.get(key="do-you-deliver").answer == "Yes, within 5 km."
