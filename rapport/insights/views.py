"""The dashboards: the overview, a page per group, a metric's drill-down to what lies behind
it, the CSV export, the printable report and the index weights. Every page reads snapshots
(``dashboard.py``); none recomputes a metric from raw rows."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.scope import workspace_view
from rapport.engine.capital import CATALOG, DEFAULT_COMPONENTS, GROUP_LABELS, GROUPS
from rapport.engine.periods import MONTH, QUARTER, WEEK
from rapport.insights import compute, dashboard
from rapport.insights.actions import index_weights, set_weights, settings_of
from rapport.insights.behind import behind
from rapport.insights.panels import dashboard_panels
from rapport.insights.tasks import refresh_workspace
from rapport.lib.csvstream import csv_download_lines
from rapport.lib.queued_tasks import enqueue_unless_waiting
from rapport.understanding.actions import reading_backlog


def _local(view):
    """Show times in the business's own time zone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timezone.activate(request.workspace.zone)
        try:
            return view(request, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapper


def _group(slug: str) -> str:
    group = dashboard.SLUGS.get(slug)
    if group is None:
        raise Http404("No such group")
    return group


def _context(request, page, **more) -> dict:
    return {
        "page": page,
        "reading": reading_backlog(request.workspace),
        "f": page.filters,
        "everies": [(QUARTER, "Quarter"), (MONTH, "Month"), (WEEK, "Week")],
        "cut_dimensions": dashboard.CUT_DIMENSIONS,
        **more,
    }


@workspace_view()
@_local
def overview(request):
    filters = dashboard.parse_filters(request.workspace, request.GET)
    page = dashboard.build(request.workspace, filters)
    page.chart = mark_safe(dashboard.overview_chart(request.workspace, filters))  # noqa: S308
    panels = dashboard_panels(request)
    return render(request, "insights/overview.html", _context(request, page, panels=panels))


@workspace_view()
@_local
def group_page(request, group_slug):
    group = _group(group_slug)
    filters = dashboard.parse_filters(request.workspace, request.GET)
    page = dashboard.build(request.workspace, filters, groups=(group,), charts_for=(group,))
    section = page.group(group)
    section.chart = mark_safe(section.chart)  # noqa: S308 - charts.py escapes every text
    section.sparklines = {k: mark_safe(v) for k, v in section.sparklines.items()}  # noqa: S308
    panels = dashboard_panels(request, group)
    return render(
        request, "insights/group.html", _context(request, page, section=section, panels=panels)
    )


@workspace_view()
@_local
def metric_page(request, group_slug, metric):
    group = _group(group_slug)
    spec = compute.metric(group, metric)
    if spec is None:
        raise Http404("No such metric")
    filters = dashboard.parse_filters(request.workspace, request.GET)
    every = request.GET.get("every") if request.GET.get("every") in (MONTH, WEEK) else MONTH
    if filters.dimension and spec.survey:
        every = QUARTER  # a segment's or team's survey scores are shown by quarter only
    series, chart = dashboard.metric_series(request.workspace, group, metric, filters, every)
    current = dashboard.current(request.workspace, group, metric, filters)
    breakdowns = [
        (dim, dashboard.breakdown(request.workspace, group, metric, filters.period, dim))
        for dim in spec.cuts
    ]
    evidence = behind(request.workspace, request.membership, group, metric, filters, current)
    return render(
        request,
        "insights/metric.html",
        {
            "f": filters,
            "group": group,
            "group_label": GROUP_LABELS[group],
            "group_slug": group_slug,
            "spec": spec,
            "definition": compute.definition(metric),
            "component": CATALOG.get(metric)
            if metric in {c.key for c in DEFAULT_COMPONENTS[group]}
            else None,
            "current": current,
            "series": list(reversed(series)),
            "chart": mark_safe(chart),  # noqa: S308 - charts.py escapes every text
            "every": every,
            "breakdowns": breakdowns,
            "evidence": evidence,
            "parts": _parts(current.result.parts) if current.shown else [],
        },
    )


@workspace_view()
@_local
def report(request):
    """Everything on one printable page."""
    filters = dashboard.parse_filters(request.workspace, request.GET)
    page = dashboard.build(request.workspace, filters, charts_for=GROUPS)
    page.chart = mark_safe(dashboard.overview_chart(request.workspace, filters))  # noqa: S308
    for g in page.groups:
        g.chart = mark_safe(g.chart)  # noqa: S308
    return render(request, "insights/report.html", _context(request, page))


CSV_HEADER = [
    "group",
    "metric",
    "period",
    "from",
    "to",
    "cut",
    "value",
    "n",
    "low_95",
    "high_95",
    "enough_data",
    "note",
]


@workspace_view(Role.MANAGER)
@_local
def export_csv(request):
    """The metrics of the chosen cut, every period of the chosen length, as CSV; survey
    scores of a cut under the anonymity threshold are left blank with the reason."""
    filters = dashboard.parse_filters(request.workspace, request.GET)
    every = request.GET.get("every") if request.GET.get("every") in (WEEK, MONTH) else QUARTER
    workspace = request.workspace
    record_audit(
        workspace,
        AuditAction.EXPORT,
        actor=request.user,
        object_type="dashboard",
        object_repr=f"dashboard metrics by {every} ({filters.query() or 'everyone'})"[:200],
    )

    def rows():
        for period, spec, s in dashboard.exported(workspace, filters, every):
            r = s.result if s.shown else None
            yield (
                spec.group,
                spec.key,
                period.label,
                period.start,
                period.end,
                f"{filters.dimension}={filters.member}" if filters.dimension else "",
                _number(r.value) if r else "",
                r.n if r else "",
                _number(r.low) if r else "",
                _number(r.high) if r else "",
                "yes" if r and r.enough else "no",
                s.hidden,
            )

    response = StreamingHttpResponse(
        csv_download_lines(CSV_HEADER, rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="rapport-metrics-{every}.csv"'
    return response


def _number(x) -> str:
    return "" if x is None else f"{x:.4g}" if abs(x) < 1000 else f"{x:.0f}"


@workspace_view(Role.MANAGER)
@_local
@require_POST
def refresh(request):
    enqueue_unless_waiting(refresh_workspace, request.workspace.pk)
    messages.success(request, "The dashboards will be brought up to date in a moment.")
    return redirect(reverse("insights:overview", args=[request.workspace.slug]))


@workspace_view()
@_local
def weights(request):
    """The index weights: anyone may read them, owners and managers change them."""
    workspace = request.workspace
    current, groups = index_weights(workspace)
    problems: list[str] = []
    if request.method == "POST":
        if not request.membership.can(Role.MANAGER):
            raise Http404("No such page")
        given: dict[str, dict[str, float]] = {}
        given_groups: dict[str, float] = {}
        for group, comps in DEFAULT_COMPONENTS.items():
            given[group] = {}
            for c in comps:
                value = _weight(request.POST.get(f"w-{group}-{c.key}"), problems, c.label)
                given[group][c.key] = value if value is not None else current[group][c.key]
            value = _weight(request.POST.get(f"g-{group}"), problems, GROUP_LABELS[group])
            given_groups[group] = value if value is not None else groups[group]
        if not problems:
            try:
                set_weights(request.membership, given, given_groups)
            except ValueError as error:
                problems.append(str(error))
            else:
                messages.success(request, "Weights saved; the index uses them from now on.")
                return redirect(reverse("insights:weights", args=[workspace.slug]))
        current, groups = given, given_groups
    rows = [
        (
            group,
            GROUP_LABELS[group],
            groups[group],
            [(c, current[group][c.key]) for c in DEFAULT_COMPONENTS[group]],
        )
        for group in GROUPS
    ]
    return render(
        request,
        "insights/weights.html",
        {"rows": rows, "problems": problems, "state": settings_of(workspace)},
    )


def _weight(text, problems: list[str], label: str) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        problems.append(f"{label}: “{text[:20]}” is not a number.")
        return None
    if not 0 <= value <= 100:
        problems.append(f"{label}: a weight lies between 0 and 100, not {text[:20]}.")
        return None
    return value


# How a metric's parts read on its page: "on_time_count" is "On time count".
PART_WORDS = {"sd": "Standard deviation", "n": "Number counted"}


def _parts(parts: dict | None) -> list[tuple[str, str]]:
    return sorted(
        (PART_WORDS.get(k, k.replace("_", " ").capitalize()), _part_value(v))
        for k, v in (parts or {}).items()
    )


def _part_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"
