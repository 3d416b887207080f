"""Who takes a conversation: availability, the relationship's owner, round-robin.

A member is *available* when they are still a member of the business with a role of staff or
above, on duty, and not away (``Duty.away_until`` in the future). Round-robin gives the next
conversation to the available member with room (under their capacity) who received one least
recently; a member who is away hands their new conversations to ``Duty.covered_by``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property

from django.db.models import Count
from django.utils import timezone

from rapport.accounts.choices import Role
from rapport.accounts.models import Membership, Workspace
from rapport.engine import sla
from rapport.inbox.choices import OPEN_STATUSES
from rapport.inbox.models import Conversation, Duty, InboxSettings

TAKERS = (Role.OWNER, Role.MANAGER, Role.STAFF)


def inbox_settings(workspace: Workspace) -> InboxSettings:
    found, _ = InboxSettings.objects.get_or_create(workspace=workspace)
    return found


def business_hours(
    workspace: Workspace, settings: InboxSettings | None = None
) -> sla.BusinessHours:
    """The business's opening hours as the engine's clock; hours that cannot be read count
    as always open (a clock that never runs would hide every breach)."""
    settings = settings or inbox_settings(workspace)
    try:
        spans = {
            int(day): tuple(
                (dt.time.fromisoformat(start), dt.time.fromisoformat(end)) for start, end in pairs
            )
            for day, pairs in (settings.hours or {}).items()
            if pairs
        }
        holidays = frozenset(dt.date.fromisoformat(d) for d in settings.holidays or ())
        if not spans:
            return sla.BusinessHours.always()
        return sla.BusinessHours(spans, workspace.zone, holidays)
    except (TypeError, ValueError):
        return sla.BusinessHours.always()


def duty_of(membership: Membership) -> Duty:
    found, _ = Duty.objects.get_or_create(
        membership=membership, defaults={"workspace_id": membership.workspace_id}
    )
    return found


def takers(workspace: Workspace):
    """Members who may take conversations at all (whatever their duty)."""
    return Membership.objects.filter(
        workspace=workspace, removed_at__isnull=True, role__in=TAKERS, user__is_active=True
    )


class Availability:
    """Who can take conversations now, read once for a batch of decisions, and only when a
    decision needs it (a customer's message that reopens nothing asks nobody)."""

    def __init__(self, workspace: Workspace, *, now: dt.datetime | None = None):
        self.workspace = workspace
        self.now = now or timezone.now()

    @cached_property
    def _members(self) -> dict:
        today = self.now.astimezone(self.workspace.zone).date()
        members = list(takers(self.workspace).select_related("user"))
        duties = {d.membership_id: d for d in Duty.objects.filter(workspace=self.workspace)}
        read = {"names": {}, "available": set(), "capacity": {}, "last": {}, "cover": {}}
        for m in members:
            read["names"][m.pk] = m.user.name or m.user.email
            duty = duties.get(m.pk)
            away = duty is not None and duty.away_until is not None and duty.away_until >= today
            on = duty is None or duty.on_duty
            if on and not away:
                read["available"].add(m.pk)
            elif away and duty.covered_by_id:
                read["cover"][m.pk] = duty.covered_by_id
            read["capacity"][m.pk] = duty.capacity if duty else 15
            read["last"][m.pk] = duty.last_assigned_at if duty else None
        return read

    @property
    def names(self) -> dict[int, str]:
        return self._members["names"]

    @property
    def available(self) -> set[int]:
        return self._members["available"]

    @property
    def capacity(self) -> dict[int, int]:
        return self._members["capacity"]

    @property
    def last(self) -> dict[int, dt.datetime | None]:
        return self._members["last"]

    @property
    def cover(self) -> dict[int, int]:
        return self._members["cover"]

    @cached_property
    def load(self) -> dict[int, int]:
        """Open conversations each member holds."""
        return dict(
            Conversation.objects.filter(
                workspace=self.workspace, owner__isnull=False, status__in=OPEN_STATUSES
            )
            .values_list("owner_id")
            .annotate(n=Count("id"))
            .values_list("owner_id", "n")
        )

    def is_available(self, member_id: int | str | None) -> bool:
        return member_id is not None and int(member_id) in self.available

    def as_engine(self) -> Callable[[str], bool]:
        return lambda member: self.is_available(member)

    def name_of(self, member_id: int | str) -> str:
        return self.names.get(int(member_id), "")

    def stand_in(self, member_id: int | None) -> int | None:
        """``member_id`` when available, else whoever covers for them while they are away."""
        if member_id is None:
            return None
        if self.is_available(member_id):
            return int(member_id)
        cover = self.cover.get(int(member_id))
        return cover if self.is_available(cover) else None

    def has_room(self, member_id: int) -> bool:
        cap = self.capacity.get(member_id, 15)
        return cap == 0 or self.load.get(member_id, 0) < cap

    def next_in_turn(self) -> int | None:
        """Round-robin: the available member with room who got a conversation least recently."""
        candidates = [m for m in self.available if self.has_room(m)]
        if not candidates:
            return None
        epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
        return min(candidates, key=lambda m: (self.last.get(m) or epoch, m))

    def took(self, member_id: int, at: dt.datetime) -> None:
        """Record that ``member_id`` received a conversation (load and turn)."""
        self.load[member_id] = self.load.get(member_id, 0) + 1
        self.last[member_id] = at
        Duty.objects.update_or_create(
            membership_id=member_id,
            defaults={"workspace_id": self.workspace.pk, "last_assigned_at": at},
        )
