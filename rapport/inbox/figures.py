"""Responsiveness and service-level figures of the inbox: the last four weeks beside the four
before.

Each figure is an ``engine.metrics.Result`` (value, n, 95% interval, enough or not), as on
the dashboards:

- **opened**: conversations opened in the period (a count: a fact, no interval);
- **answered automatically** and **handed to a person**: shares of those, with Wilson's
  interval (``engine.stats.wilson``), shown from ``metrics.MINIMUM`` conversations;
- **first reply**: the median and the 90th percentile of the time from opening to a person's
  first reply, in *business* hours (``engine.sla``: closed hours do not count), over the
  conversations that went to a person; one still waiting counts as at least its wait so far
  (``metrics.responsiveness``); the median from ``metrics.MEDIAN_MINIMUM`` conversations, the
  90th percentile from :data:`P90_MINIMUM` (the fewest for which a distribution-free 95%
  interval exists);
- **first reply within the SLA**, overall and per priority: of the conversations that went to
  a person and whose first reply is in or overdue, the share answered by the limit of the
  current SLA policy with no breach recorded later;
- **breaches**, **waited too long** (conversations that waited for a person past the alert
  time) and **human touches** (members' replies): counts of what happened in the period.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils import timezone
from scipy.stats import binom

from rapport.accounts.models import Workspace
from rapport.engine import metrics
from rapport.engine.metrics import MINIMUM, Result
from rapport.engine.sla import BusinessHours
from rapport.engine.stats import wilson
from rapport.inbox.choices import Author, EventKind, Priority, Status
from rapport.inbox.clocks import limits
from rapport.inbox.models import Conversation, ConversationEvent, InboxSettings, Message
from rapport.inbox.routing import business_hours, inbox_settings
from rapport.insights.panels import Panel

PERIOD_DAYS = 28
P90 = 0.9
# The fewest values for which the 90th percentile has a distribution-free 95% interval:
# its upper end is the largest value only if 0.9ⁿ ≤ 2.5%, n ≥ 36.
P90_MINIMUM = math.ceil(math.log(0.025) / math.log(P90))
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # excluded

    @property
    def label(self) -> str:
        last = self.end - dt.timedelta(days=1)
        return f"{self.start:%-d %b} – {last:%-d %b %Y}"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str  # "count", "share" (%), "hours" (business hours)
    current: Result
    previous: Result
    hint: str = ""


@dataclass
class Figures:
    current: Period
    previous: Period
    rows: list[Figure] = field(default_factory=list)
    by_priority: list[Figure] = field(default_factory=list)

    def get(self, key: str) -> Figure:
        return next(f for f in self.rows if f.key == key)

    @property
    def any(self) -> bool:
        return bool(self.get("opened").current.n or self.get("opened").previous.n)


def periods(workspace: Workspace, today: dt.date | None = None) -> tuple[Period, Period]:
    """The last four weeks up to ``today`` (included) and the four weeks before."""
    today = today or workspace.today()
    end = today + dt.timedelta(days=1)
    start = end - dt.timedelta(days=PERIOD_DAYS)
    return Period(start, end), Period(start - dt.timedelta(days=PERIOD_DAYS), start)


def figures(
    workspace: Workspace, *, today: dt.date | None = None, now: dt.datetime | None = None
) -> Figures:
    now = now or timezone.now()
    settings = inbox_settings(workspace)
    hours = business_hours(workspace, settings)
    current, previous = periods(workspace, today)
    a = _Facts(workspace, settings, hours, current, now)
    b = _Facts(workspace, settings, hours, previous, now)
    rows = [
        Figure("opened", "Conversations opened", "count", a.opened(), b.opened()),
        Figure(
            "automatic",
            "Answered automatically",
            "share",
            a.share(a.automatic),
            b.share(b.automatic),
            "of the conversations opened",
        ),
        Figure(
            "handed_off",
            "Handed to a person",
            "share",
            a.share(a.handed_off),
            b.share(b.handed_off),
            "of the conversations opened",
        ),
        Figure(
            "median_first_reply",
            "First reply by a person, median",
            "hours",
            a.median(),
            b.median(),
            "business hours from opening",
        ),
        Figure(
            "p90_first_reply",
            "First reply by a person, 9 in 10 within",
            "hours",
            a.p90(),
            b.p90(),
            "business hours from opening",
        ),
        Figure(
            "within_sla",
            "First reply within the agreed time",
            "share",
            a.within_sla(),
            b.within_sla(),
            "of the conversations that went to a person",
        ),
        Figure(
            "breaches",
            "Replies overdue (breaches)",
            "count",
            a.count(EventKind.BREACHED),
            b.count(EventKind.BREACHED),
        ),
        Figure(
            "waited",
            "Waited for a person too long",
            "count",
            a.count(EventKind.UNASSIGNED_ALERT),
            b.count(EventKind.UNASSIGNED_ALERT),
            f"past the alert time ({settings.unassigned_alert_minutes} business minutes)",
        ),
        Figure("touches", "Human touches", "count", a.touches(), b.touches(), "replies by members"),
    ]
    by_priority = [
        Figure(
            f"within_sla_{p.label.lower()}",
            p.label,
            "share",
            a.within_sla(p.value),
            b.within_sla(p.value),
        )
        for p in sorted(Priority, key=lambda p: -p.value)
    ]
    return Figures(current, previous, rows, by_priority)


def _count_result(n: int) -> Result:
    """A count is a fact: no interval, always enough."""
    return Result(n, n, n, n, True, 1)


def _share_result(successes: int, n: int) -> Result:
    if n == 0:
        return Result(None, 0, None, None, False, MINIMUM)
    low, high = wilson(successes, n)
    parts = {"count": successes}
    return Result(100 * successes / n, n, 100 * low, 100 * high, n >= MINIMUM, MINIMUM, parts)


class _Facts:
    """One period's conversations and events, read once."""

    def __init__(self, workspace, settings: InboxSettings, hours: BusinessHours, period, now):
        zone = workspace.zone
        self.start = dt.datetime.combine(period.start, dt.time(0), tzinfo=zone)
        self.end = dt.datetime.combine(period.end, dt.time(0), tzinfo=zone)
        self.workspace, self.settings, self.hours, self.now = workspace, settings, hours, now
        opened = Conversation.objects.filter(
            workspace=workspace, opened_at__gte=self.start, opened_at__lt=self.end
        )
        self.rows = list(
            opened.values("id", "opened_at", "first_replied_at", "priority", "status", "sla_missed")
        )
        self.automatic = set(
            Message.objects.filter(
                workspace=workspace, author=Author.AUTOMATION, conversation__in=opened
            ).values_list("conversation_id", flat=True)
        )
        self.handed_off = set(
            ConversationEvent.objects.filter(
                workspace=workspace, kind=EventKind.HANDED_OFF, conversation__in=opened
            ).values_list("conversation_id", flat=True)
        )
        self.to_person = [
            r for r in self.rows if r["id"] in self.handed_off or r["first_replied_at"]
        ]

    def opened(self) -> Result:
        return _count_result(len(self.rows))

    def share(self, ids: set[int]) -> Result:
        return _share_result(sum(r["id"] in ids for r in self.rows), len(self.rows))

    def _waits(self) -> tuple[list[float], list[float]]:
        """Business hours to the first reply, and lower bounds for those still waiting."""
        replied, waiting = [], []
        for r in self.to_person:
            if r["first_replied_at"]:
                replied.append(self.hours.elapsed(r["opened_at"], r["first_replied_at"]) / HOUR)
            elif r["status"] != Status.RESOLVED:
                waiting.append(self.hours.elapsed(r["opened_at"], self.now) / HOUR)
        return replied, waiting

    def median(self) -> Result:
        """``metrics.responsiveness`` over business time: each wait is laid out to end at
        ``now``, so the metric's elapsed hours are business hours."""
        replied, waiting = self._waits()
        rows = [(self.now - h * HOUR, self.now) for h in replied]
        rows += [(self.now - h * HOUR, None) for h in waiting]
        return metrics.responsiveness(rows, self.now)

    def p90(self) -> Result:
        replied, waiting = self._waits()
        xs = sorted(replied + waiting)
        n = len(xs)
        if n == 0:
            return Result(None, 0, None, None, False, P90_MINIMUM)
        rank = max(1, math.ceil(P90 * n))  # the nearest-rank 90th percentile
        value = xs[rank - 1]
        # Distribution-free 95% interval [x(j), x(k)] from Binomial(n, 0.9) (Conover §3.2).
        j = int(binom.ppf(0.025, n, P90))
        k = int(binom.ppf(0.975, n, P90)) + 1
        enough = j >= 1 and k <= n
        low, high = (xs[j - 1], xs[k - 1]) if enough else (None, None)
        parts = {"lower_bound": 1.0 if any(w <= value for w in waiting) else 0.0}
        return Result(value, n, low, high, enough, P90_MINIMUM, parts)

    def within_sla(self, priority: int | None = None) -> Result:
        met = counted = 0
        for r in self.to_person:
            if priority is not None and r["priority"] != priority:
                continue
            first = limits(self.settings, r["priority"])["first"]
            try:
                due = self.hours.add(r["opened_at"], dt.timedelta(minutes=first))
            except ValueError:
                continue
            replied = r["first_replied_at"]
            if replied is None and self.now <= due:
                continue  # not due yet: neither met nor missed
            counted += 1
            met += replied is not None and replied <= due and not r["sla_missed"]
        return _share_result(met, counted)

    def count(self, kind: str) -> Result:
        return _count_result(
            ConversationEvent.objects.filter(
                workspace=self.workspace, kind=kind, at__gte=self.start, at__lt=self.end
            ).count()
        )

    def touches(self) -> Result:
        return _count_result(
            Message.objects.filter(
                workspace=self.workspace, author=Author.MEMBER, at__gte=self.start, at__lt=self.end
            ).count()
        )


def dashboard_panel(request) -> Panel | None:
    """The inbox's figures on the dashboard, once the business has conversations."""
    found = figures(request.workspace)
    if not found.any:
        return None
    keys = ("opened", "automatic", "median_first_reply", "within_sla", "breaches")
    return Panel(
        "inbox/figures_panel.html", {"figures": found, "rows": [found.get(k) for k in keys]}
    )
