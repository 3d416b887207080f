"""Supplier metrics: hand-computed examples, then properties that hold for any deliveries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.metrics import defect_rate, on_time_rate

ON = date(2025, 3, 10)

# --- on time ------------------------------------------------------------------------------


def test_on_time_rate_counts_overdue_undelivered_ones_as_late():
    deliveries = [
        (date(2025, 3, 3), date(2025, 3, 3)),  # on the day: on time
        (date(2025, 3, 1), date(2025, 2, 27)),  # early: on time
        (date(2025, 3, 4), date(2025, 3, 6)),  # two days late
        (date(2025, 3, 5), None),  # not delivered, past due: late
        (date(2025, 3, 10), None),  # due today: pending
        (date(2025, 4, 1), None),  # not due: pending
    ]
    result = on_time_rate(deliveries, ON)
    assert result.value == 50 and result.n == 4 and not result.enough
    assert result.low == pytest.approx(15.004, abs=0.001)  # Wilson, 2 of 4
    assert result.high == pytest.approx(84.996, abs=0.001)
    assert result.parts == {
        "on_time_count": 2,
        "late_count": 1,
        "overdue_count": 1,
        "pending_count": 2,
        "mean_days_late": 2,
    }


# --- defects ------------------------------------------------------------------------------


def test_defect_rate_is_defective_over_delivered_quantity():
    result = defect_rate([(100, 2), (Decimal("50"), Decimal("1")), (50, 0), (None, 0)])
    assert result.value == pytest.approx(1.5) and result.n == 3
    # v = 3/2 · (0.5² + 0.25² + 0.75²) / 200² gives n_eff = 450, capped at the 200 units
    assert result.parts["effective_n"] == 200
    assert result.low == pytest.approx(0.5114, abs=0.0001)
    assert result.high == pytest.approx(4.3166, abs=0.0001)
    assert result.parts["unknown_quantity"] == 1 and result.parts["ppm"] == 15000
    assert result.parts["deliveries_with_defects"] == 2


def test_defects_in_one_bad_batch_are_less_certain_than_defects_spread_thin():
    one_bad_batch = defect_rate([(10, 10), (10, 0), (10, 0), (10, 0)])
    spread_thin = defect_rate([(10, 2.5)] * 4)
    assert one_bad_batch.value == spread_thin.value == 25
    assert one_bad_batch.parts["effective_n"] == pytest.approx(3)
    assert one_bad_batch.high - one_bad_batch.low > spread_thin.high - spread_thin.low


def test_deliveries_without_defects_do_not_claim_certainty():
    result = defect_rate([(1000, 0)] * 5)
    assert result.value == 0 and result.low == 0
    assert result.high == pytest.approx(43.45, abs=0.01)  # Wilson, 0 of 5 deliveries


# --- the edges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: on_time_rate([], ON),
        lambda: on_time_rate([(date(2025, 4, 1), None)], ON),
        lambda: defect_rate([]),
        lambda: defect_rate([(None, 0)]),
    ],
)
def test_no_deliveries_give_no_value_rather_than_zero(call):
    result = call()
    assert result.value is None and result.n == 0 and not result.enough


def test_one_delivery_and_identical_deliveries():
    one = on_time_rate([(ON, ON)], ON)
    assert one.value == 100 and one.n == 1 and one.high == 100 and one.low < 30
    same = defect_rate([(100, 5)] * 5)
    assert same.value == 5 and same.enough and same.parts["effective_n"] == 500


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: on_time_rate([(ON,)], ON), r"delivery 1 is .* not a \(promised_on"),
        (lambda: on_time_rate([(None, ON)], ON), "delivery 1's promised date is None, not a date"),
        (
            lambda: on_time_rate([(ON, ON), (ON, ON + timedelta(days=1))], ON),
            "delivery 2 was delivered on 2025-03-11, after the date measured",
        ),
        (lambda: defect_rate([(10, 11)]), "delivery 1 has 11 defective out of 10 delivered"),
        (lambda: defect_rate([(10, 1), (0, 0)]), "delivery 2's quantity is 0, not above 0"),
        (lambda: defect_rate([(10, -1)]), "delivery 1's defective quantity is -1, below 0"),
        (lambda: defect_rate([(10, None)]), "delivery 1's defective quantity is None"),
        (lambda: defect_rate([("10", 1)]), "delivery 1's quantity is '10', not a number"),
    ],
)
def test_bad_rows_are_named_with_their_position_and_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- properties ---------------------------------------------------------------------------

days = st.integers(-60, 60).map(lambda d: ON + timedelta(days=d))
deliveries = st.lists(
    st.tuples(days, st.one_of(st.none(), days)).filter(lambda t: t[1] is None or t[1] <= ON),
    max_size=40,
)


@given(deliveries)
def test_on_time_counts_add_up_and_pending_ones_change_nothing(rows):
    result = on_time_rate(rows, ON)
    due = [(p, d) for p, d in rows if d is not None or p < ON]
    assert result.n == len(due)
    if not due:
        assert result.value is None
        return
    on_time = sum(1 for p, d in due if d is not None and d <= p)
    assert result.value == pytest.approx(100 * on_time / len(due))
    parts = result.parts
    assert parts["on_time_count"] + parts["late_count"] + parts["overdue_count"] == result.n
    assert 0 <= result.low <= result.value <= result.high <= 100
    later = on_time_rate(rows + [(ON + timedelta(days=5), None)], ON)
    assert later.value == result.value


lots = st.lists(
    st.tuples(st.integers(1, 500), st.integers(0, 500)).map(lambda t: (t[0], min(t))),
    min_size=1,
    max_size=30,
)


@given(lots, st.integers(2, 1000))
def test_the_defect_rate_reads_the_same_in_any_unit(rows, factor):
    result = defect_rate(rows)
    assert result.value == pytest.approx(100 * sum(d for _, d in rows) / sum(q for q, _ in rows))
    assert 0 <= result.low <= result.value + 1e-9 and result.value <= result.high + 1e-9
    assert result.high <= 100
    in_grams = defect_rate([(q * factor, d * factor) for q, d in rows])
    assert in_grams.value == pytest.approx(result.value)
