"""The dashboards' figures over the API: every metric of every period, by week, month or
quarter, for everyone or one cut, under the same rules as the pages and their CSV export
(``insights.dashboard.exported``): a survey score of a group under the anonymity threshold
is left out with the reason, never computed for the caller."""

from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from rapport.accounts.api import Page, answers, api_membership
from rapport.accounts.choices import Role
from rapport.engine.periods import QUARTER
from rapport.insights import dashboard

router = Router(tags=["metrics"])


class MetricOut(Schema):
    group: str = Field(..., description="customer, employee, supplier or community.")
    key: str
    label: str
    unit: str = Field(..., description='"%", "days", ... or "" for a plain number.')
    period: str = Field(..., description='"2026-Q3", "2026-09" or "2026-W37".')
    start: date
    end: date = Field(..., description="The day after the period's last day.")
    cut: str = Field(..., description='"team=Bakers" and the like; "" for everyone.')
    value: float | None = Field(..., description="null when hidden or without data.")
    n: int | None = Field(..., description="How many it rests on; null when hidden.")
    low: float | None = Field(..., description="The 95% interval, when there is one.")
    high: float | None
    enough: bool = Field(..., description="Enough data to read the value.")
    text: str = Field(..., description='The value as the dashboard prints it: "72%", "hidden".')
    hidden: str = Field(..., description="Why it is not shown (anonymity); '' when shown.")


class MetricFilters(Page):
    every: Literal["week", "month", "quarter"] = Field(QUARTER, description="Period length.")
    period: str = Field(
        "", max_length=20, description='Only this period ("2026-Q3"); default: every one.'
    )
    segment: str = Field("", max_length=100, description="One cut at a time.")
    team: str = Field("", max_length=100)
    location: str = Field("", max_length=100)
    supplier: str = Field("", max_length=100)


NOT_CUTS = ("limit", "offset", "every")


@router.get(
    "/w/{slug}/metrics",
    response=answers(list[MetricOut]),
    summary="The dashboards' metrics, period by period (managers and owners)",
    description="Oldest period first. 422 names a period or cut that cannot be read.",
)
def list_metrics(request, slug: str, filters: Query[MetricFilters]):
    membership = api_membership(request, slug, min_role=Role.MANAGER)
    workspace = membership.workspace
    params = {k: v for k, v in filters.dict().items() if v and k not in NOT_CUTS}
    chosen = dashboard.parse_filters(workspace, params)
    if chosen.problems:
        raise HttpError(422, " ".join(chosen.problems))
    if filters.period and chosen.period.every != filters.every:
        raise HttpError(
            422, f"“{filters.period}” is not a {filters.every}: give every={chosen.period.every}."
        )
    rows = []
    for period, spec, s in dashboard.exported(workspace, chosen, filters.every):
        if filters.period and period.start != chosen.period.start:
            continue
        r = s.result if s.shown else None
        rows.append(
            MetricOut(
                group=spec.group,
                key=spec.key,
                label=spec.label,
                unit=spec.unit,
                period=period.label,
                start=period.start,
                end=period.end,
                cut=f"{chosen.dimension}={chosen.member}" if chosen.dimension else "",
                value=r.value if r else None,
                n=r.n if r else None,
                low=r.low if r else None,
                high=r.high if r else None,
                enough=bool(r and r.enough),
                text=s.text,
                hidden=s.hidden,
            )
        )
    return rows[filters.offset : filters.offset + filters.limit]
