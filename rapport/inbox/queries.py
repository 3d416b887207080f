"""What the inbox list shows: its views (tabs), filters, order and rows.

The list is one query for its rows however many conversations there are: the page is read as
``PAGE_SIZE + 1`` rows (the extra one says whether there is a next page) in the order of the
``(workspace, -priority, awaiting_since)`` index, and nothing counts the whole list. Only
"Mine" and "Unassigned" are counted (:func:`my_counts`, small and indexed), for the tabs and
the menu.

Survey follow-ups keep the feedback inbox's anonymity rule (``feedback.inbox_views``): a
conversation about an answer the member sees as anonymous shows no person and no time, and
is left out while a filter on who wrote (group, search) is on, so that one filter minus
another cannot single it out; one the feedback inbox holds back (alone in its week) is not
listed until it would be shown there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.timesince import timesince

from rapport.accounts.choices import Role
from rapport.accounts.models import Membership, Workspace
from rapport.feedback.inbox_views import Periods, unnamed, with_week
from rapport.feedback.models import Response
from rapport.inbox.choices import OPEN_STATUSES, Priority, Source, Status
from rapport.inbox.models import Conversation

PAGE_SIZE = 25
UNASSIGNED = (Status.NEW, Status.WAITING)


def _mine(m: Membership) -> Q:
    return Q(owner=m, status__in=OPEN_STATUSES)


def _unassigned(m: Membership) -> Q:
    return Q(owner__isnull=True, status__in=UNASSIGNED)


# key → (label, condition for a member). "" is the default view.
VIEWS = {
    "mine": ("Mine", _mine),
    "unassigned": ("Unassigned", _unassigned),
    "person": (
        "Needs a person",
        lambda m: Q(status__in=OPEN_STATUSES) & (Q(needs_human=True) | ~Q(handoff_reason="")),
    ),
    "": ("All open", lambda m: Q(status__in=OPEN_STATUSES)),
    "resolved": ("Resolved", lambda m: Q(status=Status.RESOLVED)),
    "survey": ("Survey follow-ups", lambda m: Q(source=Source.SURVEY)),
}
FILTERS = ("view", "status", "priority", "owner", "group", "channel", "emotion", "human", "q")
# Filters on who wrote: anonymous survey follow-ups never match them.
WHO_FILTERS = ("group", "q")


def read_filters(data) -> dict:
    return {key: (data.get(key) or "").strip()[:100] for key in FILTERS}


def query_of(filters: dict, **extra) -> str:
    """The list's address query for ``filters`` (empty values left out)."""
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in {**filters, **extra}.items() if v})
    return query.urlencode()


def clean_query(raw: str) -> str:
    """A saved view's query string, keeping only the list's own filters."""
    return query_of(read_filters(QueryDict(raw or "")))


def _unnamed_responses(membership: Membership):
    """The survey responses ``membership`` sees as anonymous, as a subquery of ids."""

    return Response.objects.filter(unnamed(membership), workspace_id=membership.workspace_id)


def _held_back(workspace: Workspace):
    """Survey responses the feedback inbox holds back (an anonymous answer alone in its week
    would name its author), as a subquery of ids; None when none is."""

    held = Periods.of(workspace).held()
    if held is None:
        return None
    return with_week(Response.objects.filter(workspace=workspace)).filter(held).values("pk")


def visible(workspace: Workspace):
    """The conversations of ``workspace`` a list may show: all but the survey follow-ups the
    feedback inbox holds back."""
    qs = Conversation.objects.filter(workspace=workspace)
    held = _held_back(workspace)
    return qs if held is None else qs.exclude(response_id__in=held)


def conversations(workspace: Workspace, membership: Membership, filters: dict):
    """The conversations of ``workspace`` in ``filters``, in the list's order. An unknown
    value matches nothing rather than everything, so a mistyped filter never reads as
    "all"."""
    qs = visible(workspace)
    none = qs.none()
    view = VIEWS.get(filters["view"])
    if view is None:
        return none
    qs = qs.filter(view[1](membership))
    status = filters["status"]
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        if status not in Status.values:
            return none
        qs = qs.filter(status=status)
    if filters["priority"]:
        if filters["priority"] not in {str(v) for v in Priority.values}:
            return none
        qs = qs.filter(priority=int(filters["priority"]))
    owner = filters["owner"]
    if owner == "me":
        qs = qs.filter(owner=membership)
    elif owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif owner:
        if not owner.isdigit():
            return none
        qs = qs.filter(owner_id=int(owner))
    if filters["channel"]:
        if filters["channel"] not in Source.values:
            return none
        qs = qs.filter(source=filters["channel"])
    if filters["emotion"]:
        qs = qs.filter(emotion=filters["emotion"])
    if filters["human"] == "yes":
        qs = qs.filter(needs_human=True)
    elif filters["human"]:
        return none
    if any(filters[key] for key in WHO_FILTERS):
        qs = qs.exclude(
            source=Source.SURVEY,
            response_id__in=_unnamed_responses(membership).values("pk"),
        )
    if filters["group"]:
        qs = qs.filter(person__group=filters["group"])
    if filters["q"]:
        words = filters["q"]
        qs = qs.filter(
            Q(subject__icontains=words)
            | Q(person__name__icontains=words)
            | Q(visitor_name__icontains=words)
        )
    return qs.order_by(
        F("priority").desc(),
        F("awaiting_since").asc(nulls_last=True),
        F("last_message_at").desc(),
        "-pk",
    )


def page_of(qs, raw_number: str) -> tuple[list[Conversation], int, bool]:
    number = int(raw_number) if raw_number.isdigit() and 0 < int(raw_number) < 100_000 else 1
    start = (number - 1) * PAGE_SIZE
    found = list(qs.select_related("person", "owner__user")[start : start + PAGE_SIZE + 1])
    return found[:PAGE_SIZE], number, len(found) > PAGE_SIZE


def my_counts(workspace: Workspace, membership: Membership) -> dict:
    """How many open conversations are the member's and how many nobody has: one query."""
    mine, unassigned = _mine(membership), _unassigned(membership)
    return Conversation.objects.filter(Q(workspace=workspace) & (mine | unassigned)).aggregate(
        mine=Count("pk", filter=mine), unassigned=Count("pk", filter=unassigned)
    )


# --- a row in words --------------------------------------------------------------------------


@dataclass
class Row:
    c: Conversation
    who: str
    unnamed: bool
    # Where the row leads: the conversation, or a survey follow-up's feedback item.
    url: str
    waiting: str
    sla: str
    sla_late: bool
    reason: str


def waited(since: dt.datetime | None, now: dt.datetime) -> str:
    """How long someone has waited, in words: "3 hours", "2 days"."""
    if since is None:
        return ""
    if now - since < dt.timedelta(minutes=1):
        return "just now"
    return timesince(since, now, depth=1)


def sla_words(c: Conversation, now: dt.datetime) -> tuple[str, bool]:
    """The reply clock in words, and whether it is late."""
    if c.status == Status.RESOLVED:
        return ("Missed its deadline" if c.sla_missed else ""), False
    if c.reply_due is None:
        return ("Missed its deadline" if c.sla_missed else ""), c.sla_missed
    if c.reply_due <= now:
        return f"Reply overdue by {timesince(c.reply_due, now, depth=1)}", True
    return f"Reply due in {timesince(now, c.reply_due, depth=1)}", False


def present(
    conversations_: list[Conversation], membership: Membership, url_of, now=None
) -> list[Row]:
    """The page's rows in words; survey follow-ups under the feedback inbox's anonymity rule
    (one more query, only when the page holds any)."""
    now = now or timezone.now()
    survey_ids = [c.response_id for c in conversations_ if c.response_id]
    hidden = (
        set(_unnamed_responses(membership).filter(pk__in=survey_ids).values_list("pk", flat=True))
        if survey_ids
        else set()
    )
    rows = []
    for c in conversations_:
        unnamed = c.response_id in hidden or (
            c.source == Source.SURVEY and not (c.person_id or c.visitor_name or c.visitor_email)
        )
        sla, late = sla_words(c, now)
        rows.append(
            Row(
                c=c,
                who=("Anonymous" if unnamed else c.who),
                unnamed=unnamed,
                url=url_of(c),
                waiting="" if unnamed else waited(c.awaiting_since, now),
                sla="" if unnamed and not late else sla,
                sla_late=late,
                reason=(c.reasons or [""])[0],
            )
        )
    return rows


def members(workspace: Workspace):
    """Who can hold a conversation: current members above viewer."""
    return (
        Membership.objects.filter(workspace=workspace, removed_at__isnull=True)
        .exclude(role=Role.VIEWER)
        .select_related("user")
        .order_by("user__name", "pk")
    )


def counts_for(request) -> dict:
    """:func:`my_counts` for the member of ``request``, read once per request (the menu and
    the list both show it)."""
    if not hasattr(request, "_inbox_counts"):
        request._inbox_counts = my_counts(request.workspace, request.membership)
    return request._inbox_counts
