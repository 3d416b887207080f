"""How urgently a conversation needs a person, and why, in an owner's words.

:func:`triage` reads the whole conversation — every message the customer sent, not only
the first — with what the business knows of the relationship and how long the customer has
waited, and gives a :class:`Priority` (urgent, high, normal, low) with its reasons. A
business's own :class:`EscalationRule` s ("money or legal + threat to leave → the owner,
within 2 business hours") come on top: the first that applies raises the priority, names who
should answer and by when.

The levels, from the readings of ``rapport.engine.text`` (``needs_human`` and its reason
codes, sentiment):

- **urgent**: a message that needs a person mentions a safety risk, an illness, an injury
  or an allergy; or a legal matter together with a threat to leave;
- **high**: a message that needs a person is about money, a legal matter, a threat to leave,
  distress, or asks for a person; or the sentiment fell clearly across the conversation and
  ends negative;
- **normal**: someone asked something or a message needs a person for another reason;
- **low**: nothing asked — a thank-you, a delivery note, a receipt.

Then the relationship and the wait: a key account, or a wait longer than ``long_wait``
(default 24 hours) for a conversation that asks something, raises normal to high. A long
silence from the business (no human contact for ``quiet_days``, default 60) is given as a
reason and raises low to normal. Nothing here lowers a level a message earned.

No Django here; the inbox app turns its rows into these inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from rapport.engine.text.needs_human import DIRECT_LABELS, LABELS


class Priority(IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3

    @property
    def label(self) -> str:
        return self.name.lower()


URGENT_CODES = frozenset({"fear_or_safety", "health"})
HIGH_CODES = frozenset({"money", "legal", "threat_to_leave", "distress", "asks_for_person"})

# What each reason code means, in a sentence about a conversation: needs_human's own labels.
WORDS: dict[str, str] = {
    code: label[0].lower() + label[1:] for code, label in {**LABELS, **DIRECT_LABELS}.items()
}

# How soon a person should answer, by priority, in business hours, when no rule says.
RESPOND_WITHIN: dict[Priority, dt.timedelta] = {
    Priority.URGENT: dt.timedelta(hours=1),
    Priority.HIGH: dt.timedelta(hours=4),
    Priority.NORMAL: dt.timedelta(hours=8),
    Priority.LOW: dt.timedelta(hours=24),
}

# A fall in sentiment across the conversation that counts, on the [-1, 1] scale.
SENTIMENT_FALL = 0.5


@dataclass(frozen=True, slots=True)
class MessageReading:
    """One message from the customer, as read (``rapport.engine.text.analyze``).

    ``asks``: it asks something or states a problem (``needs_human.asks_something``);
    ``reasons``: the reason codes of its need for a person (empty when it needs none)."""

    at: dt.datetime
    asks: bool = True
    needs_human: bool = False
    reasons: tuple[str, ...] = ()
    sentiment: float | None = None


@dataclass(frozen=True, slots=True)
class Relationship:
    """What the business knows of the person: their group, whether they are a key account,
    how long since a person of the business was last in touch (None: never, or unknown) and
    how many other items of theirs are open."""

    group: str = "customer"
    key_account: bool = False
    days_since_human_contact: int | None = None
    open_items: int = 0


@dataclass(frozen=True, slots=True)
class EscalationRule:
    """A business's own rule. It applies when the conversation's reason codes include every
    code of ``all_of`` and at least one of ``any_of`` (when given), and the relationship is
    in ``groups`` (when given) and a key account (when ``key_account`` is True). Then the
    conversation is at least ``priority``, goes to ``route_to`` (``"owner"``: the business's
    owners; ``"relationship_owner"``; or a member id) and should be answered ``within``."""

    name: str
    all_of: frozenset[str] = frozenset()
    any_of: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    key_account: bool = False
    priority: Priority = Priority.HIGH
    route_to: str = "owner"
    within: dt.timedelta | None = None

    def applies(self, codes: frozenset[str], relationship: Relationship) -> bool:
        return (
            self.all_of <= codes
            and (not self.any_of or bool(self.any_of & codes))
            and (not self.groups or relationship.group in self.groups)
            and (not self.key_account or relationship.key_account)
        )


@dataclass(frozen=True, slots=True)
class Triage:
    """The priority, its reasons in plain words (the strongest first), who should answer
    (``route_to``: None for the usual assignment) and how soon (business hours), and the rule
    that applied, if any."""

    priority: Priority
    reasons: tuple[str, ...]
    route_to: str | None
    respond_within: dt.timedelta
    rule: str | None = None


def triage(
    messages: Sequence[MessageReading],
    relationship: Relationship | None = None,
    *,
    now: dt.datetime,
    rules: Sequence[EscalationRule] = (),
    long_wait: dt.timedelta = dt.timedelta(hours=24),
    quiet_days: int = 60,
    waiting_since: dt.datetime | None = None,
) -> Triage:
    """The triage of a conversation from its customer messages (any order).

    The wait runs from ``waiting_since`` (when the customer started waiting for a reply; the
    app knows whether someone answered since) or else from the last message.

    >>> t = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    >>> triage([MessageReading(t, needs_human=True, reasons=("money", "threat_to_leave"))],
    ...        now=t).priority.label
    'high'
    """
    relationship = relationship or Relationship()
    messages = sorted(messages, key=lambda m: m.at)
    reasons: list[str] = []
    flagged = [m for m in messages if m.needs_human]
    codes = frozenset(code for m in flagged for code in m.reasons)
    asks = any(m.asks for m in messages)

    level = Priority.LOW
    for code in sorted(codes, key=_strength):
        reasons.append(_code_words(code, messages))
    if codes & URGENT_CODES or {"legal", "threat_to_leave"} <= codes:
        level = Priority.URGENT
    elif codes & HIGH_CODES:
        level = Priority.HIGH
    elif flagged or asks:
        level = Priority.NORMAL

    fall = _sentiment_fall(messages)
    if fall is not None:
        first, last = fall
        reasons.append(
            f"sentiment fell from {first:+.1f} to {last:+.1f} across {len(messages)} messages"
        )
        level = max(level, Priority.HIGH)

    if relationship.key_account:
        reasons.append("a key account")
        if level == Priority.NORMAL:
            level = Priority.HIGH
    start = waiting_since or (messages[-1].at if messages else None)
    waited = now - start if start is not None else None
    if waited is not None and waited > long_wait and (asks or flagged):
        reasons.append(f"waiting {_duration(waited)}")
        if level == Priority.NORMAL:
            level = Priority.HIGH
    quiet = relationship.days_since_human_contact
    if quiet is not None and quiet >= quiet_days:
        reasons.append(f"no human contact for {quiet} days")
        level = max(level, Priority.NORMAL)
    if relationship.open_items:
        n = relationship.open_items
        reasons.append(f"{n} other open item{'s' if n != 1 else ''}")
    if not reasons:
        reasons.append("asks something" if asks else "nothing asked")

    route_to, within, applied = None, RESPOND_WITHIN[level], None
    for rule in rules:
        if rule.applies(codes, relationship):
            applied = rule.name
            level = max(level, rule.priority)
            route_to = rule.route_to
            within = rule.within if rule.within is not None else RESPOND_WITHIN[level]
            reasons.insert(0, f"rule “{rule.name}”")
            break
    return Triage(level, tuple(reasons), route_to, within, applied)


def _strength(code: str) -> tuple[int, str]:
    if code in URGENT_CODES:
        return (0, code)
    if code in HIGH_CODES:
        return (1, code)
    return (2, code)


def _code_words(code: str, messages: Sequence[MessageReading]) -> str:
    words = WORDS.get(code, code.replace("_", " "))
    where = [i for i, m in enumerate(messages, 1) if m.needs_human and code in m.reasons]
    if len(messages) > 1 and where:
        which = ", ".join(str(i) for i in where)
        return f"{words} (message{'s' if len(where) > 1 else ''} {which} of {len(messages)})"
    return words


def _sentiment_fall(messages: Sequence[MessageReading]) -> tuple[float, float] | None:
    """The first and last sentiment when it fell by SENTIMENT_FALL or more and ends
    negative."""
    scores = [m.sentiment for m in messages if m.sentiment is not None]
    if len(scores) < 2:
        return None
    first, last = scores[0], scores[-1]
    if first - last >= SENTIMENT_FALL and last < 0:
        return first, last
    return None


def _duration(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 48:
        return f"{hours:.0f} hours"
    return f"{hours / 24:.0f} days"
