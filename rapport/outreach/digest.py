"""The weekly reach-out e-mail: each member's list for the week, in their inbox on the
business's chosen weekday morning.

:func:`send_due` runs on the clock (every few minutes). For each member who may see the list
and has not turned the e-mail off, once the business's weekday has reached
:data:`SEND_HOUR` in its time zone, it reads the member's list (``actions.reach_out_list``)
and, when the list is not empty, sends one plain-text e-mail with an HTML alternative: the
items grouped by kind with their "why" and a link to each (the person's open conversation or
page), and a link to the whole list. The week is then recorded
(``DigestSubscription.week_done``), so the digest goes out once a week however often the
clock runs; a member with nothing on their list gets nothing. When the SMTP server refuses,
the failure is logged and kept on the subscription, and the next tick tries again (after
midnight too, until the next week's moment); nothing is raised to the clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.models import Membership, Workspace
from rapport.engine.periods import week_start
from rapport.outreach.actions import ReachOutList, outreach_settings, reach_out_list
from rapport.outreach.models import WEEKDAYS, DigestSubscription
from rapport.workers.leases import Busy, held

log = logging.getLogger(__name__)

# The morning hour (business's time zone) from which the week's digest may go out.
SEND_HOUR = 7
# Items per kind in the e-mail; the page has the rest.
PER_KIND = 10
READERS = (Role.OWNER, Role.MANAGER, Role.STAFF)


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    empty: int = 0
    failed: int = 0


def subscription(membership: Membership) -> DigestSubscription:
    found, _ = DigestSubscription.objects.get_or_create(
        membership=membership, defaults={"workspace_id": membership.workspace_id}
    )
    return found


def set_digest(membership: Membership, enabled: bool) -> DigestSubscription:
    """Turn a member's weekly e-mail on or off (their own choice). Audited."""
    sub = subscription(membership)
    if sub.enabled != enabled:
        record_audit(
            membership.workspace,
            AuditAction.UPDATE,
            sub,
            actor=membership.user,
            object_repr=f"weekly reach-out e-mail of {membership}",
            changes={"enabled": [sub.enabled, enabled]},
        )
        sub.enabled = enabled
        sub.save(update_fields=["enabled"])
    return sub


def set_digest_weekday(workspace: Workspace, weekday: int, *, actor=None) -> None:
    """The weekday (0 = Monday) whose morning the digest goes out on. Audited."""
    if weekday not in range(7):
        raise ValueError(f"weekday {weekday!r}: give 0 (Monday) to 6 (Sunday)")
    s = outreach_settings(workspace)
    if s.digest_weekday == weekday:
        return
    record_audit(
        workspace,
        AuditAction.UPDATE,
        s,
        actor=actor,
        object_repr="reach-out list settings",
        changes={"digest_weekday": [WEEKDAYS[s.digest_weekday], WEEKDAYS[weekday]]},
    )
    s.digest_weekday = weekday
    s.save(update_fields=["digest_weekday"])


def send_moment(workspace: Workspace, now: dt.datetime) -> dt.datetime:
    """When this week's digest may go out: the chosen weekday at SEND_HOUR, local time."""
    today = now.astimezone(workspace.zone).date()
    day = week_start(today) + dt.timedelta(days=outreach_settings(workspace).digest_weekday)
    return dt.datetime.combine(day, dt.time(SEND_HOUR), tzinfo=workspace.zone)


def send_due(workspace: Workspace, *, now: dt.datetime | None = None) -> SendReport:
    """Send this week's digest to every member who is due one; never raises for SMTP."""
    now = now or timezone.now()
    moment = send_moment(workspace, now)
    # Before this week's moment, only last week's failed sends are still due: a digest the
    # SMTP server refused late on its day is tried again after midnight, not dropped.
    retries_only = now < moment
    if retries_only:
        moment -= dt.timedelta(days=7)
    week = moment.date() - dt.timedelta(days=moment.weekday())
    # One sender per business at a time (two clocks' ticks, two workers): the other would
    # read the same members as due and e-mail them twice.
    try:
        with held(f"digests:{workspace.pk}"):
            return _send_week(workspace, week, now, retries_only=retries_only)
    except Busy:
        return SendReport()


def _send_week(
    workspace: Workspace, week: dt.date, now: dt.datetime, *, retries_only: bool
) -> SendReport:
    sent = empty = failed = 0
    for member in _due_members(workspace, week, retries_only=retries_only):
        outcome = send_digest(member, week=week, today=now.astimezone(workspace.zone).date())
        sent += outcome == "sent"
        empty += outcome == "empty"
        failed += outcome == "failed"
    return SendReport(sent, empty, failed)


def _due_members(workspace: Workspace, week: dt.date, *, retries_only: bool) -> list[Membership]:
    members = (
        Membership.objects.filter(
            workspace=workspace, removed_at__isnull=True, role__in=READERS, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user", "workspace")
        .order_by("pk")
    )
    subs = {s.membership_id: s for s in DigestSubscription.objects.filter(workspace=workspace)}
    due = []
    for member in members:
        sub = subs.get(member.pk)
        if sub is not None and (not sub.enabled or sub.week_done == week):
            continue
        if retries_only and (sub is None or not sub.attempts):
            continue
        due.append(member)
    return due


def send_digest(member: Membership, *, week: dt.date, today: dt.date) -> str:
    """Send ``member`` this week's digest: "sent", "empty" (nothing on their list, nothing
    sent) or "failed" (tried again on the next tick)."""
    listed = reach_out_list(member.workspace, member, today)
    sub = subscription(member)
    if not len(listed):
        _done(sub, week, items=0, sent=False)
        return "empty"
    listed.trim(PER_KIND)
    message = compose(member, listed)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        reason = f"{error.__class__.__name__}: {error}"[:300]
        DigestSubscription.objects.filter(pk=sub.pk).update(
            attempts=sub.attempts + 1, last_error=reason
        )
        log.warning(
            "weekly reach-out e-mail to %s (%s) not sent, will try again: %s",
            member.user.email,
            member.workspace.slug,
            reason,
        )
        return "failed"
    _done(sub, week, items=len(listed), sent=True)
    return "sent"


def _done(sub: DigestSubscription, week: dt.date, *, items: int, sent: bool) -> None:
    with transaction.atomic():
        sub.week_done = week
        sub.items_sent = items
        sub.attempts = 0
        sub.last_error = ""
        if sent:
            sub.sent_at = timezone.now()
        sub.save(update_fields=["week_done", "items_sent", "attempts", "last_error", "sent_at"])


def absolute(path: str) -> str:
    return settings.RAPPORT_PUBLIC_URL + path


def compose(member: Membership, listed: ReachOutList) -> mail.EmailMultiAlternatives:
    """The e-mail: plain text with an HTML alternative."""
    workspace = member.workspace
    context = {
        "member": member,
        "first_name": (member.user.name or "").split(" ")[0],
        "workspace": workspace,
        "listed": listed,
        "count": len(listed),
        "groups": [
            {
                "label": group.label,
                "more": group.more,
                "items": [
                    {
                        "subject": item.subject,
                        "why": item.prompt.why,
                        "url": absolute(item.link) if item.link else "",
                    }
                    for item in group.items
                ],
            }
            for group in listed.groups
        ],
        "list_url": absolute(reverse("outreach:list", args=[workspace.slug])),
        "weekday": WEEKDAYS[outreach_settings(workspace).digest_weekday],
    }
    count = context["count"]
    message = mail.EmailMultiAlternatives(
        subject=f"Who to reach out to this week: {count} item{'s' if count != 1 else ''} "
        f"· {workspace.name}",
        body=render_to_string("outreach/digest.txt", context),
        to=[member.user.email],
    )
    message.attach_alternative(render_to_string("outreach/digest.html", context), "text/html")
    return message
