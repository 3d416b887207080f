"""What members do in the inbox: take, assign, give back, reply, note, resolve; and what
happens when a member leaves. Views, the API, the CLI and the demo call these; each change of
state goes through ``flow.apply`` (the handoff state machine) and is audited.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership
from rapport.engine import handoff
from rapport.inbox import flow, surveys
from rapport.inbox.automation import assign_in_turn, route
from rapport.inbox.choices import Author, Status
from rapport.inbox.clocks import start_clocks
from rapport.inbox.delivery import post_to_customer
from rapport.inbox.models import Conversation, Message
from rapport.inbox.routing import Availability

MAX_REPLY = 20_000


class InboxError(Exception):
    """A request the inbox cannot take; the message says why, in plain words."""


def _refused(outcome: handoff.Outcome) -> None:
    if outcome.refused:
        raise InboxError(outcome.refused[0].upper() + outcome.refused[1:] + ".")


def _locked(c: Conversation) -> Conversation:
    # of=("self",): PostgreSQL cannot lock the nullable side of the join to person.
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("workspace", "person")
        .get(pk=c.pk)
    )


def assign(
    c: Conversation,
    member: Membership,
    *,
    actor: Membership,
    via: str = "web",
    at: dt.datetime | None = None,
) -> Conversation:
    """Give the conversation to ``member`` (a member may take one for themselves). ``at``:
    when (default now; the demo plays its stories in the past)."""
    now = at or timezone.now()
    with transaction.atomic():
        c = _locked(c)
        if member.workspace_id != c.workspace_id:
            raise InboxError("That member is not in this business.")
        who = Availability(c.workspace, now=now)
        _refused(flow.apply(c, handoff.Assign(now, str(member.pk)), who, actor=actor))
        if c.response_id:
            surveys.assign_response(c)
        record_audit(
            c.workspace,
            AuditAction.UPDATE,
            c,
            actor=actor.user,
            via=via,
            changes={"owner": [None, str(member)]},
        )
    return c


def release(c: Conversation, *, actor: Membership, via: str = "web") -> Conversation:
    """The owner gives the conversation back: it waits for the next person in turn."""
    now = timezone.now()
    with transaction.atomic():
        c = _locked(c)
        if c.owner_id is None:
            raise InboxError("Nobody holds this conversation.")
        who = Availability(c.workspace, now=now)
        owner = c.owner_id
        if owner != actor.pk and not actor.can_manage:
            raise InboxError("Only its owner or a manager can give it back.")
        who.available.discard(owner)  # not straight back to the same person
        _refused(flow.apply(c, handoff.Release(now, str(owner)), who, actor=actor))
        assign_in_turn(c, who, now)
        start_clocks(c)
        if c.response_id:
            surveys.assign_response(c)
        record_audit(
            c.workspace,
            AuditAction.UPDATE,
            c,
            actor=actor.user,
            via=via,
            changes={"owner": ["given back", ""]},
        )
    return c


def reply(
    c: Conversation,
    text: str,
    *,
    actor: Membership,
    via: str = "web",
    at: dt.datetime | None = None,
) -> Message:
    """A member's reply to the customer: it goes out on the conversation's channel and is a
    human touch on the person's timeline. The member who replies holds the conversation."""
    if c.response_id:
        raise InboxError(surveys.REPLY_ELSEWHERE)
    text = (text or "").strip()
    if not text:
        raise InboxError("Write a reply first.")
    if len(text) > MAX_REPLY:
        raise InboxError(f"A reply can be at most {MAX_REPLY:,} characters.")
    now = at or timezone.now()
    with transaction.atomic():
        c = _locked(c)
        who = Availability(c.workspace, now=now)
        _refused(flow.apply(c, handoff.PersonReplied(now, str(actor.pk)), who, actor=actor))
        message = post_to_customer(c, text, author=Author.MEMBER, at=now, member=actor)
        c.first_replied_at = c.first_replied_at or now
        c.awaiting_since = None
        c.save(update_fields=["first_replied_at", "awaiting_since"])
        start_clocks(c)
        record_audit(
            c.workspace,
            AuditAction.CREATE,
            message,
            actor=actor.user,
            via=via,
            object_type="reply",
            object_repr=f"reply in {c}",
        )
    return message


def note(c: Conversation, text: str, *, actor: Membership) -> Message:
    """An internal note: seen by members only, never sent."""
    text = (text or "").strip()
    if not text:
        raise InboxError("Write the note first.")
    return Message.objects.create(
        workspace_id=c.workspace_id,
        conversation=c,
        author=Author.NOTE,
        member=actor,
        body=text[:MAX_REPLY],
    )


def resolve(
    c: Conversation, *, actor: Membership, via: str = "web", at: dt.datetime | None = None
) -> Conversation:
    now = at or timezone.now()
    with transaction.atomic():
        c = _locked(c)
        who = Availability(c.workspace, now=now)
        _refused(flow.apply(c, handoff.Resolve(now, str(actor.pk)), who, actor=actor))
        if c.response_id:
            try:
                surveys.resolve_response(c, actor=actor)
            except ValueError as error:
                raise InboxError(str(error)) from None
        c.awaiting_since = None
        c.save(update_fields=["awaiting_since"])
        start_clocks(c)
        record_audit(
            c.workspace,
            AuditAction.UPDATE,
            c,
            actor=actor.user,
            via=via,
            changes={"status": ["open", "resolved"]},
        )
    return c


def hand_to_person(c: Conversation, reason: str, *, at: dt.datetime | None = None) -> None:
    """The customer asked for a person (the widget's button): hand off at once, without
    waiting for the message to be read."""
    at = at or timezone.now()
    with transaction.atomic():
        c = _locked(c)
        c.asked_for_person = True
        c.save(update_fields=["asked_for_person"])
        who = Availability(c.workspace, now=at)
        target = route(c, None, who)
        flow.apply(c, handoff.HandOff(at, reason, to=str(target) if target else None), who)
        start_clocks(c)


def member_left(membership: Membership) -> int:
    """A removed member's open conversations go back to waiting and on to the next in turn."""
    now = timezone.now()
    moved = 0
    for c in Conversation.objects.filter(owner=membership).exclude(status=Status.RESOLVED):
        with transaction.atomic():
            c = _locked(c)
            who = Availability(c.workspace, now=now)
            flow.apply(
                c, handoff.Release(now, str(membership.pk)), who, detail="no longer a member"
            )
            assign_in_turn(c, who, now)
            start_clocks(c)
            if c.response_id:
                surveys.assign_response(c)
        moved += 1
    return moved


def link_person(c: Conversation, person, *, actor: Membership, via: str = "web") -> Conversation:
    """A website visitor turns out to be ``person``: the conversation is theirs from now on
    (its earlier messages keep their text here; replies from now on are on their timeline)."""
    with transaction.atomic():
        c = _locked(c)
        if person.workspace_id != c.workspace_id:
            raise InboxError("That person is not in this business.")
        if c.person_id is not None:
            raise InboxError("This conversation is already linked to a person.")
        c.person = person
        c.save(update_fields=["person"])
        record_audit(
            c.workspace,
            AuditAction.UPDATE,
            c,
            actor=actor.user,
            via=via,
            changes={"person": [None, person.name]},
        )
    return c
