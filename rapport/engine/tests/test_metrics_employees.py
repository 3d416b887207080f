"""Employee metrics: hand-computed examples, then properties that hold for any staff."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.metrics import absenteeism_rate, engagement_index, favourable, turnover

JAN, MAR, APR = date(2025, 1, 1), date(2025, 3, 1), date(2025, 4, 1)
LONG_AGO = date(2020, 1, 1)

# --- engagement ---------------------------------------------------------------------------


def test_engagement_averages_each_respondents_favourable_share():
    respondents = [
        [5, 4, 2],  # 2 of 3 favourable, mean 3.67 → 66.7
        [3, 3, 5],  # 1 of 3, 66.7
        {"workload": 4, "growth": None, "support": 4},  # 2 of 2, 75
        [None, None],  # answered nothing: not counted
        (1, 2, 3),  # 0 of 3, 25
    ]
    result = engagement_index(respondents)
    assert result.value == pytest.approx(50) and result.n == 4 and not result.enough
    # s = 43.03 over 4 respondents: 50 ± 3.182 · 21.52 runs past both ends of the scale
    assert (result.low, result.high) == (0, 100)
    assert result.parts["mean_100"] == pytest.approx(58.333, abs=0.001)
    assert result.parts["mean_100_low"] == pytest.approx(22.43, abs=0.01)
    assert result.parts["answers"] == 11 and result.parts["blank_respondents"] == 1


def test_a_respondent_weighs_the_same_however_many_items_they_answered():
    assert engagement_index([[5], [1, 1, 1, 1, 1, 1]]).value == 50


# --- turnover -----------------------------------------------------------------------------


def staff_for_the_first_quarter():
    return [
        *[(i, LONG_AGO, None) for i in range(16)],
        ("ann", LONG_AGO, date(2025, 1, 31)),  # 31 days in the quarter
        ("ben", LONG_AGO, date(2025, 2, 28)),  # 59 days
        ("cat", date(2025, 3, 2), None),  # 30 days
    ]


def test_turnover_is_exits_over_average_headcount_annualised():
    exits = [
        ("ann", date(2025, 1, 31), "voluntary"),
        ("ben", date(2025, 2, 28), "exit_involuntary"),
        ("dan", date(2024, 12, 31), "voluntary"),  # before the quarter
    ]
    result = turnover(exits, staff_for_the_first_quarter(), JAN, APR)
    # average headcount = (16 · 90 + 31 + 59 + 30) / 90 = 17.33; 2 / 17.33 · 365 / 90
    assert result.value == pytest.approx(46.795, abs=0.001)
    assert result.n == 19 and result.enough
    assert result.parts["voluntary"] == pytest.approx(23.397, abs=0.001)
    assert result.parts["involuntary"] == pytest.approx(23.397, abs=0.001)
    assert result.parts["average_headcount"] == pytest.approx(17.333, abs=0.001)
    assert result.parts["headcount_start"] == 18 and result.parts["headcount_end"] == 17
    assert result.parts["period_rate"] == pytest.approx(11.538, abs=0.001)
    assert result.parts["days"] == 90
    # Poisson score interval for 2 exits over 1560/365 person-years
    assert result.low == pytest.approx(12.833, abs=0.001)
    assert result.high == pytest.approx(170.637, abs=0.001)
    voluntary = turnover(exits, staff_for_the_first_quarter(), JAN, APR, kind="voluntary")
    assert voluntary.value == pytest.approx(23.397, abs=0.001)


def test_a_year_with_no_exits_is_a_true_zero_with_room_above():
    staff = [(i, LONG_AGO, None) for i in range(10)]
    result = turnover([], staff, JAN, date(2026, 1, 1))
    assert result.value == 0 and result.low == 0
    assert result.high == pytest.approx(38.415, abs=0.001)  # 1.96² / 10 person-years


# --- absenteeism --------------------------------------------------------------------------


def test_absenteeism_is_days_lost_over_working_days_scheduled():
    staff = [
        ("a", LONG_AGO, None),
        ("b", LONG_AGO, None),
        ("c", date(2025, 3, 24), None),  # Mar 24–28 and 31: 6 working days
        ("d", LONG_AGO, date(2025, 2, 28)),  # gone before March
    ]
    absences = [
        ("a", date(2025, 3, 3), 2),
        ("a", date(2025, 3, 20), Decimal("0.5")),
        ("c", date(2025, 3, 25), 1.0),
        ("d", date(2025, 2, 3), 5),  # February
    ]
    result = absenteeism_rate(absences, staff, MAR, APR, holidays=[date(2025, 3, 17)])
    # 21 weekdays in March 2025, less the holiday: 20 + 20 + 6 = 46 scheduled, 3.5 lost
    assert result.value == pytest.approx(7.6087, abs=0.0001) and result.n == 3
    assert result.parts["scheduled_days"] == 46 and result.parts["days_lost"] == 3.5
    assert result.parts["absent_people"] == 2
    assert result.parts["effective_n"] == pytest.approx(27.793, abs=0.001)
    assert (result.low, result.high) == (
        pytest.approx(2.180, abs=0.001),
        pytest.approx(23.333, abs=0.001),
    )


def test_a_six_day_week_schedules_saturdays():
    staff = [("a", LONG_AGO, None)]
    result = absenteeism_rate([("a", MAR, 1)], staff, MAR, APR, weekdays=range(6))
    assert result.parts["scheduled_days"] == 26  # 21 weekdays and 5 Saturdays


# --- the edges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: engagement_index([]),
        lambda: engagement_index([[None], []]),
        lambda: turnover([], [], JAN, APR),
        lambda: turnover([("a", JAN, "voluntary")], [("a", date(2025, 5, 1), None)], JAN, APR),
        lambda: absenteeism_rate([], [], JAN, APR),
        lambda: absenteeism_rate([], [("a", LONG_AGO, None)], MAR, MAR + timedelta(days=2)),
    ],
)
def test_no_data_gives_no_value_rather_than_zero(call):
    result = call()
    assert result.value is None and result.n == 0 and not result.enough


def test_one_employee_and_identical_answers():
    one = turnover([], [("a", LONG_AGO, None)], JAN, APR)
    assert one.value == 0 and one.n == 1 and not one.enough
    same = engagement_index([[4, 4]] * 6)
    assert same.value == 100 and (same.low, same.high) == (100, 100) and same.enough
    everyone_absent = absenteeism_rate(
        [("a", MAR, 21)], [("a", LONG_AGO, None)], MAR, APR, minimum=1
    )
    assert everyone_absent.value == 100 and everyone_absent.high == 100


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: engagement_index([[5, 4], [6]]), "respondent 2: answer 1 is 6, outside 1–5"),
        (lambda: engagement_index([5]), "respondent 1 is 5, not a list of answers"),
        (lambda: engagement_index(["54"]), "respondent 1 is '54', not a list"),
        (
            lambda: turnover([("a", JAN, "retired")], [], JAN, APR),
            "exit 1 is of kind 'retired', not voluntary or involuntary",
        ),
        (lambda: turnover([], [], JAN, APR, kind="both"), "kind must be all, voluntary"),
        (
            lambda: turnover([], [("a", MAR, JAN)], JAN, APR),
            r"employee 1 leaves \(2025-01-01\) before joining",
        ),
        (
            lambda: turnover([], [("a", JAN, None), ("b", JAN, None), ("a", MAR, None)], JAN, APR),
            "employee 3 overlaps employee 1: 'a' cannot be employed twice",
        ),
        (
            lambda: absenteeism_rate([("x", MAR, 1)], [("a", LONG_AGO, None)], MAR, APR),
            "absence 1 is for 'x', who has no working day in the period",
        ),
        (
            lambda: absenteeism_rate([("a", MAR, -1)], [("a", LONG_AGO, None)], MAR, APR),
            "absence 1's days lost is -1, below 0",
        ),
        (
            lambda: absenteeism_rate(
                [("a", MAR, 15), ("a", APR - timedelta(days=1), 7)],
                [("a", LONG_AGO, None)],
                MAR,
                APR,
            ),
            "absence 2 takes 'a' to 22 days lost, more than the 21 working days",
        ),
        (
            lambda: absenteeism_rate([], [], MAR, APR, weekdays=[0, 7]),
            "weekday 2 is 7, not 0",
        ),
        (lambda: absenteeism_rate([], [], MAR, APR, holidays=["2025-03-17"]), "holiday 1 is"),
    ],
)
def test_bad_rows_are_named_with_their_position_and_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- properties ---------------------------------------------------------------------------

likert = st.one_of(st.none(), st.integers(1, 5))


@given(st.lists(st.integers(1, 5), min_size=1, max_size=40))
def test_engagement_on_one_item_is_the_favourable_share(answers):
    result = engagement_index([[a] for a in answers])
    assert result.value == pytest.approx(favourable(answers).value)
    assert result.parts["mean_100"] == pytest.approx(favourable(answers).parts["mean_100"])


@given(st.lists(st.lists(likert, max_size=6), max_size=30))
def test_engagement_stays_on_its_scale_and_ignores_the_order_of_respondents(respondents):
    result = engagement_index(respondents)
    assert result == engagement_index(list(reversed(respondents)))
    if result.value is not None:
        assert 0 <= result.low <= result.value <= result.high <= 100
        assert 0 <= result.parts["mean_100"] <= 100


quarter_days = st.integers(-40, 130).map(lambda d: JAN + timedelta(days=d))
spells = st.lists(
    st.tuples(quarter_days, st.one_of(st.none(), st.integers(0, 200))), min_size=1, max_size=12
).map(
    lambda rows: [
        (i, first, None if length is None else first + timedelta(days=length))
        for i, (first, length) in enumerate(rows)
    ]
)
exit_rows = st.lists(
    st.tuples(st.integers(0, 11), quarter_days, st.sampled_from(["voluntary", "involuntary"])),
    max_size=8,
)


def employed(staff, day):
    return sum(1 for _, first, last in staff if first <= day and (last is None or day <= last))


@given(exit_rows, spells)
def test_turnover_matches_counting_heads_day_by_day(exits, staff):
    result = turnover(exits, staff, JAN, APR)
    average = sum(employed(staff, JAN + timedelta(days=d)) for d in range(90)) / 90
    counted = sum(1 for _, day, _ in exits if JAN <= day < APR)
    if average == 0:
        assert result.value is None
        return
    assert result.value == pytest.approx(counted / average * 365 / 90 * 100)
    assert result.value == pytest.approx(result.parts["voluntary"] + result.parts["involuntary"])
    assert 0 <= result.low <= result.value <= result.high


@given(spells, st.lists(st.tuples(st.integers(0, 11), quarter_days, st.integers(0, 2))))
def test_absenteeism_matches_counting_working_days_one_by_one(staff, absences):
    def scheduled(first, last):
        days = [JAN + timedelta(days=d) for d in range(90)]
        return sum(
            1 for d in days if d.weekday() < 5 and first <= d and (last is None or d <= last)
        )

    per_person = {i: scheduled(first, last) for i, first, last in staff}
    kept = [
        (i, day, days)
        for i, day, days in absences
        if i in per_person and per_person[i] >= 2 * len(absences)
    ]
    result = absenteeism_rate(kept, staff, JAN, APR)
    total = sum(per_person.values())
    if total == 0:
        assert result.value is None
        return
    lost = sum(days for _, day, days in kept if JAN <= day < APR)
    assert result.value == pytest.approx(100 * lost / total)
    assert 0 <= result.low <= result.value <= result.high <= 100
