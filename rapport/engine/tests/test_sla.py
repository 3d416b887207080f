"""Business-hours clocks (rapport/engine/sla.py): they pause when the business is closed and
stay right across daylight-saving changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.sla import BusinessHours

PARIS = ZoneInfo("Europe/Paris")
H = dt.timedelta(hours=1)
SHOP = BusinessHours.weekdays(dt.time(7), dt.time(19), zone=PARIS)


def paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def test_a_clock_started_while_closed_starts_at_opening_time():
    assert SHOP.add(paris(2026, 12, 5, 21), 2 * H) == paris(2026, 12, 7, 9)
    assert SHOP.add(paris(2026, 12, 7, 6, 30), 0 * H) == paris(2026, 12, 7, 7)


def test_a_clock_pauses_overnight():
    assert SHOP.add(paris(2026, 12, 7, 18), 2 * H) == paris(2026, 12, 8, 8)
    assert SHOP.elapsed(paris(2026, 12, 7, 18), paris(2026, 12, 8, 8)) == 2 * H


def test_the_weekend_of_the_autumn_clock_change_counts_no_extra_hour():
    # Clocks go back on Sunday 25 October 2026 in Paris; the shop is closed all weekend.
    friday, monday = paris(2026, 10, 23, 18), paris(2026, 10, 26, 8)
    assert SHOP.add(friday, 2 * H) == monday
    assert monday.utcoffset() == H  # winter time


def test_a_business_open_every_hour_has_a_25_hour_day_in_autumn_and_23_in_spring():
    always = BusinessHours({d: ((dt.time(0), dt.time(0)),) for d in range(7)}, PARIS)
    assert always.elapsed(paris(2026, 10, 25), paris(2026, 10, 26)) == 25 * H
    assert always.elapsed(paris(2026, 3, 29), paris(2026, 3, 30)) == 23 * H


def test_holidays_and_lunch_breaks_pause_the_clock():
    bakery = BusinessHours(
        {d: ((dt.time(9), dt.time(12)), (dt.time(14), dt.time(18))) for d in range(6)},
        PARIS,
        holidays=frozenset({dt.date(2026, 12, 25)}),
    )
    assert bakery.add(paris(2026, 12, 24, 11), 2 * H) == paris(2026, 12, 24, 15)
    assert bakery.add(paris(2026, 12, 24, 17), 2 * H) == paris(2026, 12, 26, 10)
    assert not bakery.is_open(paris(2026, 12, 24, 13)) and bakery.is_open(paris(2026, 12, 24, 9))


def test_bad_hours_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="weekday 7"):
        BusinessHours({7: ((dt.time(9), dt.time(17)),)}, PARIS)
    with pytest.raises(ValueError, match="not after"):
        BusinessHours({0: ((dt.time(17), dt.time(9)),)}, PARIS)
    with pytest.raises(ValueError, match="never run out"):
        BusinessHours({}, PARIS).add(paris(2026, 12, 7), H)
    with pytest.raises(ValueError, match="negative"):
        SHOP.add(paris(2026, 12, 7), -H)


starts = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(PARIS)
)
durations = st.integers(0, 200 * 60).map(lambda m: dt.timedelta(minutes=m))


@given(starts, durations, durations)
def test_a_deadline_is_exactly_its_business_time_away_and_later_for_longer_clocks(start, a, b):
    deadline = SHOP.add(start, a)
    assert SHOP.elapsed(start, deadline) == a
    assert deadline >= start
    if a > dt.timedelta(0):
        # It falls while open (or at closing time), never in the night.
        assert SHOP.is_open(deadline - dt.timedelta(microseconds=1))
    assert (SHOP.add(start, b) >= deadline) == (b >= a)
