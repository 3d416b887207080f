"""Handing a conversation from the automation to a person: the rules, as plain data.

A conversation is in one of six states::

    new ──(automatic answer)──▶ answered automatically
     │                                │
     └──────(hand off)────────────────┴──▶ waiting for a person ──(assign)──▶ assigned
                                                                              │    ▲
                                                              (a person replies)   (the customer writes)
                                                                              ▼    │
                                                                             replied
    any open state ──(resolve)──▶ resolved ──(the customer writes)──▶ assigned to the last
                                                                     person (or waiting)

and these rules hold whatever happens, in any order (``tests/test_handoff.py`` drives random
sequences of events through :func:`step` and checks them after every one):

- **one owner at a time**: a conversation has an owner exactly when it is assigned or replied;
- **a handoff reaches a person**: handing off leaves the conversation assigned (to the
  relationship's owner, when it has one) or waiting for a person, and the customer is told
  so in plain words; a conversation waiting too long is :func:`overdue`;
- **the automation never speaks over a person**: once a conversation has been handed off or a
  person has touched it, an automatic answer is refused, for the rest of its life;
- **reopening goes back to the last person**: when the customer writes to a resolved
  conversation it returns to whoever last owned it, with no new handoff and no automatic
  answer; only when that person is no longer available does it wait for someone else.

The inbox app keeps a :class:`Conversation` per thread and applies events through
:func:`step`; nothing here knows about Django. Members are opaque ids (the app's membership
ids).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    ANSWERED_AUTOMATICALLY = "answered_automatically"
    WAITING = "waiting"
    ASSIGNED = "assigned"
    REPLIED = "replied"
    RESOLVED = "resolved"


OWNED = frozenset({Status.ASSIGNED, Status.REPLIED})


@dataclass(frozen=True, slots=True)
class Conversation:
    """Where a conversation stands. ``owner`` is set exactly in the owned states;
    ``last_owner`` outlives resolution, so a reopened conversation finds its way back;
    ``automation_stopped`` is set for good by a handoff or a person's touch."""

    status: Status = Status.NEW
    owner: str | None = None
    last_owner: str | None = None
    automation_stopped: bool = False
    waiting_since: dt.datetime | None = None


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerWrote:
    """A message from the customer. ``needs_person``: they asked for a person, or the
    message is not routine (it needs a human, is upset, is not answered by the knowledge
    base); the app decides from the text's reading and says why in ``reason``. Such a
    message hands a conversation the automation still holds to a person (``to``: the
    relationship's owner, as for :class:`HandOff`)."""

    at: dt.datetime
    needs_person: bool = False
    reason: str = ""
    to: str | None = None


@dataclass(frozen=True, slots=True)
class AnsweredAutomatically:
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class HandOff:
    """Hand the conversation to a person, for ``reason`` (plain words, shown to the member).
    ``to``: the relationship's owner when there is one on duty; otherwise it waits."""

    at: dt.datetime
    reason: str
    to: str | None = None


@dataclass(frozen=True, slots=True)
class Assign:
    at: dt.datetime
    member: str


@dataclass(frozen=True, slots=True)
class PersonReplied:
    """A member replied to the customer. A member who replies takes the conversation: there
    is one owner at a time."""

    at: dt.datetime
    member: str


@dataclass(frozen=True, slots=True)
class Resolve:
    at: dt.datetime
    member: str | None = None


@dataclass(frozen=True, slots=True)
class Release:
    """The owner gives the conversation back, is away or is no longer a member: it waits for
    another person."""

    at: dt.datetime
    member: str


Event = CustomerWrote | AnsweredAutomatically | HandOff | Assign | PersonReplied | Resolve | Release


@dataclass(frozen=True, slots=True)
class Outcome:
    """The conversation after an event. ``tell_customer``: what the customer must be told
    now, in plain words (None when nothing). ``refused``: why the event was not applied (the
    conversation is then unchanged)."""

    conversation: Conversation
    tell_customer: str | None = None
    refused: str | None = None
    handed_off: bool = False
    reopened: bool = False


HANDOFF_MESSAGE = (
    "Thank you. This needs a person, so I have passed your message to {business}; "
    "someone will reply to you here. I will not send automatic answers in this conversation."
)
HANDOFF_MESSAGE_NAMED = (
    "Thank you. This needs a person, so I have passed your message to {name} at {business}, "
    "who will reply to you here. I will not send automatic answers in this conversation."
)


def step(
    conversation: Conversation,
    event: Event,
    *,
    available: Callable[[str], bool] = lambda member: True,
    business: str = "the team",
    name_of: Callable[[str], str] | None = None,
) -> Outcome:
    """Apply ``event`` to ``conversation``.

    ``available(member)``: whether a member can take conversations now (still a member, on
    duty); it decides where a reopened conversation or a handoff to the relationship owner
    goes. ``business`` and ``name_of(member)`` fill the message that tells the customer a
    person will reply.

    >>> t = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    >>> c = step(Conversation(), AnsweredAutomatically(t)).conversation
    >>> c = step(c, CustomerWrote(t, needs_person=True, reason="asks for a person")).conversation
    >>> c.status, step(c, AnsweredAutomatically(t)).refused
    (<Status.WAITING: 'waiting'>, 'a person has taken over this conversation')
    """
    c = conversation
    if isinstance(event, CustomerWrote):
        if c.status == Status.RESOLVED:
            return _reopen(c, event.at, available)
        if c.status == Status.REPLIED:
            return Outcome(replace(c, status=Status.ASSIGNED))
        if event.needs_person and c.status in (Status.NEW, Status.ANSWERED_AUTOMATICALLY):
            handoff = HandOff(event.at, event.reason or "needs a person", to=event.to)
            return step(c, handoff, available=available, business=business, name_of=name_of)
        return Outcome(c)

    if isinstance(event, AnsweredAutomatically):
        if c.automation_stopped:
            return Outcome(c, refused="a person has taken over this conversation")
        if c.status not in (Status.NEW, Status.ANSWERED_AUTOMATICALLY):
            return Outcome(c, refused=f"the conversation is {c.status.value.replace('_', ' ')}")
        return Outcome(replace(c, status=Status.ANSWERED_AUTOMATICALLY))

    if isinstance(event, HandOff):
        if c.status not in (Status.NEW, Status.ANSWERED_AUTOMATICALLY):
            # Already with a person (or resolved): a second handoff would only loop.
            return Outcome(c, refused="already with a person")
        if event.to is not None and available(event.to):
            after = _owned(c, Status.ASSIGNED, event.to)
            who = name_of(event.to) if name_of else None
            told = (
                HANDOFF_MESSAGE_NAMED.format(name=who, business=business)
                if who
                else HANDOFF_MESSAGE.format(business=business)
            )
        else:
            after = _waiting(c, event.at)
            told = HANDOFF_MESSAGE.format(business=business)
        return Outcome(after, tell_customer=told, handed_off=True)

    if isinstance(event, Assign):
        if c.status == Status.RESOLVED:
            return Outcome(c, refused="the conversation is resolved")
        if not available(event.member):
            return Outcome(c, refused="that member cannot take conversations now")
        status = Status.REPLIED if c.status == Status.REPLIED else Status.ASSIGNED
        return Outcome(_owned(c, status, event.member))

    if isinstance(event, PersonReplied):
        return Outcome(
            _owned(c, Status.REPLIED, event.member), reopened=c.status == Status.RESOLVED
        )

    if isinstance(event, Resolve):
        if c.status == Status.RESOLVED:
            return Outcome(c, refused="already resolved")
        return Outcome(replace(c, status=Status.RESOLVED, owner=None, waiting_since=None))

    if isinstance(event, Release):
        if c.owner != event.member:
            return Outcome(c, refused="not the owner")
        return Outcome(_waiting(replace(c, owner=None), event.at))

    raise TypeError(f"not a handoff event: {event!r}")


def overdue(conversation: Conversation, now: dt.datetime, limit: dt.timedelta) -> bool:
    """Whether the conversation has waited for a person longer than ``limit``: the app
    raises an alert then, so no conversation stays unassigned unnoticed."""
    return (
        conversation.status == Status.WAITING
        and conversation.waiting_since is not None
        and now - conversation.waiting_since > limit
    )


def _owned(c: Conversation, status: Status, member: str) -> Conversation:
    return replace(
        c,
        status=status,
        owner=member,
        last_owner=member,
        automation_stopped=True,
        waiting_since=None,
    )


def _waiting(c: Conversation, at: dt.datetime) -> Conversation:
    return replace(
        c,
        status=Status.WAITING,
        owner=None,
        automation_stopped=True,
        waiting_since=c.waiting_since if c.status == Status.WAITING else at,
    )


def _reopen(c: Conversation, at: dt.datetime, available: Callable[[str], bool]) -> Outcome:
    """Back to the last person when they can take it; otherwise waiting, never a new
    handoff (the customer was already told a person would reply)."""
    if not c.automation_stopped:
        # Resolved by the automation alone: a new message starts over.
        return Outcome(replace(c, status=Status.NEW), reopened=True)
    if c.last_owner is not None and available(c.last_owner):
        return Outcome(_owned(c, Status.ASSIGNED, c.last_owner), reopened=True)
    return Outcome(_waiting(c, at), reopened=True)
