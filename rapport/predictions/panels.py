"""What predictions add to pages below them: the person page, the directory's sortable columns
and the dashboards (registered in ``apps.ready``)."""

import datetime as dt

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from rapport.engine.outreach import Thresholds
from rapport.insights.panels import Panel as DashboardPanel
from rapport.insights.panels import register_dashboard_panel
from rapport.people.choices import Group
from rapport.people.panels import Column, Panel, register_directory_column, register_person_panel
from rapport.predictions import actions, holdout
from rapport.predictions.choices import Subject
from rapport.predictions.models import Forecast

# How many at-risk customers the customers' dashboard lists.
AT_RISK_SHOWN = 10
# "At risk" and "no human contact for a while" as the reach-out list's rule says them.
AT_RISK = Thresholds.at_risk
NO_CONTACT_DAYS = Thresholds.at_risk_contact_days
# Cooling: expected to spend at most this share of what they spent over the last 12 months.
COOLING = 0.75


def person_panel(request, person, entries):
    if person.group == Group.EMPLOYEE:
        found = actions.view_individual(request.membership, person)
        if found is None:
            return None
        return Panel("predictions/_person_employee.html", {"f": found})
    if person.group not in (Group.CUSTOMER, Group.SUPPLIER):
        return None
    return Panel(
        "predictions/_person.html",
        {"f": actions.forecast_of(person), "group": person.group},
    )


def _shown(key: str, field: str):
    """The current forecast's ``field`` as ``key`` for each person (customers and suppliers only:
    employees' individual scores never reach the directory)."""

    def annotate(people, request):
        latest = Forecast.objects.filter(
            person=OuterRef("pk"),
            run__current=True,
            run__subject__in=(Subject.CUSTOMERS, Subject.SUPPLIERS),
            enough=True,
        ).order_by("-run__made_at")
        return people.annotate(**{key: Subquery(latest.values(field)[:1])})

    return annotate


def customers_panel(request):
    workspace = request.workspace
    run = actions.current_run(workspace, Subject.CUSTOMERS)
    if run is None:
        return None
    at_risk = list(
        Forecast.objects.filter(
            run=run, enough=True, risk__gte=AT_RISK, person__end_date__isnull=True
        )
        .select_related("person")
        .order_by("-expected_value_high", "-risk")[:AT_RISK_SHOWN]
    )
    since = timezone.now() - dt.timedelta(days=NO_CONTACT_DAYS)
    untouched = (
        Forecast.objects.filter(
            run=run, enough=True, risk__gte=AT_RISK, person__end_date__isnull=True
        )
        .filter(
            Q(person__last_human_contact_at__isnull=True)
            | Q(person__last_human_contact_at__lt=since)
        )
        .aggregate(n=Count("pk"), value=Sum("expected_value"))
    )
    cooling = list(
        Forecast.objects.filter(
            run=run,
            enough=True,
            risk__lt=AT_RISK,
            person__end_date__isnull=True,
            expected_value__lte=F("past_value") * COOLING,
        )
        .select_related("person")
        .annotate(drop=F("past_value") - F("expected_value"))
        .order_by("-drop")[:AT_RISK_SHOWN]
    )
    return DashboardPanel(
        "predictions/_customers.html",
        {
            "run": run,
            "at_risk": at_risk,
            "cooling": cooling,
            "untouched": untouched,
            "no_contact_weeks": NO_CONTACT_DAYS // 7,
            "cooling_share": COOLING,
            "threshold": AT_RISK,
            "holdout_panel": {"h": holdout.customers(workspace), "short": True},
        },
    )


def employees_panel(request):
    run = actions.current_run(request.workspace, Subject.EMPLOYEES)
    if run is None:
        return None
    teams = list(
        Forecast.objects.filter(run=run, team__isnull=False)
        .select_related("team")
        .order_by("-risk", "team__name")
    )
    return DashboardPanel("predictions/_teams.html", {"run": run, "teams": teams})


def suppliers_panel(request):
    run = actions.current_run(request.workspace, Subject.SUPPLIERS)
    if run is None:
        return None
    rows = list(
        Forecast.objects.filter(run=run, person__isnull=False)
        .select_related("person")
        .order_by("-risk")
    )
    return DashboardPanel("predictions/_suppliers.html", {"run": run, "rows": rows})


def overview_panel(request):
    result = holdout.customers(request.workspace)
    if result.run is None:
        return None
    return DashboardPanel("predictions/_holdout.html", {"h": result, "short": True})


def register() -> None:
    register_person_panel(person_panel)
    register_directory_column(
        Column("risk", "Risk", _shown("risk", "risk"), "predictions/_cell_risk.html")
    )
    register_directory_column(
        Column(
            "value",
            "Value, next 12 months",
            _shown("value", "expected_value"),
            "predictions/_cell_value.html",
        )
    )
    register_dashboard_panel(overview_panel)
    register_dashboard_panel(customers_panel, Group.CUSTOMER)
    register_dashboard_panel(employees_panel, Group.EMPLOYEE)
    register_dashboard_panel(suppliers_panel, Group.SUPPLIER)
