"""The weekly reach-out e-mail: each member's own list, on the chosen morning, once a week,
nothing for an empty list, turned off by the member, retried when the server refuses, and
over a real SMTP conversation."""

import datetime as dt
import email
import email.policy
import logging
import socket

from django.core import mail
from django.utils import timezone

from rapport.accounts.actions import add_member
from rapport.accounts.choices import Role
from rapport.accounts.models import User
from rapport.inbox.models import Conversation
from rapport.lib.serving import clock_tasks
from rapport.outreach import digest
from rapport.outreach.models import DigestSubscription
from rapport.outreach.tasks import send_digests
from rapport.people.actions import record_interaction
from rapport.people.choices import Channel, Direction
from rapport.test import login


def this_morning(workspace, *, hour=None):
    """Now (or today at ``hour``), with the digest due today: its weekday is today's."""
    now = timezone.now()
    local = now.astimezone(workspace.zone)
    digest.set_digest_weekday(workspace, local.weekday())
    if hour is not None:
        return local.replace(hour=hour, minute=30)
    return max(now, local.replace(hour=digest.SEND_HOUR, minute=30))


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_each_member_gets_their_own_list_once_a_week(personas, bakery_week):
    now = this_morning(personas.bakery)
    report = digest.send_due(personas.bakery, now=now)
    assert report.sent == 2  # Alice and Bob; Vera is a viewer
    [bob] = sent_to("bob@example.com")
    assert "2 items" in bob.subject and "Alice's Bakery" in bob.subject
    assert "Dana Petit" in bob.body and "for 100 days (the limit is 60)" in bob.body
    assert "Eli Moreau" not in bob.body
    assert f"/w/alices-bakery/people/{bakery_week['dana'].pk}/" in bob.body
    assert "http://" in bob.body and "/w/alices-bakery/outreach/" in bob.body
    [(html, kind)] = bob.alternatives
    assert kind == "text/html" and "<a href=" in html and "Dana Petit" in html
    [alice] = sent_to("alice@example.com")
    assert "Eli Moreau" in alice.body and "Mill" in alice.body
    # The clock runs every few minutes: nobody gets it twice.
    assert digest.send_due(personas.bakery, now=now + dt.timedelta(minutes=5)).sent == 0
    assert digest.send_due(personas.bakery, now=now + dt.timedelta(hours=30)).sent == 0
    assert len(mail.outbox) == 2


def test_not_before_the_chosen_morning(personas, bakery_week):
    early = this_morning(personas.bakery, hour=digest.SEND_HOUR - 1)
    assert digest.send_due(personas.bakery, now=early).sent == 0
    assert mail.outbox == []


def test_a_member_with_an_empty_list_gets_nothing(personas, bakery_week):
    dora = User.objects.create_user("dora@example.com", "x", name="Dora Keel")
    add_member(personas.bakery, dora, Role.STAFF)
    report = digest.send_due(personas.bakery, now=this_morning(personas.bakery))
    assert report.sent == 2 and report.empty == 1
    assert sent_to("dora@example.com") == []


def test_a_member_can_turn_it_off_on_the_page(client, personas, bakery_week):
    page = login(client, personas.bob).post("/w/alices-bakery/outreach/digest/", {})
    assert page.status_code == 302
    assert not DigestSubscription.objects.get(membership=personas.bob_member).enabled
    digest.send_due(personas.bakery, now=this_morning(personas.bakery))
    assert sent_to("bob@example.com") == [] and len(sent_to("alice@example.com")) == 1
    html = client.get("/w/alices-bakery/outreach/").content.decode()
    assert 'name="digest" >' in html  # unticked


def test_the_owner_chooses_the_weekday(client, personas, bakery_week):
    login(client, personas.alice).post(
        "/w/alices-bakery/outreach/settings/", {"digest_weekday": "3"}
    )
    personas.bakery.outreach_settings.refresh_from_db()
    assert personas.bakery.outreach_settings.digest_weekday == 3


def test_items_open_the_persons_conversation_when_there_is_one(personas, bakery_week):
    dana = bakery_week["dana"]
    record_interaction(
        dana,
        occurred_at=timezone.now(),
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        text="Are you still doing the seeded rye?",
    )
    c = Conversation.objects.get(workspace=personas.bakery, person=dana)
    digest.send_due(personas.bakery, now=this_morning(personas.bakery))
    [bob] = sent_to("bob@example.com")
    assert f"/w/alices-bakery/inbox/{c.pk}/" in bob.body
    assert f"/w/alices-bakery/people/{bakery_week['fay'].pk}/" in bob.body


def test_a_refused_connection_is_logged_and_tried_again_next_tick(
    personas, bakery_week, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = False
    now = this_morning(personas.bakery)
    with caplog.at_level(logging.WARNING, logger="rapport.outreach.digest"):
        report = digest.send_due(personas.bakery, now=now)
    assert report.failed == 2 and report.sent == 0
    assert "will try again" in caplog.text
    sub = DigestSubscription.objects.get(membership=personas.bob_member)
    assert sub.attempts == 1 and sub.last_error and sub.week_done is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest.send_due(personas.bakery, now=now + dt.timedelta(minutes=5)).sent == 2
    sub.refresh_from_db()
    assert sub.attempts == 0 and sub.last_error == "" and sub.week_done


def test_a_send_refused_late_on_its_day_is_tried_again_after_midnight(
    personas, bakery_week, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = False
    # The last day of a week, so that after midnight is a new week.
    local = timezone.now().astimezone(personas.bakery.zone)
    sunday = local + dt.timedelta(days=6 - local.weekday())
    digest.set_digest_weekday(personas.bakery, sunday.weekday())
    late = sunday.replace(hour=23, minute=30)
    assert digest.send_due(personas.bakery, now=late).failed == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    after_midnight = late + dt.timedelta(hours=1)
    assert after_midnight.astimezone(personas.bakery.zone).date() != late.date()
    assert digest.send_due(personas.bakery, now=after_midnight).sent == 2
    # Done for that week: nothing more until the next week's morning.
    assert digest.send_due(personas.bakery, now=after_midnight + dt.timedelta(days=1)).sent == 0


def test_it_arrives_over_a_real_smtp_conversation(personas, bakery_week, settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.server_address
    settings.EMAIL_USE_TLS = False
    assert digest.send_due(personas.bakery, now=this_morning(personas.bakery)).sent == 2
    received = {
        tuple(rcpt): email.message_from_bytes(data, policy=email.policy.default)
        for rcpt, data in smtp_server.mails
    }
    bob = received[("bob@example.com",)]
    assert bob["Subject"].strip().startswith("Who to reach out to this week")
    assert bob.get_content_type() == "multipart/alternative"
    text = bob.get_body(preferencelist=("plain",)).get_content()
    html = bob.get_body(preferencelist=("html",)).get_content()
    assert "Dana Petit" in text and "<a href=" in html


def test_the_clock_runs_it(personas, bakery_week):
    assert send_digests in clock_tasks()
    digest.set_digest_weekday(personas.bakery, timezone.now().weekday())
    totals = send_digests.call()
    assert set(totals) == {"sent", "empty", "failed"}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
