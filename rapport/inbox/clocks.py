"""Service levels: when a reply is due, warnings before, escalation after, and no
conversation left waiting unnoticed.

Clocks run in business time (``engine/sla.py``: they pause when the business is closed and
stay right across daylight-saving changes). The reply clock starts when the customer starts
waiting (``Conversation.awaiting_since``): the first reply's limit applies until someone has
replied once, then the next reply's; the resolution clock starts when the conversation opens.
A business rule's "within" (``EscalationRule.within_minutes``) shortens the reply limit.

:func:`tick`, run by the clock of ``rapport serve``, warns the owner of a conversation whose
reply is due within ``warn_before_minutes``, marks a breach and tells the managers, and raises
an alert for a conversation that has waited for a person longer than
``unassigned_alert_minutes`` (``engine.handoff.overdue``, measured in business time). A
conversation still open past its resolution time is marked and the managers are told too.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core import mail
from django.db import transaction
from django.utils import timezone

from rapport.accounts.choices import Role
from rapport.accounts.models import Workspace
from rapport.inbox.choices import AWAITING_US, OPEN_STATUSES, EventKind, Priority, Status
from rapport.inbox.models import DEFAULT_SLA, Conversation, ConversationEvent, InboxSettings
from rapport.inbox.routing import business_hours, inbox_settings, takers

log = logging.getLogger(__name__)

LEVEL = {p.value: p.label.lower() for p in Priority}


def limits(settings: InboxSettings, priority: int) -> dict[str, int]:
    """Business minutes for first reply, next reply and resolution at ``priority``."""
    level = LEVEL.get(priority, "normal")
    chosen = dict(DEFAULT_SLA[level])
    chosen.update({k: int(v) for k, v in (settings.sla or {}).get(level, {}).items() if v})
    return chosen


def start_clocks(c: Conversation, *, within_minutes: int | None = None) -> None:
    """Set ``reply_due`` and ``resolve_due`` from the conversation's priority and waits."""
    settings = inbox_settings(c.workspace)
    hours = business_hours(c.workspace, settings)
    chosen = limits(settings, c.priority)
    previous = c.reply_due
    if c.status in AWAITING_US and c.awaiting_since is not None:
        minutes = chosen["next"] if c.first_replied_at else chosen["first"]
        if within_minutes:
            minutes = min(minutes, within_minutes)
        c.reply_due = hours.add(c.awaiting_since, dt.timedelta(minutes=minutes))
    else:
        c.reply_due = None
    c.resolve_due = (
        hours.add(c.opened_at, dt.timedelta(minutes=chosen["resolve"])) if c.is_open else None
    )
    if c.reply_due != previous:  # a new wait: its own warning and breach
        c.warned_at = c.breached_at = None
    c.save(update_fields=["reply_due", "resolve_due", "warned_at", "breached_at"])


def tick(workspace: Workspace, *, now: dt.datetime | None = None) -> dict[str, int]:
    """Warnings, breaches (reply and resolution) and waiting alerts due now; returns how many
    of each."""
    now = now or timezone.now()
    settings = inbox_settings(workspace)
    hours = business_hours(workspace, settings)
    counts = {"warned": 0, "breached": 0, "resolve_breached": 0, "waiting": 0}
    open_ = Conversation.objects.filter(workspace=workspace, status__in=AWAITING_US)
    warn_by = now + dt.timedelta(minutes=settings.warn_before_minutes)
    due_soon = open_.filter(reply_due__lte=warn_by, reply_due__gt=now, warned_at__isnull=True)
    for c in due_soon.select_related("owner__user", "workspace"):
        with transaction.atomic():
            c.warned_at = now
            c.save(update_fields=["warned_at"])
            _event(c, EventKind.WARNED, now, f"reply due {c.reply_due:%Y-%m-%d %H:%M} UTC")
        due = c.reply_due.astimezone(workspace.zone)
        _tell(_owner_or_managers(c), f"A reply is due at {due:%H:%M}: {c}", c)
        counts["warned"] += 1
    for c in open_.filter(reply_due__lte=now, breached_at__isnull=True).select_related("person"):
        with transaction.atomic():
            c.breached_at = now
            c.sla_missed = True
            c.save(update_fields=["breached_at", "sla_missed"])
            _event(c, EventKind.BREACHED, now, "no reply within the agreed time")
            _event(c, EventKind.ESCALATED, now, "told the managers")
            c.escalated_at = now
            c.save(update_fields=["escalated_at"])
        _tell(_managers(workspace), f"A reply is overdue: {c}", c)
        counts["breached"] += 1
    late = Conversation.objects.filter(
        workspace=workspace,
        status__in=OPEN_STATUSES,
        resolve_due__lte=now,
        resolve_breached_at__isnull=True,
    )
    for c in late.select_related("person"):
        with transaction.atomic():
            c.resolve_breached_at = now
            c.save(update_fields=["resolve_breached_at"])
            _event(c, EventKind.BREACHED, now, "not resolved within the agreed time")
        _tell(_managers(workspace), f"Not resolved in time: {c}", c)
        counts["resolve_breached"] += 1
    limit = dt.timedelta(minutes=settings.unassigned_alert_minutes)
    waiting = Conversation.objects.filter(
        workspace=workspace,
        status__in=(Status.NEW, Status.WAITING),
        unassigned_alert_at__isnull=True,
    )
    for c in waiting:
        since = c.waiting_since or c.awaiting_since or c.opened_at
        if hours.elapsed(since, now) > limit:
            with transaction.atomic():
                c.unassigned_alert_at = now
                c.save(update_fields=["unassigned_alert_at"])
                _event(c, EventKind.UNASSIGNED_ALERT, now, "nobody has taken it yet")
            _tell(_managers(workspace), f"Nobody has taken a conversation: {c}", c)
            counts["waiting"] += 1
    return counts


def _event(c: Conversation, kind: str, at: dt.datetime, detail: str) -> None:
    ConversationEvent.objects.create(
        workspace_id=c.workspace_id, conversation=c, kind=kind, at=at, detail=detail[:300]
    )


def _link_text(c: Conversation) -> str:
    return (
        f"{c.who} wrote about “{c.subject}”. Open the inbox in Rapport to answer "
        f"(conversation {c.pk})."
    )


def _managers(workspace: Workspace) -> list[str]:
    return list(
        takers(workspace)
        .filter(role__in=(Role.OWNER, Role.MANAGER))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _owner_or_managers(c: Conversation) -> list[str]:
    """Who a warning goes to: the conversation's owner, or the managers when nobody holds it."""
    if c.owner_id and c.owner.user.email:
        return [c.owner.user.email]
    return _managers(c.workspace)


def _tell(to: list[str], subject: str, c: Conversation) -> None:
    """E-mail ``to`` about ``c``; a failure is logged, never raised (the alert is also on the
    conversation and the inbox page)."""
    if not to:
        return
    try:
        mail.EmailMessage(
            subject=f"{subject[:150]} · {c.workspace.name}", body=_link_text(c), to=to
        ).send()
    except Exception as error:  # SMTP down: the alert stays visible in the app
        log.warning("could not e-mail an inbox alert (%s): %s", subject[:60], error)
