"""Members' duty: on duty or off, how many conversations at once, away until when and who
covers. A member edits their own; managers and owners edit everyone's.

When a member goes away with someone covering, :func:`hand_over` moves their open
conversations to the cover, each through ``flow.apply`` (the handoff state machine) in its
own transaction, so the customer's clock and the one-owner rule hold as for any assignment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from rapport.accounts.audit import diff_fields, record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership
from rapport.engine import handoff
from rapport.inbox import flow
from rapport.inbox.choices import OPEN_STATUSES
from rapport.inbox.models import Conversation, Duty
from rapport.inbox.routing import Availability, duty_of, takers

MAX_CAPACITY = 500


class DutyError(Exception):
    """The change cannot be made; the message says why, in plain words."""


@dataclass(frozen=True)
class DutyChange:
    on_duty: bool
    capacity: int
    away_until: dt.date | None
    covered_by: Membership | None


def may_edit(actor: Membership, member: Membership) -> bool:
    return actor.pk == member.pk or actor.can_manage


def read_duty(member: Membership, data) -> DutyChange:
    """The duty form of one member: ``on_duty``, ``capacity``, ``away_until``,
    ``covered_by`` (a membership id). Raises DutyError naming the member and field."""
    name = _name(member)
    text = (data.get("capacity") or "").strip()
    if not text.isdigit() or int(text) > MAX_CAPACITY:
        raise DutyError(
            f"{name}, capacity: “{text[:20]}” is not a number from 0 (no limit) to {MAX_CAPACITY}."
        )
    away_text = (data.get("away_until") or "").strip()
    try:
        away = dt.date.fromisoformat(away_text) if away_text else None
    except ValueError:
        raise DutyError(f"{name}, away until: “{away_text[:20]}” is not a date.") from None
    cover_text = (data.get("covered_by") or "").strip()
    cover = None
    if cover_text:
        cover = (
            takers(member.workspace).filter(pk=cover_text).first() if cover_text.isdigit() else None
        )
        if cover is None:
            raise DutyError(f"{name}, covered by: choose a member of this business.")
        if cover.pk == member.pk:
            raise DutyError(f"{name}, covered by: someone else must cover, not {name}.")
    return DutyChange(bool(data.get("on_duty")), int(text), away, cover)


def set_duty(member: Membership, change: DutyChange, *, actor: Membership) -> int:
    """Save ``member``'s duty; when they are now away with a cover, hand their open
    conversations over. Returns how many conversations moved."""
    if not may_edit(actor, member):
        raise DutyError("Only managers can change another member's duty.")
    if member.workspace_id != actor.workspace_id:
        raise DutyError("That member is not in this business.")
    with transaction.atomic():
        duty = Duty.objects.select_for_update().get(pk=duty_of(member).pk)
        before = _fields(duty)
        duty.on_duty = change.on_duty
        duty.capacity = change.capacity
        duty.away_until = change.away_until
        duty.covered_by = change.covered_by
        duty.save(update_fields=["on_duty", "capacity", "away_until", "covered_by"])
        diff = diff_fields(before, _fields(duty))
        if diff:
            record_audit(
                member.workspace,
                AuditAction.UPDATE,
                duty,
                actor=actor.user,
                changes=diff,
                object_repr=f"duty of {_name(member)}",
            )
    today = member.workspace.today()
    if change.covered_by and change.away_until and change.away_until >= today:
        return hand_over(member, change.covered_by, actor=actor)
    return 0


def _name(member: Membership) -> str:
    return member.user.name or member.user.email


def _fields(duty: Duty) -> dict:
    return {
        "on_duty": duty.on_duty,
        "capacity": duty.capacity,
        "away_until": duty.away_until.isoformat() if duty.away_until else None,
        "covered_by": str(duty.covered_by) if duty.covered_by_id else None,
    }


def hand_over(member: Membership, cover: Membership, *, actor: Membership) -> int:
    """Move ``member``'s open conversations to ``cover`` (who must be able to take them);
    returns how many moved. Raises DutyError when the cover cannot take conversations now."""
    now = timezone.now()
    if not Availability(member.workspace, now=now).is_available(cover.pk):
        raise DutyError(
            f"Saved, but {_name(cover)} is off duty or away, so "
            f"{_name(member)}'s conversations stay where they are."
        )
    moved = 0
    owned = Conversation.objects.filter(
        workspace_id=member.workspace_id, owner=member, status__in=OPEN_STATUSES
    )
    for pk in owned.values_list("pk", flat=True):
        with transaction.atomic():
            c = (
                # of=self: PostgreSQL cannot lock the nullable side (person) of the join.
                Conversation.objects.select_for_update(of=("self",))
                .select_related("workspace", "person")
                .get(pk=pk, workspace_id=member.workspace_id)
            )
            if c.owner_id != member.pk:
                continue  # someone took it meanwhile
            who = Availability(c.workspace, now=now)
            detail = f"covering for {_name(member)}"
            outcome = flow.apply(
                c, handoff.Assign(now, str(cover.pk)), who, actor=actor, detail=detail
            )
            if outcome.refused:
                continue
            record_audit(
                c.workspace,
                AuditAction.UPDATE,
                c,
                actor=actor.user,
                changes={"owner": [str(member), str(cover)]},
            )
        moved += 1
    return moved
