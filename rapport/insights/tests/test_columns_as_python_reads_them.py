"""The refresh reads messages and purchases as columns the database works out (moments as
microseconds, days as ordinals, local days in numpy): each must equal what Python makes of
the same stored values, to the microsecond and across clock changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.insights import compute, sources
from rapport.insights.tests.factories import Bakery
from rapport.people.actions import record_interaction, record_purchase
from rapport.people.choices import Channel, Direction
from rapport.understanding.models import InteractionReading

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
US = dt.timedelta(microseconds=1)
# Zones whose clocks move by an hour, by half an hour (Lord Howe), at a quarter past
# (Chatham), or never; and one far west of UTC.
ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "Pacific/Honolulu",
    "UTC",
]


def python_day(us: int, tz) -> int:
    return (EPOCH + us * US).astimezone(tz).date().toordinal()


class LateShift(dt.tzinfo):
    """A zone whose clocks go forward half an hour at 23:45 UTC on 1 June 2026, in the
    middle of an hour and just before midnight: the moments after it that hour are on the
    next day, the ones before on the same."""

    CHANGE = dt.datetime(2026, 6, 1, 23, 45)

    def utcoffset(self, moment):
        return dt.timedelta(minutes=30 if moment.replace(tzinfo=None) >= self.CHANGE else 0)

    def fromutc(self, moment):
        return moment + self.utcoffset(moment)

    def dst(self, moment):
        return dt.timedelta(0)

    def tzname(self, moment):
        return "LATE"


def test_a_clock_change_within_an_hour_places_each_moment_on_its_own_day():
    change = (dt.datetime(2026, 6, 1, 23, 45, tzinfo=dt.UTC) - EPOCH) // US
    moments = [change - 1, change, change + 20 * 60 * 10**6]
    found = compute.local_days(moments, LateShift()).tolist()
    june = dt.date(2026, 6, 1).toordinal()
    assert found == [june, june + 1, june + 1]
    assert found == [python_day(us, LateShift()) for us in moments]


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    moments=st.lists(
        # 2020 to 2030, some on the very microsecond a clock changes (2026-04-05 in Lord
        # Howe: 02:00 local daylight time, 15:00 UTC the day before).
        st.one_of(
            st.integers(1_577_836_800_000_000, 1_893_456_000_000_000),
            st.sampled_from([1_775_314_800_000_000, 1_775_314_799_999_999, 1_775_313_000_000_000]),
        ),
        max_size=40,
    ),
)
def test_local_days_are_pythons(zone, moments):
    tz = ZoneInfo(zone)
    found = compute.local_days(moments, tz).tolist()
    assert found == [python_day(us, tz) for us in moments]


@pytest.mark.django_db
def test_the_databases_columns_are_pythons(personas):
    bakery = Bakery(personas)
    ws = bakery.workspace
    eli = bakery.customers["Eli"]
    base = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # London's clocks go forward at 1:00
    moments = [
        base,
        base + dt.timedelta(microseconds=1),
        base + dt.timedelta(hours=1, seconds=59, microseconds=999_999),
        base + dt.timedelta(days=1, microseconds=500_000),
    ]
    for i, at in enumerate(moments):
        message = record_interaction(
            eli,
            occurred_at=at,
            channel=Channel.EMAIL,
            direction=[Direction.INBOUND, Direction.OUTBOUND, "internal", Direction.INBOUND][i],
            handled_by=personas.bob_member if i == 1 else None,
            thread_key="t1" if i < 2 else "",
            text=f"message {i}",
        )
        InteractionReading.objects.filter(interaction=message).delete()
        if i == 0:
            InteractionReading.objects.create(
                workspace=ws, interaction=message, model_version="t", sentiment_score=-0.25
            )
    record_purchase(eli, purchased_on=dt.date(2026, 3, 29), amount=3, location="Centre")
    record_purchase(eli, purchased_on=dt.date(2025, 12, 31), amount=3)
    ws.time_zone = "Europe/London"
    ws.save()

    data = sources.read(
        ws, dt.date(2026, 3, 1), dt.date(2026, 4, 1), buys_from=dt.date(2025, 12, 1)
    )

    mine = data.message_columns.person == eli.pk
    columns = {
        name: getattr(data.message_columns, name)[mine].tolist()
        for name in ("at", "day", "direction", "handler", "is_open", "sentiment")
    }
    order = sorted(range(len(columns["at"])), key=columns["at"].__getitem__)
    got = {name: [values[i] for i in order] for name, values in columns.items()}
    london = ZoneInfo("Europe/London")
    assert got["at"] == [(at - EPOCH) // US for at in moments]
    assert got["day"] == [at.astimezone(london).date().toordinal() for at in moments]
    directions = ["inbound", "outbound", "internal", "inbound"]
    assert got["direction"] == [compute.DIRECTION_CODES[d] for d in directions]
    handlers = [None, "person", None, None]
    assert got["handler"] == [compute.HANDLER_CODES[h] for h in handlers]
    assert got["sentiment"][0] == -0.25
    assert all(value != value for value in got["sentiment"][1:])  # not read: NaN

    purchases = data.purchase_columns
    bought = sorted(
        (day, purchases.locations[code])
        for pid, day, code in zip(
            purchases.person.tolist(),
            purchases.day.tolist(),
            purchases.location.tolist(),
            strict=False,
        )
        if pid == eli.pk
    )
    assert bought == [
        (dt.date(2025, 12, 31).toordinal(), ""),
        (dt.date(2026, 3, 29).toordinal(), "Centre"),
    ]
