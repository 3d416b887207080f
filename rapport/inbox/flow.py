"""The stored conversation moved through ``rapport.engine.handoff``'s state machine.

Every change of state goes through :func:`apply`: it reads the row into the engine's
``Conversation``, steps it, writes the result back, logs what happened and, when the engine
says the customer must be told something (a handoff), posts that message to them. Nothing
else writes ``status``, ``owner``, ``last_owner``, ``automation_stopped`` or
``waiting_since``, so the rules the engine's tests prove hold for the inbox too.
"""

from __future__ import annotations

import datetime as dt

from rapport.engine import handoff
from rapport.inbox.choices import Author, EventKind, Status
from rapport.inbox.delivery import post_to_customer
from rapport.inbox.models import Conversation, ConversationEvent, Message
from rapport.inbox.routing import Availability


def engine_state(c: Conversation) -> handoff.Conversation:
    return handoff.Conversation(
        status=handoff.Status(c.status),
        owner=str(c.owner_id) if c.owner_id else None,
        last_owner=str(c.last_owner_id) if c.last_owner_id else None,
        automation_stopped=c.automation_stopped,
        waiting_since=c.waiting_since,
    )


def apply(
    c: Conversation,
    event: handoff.Event,
    who: Availability,
    *,
    actor=None,
    detail: str = "",
) -> handoff.Outcome:
    """Apply ``event`` to ``c`` and save it (the caller holds the transaction)."""
    before = c.status, c.owner_id
    outcome = handoff.step(
        engine_state(c),
        event,
        available=who.as_engine(),
        business=c.workspace.name,
        name_of=who.name_of,
    )
    at = event.at
    if outcome.refused:
        if isinstance(event, handoff.AnsweredAutomatically):
            log(c, EventKind.REFUSED, at, detail=outcome.refused)
        return outcome
    after = outcome.conversation
    c.status = after.status.value
    c.owner_id = int(after.owner) if after.owner else None
    c.last_owner_id = int(after.last_owner) if after.last_owner else None
    c.automation_stopped = after.automation_stopped
    c.waiting_since = after.waiting_since
    if c.status == Status.RESOLVED and before[0] != Status.RESOLVED:
        c.resolved_at = at
    elif c.status != Status.RESOLVED:
        c.resolved_at = None
    c.save()
    if outcome.reopened:
        log(c, EventKind.REOPENED, at, actor=actor, member=c.owner)
    if outcome.handed_off:
        c.handoff_reason = getattr(event, "reason", "")[:200]
        c.save(update_fields=["handoff_reason"])
        log(c, EventKind.HANDED_OFF, at, actor=actor, detail=c.handoff_reason)
    if c.owner_id and c.owner_id != before[1]:
        who.took(c.owner_id, at)
        log(c, EventKind.ASSIGNED, at, actor=actor, member_id=c.owner_id, detail=detail)
    elif before[1] and not c.owner_id and c.status == Status.WAITING:
        log(c, EventKind.RELEASED, at, actor=actor, member_id=before[1], detail=detail)
    if c.status == Status.RESOLVED and before[0] != Status.RESOLVED:
        log(c, EventKind.RESOLVED, at, actor=actor)
    if outcome.tell_customer:
        post_to_customer(c, outcome.tell_customer, author=Author.SYSTEM, at=at)
    return outcome


def log(
    c: Conversation,
    kind: str,
    at: dt.datetime,
    *,
    actor=None,
    member=None,
    member_id: int | None = None,
    detail: str = "",
) -> ConversationEvent:
    return ConversationEvent.objects.create(
        workspace_id=c.workspace_id,
        conversation=c,
        kind=kind,
        at=at,
        actor=actor,
        member_id=member_id if member_id is not None else (member.pk if member else None),
        detail=detail[:300],
    )


def customer_messages(c: Conversation):
    return Message.objects.filter(conversation=c, author=Author.CUSTOMER)
