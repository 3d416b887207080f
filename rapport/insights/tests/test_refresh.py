"""Refreshing the snapshots from the database: the values written, the incremental refresh
after a write marks the snapshots stale, an empty business, and isolation between
businesses."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rapport.engine.periods import MONTH, QUARTER, WEEK, window_of
from rapport.feedback.choices import QuestionKind
from rapport.insights.actions import refresh_snapshots
from rapport.insights.models import Finding, InsightSettings, Snapshot
from rapport.insights.tests.factories import Bakery, answer, last_month, person, survey
from rapport.people.actions import record_interaction
from rapport.people.choices import Channel, Direction, Group
from rapport.people.models import Interaction


def snap(workspace, group, metric, window, dimension="", member="") -> Snapshot:
    return Snapshot.objects.get(
        workspace=workspace,
        group=group,
        metric=metric,
        every=window.every,
        start=window.start,
        dimension=dimension,
        member=member,
    )


@pytest.fixture
def bakery(personas) -> Bakery:
    return Bakery(personas)


def test_a_full_refresh_writes_each_groups_metrics_for_last_month(bakery):
    ws, month = bakery.workspace, bakery.month

    report = refresh_snapshots(ws, full=True)

    assert report.since == bakery.day and report.snapshots > 0
    nps = snap(ws, "customer", "nps", month)
    # 10, 10, 9 promoters; 6, 2 detractors; 8 passive: (3 − 2) / 6.
    assert nps.value == pytest.approx(100 / 6) and nps.n == 6 and nps.enough
    assert nps.parts["promoter_count"] == 3 and nps.parts["detractor_count"] == 2
    assert snap(ws, "customer", "nps", month, "segment", "Regulars").value == pytest.approx(
        100 / 3
    )  # 10, 9, 6
    assert snap(ws, "customer", "nps", month, "segment", "Tourists").value == 0.0  # 10, 8, 2
    touch = snap(ws, "customer", "human_touch", month)
    assert touch.value == pytest.approx(200 / 3) and touch.n == 3
    repeat = snap(ws, "customer", "repeat_purchase", month)
    assert (repeat.value, repeat.n) == (50.0, 2)
    absent = snap(ws, "employee", "absenteeism", month)
    assert absent.value == pytest.approx(100 * 1 / (2 * bakery.working_days()))
    assert absent.n == 2
    assert snap(ws, "employee", "absenteeism", month, "team", "Kitchen").value == absent.value
    on_time = snap(ws, "supplier", "on_time", month)
    assert (on_time.value, on_time.n) == (50.0, 2)
    assert snap(ws, "supplier", "on_time", month, "supplier", "Flour Mill").value == 50.0
    assert snap(ws, "community", "participation", month).value == 50.0  # Kim of Kim and Lou
    assert snap(ws, "community", "human_touch", month).value == 100.0
    # The same answers in the week and the quarter that hold the day.
    assert snap(ws, "customer", "nps", window_of(bakery.day, WEEK)).n == 6
    assert snap(ws, "customer", "nps", window_of(bakery.day, QUARTER)).n == 6
    # Weeks have no retention or repeat purchase.
    assert not Snapshot.objects.filter(workspace=ws, every=WEEK, metric="repeat_purchase")
    assert Finding.objects.filter(workspace=ws, kind=Finding.Kind.DRIVERS, key="nps").exists()
    state = InsightSettings.objects.get(workspace=ws)
    assert state.refreshed_at is not None and state.dirty_since is None
    assert state.snapshots_written == report.snapshots


def test_a_new_interaction_marks_the_month_stale_and_the_next_refresh_updates_it(bakery, personas):
    ws, month = bakery.workspace, bakery.month
    refresh_snapshots(ws, full=True)
    later = bakery.at + dt.timedelta(days=5)

    Interaction.objects.create(
        workspace=ws,
        person=bakery.customers["Fay"],
        occurred_at=later,
        channel=Channel.PHONE,
        direction=Direction.INBOUND,
        handled_by=personas.bob_member,
    )

    state = InsightSettings.objects.get(workspace=ws)
    # Its UTC day less one: the business's local day may be the day before.
    assert state.dirty_since == later.date() - dt.timedelta(days=1)
    assert snap(ws, "customer", "human_touch", month).n == 3  # pages read the old figures

    report = refresh_snapshots(ws)

    assert report.since == later.date() - dt.timedelta(days=1)
    touch = snap(ws, "customer", "human_touch", month)
    assert touch.value == 75.0 and touch.n == 4
    assert InsightSettings.objects.get(workspace=ws).dirty_since is None
    assert snap(ws, "customer", "nps", month).n == 6  # the rest of the month is unchanged


def test_an_empty_workspace_refreshes_without_error_and_writes_no_snapshot(personas):
    report = refresh_snapshots(personas.garage, full=True)

    assert (report.since, report.periods, report.snapshots, report.alerts) == (None, 0, 0, 0)
    assert not Snapshot.objects.filter(workspace=personas.garage).exists()
    assert not Finding.objects.filter(workspace=personas.garage).exists()
    assert InsightSettings.objects.get(workspace=personas.garage).refreshed_at is not None
    # And again, incrementally.
    assert refresh_snapshots(personas.garage).snapshots == 0


def test_snapshots_of_one_business_never_include_anothers_data(bakery, personas):
    garage = personas.garage
    at = bakery.at
    zoe = person(garage, Group.CUSTOMER, "Zoe Driver", segment="Fleet")
    for hour in (9, 10):
        record_interaction(
            zoe,
            occurred_at=at.replace(hour=hour),
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
        )
    poll = survey(garage, title="After your service")
    answer(poll, zoe, 0, when=at)

    refresh_snapshots(garage, full=True)
    refresh_snapshots(bakery.workspace, full=True)

    ws, month = bakery.workspace, bakery.month
    assert snap(ws, "customer", "nps", month).n == 6
    assert snap(ws, "customer", "human_touch", month).n == 3
    garage_nps = snap(garage, "customer", "nps", month)
    assert (garage_nps.value, garage_nps.n) == (-100.0, 1)
    assert snap(garage, "customer", "human_touch", month).parts["unhandled_count"] == 2
    assert not Snapshot.objects.filter(workspace=ws, member="Fleet").exists()
    assert not Snapshot.objects.filter(
        workspace=garage, member__in=["Regulars", "Tourists", "Kitchen", "Flour Mill"]
    ).exists()
    assert not Snapshot.objects.filter(workspace=garage, group="employee", n__gt=0).exists()


def test_messages_count_in_the_month_of_the_business_local_day(personas):
    ws = personas.bakery
    ws.time_zone = "Europe/Paris"
    ws.save(update_fields=["time_zone"])
    month = last_month(ws)
    dana = person(ws, Group.CUSTOMER, "Dana Client")
    # Half past midnight on the first of the month in Paris is the last evening of the
    # month before in UTC.
    first = dt.datetime.combine(month.start, dt.time(0, 30), tzinfo=ZoneInfo("Europe/Paris"))
    assert first.astimezone(dt.UTC).date() < month.start
    record_interaction(
        dana,
        occurred_at=first,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        handled_by=personas.bob_member,
    )

    refresh_snapshots(ws, full=True)

    assert snap(ws, "customer", "human_touch", month).n == 1
    before = window_of(month.start - dt.timedelta(days=1), MONTH)
    assert not Snapshot.objects.filter(
        workspace=ws, every=MONTH, start=before.start, metric="human_touch", n__gt=0
    ).exists()


def test_answers_of_an_employee_survey_count_as_enps(personas):
    ws = personas.bakery
    at = dt.datetime.combine(last_month(ws).start, dt.time(12), tzinfo=dt.UTC)
    pulse = survey(ws, QuestionKind.ENPS, audience=Group.EMPLOYEE, title="Pulse")
    for i, score in enumerate((9, 9, 3)):
        answer(pulse, person(ws, Group.EMPLOYEE, f"Staff {i}"), score, when=at)

    refresh_snapshots(ws, full=True)

    enps = snap(ws, "employee", "enps", last_month(ws))
    assert enps.value == pytest.approx(100 / 3) and enps.n == 3
    assert not Snapshot.objects.filter(workspace=ws, group="customer", metric="nps", n__gt=0)


def test_deleting_a_whole_business_marks_nothing_stale_row_by_row(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rapport.people.tests.factories import make_customer

    for workspace in (personas.bakery, personas.garage):
        InsightSettings.objects.get_or_create(workspace=workspace)
    dana = make_customer(personas.garage, name="Dana")
    for n in range(40):
        record_interaction(
            dana,
            occurred_at=dt.datetime(2026, 1, 1 + n % 28, tzinfo=dt.UTC),
            channel=Channel.PHONE,
            direction=Direction.INBOUND,
        )
    with CaptureQueriesContext(connection) as queries:
        personas.garage.delete()
    marks = [q for q in queries.captured_queries if "dirty_since" in q["sql"]]
    assert marks == []
    # A single deletion in a business that stays still marks its day.
    one = Interaction.objects.filter(workspace=personas.bakery).first() or record_interaction(
        make_customer(personas.bakery, name="Eli"),
        occurred_at=dt.datetime(2026, 2, 3, tzinfo=dt.UTC),
        channel=Channel.PHONE,
        direction=Direction.INBOUND,
    )
    InsightSettings.objects.filter(workspace=personas.bakery).update(dirty_since=None)
    one.delete()
    assert InsightSettings.objects.get(workspace=personas.bakery).dirty_since is not None
