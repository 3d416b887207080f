"""Predictions over the API, under the pages' rules: each model's current run; customers and
suppliers at risk, and teams (the employees' dashboard), to any member, as the dashboards
show them; a customer's or supplier's forecast as their page shows it. An employee's own
score is never served here (docs/predictions.md): only their page shows it, to the owner and
their manager, where the business turned individual scores on."""

from datetime import date, datetime
from typing import Literal

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from rapport.accounts.api import Page, answers, api_membership, page_of
from rapport.people.choices import Group
from rapport.people.models import Person
from rapport.predictions import actions
from rapport.predictions.choices import Subject
from rapport.predictions.models import Forecast, PredictionRun

router = Router(tags=["predictions"])


class RunOut(Schema):
    subject: Subject
    label: str
    as_of: date = Field(..., description="The day the prediction looks forward from.")
    horizon_days: int
    made_at: datetime
    enough: bool = Field(..., description="False: too little data; `message` says why.")
    message: str
    used: str = Field(..., description="What the model used, in words.")
    model_version: str


class Interval(Schema):
    value: float | None
    low: float | None = Field(..., description="The 80% interval.")
    high: float | None


class ForecastOut(Schema):
    subject: Subject
    person_id: int | None
    team: str | None = Field(..., description="A team's figure (employees).")
    name: str = Field(..., description="The person's or the team's name.")
    enough: bool = Field(..., description="False: no number; the first reason says why.")
    risk: Interval = Field(
        ...,
        description=(
            "The chance of the bad outcome within the horizon: a customer buying nothing, a "
            "supplier's next delivery arriving late, an employee (a team's average) leaving."
        ),
    )
    expected_purchases: Interval | None = Field(..., description="Customers only.")
    expected_value: Interval | None = Field(..., description="Customers only.")
    past_value: float | None = Field(..., description="A customer's last 12 months' spend.")
    n: int = Field(..., description="People behind a team's figure.")
    reasons: list[str]
    used: str


class ListFilters(Page):
    order: Literal["risk", "value"] = Field(
        "risk", description="Highest risk first, or highest expected value at stake first."
    )
    enough_only: bool = Field(False, description="Leave out those without a number.")


def _run(run: PredictionRun) -> RunOut:
    return RunOut(
        subject=run.subject,
        label=Subject(run.subject).label,
        as_of=run.as_of,
        horizon_days=run.horizon_days,
        made_at=run.made_at,
        enough=run.enough,
        message=run.message,
        used=run.used,
        model_version=run.model_version,
    )


def _interval(f: Forecast, field: str) -> Interval:
    return Interval(
        value=getattr(f, field), low=getattr(f, f"{field}_low"), high=getattr(f, f"{field}_high")
    )


def _forecast(f: Forecast) -> ForecastOut:
    customer = f.run.subject == Subject.CUSTOMERS
    return ForecastOut(
        subject=f.run.subject,
        person_id=f.person_id,
        team=f.team.name if f.team_id else None,
        name=f.person.name if f.person_id else f.team.name,
        enough=f.enough,
        risk=_interval(f, "risk"),
        expected_purchases=_interval(f, "expected_purchases") if customer else None,
        expected_value=_interval(f, "expected_value") if customer else None,
        past_value=f.past_value,
        n=f.n,
        reasons=[str(r) for r in f.reasons],
        used=f.used,
    )


@router.get(
    "/w/{slug}/predictions",
    response=answers(list[RunOut]),
    summary="Each model's current run: when, what it used, whether there was enough data",
)
def list_runs(request, slug: str):
    workspace = api_membership(request, slug).workspace
    found = (actions.current_run(workspace, subject) for subject in Subject.values)
    return [_run(run) for run in found if run is not None]


def _listing(request, slug: str, subject: str, filters: ListFilters, **where) -> list:
    workspace = api_membership(request, slug).workspace
    run = actions.current_run(workspace, subject)
    if run is None:
        return []
    rows = Forecast.objects.filter(run=run, **where).select_related("run", "person", "team")
    if filters.enough_only:
        rows = rows.filter(enough=True)
    key = "expected_value_high" if filters.order == "value" else "risk"
    rows = rows.order_by(F(key).desc(nulls_last=True), "pk")
    return [_forecast(f) for f in page_of(rows, filters)]


@router.get(
    "/w/{slug}/predictions/customers",
    response=answers(list[ForecastOut]),
    summary="Customers: will they buy again within the horizon, and what they may spend",
)
def list_customers(request, slug: str, filters: Query[ListFilters]):
    return _listing(request, slug, Subject.CUSTOMERS, filters, person__isnull=False)


@router.get(
    "/w/{slug}/predictions/suppliers",
    response=answers(list[ForecastOut]),
    summary="Suppliers: will their next delivery be late",
)
def list_suppliers(request, slug: str, filters: Query[ListFilters]):
    return _listing(request, slug, Subject.SUPPLIERS, filters, person__isnull=False)


@router.get(
    "/w/{slug}/predictions/teams",
    response=answers(list[ForecastOut]),
    summary="Teams: the average chance that a member leaves (never one employee's score)",
    description="A team under the anonymity threshold has no number, with the reason.",
)
def list_teams(request, slug: str, filters: Query[ListFilters]):
    return _listing(request, slug, Subject.EMPLOYEES, filters, team__isnull=False)


@router.get(
    "/w/{slug}/people/{person_id}/prediction",
    response=answers(ForecastOut),
    summary="A customer's or supplier's current forecast, as their page shows it",
    description=(
        "404 when there is none. An employee's own score is never served by the API: only "
        "their page shows it, to the owner and their manager, where the business turned "
        "individual scores on; teams are under /predictions/teams."
    ),
)
def get_prediction(request, slug: str, person_id: int):
    membership = api_membership(request, slug)
    person = get_object_or_404(Person, workspace=membership.workspace, pk=person_id)
    found = None
    if person.group in (Group.CUSTOMER, Group.SUPPLIER):
        found = actions.forecast_of(person)
    if found is None:
        raise Http404("No prediction for this person.")
    return _forecast(found)
