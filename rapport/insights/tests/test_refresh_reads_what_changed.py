"""An incremental refresh finds what changed since the last one (new rows, readings made
since), recomputes whole only the periods holding a changed day, and of the periods that
ended before it only what later rows can still change: their response times."""

import datetime as dt

from rapport.engine.periods import MONTH, QUARTER, WEEK, window_of
from rapport.insights import compute
from rapport.insights.actions import refresh_snapshots
from rapport.insights.models import Snapshot
from rapport.insights.tests.factories import Bakery, noon, today_of
from rapport.insights.tests.test_incremental_refresh import everything
from rapport.people.actions import record_interaction
from rapport.people.choices import Channel, Direction
from rapport.understanding.models import InteractionReading


def test_a_message_read_after_the_refresh_updates_the_sentiment_of_its_month(personas):
    bakery = Bakery(personas)
    ws = bakery.workspace
    # Two months back: beyond the reply horizon, so only its reading can make it stale.
    month = window_of(today_of(ws), MONTH).previous().previous()
    message = record_interaction(
        bakery.customers["Eli"],
        occurred_at=noon(ws, month.start + dt.timedelta(days=3)),
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        text="The cake was dry",
    )
    InteractionReading.objects.filter(interaction=message).delete()
    refresh_snapshots(ws, full=True)
    mood = {"group": "customer", "metric": "sentiment", "every": MONTH, "start": month.start}
    before = Snapshot.objects.get(workspace=ws, dimension="", **mood).n

    InteractionReading.objects.create(
        workspace=ws,
        interaction=message,
        model_version="test",
        sentiment="negative",
        sentiment_score=-0.8,
    )
    refresh_snapshots(ws)

    assert Snapshot.objects.get(workspace=ws, dimension="", **mood).n == before + 1
    incremental = everything(ws)
    refresh_snapshots(ws, full=True)
    assert incremental == everything(ws)


def test_an_ended_period_within_the_reply_horizon_gets_only_its_response_times():
    week = window_of(dt.date(2026, 11, 2), WEEK)
    people = {1: compute.Person("Eli", compute.CUSTOMER, "Regulars", "", None, False)}
    asked = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)
    data = compute.Data(
        people=people,
        contacts=[
            compute.Contact(1, asked.date(), asked, "inbound", None, "t1", False, -0.5),
            compute.Contact(
                1,
                dt.date(2026, 11, 20),
                asked.replace(day=20),
                "outbound",
                "person",
                "t1",
                False,
                None,
            ),
        ],
        buys=[compute.Buy(1, dt.date(2026, 11, 4), "Centre")],
        now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        today=dt.date(2026, 11, 30),
    )

    only = compute.compute(data, [], replies_only=[week])
    whole = compute.compute(data, [week])

    assert {(group, key) for group, key, *_ in only} == compute.REPLY_METRICS
    assert all(whole[k] == r for k, r in only.items())
    assert only[(compute.CUSTOMER, "response_time", week, *compute.ALL)].n == 1
    assert (compute.CUSTOMER, "sentiment", week, *compute.ALL) in whole


def test_purchases_are_read_from_the_first_retention_window_of_the_periods():
    today = dt.date(2026, 12, 7)
    quarter = window_of(today, QUARTER)
    december = window_of(today, MONTH)
    days = 2 * compute.RETENTION_DAYS

    # Measured on the end of today: the quarter's own purchases start later than that.
    assert compute.purchases_from([quarter, december], today) == today + dt.timedelta(days=1 - days)
    november = december.previous()
    assert compute.purchases_from([november], today) == november.end - dt.timedelta(days=days)
    # Weeks have no retention: their own days only, and none read for them.
    assert compute.purchases_from([window_of(today, WEEK)], today) is None
