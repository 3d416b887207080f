"""The handoff rules hold after every event of any sequence (rapport/engine/handoff.py)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.engine.handoff import (
    OWNED,
    AnsweredAutomatically,
    Assign,
    Conversation,
    CustomerWrote,
    HandOff,
    PersonReplied,
    Release,
    Resolve,
    Status,
    overdue,
    step,
)

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
MEMBERS = ("alice", "bob", "vera")


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def run(events, conversation: Conversation | None = None, **kwargs):
    conversation = conversation or Conversation()
    outcomes = []
    for event in events:
        outcome = step(conversation, event, **kwargs)
        outcomes.append(outcome)
        conversation = outcome.conversation
    return conversation, outcomes


def test_a_routine_question_is_answered_automatically():
    c, [wrote, answered] = run([CustomerWrote(at(0)), AnsweredAutomatically(at(0))])
    assert c.status == Status.ANSWERED_AUTOMATICALLY and c.owner is None
    assert answered.refused is None and answered.tell_customer is None


def test_asking_for_a_person_reaches_one_and_the_customer_is_told_in_plain_words():
    c, [auto, wrote] = run(
        [AnsweredAutomatically(at(0)), CustomerWrote(at(1), True, "asks for a person")],
        business="Maison Levain",
    )
    assert c.status == Status.WAITING and c.waiting_since == at(1)
    assert wrote.handed_off
    assert wrote.tell_customer.startswith("Thank you. This needs a person")
    assert "Maison Levain" in wrote.tell_customer and "reply to you here" in wrote.tell_customer


def test_a_handoff_goes_straight_to_the_relationship_owner_when_they_are_on_duty():
    c, [handed] = run(
        [HandOff(at(0), "money", to="bob")],
        business="Maison Levain",
        name_of={"bob": "Bob"}.get,
    )
    assert (c.status, c.owner) == (Status.ASSIGNED, "bob")
    assert "passed your message to Bob at Maison Levain" in handed.tell_customer

    away, _ = run([HandOff(at(0), "money", to="bob")], available=lambda m: m != "bob")
    assert (away.status, away.owner) == (Status.WAITING, None)


def test_the_automation_stops_once_a_person_has_taken_over_and_never_replies_over_them():
    c, outcomes = run(
        [
            CustomerWrote(at(0)),
            AnsweredAutomatically(at(0)),
            Assign(at(1), "alice"),
            CustomerWrote(at(2)),
            AnsweredAutomatically(at(2)),
            PersonReplied(at(3), "alice"),
            Resolve(at(4), "alice"),
            CustomerWrote(at(60)),
            AnsweredAutomatically(at(60)),
        ]
    )
    assert outcomes[4].refused == "a person has taken over this conversation"
    assert outcomes[8].refused == "a person has taken over this conversation"
    assert (c.status, c.owner) == (Status.ASSIGNED, "alice")


def test_reopening_goes_back_to_the_last_person_not_into_a_new_handoff():
    c, outcomes = run(
        [
            CustomerWrote(at(0), True, "threat to leave"),
            Assign(at(5), "bob"),
            PersonReplied(at(6), "bob"),
            Resolve(at(7), "bob"),
            CustomerWrote(at(600)),
        ]
    )
    reopened = outcomes[-1]
    assert reopened.reopened and not reopened.handed_off and reopened.tell_customer is None
    assert (c.status, c.owner) == (Status.ASSIGNED, "bob")
    # A second handoff of the same conversation is refused rather than looping.
    assert step(c, HandOff(at(601), "again")).refused == "already with a person"


def test_reopening_waits_for_someone_else_when_the_last_person_has_left():
    c, _ = run(
        [HandOff(at(0), "legal"), Assign(at(1), "bob"), Resolve(at(2)), CustomerWrote(at(90))],
        available=lambda member: member != "bob",
    )
    assert (c.status, c.owner, c.waiting_since) == (Status.WAITING, None, at(90))


def test_a_conversation_waiting_past_the_limit_is_overdue():
    c, _ = run([HandOff(at(0), "health")])
    limit = dt.timedelta(hours=2)
    assert not overdue(c, at(120), limit)
    assert overdue(c, at(121), limit)
    assert not overdue(step(c, Assign(at(121), "vera")).conversation, at(500), limit)


def test_an_owner_who_leaves_puts_the_conversation_back_in_the_queue():
    c, [*_, released] = run([HandOff(at(0), "money", to="bob"), Release(at(30), "bob")])
    assert (c.status, c.owner, c.waiting_since) == (Status.WAITING, None, at(30))
    assert step(c, Release(at(31), "alice")).refused == "not the owner"


def test_an_unavailable_member_cannot_be_assigned():
    c, [outcome] = run([Assign(at(0), "bob")], available=lambda member: False)
    assert outcome.refused and c == Conversation()


# --- any sequence ----------------------------------------------------------------------------

minutes = st.integers(min_value=0, max_value=10_000)
members = st.sampled_from(MEMBERS)
events = st.one_of(
    st.builds(
        CustomerWrote, minutes.map(at), st.booleans(), st.just("reason"), st.none() | members
    ),
    st.builds(AnsweredAutomatically, minutes.map(at)),
    st.builds(HandOff, minutes.map(at), st.just("reason"), st.none() | members),
    st.builds(Assign, minutes.map(at), members),
    st.builds(PersonReplied, minutes.map(at), members),
    st.builds(Resolve, minutes.map(at), st.none() | members),
    st.builds(Release, minutes.map(at), members),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(events, max_size=40), st.sets(members))
def test_the_rules_hold_after_every_event_of_any_sequence(sequence, away):
    available = lambda member: member not in away  # noqa: E731
    conversation = Conversation()
    touched = False
    for event in sequence:
        outcome = step(conversation, event, available=available)
        after = outcome.conversation
        if outcome.refused:
            assert after == conversation
        # One owner at a time, exactly in the owned states.
        assert (after.owner is not None) == (after.status in OWNED)
        assert after.owner is None or after.owner == after.last_owner
        # Waiting carries the moment it started; nothing else does.
        assert (after.waiting_since is not None) == (after.status == Status.WAITING)
        # Once a person is involved the automation never answers again.
        touched = touched or outcome.handed_off or after.status in OWNED | {Status.WAITING}
        if touched:
            assert after.automation_stopped
        if isinstance(event, AnsweredAutomatically) and conversation.automation_stopped:
            assert outcome.refused
        # A handoff reaches a person: assigned, or waiting in the queue (and overdue later),
        # and the customer is told.
        if outcome.handed_off:
            assert after.status in {Status.ASSIGNED, Status.WAITING}
            assert outcome.tell_customer
        # The customer reopening a conversation a person handled returns it to a person,
        # with no new handoff and no automatic answer.
        customer_reopened = isinstance(event, CustomerWrote) and outcome.reopened
        if customer_reopened and conversation.automation_stopped:
            assert not outcome.handed_off and outcome.tell_customer is None
            last = conversation.last_owner
            if last is not None and available(last):
                assert (after.status, after.owner) == (Status.ASSIGNED, last)
            else:
                assert after.status == Status.WAITING
        conversation = after
