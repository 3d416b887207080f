"""Relationship metrics: hand-computed examples, then properties that hold for any times."""

import statistics
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.metrics import (
    days_since_human_contact,
    human_touch_share,
    loop_closure_rate,
    response_rate,
    responsiveness,
    time_to_acknowledge,
)

PARIS = timezone(timedelta(hours=1))


def at(hour, minute=0):
    return datetime(2025, 3, 3, hour, minute, tzinfo=UTC)


# --- response rate ------------------------------------------------------------------------


def test_response_rate_is_answered_over_invited():
    result = response_rate(20, 7)
    assert result.value == 35 and result.n == 20 and result.enough
    assert result.low == pytest.approx(18.119, abs=0.001)  # Wilson, 7 of 20
    assert result.high == pytest.approx(56.715, abs=0.001)
    assert result.parts == {"invited": 20, "answered": 7}


# --- responsiveness -----------------------------------------------------------------------


def inbox():
    return [
        (at(8), at(9)),  # 1 h
        (at(8), at(11)),  # 3 h
        (at(9), at(9, 30)),  # 0.5 h
        (at(10), None),  # waiting since 10:00: at least 8 h at 18:00
        (at(12), at(14)),  # 2 h
        (at(13), at(13, 15)),  # 0.25 h
        (at(6), at(16)),  # 10 h
    ]


def test_responsiveness_is_the_median_hours_to_a_persons_first_reply():
    result = responsiveness(inbox(), now=at(18))
    assert result.value == 2 and result.n == 7 and result.enough
    # 7 durations: P(B ≤ 0) = 1/128 ≤ 2.5% < P(B ≤ 1), so the range [x₍₁₎, x₍₇₎]
    assert (result.low, result.high) == (0.25, 10)
    assert result.parts["coverage"] == pytest.approx(1 - 2 / 128)
    assert result.parts["lower_bound"] == 0
    assert result.parts["answered_count"] == 6 and result.parts["waiting_count"] == 1


def test_a_message_waiting_less_than_the_median_makes_it_a_lower_bound():
    result = responsiveness([*inbox(), (at(17), None)], now=at(18))
    assert result.value == 1.5 and result.parts["lower_bound"] == 1


def test_responsiveness_reads_the_same_in_any_time_zone_and_with_dates():
    in_paris = [(a.astimezone(PARIS), b and b.astimezone(PARIS)) for a, b in inbox()]
    assert responsiveness(in_paris, now=at(18)) == responsiveness(inbox(), now=at(18))
    by_day = responsiveness([(date(2025, 3, 3), date(2025, 3, 4))])
    assert by_day.value == 24


def test_hours_across_a_clock_change_are_the_hours_that_passed():
    # Paris moved its clocks from 02:00 to 03:00 on 30 March 2025: 01:30 to 03:30 on the
    # wall is one hour, and 22:00 the night before to 06:00 is seven.
    paris = ZoneInfo("Europe/Paris")
    night = [
        (datetime(2025, 3, 30, 1, 30, tzinfo=paris), datetime(2025, 3, 30, 3, 30, tzinfo=paris)),
        (datetime(2025, 3, 29, 22, tzinfo=paris), datetime(2025, 3, 30, 6, tzinfo=paris)),
        (datetime(2025, 3, 30, 1, tzinfo=paris), None),
    ]
    now = datetime(2025, 3, 30, 7, tzinfo=paris)  # 5 hours after 01:00

    answered = responsiveness(night, now=now, minimum=1)
    acknowledged = time_to_acknowledge([(a, b, None) for a, b in night], now=now, minimum=1)

    assert answered.value == 5 and (answered.low, answered.high) == (1, 7)
    assert acknowledged.value == 5 and (acknowledged.low, acknowledged.high) == (1, 7)


# --- closing the loop ---------------------------------------------------------------------


def test_loop_closure_rate_is_items_done_over_items_to_act_on():
    d = date(2025, 3, 3)
    result = loop_closure_rate([(d, d, d), (d, d, None), (d, None, None), (d, None, d)])
    assert result.value == 50 and result.n == 4
    assert result.parts == {"done_count": 2, "acknowledged_count": 3, "open_count": 2}


def test_time_to_acknowledge_counts_closing_as_acknowledging():
    items = [
        (at(8), at(10), None),  # 2 h
        (at(8), None, at(9)),  # closed at 9 without an acknowledgement: 1 h
        (at(8), at(9), at(12)),  # 1 h
        (at(9), None, None),  # waiting: at least 6 h at 15:00
    ]
    result = time_to_acknowledge(items, now=at(15))
    assert result.value == 1.5 and result.n == 4 and not result.enough
    assert result.parts["lower_bound"] == 0 and result.parts["waiting_count"] == 1


# --- human touch and days since -----------------------------------------------------------


def test_human_touch_share_leaves_unhandled_interactions_out():
    result = human_touch_share(["person", "automation", None, "person", "person"])
    assert result.value == 75 and result.n == 4
    assert result.parts == {"person_count": 3, "automation_count": 1, "unhandled_count": 1}
    assert result.low == pytest.approx(30.06, abs=0.01)


def test_days_since_human_contact_counts_whole_days_and_says_never():
    assert days_since_human_contact(date(2025, 3, 1), date(2025, 3, 15)).value == 14
    thirty_hours = days_since_human_contact(at(6), at(12) + timedelta(days=1))
    assert thirty_hours.value == 1 and thirty_hours.enough and thirty_hours.low == 1
    never = days_since_human_contact(None, date(2025, 3, 15))
    assert never.value is None and never.parts["never"] == 1 and not never.enough
    same_day = days_since_human_contact(date(2025, 3, 15), date(2025, 3, 15))
    assert same_day.value == 0 and same_day.parts["never"] == 0


# --- the edges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: response_rate(0, 0),
        lambda: responsiveness([]),
        lambda: loop_closure_rate([]),
        lambda: time_to_acknowledge([], now=at(9)),
        lambda: human_touch_share([]),
        lambda: human_touch_share([None, None]),
    ],
)
def test_nothing_to_measure_gives_no_value_rather_than_zero(call):
    result = call()
    assert result.value is None and result.n == 0 and not result.enough
    assert result.low is None and result.high is None


def test_one_message_and_identical_messages():
    one = responsiveness([(at(8), at(9))])
    assert one.value == 1 and (one.low, one.high) == (1, 1) and not one.enough
    assert one.parts["coverage"] == 0
    same = responsiveness([(at(8), at(10))] * 6)
    assert same.value == 2 and (same.low, same.high) == (2, 2) and same.enough
    assert human_touch_share(["automation"] * 5).value == 0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: response_rate(5, 6), r"answered \(6\) is more than invited \(5\)"),
        (lambda: response_rate(-1, 0), "invited is -1, below 0"),
        (lambda: response_rate(5.0, 1), "invited is 5.0, not a whole number"),
        (lambda: response_rate(True, 1), "invited is True, not a whole number"),
        (
            lambda: responsiveness([(at(8), at(9)), (at(9), None)]),
            "message 2 has no reply yet; give now=",
        ),
        (
            lambda: responsiveness([(at(8), at(9)), (datetime(2025, 3, 3, 9), None)], now=at(9)),
            "message 2's arrival is the naive datetime 2025-03-03T09:00:00; give an aware",
        ),
        (
            lambda: responsiveness([(at(8), date(2025, 3, 3))]),
            "message 1's reply is a date but message 1's arrival is an aware datetime",
        ),
        (
            lambda: responsiveness([(at(8), at(7))]),
            "message 1 is replied to .* before it arrives",
        ),
        (lambda: responsiveness([(at(8), at(9))], now=at(8, 30)), "replied to after now"),
        (lambda: responsiveness([at(8)]), r"message 1 is .* not a \(received_at"),
        (lambda: loop_closure_rate([(at(8), at(7), None)]), "item 1 is acknowledged before"),
        (lambda: loop_closure_rate([(at(8), None, at(7))]), "item 1 is done before it arrives"),
        (
            lambda: time_to_acknowledge([(at(8), None, None)]),
            "item 1 is not acknowledged yet; give now=",
        ),
        (
            lambda: time_to_acknowledge([(at(10), None, None)], now=at(9)),
            "item 1 arrives after now",
        ),
        (
            lambda: human_touch_share(["person", "bot"]),
            "interaction 2 is handled by 'bot', not 'person', 'automation' or None",
        ),
        (
            lambda: days_since_human_contact(date(2025, 3, 16), date(2025, 3, 15)),
            "the last human contact .* is after today",
        ),
        (
            lambda: days_since_human_contact(at(8), date(2025, 3, 15)),
            "the last human contact is an aware datetime but today is a date",
        ),
        (
            lambda: days_since_human_contact(datetime(2025, 3, 1), at(8)),
            "the last human contact is the naive datetime",
        ),
    ],
)
def test_bad_input_is_named_with_its_position_and_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- properties ---------------------------------------------------------------------------

START = at(0)
NOW = START + timedelta(days=10)
minutes = st.integers(0, 10 * 24 * 60)
messages = st.lists(
    st.tuples(minutes, st.one_of(st.none(), minutes)).map(
        lambda t: (
            START + timedelta(minutes=min(t[0], t[1] if t[1] is not None else t[0])),
            None if t[1] is None else START + timedelta(minutes=max(t)),
        )
    ),
    max_size=50,
)


@given(st.integers(0, 500), st.integers(0, 500), st.integers(1, 20))
def test_response_rate_is_the_share_answered(a, b, minimum):
    invited, answered = max(a, b), min(a, b)
    result = response_rate(invited, answered, minimum=minimum)
    assert result.enough == (invited >= minimum)
    if invited:
        assert result.value == pytest.approx(100 * answered / invited)
        assert 0 <= result.low <= result.value <= result.high <= 100


@given(messages)
def test_a_waiting_message_counts_as_if_answered_right_now(rows):
    answered_now = [(received, reply or NOW) for received, reply in rows]
    assert responsiveness(rows, NOW).value == responsiveness(answered_now, NOW).value


@given(messages)
def test_responsiveness_is_the_median_and_lies_in_its_interval(rows):
    result = responsiveness(rows, NOW)
    assert result.n == len(rows)
    if not rows:
        assert result.value is None
        return
    hours = [((reply or NOW) - received) / timedelta(hours=1) for received, reply in rows]
    assert result.value == pytest.approx(statistics.median(hours))
    assert result.low <= result.value <= result.high
    if all(reply is not None for _, reply in rows):
        assert result.parts["lower_bound"] == 0
    in_paris = [(a.astimezone(PARIS), b and b.astimezone(PARIS)) for a, b in rows]
    assert responsiveness(in_paris, NOW.astimezone(PARIS)) == result


follow_ups = st.lists(
    st.tuples(minutes, st.one_of(st.none(), minutes), st.one_of(st.none(), minutes)).map(
        lambda t: (
            START + timedelta(minutes=t[0]),
            None if t[1] is None else START + timedelta(minutes=max(t[0], t[1])),
            None if t[2] is None else START + timedelta(minutes=max(t[0], t[2])),
        )
    ),
    max_size=40,
)


@given(follow_ups)
def test_loop_closure_and_time_to_acknowledge_follow_their_definitions(items):
    closure, wait = loop_closure_rate(items), time_to_acknowledge(items, now=NOW)
    assert closure.n == wait.n == len(items)
    if not items:
        return
    done = sum(1 for _, _, d in items if d is not None)
    assert closure.value == pytest.approx(100 * done / len(items))
    assert 0 <= closure.low <= closure.value <= closure.high <= 100
    hours = [
        (min(t for t in (a, d) if t is not None) if (a or d) else NOW) - r for r, a, d in items
    ]
    assert wait.value == pytest.approx(statistics.median(hours) / timedelta(hours=1))


@given(
    st.lists(st.sampled_from(["person", "automation"]), max_size=50),
    st.integers(0, 20),
)
def test_unhandled_interactions_change_nothing_but_their_count(handled, unhandled):
    result = human_touch_share(handled + [None] * unhandled)
    without = human_touch_share(handled)
    assert (result.value, result.low, result.high, result.n) == (
        without.value,
        without.low,
        without.high,
        without.n,
    )
    assert result.parts["unhandled_count"] == unhandled
    if handled:
        assert result.value == pytest.approx(100 * handled.count("person") / len(handled))


@given(st.dates(date(2000, 1, 1), date(2030, 1, 1)), st.integers(0, 5000))
def test_days_since_contact_is_the_calendar_difference(last, gap):
    today = last + timedelta(days=gap)
    result = days_since_human_contact(last, today)
    assert result.value == gap and result.low == result.high == gap


@given(st.integers(0, 10**7), st.integers(-12, 12))
def test_days_since_contact_does_not_depend_on_the_time_zone(seconds, offset):
    last = START
    today = START + timedelta(seconds=seconds)
    zone = timezone(timedelta(hours=offset))
    assert (
        days_since_human_contact(last.astimezone(zone), today).value
        == days_since_human_contact(last, today).value
        == seconds // 86400
    )
