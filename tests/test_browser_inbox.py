"""A real browser in the inbox: Alice opens a conversation that was handed to Bob, reads the
context card, takes it, replies and resolves it — by keyboard only, every field found by
its label. Debian's Chromium driven by Playwright, against a live server."""

import pytest

from tests.browser import local_page, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def handed_off(personas):
    from rapport.inbox import automation
    from rapport.inbox.models import Conversation
    from rapport.inbox.routing import inbox_settings
    from rapport.inbox.tests.conftest import later, read_as, write_in
    from rapport.people.tests.factories import make_customer

    s = inbox_settings(personas.bakery)
    s.hours = {str(d): [["00:00", "00:00"]] for d in range(7)}
    s.save()
    dana = make_customer(personas.bakery, name="Dana Weiss", email="dana@example.com")
    dana.owner = personas.bob_member
    dana.save()
    i = write_in(
        dana, "I was charged twice for the cake and I want my money back.", subject="Charged twice"
    )
    read_as(i, needs_human=True, reasons=("money",), sentiment=-0.8, feelings={"anger": 0.9})
    automation.process(personas.bakery, now=later())
    c = Conversation.objects.get(workspace=personas.bakery)
    assert c.owner == personas.bob_member
    return c


def test_a_member_takes_replies_to_and_resolves_a_handed_off_conversation(
    live_server, personas, handed_off
):
    from playwright.sync_api import expect

    from rapport.inbox.choices import Status
    from rapport.test import PASSWORD

    with local_page(live_server.url) as page:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email").fill("alice@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")

        page.goto(live_server.url + "/w/alices-bakery/inbox/?view=person")
        expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()
        link = page.get_by_role("link", name="Charged twice")
        link.focus()
        page.keyboard.press("Enter")

        expect(page.get_by_role("heading", name="Charged twice", level=1)).to_be_visible()
        card = page.get_by_role("complementary")
        expect(card.get_by_role("heading", name="Who this is")).to_be_visible()
        expect(card.get_by_text("Bob Okafor")).to_be_visible()  # who looks after Dana
        expect(page.get_by_text("needs a person").first).to_be_visible()  # Rapport told her

        take = page.get_by_role("button", name="Take it")
        take.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("It is yours now.")

        reply = page.get_by_label("Your reply to Dana Weiss")
        assert reply.input_value().startswith("Dana, ")  # the suggested first line
        reply.focus()
        page.keyboard.press("Control+End")
        page.keyboard.type(" The second charge is refunded today.")
        page.keyboard.press("Tab")  # the hint is text; the next stop is the send button
        assert page.evaluate("document.activeElement.textContent") == "Send reply"
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Reply sent")
        expect(page.get_by_text("The second charge is refunded today.")).to_be_visible()

        resolve = page.get_by_role("button", name="Resolve")
        resolve.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Resolved")

    handed_off.refresh_from_db()
    assert handed_off.status == Status.RESOLVED
    assert handed_off.messages.filter(member=personas.alice_member).count() == 1
