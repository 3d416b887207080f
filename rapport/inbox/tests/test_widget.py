"""The chat widget's public endpoints over the real database: a visitor writes, retries,
floods, asks for a person, gets replies marked delivered; closed hours are said honestly;
unknown widgets are 404; only the chat page may be framed, and only by the business's sites."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape

from rapport.inbox import actions, automation, widget
from rapport.inbox.choices import Author, Delivery, Source, Status
from rapport.inbox.models import Conversation, Duty, Message
from rapport.inbox.routing import inbox_settings
from rapport.people.choices import Channel

VISITOR = "v" * 40
OTHER = "w" * 40
SITE = "https://alicesbakery.example"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chat(personas):
    s = inbox_settings(personas.bakery)
    s.widget_enabled = True
    s.widget_origins = f"{SITE}\nnot a site; script-src *\nhttps://shop.alicesbakery.example/"
    s.save()
    return s


def call(client, chat, what, body, *, address="203.0.113.5", raw=None):
    return client.post(
        f"/chat/{chat.widget_key}/{what}/",
        raw if raw is not None else json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def say(client, chat, text, *, visitor=VISITOR, client_id="msg-0001", **kw):
    body = {"visitor": visitor, "client_id": client_id, "text": text}
    return call(client, chat, "send", body, **kw)


def poll(client, chat, after=0, visitor=VISITOR):
    return call(client, chat, "messages", {"visitor": visitor, "after": after}).json()


def test_a_visitor_message_opens_a_widget_conversation_and_a_retry_is_stored_once(client, chat):
    first = say(client, chat, "Do you have gluten-free bread? 🍞")
    assert first.status_code == 201 and first.json()["new"] is True
    again = say(client, chat, "Do you have gluten-free bread? 🍞")  # the answer was lost
    assert (
        again.status_code == 200 and again.json()["message"]["id"] == first.json()["message"]["id"]
    )
    [c] = Conversation.objects.filter(workspace=chat.workspace)
    assert (c.source, c.channel, c.status) == (Source.WIDGET, Channel.CHAT, Status.NEW)
    assert c.thread_key.startswith("widget:") and VISITOR not in c.thread_key
    assert c.visitor_key == widget.visitor_hash(VISITOR) != VISITOR  # only the hash is kept
    [m] = c.messages.all()
    assert m.body == "Do you have gluten-free bread? 🍞" and m.interaction is None
    assert m.author == Author.CUSTOMER and c.reply_due is not None


def test_html_other_languages_and_the_size_limit(client, chat):
    html = '<script>alert("x")</script><b>bold</b>'
    assert say(client, chat, html, client_id="msg-html").status_code == 201
    assert (
        say(client, chat, "Hast du heute Brezeln? 日本語も", client_id="msg-deutsch").status_code
        == 201
    )
    assert [m["text"] for m in poll(client, chat)["messages"]][0] == html  # text, as written
    empty = say(client, chat, "   ", client_id="msg-empty")
    assert empty.status_code == 422 and empty.json()["error"] == "Write a message first."
    long = say(client, chat, "a" * 5001, client_id="msg-long")
    assert long.status_code == 422 and "at most 5,000 characters" in long.json()["error"]
    huge = say(client, chat, "a" * 1_000_000, client_id="msg-huge")
    assert huge.status_code == 413 and "5,000" in huge.json()["error"]
    assert call(client, chat, "send", None, raw="{not json").status_code == 400
    assert say(client, chat, "hi", visitor="short").status_code == 400
    assert Message.objects.filter(workspace=chat.workspace).count() == 2


def test_a_flooding_visitor_gets_429_and_nobody_else_does(client, chat):
    codes = [
        say(client, chat, f"spam {n}", client_id=f"spam-{n:04}").status_code for n in range(25)
    ]
    assert codes[:20] == [201] * 20 and codes[20:] == [429] * 5
    flood = say(client, chat, "more", client_id="spam-9999")
    assert flood.json()["error"].startswith("Too many messages") and flood["Retry-After"] == "60"
    # Someone else on the same network, and someone elsewhere, still get through.
    assert say(client, chat, "Hello!", visitor=OTHER, client_id="other-0001").status_code == 201
    elsewhere = say(
        client, chat, "Hi", visitor="x" * 40, client_id="elsewhere-1", address="198.51.100.7"
    )
    assert elsewhere.status_code == 201
    assert Message.objects.filter(workspace=chat.workspace).count() == 22  # nothing lost


def test_a_flood_of_new_visitor_keys_from_one_address_is_limited_too(client, chat):
    codes = [
        say(client, chat, "hi", visitor=f"{n:040d}", client_id="same-id-1").status_code
        for n in range(125)
    ]
    assert codes.count(201) == 120 and codes[-1] == 429
    assert say(client, chat, "Hi", address="198.51.100.7").status_code == 201


def test_the_visitor_asks_for_a_person_and_sees_the_handoff_delivered(client, chat, personas):
    nobody = call(client, chat, "person", {"visitor": VISITOR})
    assert nobody.status_code == 409 and "Write your question first" in nobody.json()["error"]
    say(client, chat, "Can I order a wedding cake?")
    answer = call(client, chat, "person", {"visitor": VISITOR})
    assert answer.status_code == 200 and answer.json()["with_person"] is True
    c = Conversation.objects.get(workspace=chat.workspace)
    assert c.status == Status.ASSIGNED and c.asked_for_person
    assert c.handoff_reason == "asked for a person" and c.owner is not None
    told = c.messages.get(author=Author.SYSTEM)
    assert told.delivery == Delivery.PENDING
    shown = poll(client, chat)["messages"]
    assert [m["author"] for m in shown] == ["customer", "system"]
    assert "person" in shown[1]["text"] and shown[1]["who"] == "Alice's Bakery"
    told.refresh_from_db()
    assert told.delivery == Delivery.DELIVERED
    # Asking again hands nothing off twice.
    assert call(client, chat, "person", {"visitor": VISITOR}).status_code == 200
    assert c.messages.filter(author=Author.SYSTEM).count() == 1


def test_a_member_reply_is_fetched_once_and_marked_delivered(client, chat, personas):
    say(client, chat, "Is the shop open on Sunday?")
    c = Conversation.objects.get(workspace=chat.workspace)
    reply = actions.reply(c, "Yes, 8 to 12.", actor=personas.bob_member)
    assert reply.delivery == Delivery.PENDING
    first = poll(client, chat)
    [mine, theirs] = first["messages"]
    assert theirs == {**theirs, "text": "Yes, 8 to 12.", "who": "Bob Okafor", "author": "member"}
    reply.refresh_from_db()
    assert reply.delivery == Delivery.DELIVERED
    assert poll(client, chat, after=theirs["id"])["messages"] == []
    # A reply that committed late with a lower id than the widget's last is not skipped.
    late = actions.reply(c, "And on holidays too.", actor=personas.bob_member)
    assert [m["id"] for m in poll(client, chat, after=late.pk + 100)["messages"]] == [late.pk]
    # Another visitor sees none of it.
    assert poll(client, chat, visitor=OTHER)["messages"] == []


def test_notes_stay_inside(client, chat, personas):
    say(client, chat, "Hello")
    c = Conversation.objects.get(workspace=chat.workspace)
    actions.note(c, "This is the neighbour's son", actor=personas.alice_member)
    assert [m["author"] for m in poll(client, chat)["messages"]] == ["customer"]


def test_closed_hours_are_said_honestly(client, chat, personas):
    zone = chat.workspace.zone
    now = timezone.now().astimezone(zone)
    tomorrow = (now + dt.timedelta(days=1)).weekday()
    chat.hours = {str(tomorrow): [["09:00", "17:00"]]}
    chat.save()
    page = client.get(f"/chat/{chat.widget_key}/")
    said = "We're closed now; we open tomorrow at 9:00. Leave your e-mail and we'll reply then."
    assert escape(said) in page.content.decode()
    say(client, chat, "Are you open?")
    assert poll(client, chat)["notice"] == said
    c = Conversation.objects.get(workspace=chat.workspace)
    opens = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(9), zone)
    assert c.reply_due >= opens  # the clock starts at opening time


def test_nobody_on_duty_is_said_too(client, chat, personas):
    for m in (personas.alice_member, personas.bob_member):
        Duty.objects.create(workspace=chat.workspace, membership=m, on_duty=False)
    page = client.get(f"/chat/{chat.widget_key}/").content.decode()
    assert "Nobody is available to chat right now" in page


def test_unknown_or_switched_off_widgets_are_404(client, chat):
    assert client.get("/chat/no-such-widget/").status_code == 404
    assert say(client, chat, "hi").status_code == 201
    chat.widget_enabled = False
    chat.save()
    assert client.get(f"/chat/{chat.widget_key}/").status_code == 404
    assert say(client, chat, "hi again", client_id="msg-0002").status_code == 404
    assert call(client, chat, "messages", {"visitor": VISITOR}).status_code == 404


def test_only_the_chat_page_may_be_framed_and_only_by_the_business_sites(client, chat):
    page = client.get(f"/chat/{chat.widget_key}/")
    assert page.status_code == 200 and "X-Frame-Options" not in page
    policy = page["Content-Security-Policy"]
    ancestors = policy.split("frame-ancestors ")[1]
    assert ancestors == f"'self' {SITE} https://shop.alicesbakery.example"  # the bad line left out
    assert "script-src 'self'" in policy and not page.cookies  # no cookies at all
    assert client.get("/login/")["X-Frame-Options"] == "DENY"
    assert say(client, chat, "hi")["X-Frame-Options"] == "DENY"
    assert client.get(f"/chat/{chat.widget_key}/send/").status_code == 405


def test_the_visitors_text_is_read_and_triaged_by_the_worker(client, chat):
    say(client, chat, "You charged me twice and I want my money back, this is a disgrace!")
    assert automation.process(chat.workspace) == 1
    c = Conversation.objects.get(workspace=chat.workspace)
    assert c.read_at is not None and c.needs_human and "money" in c.reason_codes
    assert c.status == Status.ASSIGNED  # with a person, who was told about it


def test_with_an_email_unfetched_replies_go_by_email(client, chat, personas):
    bad = call(client, chat, "contact", {"visitor": VISITOR, "email": "not-an-address"})
    assert bad.status_code == 422 and "does not look right" in bad.json()["error"]
    body = {"visitor": VISITOR, "client_id": "msg-0001", "text": "Call me back?"}
    call(client, chat, "send", {**body, "name": "Sam", "email": "sam@example.com"})
    c = Conversation.objects.get(workspace=chat.workspace)
    assert (c.visitor_name, c.visitor_email, c.who) == ("Sam", "sam@example.com", "Sam")
    reply = actions.reply(c, "Sure, what number?", actor=personas.bob_member)
    assert widget.email_unfetched(chat.workspace_id) == 0  # the widget may still fetch it
    assert widget.email_unfetched(chat.workspace_id, now=timezone.now() + widget.EMAIL_AFTER) == 1
    assert mail.outbox[-1].to == ["sam@example.com"] and "what number" in mail.outbox[-1].body
    reply.refresh_from_db()
    assert reply.delivery == Delivery.SENT


def test_a_database_too_busy_to_write_answers_503_and_the_retry_is_stored_once(
    client, chat, monkeypatch
):
    # SQLite's one writer under load: the write is refused with "database is locked". (The
    # refusal is injected here; the load benchmark meets the real one.)
    from django.db import OperationalError

    real = widget.receive

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(widget, "receive", locked)
    busy = say(client, chat, "Is the bakery open?", client_id="busy-0001")
    assert busy.status_code == 503 and busy["Retry-After"] == "2"
    assert "sent again" in busy.json()["error"]
    monkeypatch.setattr(widget, "receive", real)
    again = say(client, chat, "Is the bakery open?", client_id="busy-0001")
    assert again.status_code == 201
    assert Message.objects.filter(client_id="busy-0001").count() == 1
