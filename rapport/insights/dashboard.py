"""What the dashboard pages show, read from the snapshots only: the Relational Capital Index
of a period with every component expanded, the four groups, alerts, drivers and series.

Anonymity: a survey score cut by segment or team is shown only when the cut holds at least
the business's ``min_group_size`` answers *and* everyone else in the group holds 0 or at
least as many (rule 2 of docs/anonymity.md for one filter), so that "everyone" minus "this
team" never reveals a small group. Pages take one cut at a time; hidden cuts count as
missing in the index, and their size is never given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from rapport.accounts.models import Workspace
from rapport.engine.capital import (
    CATALOG,
    DEFAULT_COMPONENTS,
    GROUP_LABELS,
    GROUPS,
    CapitalIndex,
    ComponentScore,
    GroupIndex,
    History,
    capital_index,
)
from rapport.engine.metrics import Result
from rapport.engine.periods import MONTH, QUARTER, WEEK, Window, parse, window_of
from rapport.insights import charts, compute
from rapport.insights.actions import as_result, index_weights, settings_of
from rapport.insights.models import Finding, InsightSettings, Snapshot

CUT_DIMENSIONS = ("segment", "team", "location", "supplier")
HISTORY_MONTHS = 24
SLUGS = {"customers": "customer", "employees": "employee", "suppliers": "supplier"}
SLUGS["community"] = "community"
SLUG_OF = {v: k for k, v in SLUGS.items()}
# Survey scores of a segment or team are shown for quarters only: a month's row hidden in
# one direction (its quarter minus the other months) could be narrowed in the other (the
# month's total minus the other teams), and only one direction at a time can be protected
# without auditing the whole table.
BY_QUARTER = (
    "hidden to protect anonymity: survey scores of a segment or team are shown by quarter "
    "only, so that months cannot be subtracted from their quarter"
)
PREVIOUS = {WEEK: "the previous week", MONTH: "the previous month", QUARTER: "the previous quarter"}


@dataclass(frozen=True)
class Filters:
    period: Window
    dimension: str = ""
    member: str = ""
    problems: tuple[str, ...] = ()

    @property
    def cut(self) -> tuple[str, str]:
        return (self.dimension, self.member)

    def query(self, **changes) -> str:
        values = {"period": self.period.label}
        if self.dimension:
            values[self.dimension] = self.member
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v}, quote_via=quote)


def parse_filters(workspace: Workspace, params: Mapping) -> Filters:
    """The period (``?period=2026-Q3``, ``2026-09`` or ``2026-W37``; default the quarter of
    the figures: this quarter, or the quarter of the day the last refresh ran through when
    that is earlier) and at most one cut (``?segment=``, ``?team=``, ``?location=``,
    ``?supplier=``)."""
    problems = []
    today = workspace.today()
    through = (
        InsightSettings.objects.filter(workspace=workspace)
        .values_list("refreshed_through", flat=True)
        .first()
    )
    period = window_of(min(today, through) if through else today, QUARTER)
    label = (params.get("period") or "").strip()
    if label:
        found = parse(label)
        if found is None:
            problems.append(f"“{label[:40]}” is not a period; showing {period.title}.")
        elif found.start > today:
            problems.append(f"{found.title} has not started; showing {period.title}.")
        else:
            period = found
    every = params.get("every")
    if every in (WEEK, MONTH, QUARTER) and every != period.every:
        period = window_of(min(period.end - dt.timedelta(days=1), today), every)
    cuts = [(d, (params.get(d) or "").strip()) for d in CUT_DIMENSIONS]
    cuts = [(d, v) for d, v in cuts if v]
    if len(cuts) > 1:
        problems.append(
            "One filter at a time: combining them could single out small groups. "
            f"Showing {cuts[0][0]} = {cuts[0][1]}."
        )
    dimension, member = cuts[0] if cuts else ("", "")
    return Filters(period, dimension, member[:100], tuple(problems))


@dataclass
class Shown:
    """One metric as a page shows it."""

    group: str
    key: str
    label: str
    about: str
    unit: str
    result: Result | None
    hidden: str = ""  # why it is not shown (anonymity, not available for this cut)

    @property
    def shown(self) -> bool:
        return self.result is not None and not self.hidden

    @property
    def text(self) -> str:
        r = self.result
        if self.hidden:
            return "hidden"
        if r is None or r.value is None:
            return "no data"
        if not r.enough:
            return "not enough data"
        return format_value(self.key, self.unit, r.value)

    @property
    def interval(self) -> str:
        r = self.result
        if not self.shown or r is None or r.low is None or r.high is None or not r.enough:
            return ""
        return (
            f"{format_value(self.key, self.unit, r.low)} to "
            f"{format_value(self.key, self.unit, r.high)}"
        )


def format_value(key: str, unit: str, value: float) -> str:
    if key in ("nps", "enps", "supplier_nps"):
        return f"{value:+.0f}" if round(value) else "0"
    if key == "sentiment":
        return f"{value:+.2f}"
    if unit == "%":
        return f"{value:.0f}%" if value >= 10 or value == 0 else f"{value:.1f}%"
    if unit == "h":
        return f"{value:.1f} h" if value < 10 else f"{value:.0f} h"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}"


@dataclass
class Page:
    workspace: Workspace
    filters: Filters
    index: CapitalIndex
    groups: list[GroupPage]
    alerts: list[Finding]
    refreshed_at: dt.datetime | None
    refresh_seconds: float | None
    stale: bool
    periods: list[Window]
    members: dict[str, list[str]]
    chart: str = ""

    def group(self, key: str) -> GroupPage:
        return next(g for g in self.groups if g.group == key)


@dataclass
class GroupPage:
    group: str
    label: str
    slug: str
    index: GroupIndex
    components: list[tuple[ComponentScore, Shown]]
    extras: list[Shown]
    alerts: list[Finding] = field(default_factory=list)
    drivers: list[Finding] = field(default_factory=list)
    chart: str = ""
    sparklines: dict[str, str] = field(default_factory=dict)


def _snapshots(workspace, every, starts, dimension, member, groups=None, metrics=None) -> dict:
    """(group, metric, start, dimension, member) → Snapshot, for everyone and for the cut;
    only of ``groups`` and ``metrics`` when given."""
    rows = Snapshot.objects.filter(workspace=workspace, every=every, start__in=list(starts))
    if groups:
        rows = rows.filter(group__in=groups)
    if metrics:
        rows = rows.filter(metric__in=sorted(metrics))
    if dimension:
        rows = rows.filter(dimension__in=["", dimension], member__in=["", member])
    else:
        rows = rows.filter(dimension="")
    return {(s.group, s.metric, s.start, s.dimension, s.member): s for s in rows.order_by()}


def _shown(workspace, snaps, group, key, start, filters: Filters) -> Shown:
    spec = compute.metric(group, key)
    catalog = CATALOG.get(key)
    label = spec.label if spec else catalog.label if catalog else key
    about = spec.about if spec else catalog.about if catalog else ""
    unit = spec.unit if spec else ""

    def hidden(why: str = "") -> Shown:
        return Shown(group, key, label, about, unit, None, why)

    if filters.dimension and (spec is None or filters.dimension not in spec.cuts):
        return hidden(f"not cut by {filters.dimension}")
    everyone = snaps.get((group, key, start, "", ""))
    snap = snaps.get((group, key, start, *filters.cut)) if filters.dimension else everyone
    if snap is None:
        return hidden()
    if spec and spec.survey:
        k = workspace.min_group_size
        if snap.n < k:
            return hidden(f"hidden to protect anonymity: survey scores are shown from {k} answers")
        if snap.withheld:
            return hidden(
                "hidden to protect anonymity: with the other periods around it, it would "
                f"let the score of fewer than {k} answers be worked out"
            )
        if filters.dimension and snap.every != QUARTER:
            return hidden(BY_QUARTER)
        if filters.dimension:
            rest = (everyone.n if everyone else 0) - snap.n
            suppressed = filters.member in _suppressed(
                workspace, group, key, snap.every, snap.start, filters.dimension
            )
            if 0 < rest < k or suppressed:
                return hidden(
                    "hidden to protect anonymity: a cut is shown only when it and the rest "
                    f"of the group each hold at least {k} answers"
                )
    return Shown(group, key, label, about, unit, as_result(snap))


def _suppressed(workspace, group: str, key: str, every: str, start, dimension: str) -> set[str]:
    """The values of ``dimension`` the breakdown of this metric and period hides: those below
    the threshold, then by complementary suppression the smallest shown ones while the
    hidden ones together could be worked out from the total. A cut the breakdown hides is
    hidden on its own too, or everyone − the shown cuts would reveal it."""
    from rapport.engine.anonymity import complementary

    counts = dict(
        Snapshot.objects.filter(
            workspace=workspace,
            every=every,
            start=start,
            group=group,
            metric=key,
            dimension=dimension,
        ).values_list("member", "n")
    )
    return complementary(counts, workspace.min_group_size)


def build(workspace: Workspace, filters: Filters, *, groups=GROUPS, charts_for=()) -> Page:
    """Everything the overview (``groups`` all four) or a group page shows."""
    period = filters.period
    before = period.previous()
    snaps = _snapshots(workspace, period.every, [period.start, before.start], *filters.cut)
    weights, group_weights = index_weights(workspace)
    metrics: dict[str, dict[str, Result]] = {}
    history: dict[str, dict[str, History]] = {}
    shown: dict[tuple[str, str], Shown] = {}
    for group in GROUPS:
        metrics[group] = {}
        history[group] = {}
        for component in DEFAULT_COMPONENTS[group]:
            now = _shown(workspace, snaps, group, component.key, period.start, filters)
            shown[(group, component.key)] = now
            if now.shown:
                metrics[group][component.key] = now.result
            past = _shown(workspace, snaps, group, component.key, before.start, filters)
            if past.shown and past.result.enough and past.result.value is not None:
                history[group][component.key] = History(
                    score=component.scale(past.result.value),
                    n=past.result.n,
                    label=PREVIOUS[period.every],
                )
    index = capital_index(metrics, weights=weights, group_weights=group_weights, history=history)
    state = settings_of(workspace)
    alerts = list(Finding.objects.filter(workspace=workspace, kind=Finding.Kind.ALERT))
    drivers = list(
        Finding.objects.filter(
            workspace=workspace,
            kind=Finding.Kind.DRIVERS,
            every=period.every,
            start=period.start,
        )
    )
    pages = []
    for group in groups:
        extras = [
            _shown(workspace, snaps, group, spec.key, period.start, filters)
            for spec in compute.METRICS
            if spec.group == group and spec.key not in {c.key for c in DEFAULT_COMPONENTS[group]}
        ]
        page = GroupPage(
            group=group,
            label=GROUP_LABELS[group],
            slug=SLUG_OF[group],
            index=index.group(group),
            components=[
                (index.group(group).component(c.key), shown[(group, c.key)])
                for c in DEFAULT_COMPONENTS[group]
            ],
            extras=extras,
            alerts=[a for a in alerts if a.group == group],
            drivers=[d for d in drivers if d.group == group] if not filters.dimension else [],
        )
        if group in charts_for:
            _add_charts(workspace, page, filters, weights)
        pages.append(page)
    refreshed = state.refreshed_at
    return Page(
        workspace=workspace,
        filters=filters,
        index=index,
        groups=pages,
        alerts=top_alerts(alerts),
        refreshed_at=refreshed,
        refresh_seconds=state.refresh_seconds,
        stale=refreshed is None or state.dirty_since is not None,
        periods=_periods(workspace, period.every),
        members=_members(workspace),
    )


def top_alerts(alerts: list[Finding], count: int = 8) -> list[Finding]:
    """The most pressing alerts, taking turns between the groups so that one group's many
    alerts do not hide another's first one (alerts come sorted by severity)."""
    queues: dict[str, list[Finding]] = {}
    for a in alerts:
        queues.setdefault(a.group, []).append(a)
    picked: list[Finding] = []
    while len(picked) < count and any(queues.values()):
        for queue in queues.values():
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    rank = {"critical": 0, "warning": 1, "info": 2}
    return sorted(picked, key=lambda a: rank.get(a.severity, 3))


def _months(workspace: Workspace, count: int = HISTORY_MONTHS) -> list[Window]:
    last = window_of(workspace.today(), MONTH)
    found = [last]
    while len(found) < count:
        found.insert(0, found[0].previous())
    return found


def index_series(
    workspace: Workspace, filters: Filters, months: list[Window]
) -> list[CapitalIndex]:
    """The index month by month (each month leaning on the one before), for the chart."""
    components = {c.key for group in GROUPS for c in DEFAULT_COMPONENTS[group]}
    snaps = _snapshots(
        workspace, MONTH, [m.start for m in months], *filters.cut, metrics=components
    )
    weights, group_weights = index_weights(workspace)
    found = []
    previous: dict[str, dict[str, History]] = {}
    for month in months:
        metrics = {g: {} for g in GROUPS}
        for group in GROUPS:
            for c in DEFAULT_COMPONENTS[group]:
                s = _shown(workspace, snaps, group, c.key, month.start, filters)
                if s.shown:
                    metrics[group][c.key] = s.result
        index = capital_index(
            metrics, weights=weights, group_weights=group_weights, history=previous
        )
        found.append(index)
        previous = {
            g.group: {
                c.key: History(score=c.score, n=c.n, label="the previous month")
                for c in g.components
                if c.score is not None and c.metric is not None and c.metric.enough
            }
            for g in index.groups
        }
    return found


def _point(label: str, value, low, high, n: int, enough: bool) -> charts.Point:
    return charts.Point(label, value, low, high, n, enough)


def overview_chart(workspace: Workspace, filters: Filters) -> str:
    months = _months(workspace)
    series = index_series(workspace, filters, months)
    points = [
        _point(m.label, i.value, i.low, i.high, 0, i.enough)
        for m, i in zip(months, series, strict=True)
    ]
    return charts.line_chart(
        points,
        title="Relational Capital Index, month by month",
        y_min=0,
        y_max=100,
        markers=_markers(workspace, months),
    )


def _markers(workspace: Workspace, months: list[Window]) -> list[tuple[str, str]]:
    """Automations going live, drawn on the charts: what changed when."""
    from rapport.accounts.models import Automation

    found = []
    for name, started in Automation.objects.filter(
        workspace=workspace, started_on__isnull=False
    ).values_list("name", "started_on"):
        for m in months:
            if m.contains(started):
                found.append((m.label, f"{name} live"))
    return found


def _add_charts(workspace, page: GroupPage, filters: Filters, weights) -> None:
    months = _months(workspace)
    series = index_series(workspace, filters, months)
    group_series = [i.group(page.group) for i in series]
    page.chart = charts.line_chart(
        [
            _point(m.label, g.value, g.low, g.high, 0, g.enough)
            for m, g in zip(months, group_series, strict=True)
        ],
        title=f"{page.label}: index month by month",
        y_min=0,
        y_max=100,
        markers=_markers(workspace, months),
    )
    snaps = _snapshots(
        workspace, MONTH, [m.start for m in months], *filters.cut, groups=[page.group]
    )
    keys = [c.key for _, c in page.components] + [e.key for e in page.extras]
    for key in keys:
        spec = compute.metric(page.group, key)
        if filters.dimension and spec and spec.survey:
            continue  # a cut's survey scores have no months to draw (BY_QUARTER)
        points = []
        for m in months:
            s = _shown(workspace, snaps, page.group, key, m.start, filters)
            r = s.result if s.shown else None
            points.append(
                _point(
                    m.label,
                    r.value if r else None,
                    r.low if r else None,
                    r.high if r else None,
                    r.n if r else 0,
                    bool(r and r.enough),
                )
            )
        page.sparklines[key] = charts.sparkline(points, title=spec.label if spec else key)


def _bounds(key: str, unit: str) -> tuple[float, float] | None:
    """The fixed y range of a metric's chart: its whole scale where it has one."""
    if key in ("nps", "enps", "supplier_nps"):
        return (-100.0, 100.0)
    if key == "sentiment":
        return (-1.0, 1.0)
    return (0.0, 100.0) if unit == "%" else None


def current(workspace: Workspace, group: str, key: str, filters: Filters) -> Shown:
    """One metric for the chosen period and cut, as a page shows it."""
    period = filters.period
    snaps = _snapshots(workspace, period.every, [period.start], *filters.cut, groups=[group])
    return _shown(workspace, snaps, group, key, period.start, filters)


def metric_series(workspace: Workspace, group: str, key: str, filters: Filters, every: str):
    """The points of one metric over the last 24 months (or 26 weeks, or 8 quarters) and its
    chart."""
    if every in (WEEK, QUARTER):
        last = window_of(workspace.today(), every)
        windows = [last]
        while len(windows) < (26 if every == WEEK else 8):
            windows.insert(0, windows[0].previous())
    else:
        windows = _months(workspace)
    snaps = _snapshots(workspace, every, [w.start for w in windows], *filters.cut, groups=[group])
    shown = [_shown(workspace, snaps, group, key, w.start, filters) for w in windows]
    spec = compute.metric(group, key)
    points = [
        _point(
            w.label,
            s.result.value if s.shown else None,
            s.result.low if s.shown else None,
            s.result.high if s.shown else None,
            s.result.n if s.shown else 0,
            bool(s.shown and s.result.enough),
        )
        for w, s in zip(windows, shown, strict=True)
    ]
    bounds = _bounds(key, spec.unit if spec else "")
    chart = charts.line_chart(
        points,
        title=f"{GROUP_LABELS[group]}: {spec.label if spec else key}, {every} by {every}",
        unit=spec.unit if spec else "",
        y_min=bounds[0] if bounds else None,
        y_max=bounds[1] if bounds else None,
        markers=_markers(workspace, windows) if every != WEEK else (),
    )
    return list(zip(windows, shown, strict=True)), chart


def breakdown(workspace: Workspace, group: str, key: str, period: Window, dimension: str):
    """One row per value of ``dimension`` for a metric and period, under the anonymity rule:
    for survey scores, rows below the threshold are hidden, and then the smallest shown rows
    too while the hidden ones together could be worked out from the total."""
    spec = compute.metric(group, key)
    rows = list(
        Snapshot.objects.filter(
            workspace=workspace,
            every=period.every,
            start=period.start,
            group=group,
            metric=key,
            dimension=dimension,
        ).order_by("member")
    )
    hidden: set[str] = set()
    why = "hidden to protect anonymity"
    if spec and spec.survey and period.every != QUARTER:
        hidden, why = {r.member for r in rows}, BY_QUARTER
    elif spec and spec.survey:
        hidden = _suppressed(workspace, group, key, period.every, period.start, dimension)
    return [
        Shown(
            group,
            key,
            r.member,
            "",
            spec.unit if spec else "",
            None if r.member in hidden else as_result(r),
            why if r.member in hidden else "",
        )
        for r in rows
    ]


def exported(workspace: Workspace, filters: Filters, every: str):
    """(period, metric, Shown) for every period of length ``every`` and every metric computed
    for it, oldest first, under the same rules as the pages; metrics with no snapshot in a
    period are left out. One query for the snapshots."""
    snaps = _snapshots(workspace, every, _starts(workspace, every), *filters.cut)
    for start in sorted({key[2] for key in snaps}):
        period = window_of(start, every)
        for spec in compute.METRICS:
            if every in spec.every:
                s = _shown(workspace, snaps, spec.group, spec.key, start, filters)
                if s.result is not None or s.hidden:
                    yield period, spec, s


def _starts(workspace: Workspace, every: str):
    return (
        Snapshot.objects.filter(workspace=workspace, every=every, dimension="")
        .values_list("start", flat=True)
        .distinct()
    )


def _periods(workspace: Workspace, every: str) -> list[Window]:
    starts = (
        Snapshot.objects.filter(workspace=workspace, every=every, dimension="")
        .values_list("start", flat=True)
        .distinct()
        .order_by("-start")[:40]
    )
    return [window_of(s, every) for s in starts]


def _members(workspace: Workspace) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {d: [] for d in CUT_DIMENSIONS}
    for dim, member in (
        Snapshot.objects.filter(workspace=workspace, every=QUARTER)
        .exclude(dimension="")
        .values_list("dimension", "member")
        .distinct()
        .order_by("dimension", "member")
    ):
        if dim in found:
            found[dim].append(member)
    return found
