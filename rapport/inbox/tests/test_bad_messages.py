"""Messages no one planned for: empty, a megabyte, HTML, emoji, another language. Each is
filed, read and shown safely, and none gets an automatic answer it should not."""

import pytest

from rapport.inbox import automation
from rapport.inbox.choices import Author, Status
from rapport.inbox.models import Conversation
from rapport.inbox.tests.conftest import later, write_in
from rapport.people.choices import Channel
from rapport.test import login
from rapport.understanding.actions import analyze_pending
from rapport.understanding.models import InteractionReading


def settle(workspace):
    analyze_pending(workspace)
    automation.process(workspace, now=later())


def test_an_empty_message_opens_no_conversation(personas, customer):
    write_in(customer, "   ")
    assert not Conversation.objects.exists()


def test_a_megabyte_message_is_filed_read_and_shown(client, personas, customer, faq):
    big = ("When do you open? " * 60_000)[:1_000_000]
    message = write_in(customer, big, thread="big", channel=Channel.CHAT)
    settle(personas.bakery)
    # Read from its start, not whole (how long that takes is a benchmark's business).
    notes = InteractionReading.objects.get(interaction=message).notes
    assert "only the first 100,000 of its 1,000,000 characters were read" in notes
    c = Conversation.objects.get(thread_key="big")
    assert c.read_at is not None and c.status != Status.NEW
    page = login(client, personas.alice).get(f"/w/alices-bakery/inbox/{c.pk}/")
    assert page.status_code == 200


def test_html_is_shown_as_text_and_emoji_survive(client, personas, customer):
    write_in(
        customer, "<script>alert('x')</script> <b>Cake</b> for Léa 🎂🥐?", subject="<i>Order</i>"
    )
    settle(personas.bakery)
    c = Conversation.objects.get()
    html = login(client, personas.alice).get(f"/w/alices-bakery/inbox/{c.pk}/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "🎂🥐" in html and "Léa" in html
    listing = client.get("/w/alices-bakery/inbox/").content.decode()
    assert "<i>Order</i>" not in listing and "&lt;i&gt;Order&lt;/i&gt;" in listing


@pytest.mark.parametrize(
    "text",
    [
        "Wann öffnen Sie am Sonntag?",
        "¿A qué hora abren el domingo?",
        "À quelle heure ouvrez-vous dimanche ?",
    ],
)
def test_no_automatic_answer_in_a_language_the_entry_is_not_written_in(
    personas,
    customer,
    faq,
    text,
):
    write_in(customer, text, thread="lang", channel=Channel.CHAT)
    settle(personas.bakery)
    c = Conversation.objects.get(thread_key="lang")
    assert not c.messages.filter(author=Author.AUTOMATION).exists()
    assert c.status in (Status.ASSIGNED, Status.WAITING)
