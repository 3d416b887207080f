"""The inbox over the real database: a message is filed when it is stored, read, triaged and
handed to a person; replies, resolution, reopening and members leaving."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from rapport.accounts.actions import remove_member
from rapport.inbox import actions, automation, clocks
from rapport.inbox.choices import Author, Delivery, EventKind, Priority, Status
from rapport.inbox.delivery import send
from rapport.inbox.models import Conversation, Duty, Message
from rapport.inbox.tests.conftest import later, read_as, write_in


def only_conversation(workspace):
    [c] = Conversation.objects.filter(workspace=workspace)
    return c


def test_a_message_is_in_the_inbox_as_soon_as_it_is_stored(personas, customer):
    # No worker runs in this test: the task queue only stores tasks.
    i = write_in(customer, "Do you still have the rye loaf?", subject="Rye")
    c = only_conversation(personas.bakery)
    assert c.status == Status.NEW and c.person == customer and c.subject == "Rye"
    assert [m.interaction for m in c.messages.all()] == [i]
    assert c.reply_due is not None and c.awaiting_since == i.occurred_at


def test_a_thread_stays_one_conversation_and_history_stays_out(personas, customer):
    write_in(customer, "First", thread="mail:abc")
    write_in(customer, "Second, same thread", thread="mail:abc")
    write_in(customer, "Old news", at=timezone.now() - dt.timedelta(days=400))
    c = only_conversation(personas.bakery)
    assert c.messages.count() == 2


def test_a_message_that_needs_a_person_reaches_one_and_the_customer_is_told(personas, customer):
    i = write_in(customer, "I was charged twice and I want my money back, this is unacceptable")
    read_as(i, needs_human=True, reasons=("money",), sentiment=-0.8, feelings={"anger": 0.8})
    automation.process(personas.bakery, now=later())
    c = only_conversation(personas.bakery)
    assert c.status == Status.ASSIGNED and c.owner is not None
    assert c.priority == Priority.HIGH and c.reasons and c.emotion == "anger"
    told = c.messages.get(author=Author.SYSTEM)
    assert "needs a person" in told.text and c.owner.user.name in told.text
    assert told.delivery == Delivery.PENDING  # sent by the worker
    assert send(told) and mail.outbox[-1].to == ["dana@example.com"]
    assert Message.objects.get(pk=told.pk).delivery == Delivery.SENT


def test_the_relationship_owner_gets_their_people(personas, customer):
    customer.owner = personas.bob_member
    customer.save()
    write_in(customer, "Can we talk about the catering order?")
    automation.process(personas.bakery, now=later())
    assert only_conversation(personas.bakery).owner == personas.bob_member


def test_an_unread_message_goes_to_a_person_after_a_while(personas, customer):
    customer.may_analyse = False
    customer.save()
    write_in(customer, "Hello?")
    assert automation.process(personas.bakery, now=timezone.now()) == 1  # no reading will come
    assert only_conversation(personas.bakery).status == Status.ASSIGNED


def test_round_robin_skips_members_away_or_off_duty_and_full(personas, customer):
    Duty.objects.create(workspace=personas.bakery, membership=personas.alice_member, on_duty=False)
    for n in range(3):
        write_in(customer, f"Question {n}?", thread=f"t{n}")
    automation.process(personas.bakery, now=later())
    owners = set(Conversation.objects.values_list("owner", flat=True))
    assert owners == {personas.bob_member.pk}


def test_nobody_on_duty_waits_and_raises_an_alert(personas, customer):
    for m in (personas.alice_member, personas.bob_member):
        Duty.objects.create(workspace=personas.bakery, membership=m, on_duty=False)
    write_in(customer, "Anyone there?")
    automation.process(personas.bakery, now=later())
    c = only_conversation(personas.bakery)
    assert c.status == Status.WAITING and c.owner is None
    counts = clocks.tick(personas.bakery, now=later(120))
    assert counts["waiting"] == 1
    assert c.events.filter(kind=EventKind.UNASSIGNED_ALERT).exists()
    assert mail.outbox and "Nobody has taken" in mail.outbox[-1].subject
    assert clocks.tick(personas.bakery, now=later(240))["waiting"] == 0  # said once


def test_reply_resolve_and_reopen_back_to_the_same_person(personas, customer):
    write_in(customer, "Is the cake ready?", thread="cake")
    automation.process(personas.bakery, now=later())
    c = only_conversation(personas.bakery)
    actions.assign(c, personas.bob_member, actor=personas.alice_member)
    reply = actions.reply(c, "Yes, pick it up at 4.", actor=personas.bob_member)
    c.refresh_from_db()
    assert (
        c.status == Status.REPLIED
        and c.first_replied_at
        and reply.interaction.handled_by == personas.bob_member
    )
    customer.refresh_from_db()
    assert customer.last_human_contact_at == reply.at
    actions.resolve(c, actor=personas.bob_member)
    write_in(customer, "Actually, can it be 5?", thread="cake")
    c.refresh_from_db()
    assert c.status == Status.ASSIGNED and c.owner == personas.bob_member
    assert c.events.filter(kind=EventKind.REOPENED).count() == 1
    assert c.messages.filter(author=Author.SYSTEM).count() == 1  # no second handoff


def test_the_automation_never_answers_once_a_person_took_over(personas, customer):
    write_in(customer, "When do you open?", thread="hours")
    c = only_conversation(personas.bakery)
    actions.assign(c, personas.bob_member, actor=personas.bob_member)
    write_in(customer, "Hello? When do you open?", thread="hours")
    automation.process(personas.bakery, now=later())
    c.refresh_from_db()
    assert c.status == Status.ASSIGNED
    assert not c.messages.filter(author__in=(Author.AUTOMATION, Author.SYSTEM)).exists()


def test_a_member_removed_hands_their_conversations_on(
    personas, customer, django_capture_on_commit_callbacks
):
    write_in(customer, "Question?")
    c = only_conversation(personas.bakery)
    actions.assign(c, personas.bob_member, actor=personas.alice_member)
    with django_capture_on_commit_callbacks(execute=True):
        remove_member(personas.bob_member, actor=personas.alice)
    c.refresh_from_db()
    assert c.owner == personas.alice_member and c.last_owner == personas.alice_member


def test_sla_breach_is_marked_and_escalated(personas, customer):
    write_in(customer, "Where is my order?")
    automation.process(personas.bakery, now=later())
    c = only_conversation(personas.bakery)
    assert clocks.tick(personas.bakery, now=c.reply_due - dt.timedelta(minutes=10))["warned"] == 1
    assert clocks.tick(personas.bakery, now=c.reply_due + dt.timedelta(minutes=1))["breached"] == 1
    c.refresh_from_db()
    assert c.sla_missed and c.escalated_at
    actions.reply(c, "Sorry, on its way.", actor=c.owner)
    c.refresh_from_db()
    assert c.reply_due is None and c.sla_missed  # a missed clock stays missed


def test_an_empty_reply_is_refused(personas, customer):
    write_in(customer, "Hi?")
    c = only_conversation(personas.bakery)
    try:
        actions.reply(c, "   ", actor=personas.alice_member)
    except actions.InboxError as error:
        assert "Write a reply" in str(error)
    else:
        raise AssertionError("an empty reply was sent")


def test_the_owner_is_warned_and_an_unresolved_conversation_is_escalated(personas, customer):
    write_in(customer, "Can you change my standing order?")
    automation.process(personas.bakery, now=later())
    c = only_conversation(personas.bakery)
    owner_mail = c.owner.user.email
    mail.outbox.clear()
    clocks.tick(personas.bakery, now=c.reply_due - dt.timedelta(minutes=10))
    assert [m.to for m in mail.outbox] == [[owner_mail]]
    assert "A reply is due" in mail.outbox[0].subject
    actions.reply(c, "Yes, which days?", actor=c.owner)
    c.refresh_from_db()
    mail.outbox.clear()
    counts = clocks.tick(personas.bakery, now=c.resolve_due + dt.timedelta(minutes=1))
    assert counts["resolve_breached"] == 1 and counts["breached"] == 0
    c.refresh_from_db()
    assert c.resolve_breached_at and not c.sla_missed  # the reply itself came in time
    assert c.events.filter(detail="not resolved within the agreed time").exists()
    assert "Not resolved in time" in mail.outbox[-1].subject
    later_tick = clocks.tick(personas.bakery, now=c.resolve_due + dt.timedelta(hours=5))
    assert later_tick["resolve_breached"] == 0  # said once
