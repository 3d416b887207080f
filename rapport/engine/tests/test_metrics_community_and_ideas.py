"""Community participation and innovation output: examples, edges and properties."""

import statistics
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.metrics import community_participation, innovation_output, time_to_implement

YEAR = (date(2025, 1, 1), date(2026, 1, 1))
Q1 = (date(2025, 1, 1), date(2025, 4, 1))

# --- community ----------------------------------------------------------------------------


def test_participation_is_the_share_of_staff_who_took_part():
    events = [
        (date(2025, 5, 3), 120, ["ann", "bo"]),
        (date(2025, 6, 1), None, ["ann", "zed"]),  # zed left last year
        (date(2024, 12, 31), 50, ["cy"]),  # before the year
    ]
    result = community_participation(events, ["ann", "bo", "cy", "di", "ann"], *YEAR)
    assert result.value == 50 and result.n == 4 and not result.enough
    assert result.low == pytest.approx(15.004, abs=0.001)  # Wilson, 2 of 4
    assert result.parts == {
        "events": 2,
        "attendance": 120,
        "events_without_attendance": 1,
        "mean_attendance": 120,
        "staff_taking_part": 2,
        "others_taking_part": 1,
        "staff": 4,
    }


def test_staff_but_no_events_is_a_true_zero():
    result = community_participation([], ["ann", "bo", "cy", "di", "ed"], *YEAR)
    assert result.value == 0 and result.n == 5 and result.enough and result.high > 40


# --- ideas --------------------------------------------------------------------------------

IDEAS = [
    (date(2025, 1, 6), date(2025, 2, 5)),  # 30 days
    (date(2025, 1, 9), None),
    (date(2025, 1, 10), date(2025, 1, 20)),  # 10 days
    (date(2025, 2, 1), date(2025, 2, 3)),  # 2 days
    (date(2024, 12, 30), date(2025, 1, 2)),  # submitted before the quarter
    (date(2025, 3, 31), None),
]


def test_innovation_output_is_the_share_of_the_periods_ideas_implemented():
    result = innovation_output(IDEAS, *Q1)
    assert result.value == 60 and result.n == 5 and result.enough
    assert result.parts == {"ideas": 5, "implemented_count": 3, "median_days_to_implement": 10}


def test_time_to_implement_is_the_median_over_implemented_ideas():
    result = time_to_implement(IDEAS, *Q1)
    assert result.value == 10 and result.n == 3 and not result.enough
    assert (result.low, result.high) == (2, 30) and result.parts["coverage"] == 0.75


def test_ideas_may_carry_aware_times_with_aware_period_bounds():
    start = datetime(2025, 1, 1, tzinfo=UTC)
    ideas = [(start + timedelta(hours=6), start + timedelta(hours=42))]
    result = time_to_implement(ideas, start, start + timedelta(days=90))
    assert result.value == 1.5


# --- the edges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: community_participation([], [], *YEAR),
        lambda: community_participation([(date(2025, 5, 3), 10, ["a"])], [], *YEAR),
        lambda: innovation_output([], *Q1),
        lambda: innovation_output([(date(2025, 6, 1), None)], *Q1),
        lambda: time_to_implement([(date(2025, 1, 6), None)], *Q1),
    ],
)
def test_nothing_to_measure_gives_no_value_rather_than_zero(call):
    result = call()
    assert result.value is None and result.n == 0 and not result.enough


def test_one_idea_and_identical_ideas():
    one = innovation_output([(date(2025, 1, 6), None)], *Q1)
    assert one.value == 0 and one.n == 1 and one.high > 70
    same = time_to_implement([(date(2025, 1, 6), date(2025, 1, 9))] * 6, *Q1)
    assert same.value == 3 and (same.low, same.high) == (3, 3) and same.enough


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: community_participation([(date(2025, 5, 3), -1, [])], [], *YEAR),
            "event 1's attendance is -1, below 0",
        ),
        (
            lambda: community_participation([(date(2025, 5, 3), 3, "ann")], [], *YEAR),
            "event 1's staff is 'ann', not a list of ids",
        ),
        (
            lambda: community_participation([(date(2025, 5, 3), 3, [None])], [], *YEAR),
            "event 1's staff member 1 has no id",
        ),
        (lambda: community_participation([], ["a", None], *YEAR), "staff member 2 has no id"),
        (
            lambda: innovation_output([(date(2025, 2, 1), date(2025, 1, 1))], *Q1),
            r"idea 1 is implemented \(2025-01-01\) before it is submitted",
        ),
        (
            lambda: innovation_output([(datetime(2025, 2, 1, tzinfo=UTC), None)], *Q1),
            "idea 1's submission is an aware datetime but the period's start is a date",
        ),
        (lambda: innovation_output([], Q1[1], Q1[0]), "the period ends .* before it starts"),
        (lambda: time_to_implement([(date(2025, 2, 1),)], *Q1), "idea 1 is .* not a"),
    ],
)
def test_bad_input_is_named_with_its_position_and_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- properties ---------------------------------------------------------------------------

people = st.sampled_from(["ann", "bo", "cy", "di", "ed", "fay"])
event_days = st.dates(date(2024, 11, 1), date(2026, 2, 1))
events = st.lists(
    st.tuples(event_days, st.one_of(st.none(), st.integers(0, 300)), st.lists(people)),
    max_size=15,
)


@given(events, st.lists(people, max_size=6), st.lists(st.sampled_from(["x", "y"])))
def test_participation_counts_distinct_staff_and_ignores_outsiders(rows, staff, outsiders):
    result = community_participation(rows, staff, *YEAR)
    assert result.n == len(set(staff))
    in_year = [r for r in rows if YEAR[0] <= r[0] < YEAR[1]]
    assert result.parts["events"] == len(in_year)
    with_outsiders = [(d, a, [*p, *outsiders]) for d, a, p in rows]
    assert community_participation(with_outsiders, staff, *YEAR).value == result.value
    if staff:
        took_part = {p for _, _, ps in in_year for p in ps} & set(staff)
        assert result.value == pytest.approx(100 * len(took_part) / len(set(staff)))
        assert 0 <= result.low <= result.value <= result.high <= 100


idea_rows = st.lists(
    st.tuples(
        st.dates(date(2024, 12, 1), date(2025, 4, 30)), st.one_of(st.none(), st.integers(0, 90))
    ),
    max_size=40,
).map(lambda rows: [(d, None if k is None else d + timedelta(days=k)) for d, k in rows])


@given(idea_rows)
def test_innovation_output_and_time_to_implement_follow_their_definitions(ideas):
    output, speed = innovation_output(ideas, *Q1), time_to_implement(ideas, *Q1)
    in_quarter = [(s, i) for s, i in ideas if Q1[0] <= s < Q1[1]]
    assert output.n == output.parts["ideas"] == len(in_quarter)
    days = [(i - s).days for s, i in in_quarter if i is not None]
    assert speed.n == len(days)
    if in_quarter:
        assert output.value == pytest.approx(100 * len(days) / len(in_quarter))
        assert 0 <= output.low <= output.value <= output.high <= 100
    if days:
        assert speed.value == pytest.approx(statistics.median(days))
        assert speed.low <= speed.value <= speed.high
        assert output.parts["median_days_to_implement"] == speed.value
