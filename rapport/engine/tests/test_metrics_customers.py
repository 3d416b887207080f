"""Customer metrics: hand-computed examples, then properties that hold for any purchases."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.metrics import (
    contractual_churn,
    contractual_retention,
    historical_clv,
    historical_clv_by_cohort,
    noncontractual_churn,
    noncontractual_retention,
    referral_rate,
    repeat_purchase_rate,
)

JAN, FEB, MAR, APR = (date(2025, m, 1) for m in (1, 2, 3, 4))
WILSON_3_OF_4 = (pytest.approx(30.06, abs=0.01), pytest.approx(95.44, abs=0.01))


# --- contractual retention and churn ------------------------------------------------------


def test_contractual_retention_follows_the_customers_active_at_the_start():
    contracts = [
        ("a", date(2024, 5, 1), None),  # retained
        ("b", date(2024, 6, 1), date(2025, 1, 20)),  # lost in January
        ("c", date(2024, 7, 1), date(2025, 2, 1)),  # active on Feb 1, its last day: retained
        ("d", date(2024, 12, 1), None),  # retained
        ("e", date(2025, 1, 10), None),  # joined in January: not in the base
        ("f", date(2023, 1, 1), date(2024, 12, 31)),  # gone before the period
    ]
    result = contractual_retention(contracts, JAN, FEB)
    assert result.value == 75 and result.n == 4 and not result.enough
    assert (result.low, result.high) == WILSON_3_OF_4
    assert result.parts == {
        "customers_at_start": 4,
        "retained_count": 3,
        "lost_count": 1,
        "customers_at_end": 4,
        "gained_count": 1,
    }
    churn = contractual_churn(contracts, JAN, FEB)
    assert churn.value == 25
    assert churn.low == pytest.approx(100 - result.high) and churn.high == pytest.approx(
        100 - result.low
    )


def test_a_customer_with_a_new_contract_is_still_active():
    contracts = [("a", date(2024, 1, 1), date(2025, 1, 15)), ("a", date(2025, 1, 16), None)]
    assert contractual_retention(contracts, JAN, FEB).value == 100


def test_chained_periods_count_each_departure_once():
    contracts = [("a", date(2024, 1, 1), date(2025, 1, 31)), ("b", date(2024, 1, 1), None)]
    january, february = (
        contractual_churn(contracts, JAN, FEB),
        contractual_churn(contracts, FEB, MAR),
    )
    assert january.parts["lost_count"] == 1 and february.parts["lost_count"] == 0


# --- non-contractual ----------------------------------------------------------------------


def test_noncontractual_retention_compares_two_windows_before_the_date():
    on = date(2025, 6, 1)  # current window: Mar 3 – May 31; previous: Dec 3 – Mar 2
    purchases = [
        ("a", date(2025, 1, 5)),
        ("a", date(2025, 5, 1)),  # retained
        ("b", date(2025, 2, 1)),  # lost
        ("c", date(2024, 12, 3)),  # first day of the previous window
        ("c", date(2025, 5, 31)),  # last day of the current one: retained
        ("d", date(2025, 3, 3)),  # new
        ("e", date(2024, 12, 2)),  # before both windows
        ("f", date(2025, 6, 1)),  # on the date itself: not looked at
    ]
    result = noncontractual_retention(purchases, on)
    assert result.value == pytest.approx(200 / 3) and result.n == 3
    assert result.parts["gained_count"] == 1 and result.parts["active_now"] == 3
    assert noncontractual_churn(purchases, on).value == pytest.approx(100 / 3)
    shorter = noncontractual_retention(purchases, on, window_days=30)  # May 2–31 vs Apr 2–May 1
    assert shorter.n == 1 and shorter.value == 0 and shorter.parts["active_now"] == 1


# --- repeat purchase ----------------------------------------------------------------------


def test_repeat_purchase_rate_counts_customers_who_came_back_in_the_period():
    purchases = [
        ("a", date(2025, 3, 1)),
        ("a", date(2025, 3, 1)),  # twice on one day is twice
        ("b", date(2025, 3, 2)),
        ("b", date(2025, 4, 1)),  # after the period
        ("c", date(2025, 3, 31), Decimal("12.50")),  # an amount may ride along
        ("c", date(2025, 3, 5)),
        ("d", date(2025, 3, 9)),
    ]
    result = repeat_purchase_rate(purchases, MAR, APR)
    assert result.value == 50 and result.n == 4
    assert result.parts["purchases"] == 6 and result.parts["purchases_per_customer"] == 1.5


# --- lifetime value -----------------------------------------------------------------------


def test_historical_clv_is_the_mean_spend_per_customer_with_a_t_interval():
    purchases = [
        ("a", date(2025, 1, 2), 10),
        ("a", date(2025, 2, 2), Decimal("20.00")),
        ("b", date(2025, 1, 3), 30.0),
        ("c", date(2025, 2, 9), 50),
        ("c", date(2025, 3, 1), -5),  # a refund, on ``until``: left out with the next
        ("d", date(2025, 3, 2), 1000),
    ]
    result = historical_clv(purchases, until=MAR)
    # per customer 30, 30, 50: mean 36.67, s = 11.547, t(2) = 4.303
    assert result.value == pytest.approx(110 / 3) and result.n == 3
    assert result.low == pytest.approx(7.98, abs=0.01)
    assert result.high == pytest.approx(65.35, abs=0.01)
    assert result.parts["median"] == 30 and result.parts["purchases"] == 4
    assert historical_clv(purchases).parts["revenue"] == 1105


def test_clv_per_cohort_groups_customers_by_their_first_purchase():
    purchases = [
        ("a", date(2025, 1, 2), 10),
        ("a", date(2025, 5, 2), 20),
        ("b", date(2025, 2, 3), 30),
        ("c", date(2025, 4, 3), 40),
    ]
    by_month = historical_clv_by_cohort(purchases)
    assert list(by_month) == ["2025-01", "2025-02", "2025-04"]
    assert by_month["2025-01"].value == 30 and by_month["2025-01"].low is None
    by_quarter = historical_clv_by_cohort(purchases, cohort="quarter")
    assert by_quarter["2025-Q1"].value == 30 and by_quarter["2025-Q1"].n == 2
    assert historical_clv_by_cohort(purchases, cohort="year")["2025"].n == 3


# --- referral -----------------------------------------------------------------------------


def test_referral_rate_is_the_share_of_new_customers_who_were_referred():
    customers = [
        ("a", date(2025, 3, 1), "z"),
        ("b", date(2025, 3, 2), None),
        ("c", date(2025, 3, 3), True),
        ("d", date(2025, 3, 4), ""),
        ("e", date(2025, 2, 28), "z"),  # not new in March
    ]
    result = referral_rate(customers, MAR, APR)
    assert result.value == 50 and result.n == 4
    assert result.parts == {"new_customers": 4, "referred_count": 2}


# --- the edges every metric shares --------------------------------------------------------

CALLS = {
    "contractual_retention": lambda rows: contractual_retention(rows, JAN, FEB),
    "contractual_churn": lambda rows: contractual_churn(rows, JAN, FEB),
    "noncontractual_retention": lambda rows: noncontractual_retention(rows, APR),
    "noncontractual_churn": lambda rows: noncontractual_churn(rows, APR),
    "repeat_purchase_rate": lambda rows: repeat_purchase_rate(rows, JAN, FEB),
    "historical_clv": lambda rows: historical_clv(rows),
    "referral_rate": lambda rows: referral_rate(rows, JAN, FEB),
}


@pytest.mark.parametrize("name", CALLS)
def test_no_rows_give_no_value_rather_than_zero(name):
    result = CALLS[name]([])
    assert result.value is None and result.n == 0 and not result.enough
    assert result.low is None and result.high is None


def test_one_customer_gives_a_value_that_is_not_enough():
    assert contractual_retention([("a", JAN, None)], JAN, FEB).value == 100
    assert repeat_purchase_rate([("a", JAN)], JAN, FEB).value == 0
    one = historical_clv([("a", JAN, 12)])
    assert one.value == 12 and one.n == 1 and one.low is None and not one.enough
    assert historical_clv_by_cohort([]) == {}


def test_identical_customers_give_a_zero_width_mean_interval():
    result = historical_clv([(i, JAN, 25) for i in range(8)])
    assert result.value == 25 and (result.low, result.high) == (25, 25) and result.enough


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: contractual_retention([("a", JAN)], JAN, FEB), "contract 1 is .* not a"),
        (
            lambda: contractual_retention([("a", FEB, JAN)], JAN, FEB),
            r"contract 1 ends \(2025-01-01\) before it begins",
        ),
        (lambda: contractual_retention([], FEB, JAN), "period ends .* before it starts"),
        (lambda: contractual_retention([(None, JAN, None)], JAN, FEB), "contract 1 has no id"),
        (
            lambda: repeat_purchase_rate([("a", JAN), ("b", "2025-01-02")], JAN, FEB),
            "purchase 2 is '2025-01-02', not a date",
        ),
        (
            lambda: repeat_purchase_rate([("a", datetime(2025, 1, 2, tzinfo=UTC))], JAN, FEB),
            "purchase 1 is the datetime .* not a date; give its calendar date",
        ),
        (lambda: repeat_purchase_rate(["a"], JAN, FEB), "purchase 1 is 'a', not a"),
        (lambda: historical_clv([("a", JAN)]), r"purchase 1 is .* not a \(customer, date, amount"),
        (
            lambda: historical_clv([("a", JAN, 1), ("b", JAN, float("nan"))]),
            "purchase 2's amount is nan, not a finite number",
        ),
        (lambda: historical_clv([("a", JAN, "12")]), "purchase 1's amount is '12', not a number"),
        (lambda: historical_clv_by_cohort([], cohort="week"), "cohort must be one of"),
        (
            lambda: noncontractual_retention([], APR, window_days=0),
            "window must be a whole number of days",
        ),
        (
            lambda: referral_rate([("a", JAN, None), ("a", FEB, None)], JAN, MAR),
            "customer 2 repeats customer 'a'",
        ),
        (lambda: referral_rate([], JAN, FEB, minimum=0), "minimum must be at least 1"),
    ],
)
def test_bad_rows_are_named_with_their_position_and_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- properties ---------------------------------------------------------------------------

customers = st.sampled_from("abcdefgh")
days_2025 = st.dates(date(2024, 10, 1), date(2025, 3, 31))
purchases = st.lists(st.tuples(customers, days_2025), max_size=60)
contracts = st.lists(
    st.tuples(customers, days_2025, st.one_of(st.none(), st.integers(0, 120))).map(
        lambda t: (t[0], t[1], None if t[2] is None else t[1] + timedelta(days=t[2]))
    ),
    max_size=30,
)


@given(contracts)
def test_retention_and_churn_add_up_to_100_and_follow_the_definition(rows):
    retention, churn = contractual_retention(rows, JAN, MAR), contractual_churn(rows, JAN, MAR)

    def active(day):
        return {c for c, first, last in rows if first <= day and (last is None or day <= last)}

    base = active(JAN)
    assert retention.n == churn.n == len(base)
    if not base:
        assert retention.value is None and churn.value is None
        return
    assert retention.value == pytest.approx(100 * len(base & active(MAR)) / len(base))
    assert retention.value + churn.value == pytest.approx(100)
    assert 0 <= retention.low <= retention.value <= retention.high <= 100
    assert contractual_retention(list(reversed(rows)) + rows, JAN, MAR) == retention


@given(purchases, st.integers(-400, 400))
def test_noncontractual_retention_depends_only_on_the_gaps_between_dates(rows, shift):
    moved = [(c, d + timedelta(days=shift)) for c, d in rows]
    on = APR + timedelta(days=shift)
    retention = noncontractual_retention(rows, APR)
    assert noncontractual_retention(moved, on) == retention
    churn = noncontractual_churn(rows, APR)
    assert churn.n == retention.n
    if retention.value is not None:
        assert retention.value + churn.value == pytest.approx(100)
        assert churn.low == pytest.approx(100 - retention.high)


@given(purchases)
def test_repeat_purchase_rate_matches_counting_by_hand(rows):
    result = repeat_purchase_rate(rows, JAN, MAR)
    counts = Counter(c for c, d in rows if JAN <= d < MAR)
    assert result.n == len(counts)
    if counts:
        assert result.value == pytest.approx(
            100 * sum(1 for v in counts.values() if v > 1) / len(counts)
        )
        assert result.low <= result.value <= result.high
        # Every purchase twice: every buying customer is a repeat customer.
        assert repeat_purchase_rate(rows + rows, JAN, MAR).value == 100


amounts = st.integers(0, 500).map(lambda cents: Decimal(cents) / 4)


@given(st.lists(st.tuples(customers, days_2025, amounts), max_size=60))
def test_lifetime_value_is_revenue_over_customers_and_cohorts_partition_them(rows):
    result = historical_clv(rows)
    spenders = {c for c, _, _ in rows}
    assert result.n == len(spenders)
    cohorts = historical_clv_by_cohort(rows)
    assert sum(r.n for r in cohorts.values()) == result.n
    if not rows:
        return
    assert result.value == pytest.approx(float(sum(a for _, _, a in rows)) / len(spenders))
    if result.n > 1:
        assert result.low <= result.value <= result.high
    doubled = historical_clv([(c, d, 2 * a) for c, d, a in rows])
    assert doubled.value == pytest.approx(2 * result.value)


@given(st.lists(st.tuples(days_2025, st.one_of(st.none(), st.just("ref"))), max_size=40))
def test_referral_rate_matches_counting_by_hand(rows):
    table = [(i, day, ref) for i, (day, ref) in enumerate(rows)]
    result = referral_rate(table, JAN, MAR)
    new = [ref for _, day, ref in table if JAN <= day < MAR]
    assert result.n == len(new)
    if new:
        assert result.value == pytest.approx(100 * new.count("ref") / len(new))
        assert 0 <= result.low <= result.value <= result.high <= 100
