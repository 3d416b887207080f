"""Triage of a whole conversation: priority and reasons in words (rapport/engine/triage.py)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.text.needs_human import REASONS
from rapport.engine.triage import (
    EscalationRule,
    MessageReading,
    Priority,
    Relationship,
    triage,
)

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def message(minutes=0, **kwargs):
    return MessageReading(T0 + dt.timedelta(minutes=minutes), **kwargs)


def test_a_thank_you_or_a_delivery_note_is_low():
    result = triage([message(asks=False, sentiment=0.9)], now=T0)
    assert result.priority == Priority.LOW and result.reasons == ("nothing asked",)


def test_a_question_is_normal():
    result = triage([message(asks=True)], now=T0 + dt.timedelta(hours=1))
    assert result.priority == Priority.NORMAL
    assert result.respond_within == dt.timedelta(hours=8)


def test_an_allergy_is_urgent_even_when_it_comes_after_a_routine_first_message():
    result = triage(
        [
            message(0, asks=True, sentiment=0.3),
            message(5, needs_human=True, reasons=("health",), sentiment=-0.4),
        ],
        now=T0,
    )
    assert result.priority == Priority.URGENT
    assert result.reasons[0] == "mentions illness, injury or an allergy (message 2 of 2)"


def test_money_and_a_threat_to_leave_are_high_and_a_legal_threat_to_leave_is_urgent():
    money = triage([message(needs_human=True, reasons=("money", "threat_to_leave"))], now=T0)
    assert money.priority == Priority.HIGH
    assert money.reasons == ("money is at stake", "threatens to leave or cancel")
    legal = triage([message(needs_human=True, reasons=("legal", "threat_to_leave"))], now=T0)
    assert legal.priority == Priority.URGENT


def test_a_conversation_that_turns_sour_is_high():
    result = triage(
        [message(0, sentiment=0.5), message(30, sentiment=-0.1), message(60, sentiment=-0.6)],
        now=T0 + dt.timedelta(hours=2),
    )
    assert result.priority == Priority.HIGH
    assert "sentiment fell from +0.5 to -0.6 across 3 messages" in result.reasons


def test_a_key_account_or_a_long_wait_raises_a_question_to_high():
    key = triage([message()], Relationship(key_account=True), now=T0)
    assert key.priority == Priority.HIGH and "a key account" in key.reasons
    waited = triage([message()], now=T0 + dt.timedelta(hours=30))
    assert waited.priority == Priority.HIGH and "waiting 30 hours" in waited.reasons
    # A note nobody needs to answer does not become urgent by waiting.
    note = triage([message(asks=False)], now=T0 + dt.timedelta(days=5))
    assert note.priority == Priority.LOW


def test_a_long_silence_from_the_business_is_a_reason():
    result = triage([message(asks=False)], Relationship(days_since_human_contact=75), now=T0)
    assert result.priority == Priority.NORMAL
    assert "no human contact for 75 days" in result.reasons


def test_an_owners_rule_routes_and_sets_the_deadline():
    rule = EscalationRule(
        "money or legal + threat to leave → the owner",
        all_of=frozenset({"threat_to_leave"}),
        any_of=frozenset({"money", "legal"}),
        route_to="owner",
        within=dt.timedelta(hours=2),
    )
    hit = triage(
        [message(needs_human=True, reasons=("money", "threat_to_leave"))], now=T0, rules=[rule]
    )
    assert (hit.route_to, hit.respond_within, hit.rule) == (
        "owner",
        dt.timedelta(hours=2),
        rule.name,
    )
    assert hit.reasons[0] == "rule “money or legal + threat to leave → the owner”"
    miss = triage([message(needs_human=True, reasons=("money",))], now=T0, rules=[rule])
    assert miss.rule is None and miss.route_to is None


def test_a_rule_for_key_accounts_only_skips_others():
    rule = EscalationRule("key accounts first", key_account=True, priority=Priority.URGENT)
    assert triage([message()], Relationship(key_account=True), now=T0, rules=[rule]).priority == (
        Priority.URGENT
    )
    assert triage([message()], Relationship(), now=T0, rules=[rule]).rule is None


readings = st.builds(
    MessageReading,
    st.integers(0, 10_000).map(lambda m: T0 + dt.timedelta(minutes=m)),
    st.booleans(),
    st.booleans(),
    st.lists(st.sampled_from([*REASONS, "asks_for_person"]), max_size=3).map(tuple),
    st.none() | st.floats(-1, 1),
)


@given(st.lists(readings, min_size=1, max_size=8), st.booleans(), st.integers(0, 200))
def test_every_triage_says_why_and_more_messages_never_lower_the_priority(
    messages, key_account, quiet
):
    relationship = Relationship(key_account=key_account, days_since_human_contact=quiet)
    now = T0 + dt.timedelta(days=8)
    whole = triage(messages, relationship, now=now, waiting_since=now)
    assert whole.reasons and all(isinstance(r, str) and r for r in whole.reasons)
    # Reading the whole conversation never gives less than reading one of its messages:
    # more messages can only add reasons.
    for one in messages:
        alone = triage([one], relationship, now=now, waiting_since=now)
        assert whole.priority >= alone.priority
