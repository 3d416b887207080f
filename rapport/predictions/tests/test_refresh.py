"""Refreshing a business's predictions: what is stored, what it says, when it is made again,
and what is kept for the hold-out."""

import datetime as dt
from decimal import Decimal

from rapport.people.choices import Group
from rapport.people.models import Purchase, Team
from rapport.predictions import actions
from rapport.predictions.choices import Subject
from rapport.predictions.models import Forecast, PredictionRun
from rapport.predictions.tests.conftest import _people


def _risk(person):
    return Forecast.objects.get(person=person, run__current=True).risk


def test_a_refresh_stores_one_current_run_per_subject_with_its_forecasts(personas, shop):
    runs = actions.refresh(personas.bakery)
    assert [r.subject for r in runs] == list(Subject.values)
    assert all(r.current and r.enough and r.model_version for r in runs)
    customers = Forecast.objects.filter(run=runs[0])
    assert customers.count() == 62
    regular = customers.get(person=shop["regulars"][0])
    assert regular.enough and 0 <= regular.risk <= 1
    assert regular.expected_value_low <= regular.expected_value <= regular.expected_value_high
    assert regular.reasons and "bought" in regular.reasons[0] and regular.used


def test_customers_who_stopped_coming_are_at_higher_risk_than_regulars(personas, shop):
    actions.refresh(personas.bakery, [Subject.CUSTOMERS])
    regulars = [_risk(p) for p in shop["regulars"]]
    stopped = [_risk(p) for p in shop["stopped"]]
    assert min(stopped) > max(sorted(regulars)[:-3])
    assert sum(stopped) / len(stopped) > 0.5 > sum(regulars) / len(regulars)


def test_the_slipping_supplier_is_the_riskiest_and_says_why(personas, shop):
    actions.refresh(personas.bakery, [Subject.SUPPLIERS])
    mill = Forecast.objects.get(person=shop["mill"], run__current=True)
    dairy = Forecast.objects.get(person=shop["dairy"], run__current=True)
    assert mill.risk > 2 * dairy.risk
    assert mill.risk_low <= mill.risk <= mill.risk_high
    assert "fell from" in mill.reasons[0]
    assert "Slipping Mill" not in " ".join(dairy.reasons)


def test_employees_are_told_by_team_above_the_threshold_and_never_one_by_one(personas, shop):
    (run,) = actions.refresh(personas.bakery, [Subject.EMPLOYEES])
    assert run.enough, run.message
    rows = {f.team.name: f for f in Forecast.objects.filter(run=run).select_related("team")}
    assert set(rows) == {"Ovens", "Shop", "Van"}
    assert rows["Van"].risk is None and not rows["Van"].enough
    assert "fewer than 5 people" in rows["Van"].reasons[0]
    assert rows["Ovens"].n == 9 and rows["Ovens"].risk is not None
    assert any("absent" in r for r in rows["Ovens"].reasons)
    assert not Forecast.objects.filter(run=run, person__isnull=False).exists()


def test_individual_scores_exist_only_while_the_business_turns_them_on(personas, shop):
    actions.set_individual_scores(personas.bakery, True, actor=personas.alice)
    stored = Forecast.objects.filter(run__current=True, person__group=Group.EMPLOYEE)
    assert stored.count() == 14  # the employees in post
    actions.set_individual_scores(personas.bakery, False, actor=personas.alice)
    assert not Forecast.objects.filter(person__group=Group.EMPLOYEE).exists()


def test_too_little_data_says_so_instead_of_a_number(personas):
    w = personas.bakery
    few = _people(w, Group.CUSTOMER, ["Ann", "Ben", "Cy"])
    Purchase.objects.bulk_create(
        [Purchase(workspace=w, person=p, purchased_on=w.today(), amount=Decimal(5)) for p in few]
    )
    customers, employees, suppliers = actions.refresh(w)
    assert not customers.enough and customers.message
    assert all(f.risk is None and not f.enough for f in customers.forecasts.all())
    assert not employees.enough and "Nobody is in post" in employees.message
    assert not suppliers.enough and "No deliveries" in suppliers.message


def test_it_is_due_nightly_and_after_the_data_changed(personas, shop):
    w = personas.bakery
    assert actions.due(w)
    actions.refresh(w)
    assert not actions.due(w) and not actions.refresh_due(w)
    Purchase.objects.create(
        workspace=w, person=shop["once"][0], purchased_on=w.today(), amount=Decimal(9)
    )
    assert actions.due(w) and actions.refresh_due(w)
    PredictionRun.objects.filter(current=True).update(as_of=w.today() - dt.timedelta(days=1))
    assert actions.due(w)


def test_superseded_runs_go_except_the_quarters_checkpoint_and_the_replayed_one(personas, shop):
    w = personas.bakery
    first = actions.refresh(w, [Subject.CUSTOMERS])[0]
    assert first.summary["checkpoint"]
    replayed = PredictionRun.objects.get(replayed=True)
    assert replayed.as_of == w.today() - dt.timedelta(days=91) and not replayed.current
    second = actions.refresh(w, [Subject.CUSTOMERS])[0]
    third = actions.refresh(w, [Subject.CUSTOMERS])[0]
    kept = set(PredictionRun.objects.values_list("pk", flat=True))
    assert kept == {first.pk, replayed.pk, third.pk} and second.pk not in kept
    assert PredictionRun.objects.get(current=True) == third


def test_a_small_team_with_no_departures_gets_a_wide_range_from_published_research(personas):
    w = personas.bakery
    team = Team.objects.create(workspace=w, name="Kitchen")
    _people(
        w,
        Group.EMPLOYEE,
        [f"Cook {i}" for i in range(6)],
        team=team,
        start_date=w.today() - dt.timedelta(days=900),
    )
    (run,) = actions.refresh(w, [Subject.EMPLOYEES])
    assert run.enough and "published research only" in run.used
    assert run.model_version.startswith("attrition-prior")
    kitchen = Forecast.objects.get(run=run, team=team)
    assert kitchen.risk_low < kitchen.risk < kitchen.risk_high
    assert kitchen.risk_high - kitchen.risk_low > 0.1
