"""Automatic answers from the business's own knowledge base, read by the real text model:
a routine question is answered and said to be so; anything else goes to a person with the
closest entry as a draft."""

from rapport.inbox import automation
from rapport.inbox.choices import Author, Delivery, Status
from rapport.inbox.models import Conversation
from rapport.inbox.tests.conftest import HOURS, later, write_in
from rapport.people.choices import Channel
from rapport.understanding.actions import analyze_pending


def arrive(person, text, thread):
    write_in(person, text, thread=thread, channel=Channel.CHAT)
    analyze_pending(person.workspace)
    automation.process(person.workspace, now=later())
    return Conversation.objects.get(workspace=person.workspace, thread_key=thread)


def test_a_routine_question_gets_the_entry_and_nothing_else(personas, customer, faq):
    c = arrive(customer, "What time do you open on Sunday?", "q1")
    assert c.status == Status.ANSWERED_AUTOMATICALLY and c.owner is None
    [answer] = c.messages.filter(author=Author.AUTOMATION)
    assert answer.text == HOURS and answer.entry_key == "hours" and answer.confidence >= 0.5
    assert answer.interaction.handled_by_automation.name == "Rapport automatic answers"
    assert answer.delivery == Delivery.PENDING  # e-mailed by the worker


def test_an_upset_customer_reaches_a_person_with_the_entry_as_a_draft(personas, customer, faq):
    c = arrive(
        customer,
        "I came at 7 and you were CLOSED. This is the third time, I am furious. When do you open??",
        "q2",
    )
    assert c.status == Status.ASSIGNED and c.owner is not None
    assert not c.messages.filter(author=Author.AUTOMATION).exists()
    assert c.draft_entry == "hours"
    assert c.messages.filter(author=Author.SYSTEM).count() == 1


def test_a_question_nobody_wrote_an_entry_for_goes_to_a_person(personas, customer, faq):
    c = arrive(customer, "Could you bake 40 croissants for our office party next Friday?", "q3")
    assert c.status == Status.ASSIGNED
    assert "knowledge base" in c.handoff_reason or c.handoff_reason


def test_no_knowledge_base_means_a_person(personas, customer):
    c = arrive(customer, "What time do you open on Sunday?", "q4")
    assert c.status == Status.ASSIGNED
    assert c.handoff_reason == "no automatic answers in this business"


def test_after_an_automatic_answer_a_follow_up_that_needs_a_person_is_handed_off(
    personas, customer, faq
):
    arrive(customer, "What time do you open on Sunday?", "q5")
    c = arrive(customer, "That's wrong, I want to speak to a real person please", "q5")
    assert c.status == Status.ASSIGNED and c.automation_stopped
    assert c.messages.filter(author=Author.AUTOMATION).count() == 1
