"""The pieces every metric shares: intervals, the empty result, and the checks on times."""

import doctest
import importlib
import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rapport.engine.metrics as metrics
from rapport.engine.metrics import scores
from rapport.engine.metrics._common import (
    _clustered_share,
    _exact_median_ranks,
    _median_ranks,
    _median_result,
    _Moments,
    _poisson_rate_interval,
    _working_days,
)

MODULES = ("scores", "customers", "employees", "suppliers", "relationships", "community", "ideas")


@pytest.mark.parametrize("module", MODULES)
def test_the_examples_in_the_docstrings_are_true(module):
    found = importlib.import_module(f"rapport.engine.metrics.{module}")
    failed, attempted = doctest.testmod(found, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0


def test_every_public_function_is_exported_and_documented_in_docs():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "metrics.md").read_text()
    functions = [name for name in metrics.__all__ if callable(getattr(metrics, name))]
    functions.remove("Result")
    missing = [name for name in functions if f"`{name}(" not in doc]
    assert not missing, f"not in docs/metrics.md: {missing}"
    for name in functions:
        assert getattr(metrics, name).__doc__, name


def test_the_survey_scores_keep_their_names_where_they_were():
    assert scores.Result is metrics.Result and scores.wilson is metrics.wilson
    assert scores.MINIMUM == 5
    assert round(scores.Z95, 3) == 1.96


# --- the median's interval ----------------------------------------------------------------


@pytest.mark.parametrize(
    "n, rank, coverage",
    [
        (5, 1, 1 - 2 / 32),  # below six: the range, which covers only 93.75%
        (6, 1, 1 - 2 / 64),
        (10, 2, 1 - 2 * 11 / 1024),  # P(B ≤ 1) = 11/1024, P(B ≤ 2) = 56/1024 > 2.5%
        (20, 6, 0.9586),  # the textbook [x₍₆₎, x₍₁₅₎]
        (100, 40, 0.9648),  # [x₍₄₀₎, x₍₆₁₎]
    ],
)
def test_the_median_interval_uses_the_published_order_statistics(n, rank, coverage):
    j, covered = _median_ranks(n)
    assert j == rank
    assert covered == pytest.approx(coverage, abs=0.0001)


@pytest.mark.parametrize("n", [2001, 2500, 4000, 9999])
def test_the_normal_approximation_picks_the_exact_rank_for_large_samples(n):
    assert _median_ranks(n)[0] == _exact_median_ranks(n)[0]
    assert _median_ranks(n)[1] == pytest.approx(_exact_median_ranks(n)[1], abs=0.0001)


def test_a_median_of_durations_with_a_waiting_one_at_the_middle_is_a_lower_bound():
    result = _median_result([1.0, 2.0, 5.0, 6.0], [3.0], minimum=6)
    assert result.value == 3 and result.parts["lower_bound"] == 1
    assert not result.enough
    later = _median_result([1.0, 2.0, 5.0, 6.0], [30.0], minimum=6)
    assert later.value == 5 and later.parts["lower_bound"] == 0


@given(st.integers(1, 400))
def test_the_median_rank_is_the_widest_that_still_reaches_95_percent(n):
    j, coverage = _median_ranks(n)
    assert 1 <= j <= (n + 1) // 2
    if n >= 6:
        assert coverage >= 0.95
        # One rank further in would drop below 95%.
        inner = 1 - 2 * sum(math.comb(n, i) for i in range(j + 1)) / 2**n
        assert inner < 0.95


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=80))
def test_a_median_lies_in_its_interval(values):
    result = _median_result(values, [], minimum=6)
    assert result.low <= result.value <= result.high
    assert min(values) <= result.low and result.high <= max(values)


# --- shares of clustered units, rates -----------------------------------------------------


def test_a_clustered_share_uses_the_effective_sample_size():
    # p = 3.5 / 46; v = 3/2 · Σ(partᵢ − p·wholeᵢ)² / 46² = 0.0025293; n_eff = p(1 − p) / v
    value, low, high, n_eff = _clustered_share([(2.5, 20.0), (0.0, 20.0), (1.0, 6.0)])
    assert value == pytest.approx(7.6087, abs=0.0001)
    assert n_eff == pytest.approx(27.793, abs=0.001)
    assert (low, high) == (pytest.approx(2.180, abs=0.001), pytest.approx(23.333, abs=0.001))


def test_clusters_with_nothing_wrong_count_as_trials_not_units():
    value, low, high, n_eff = _clustered_share([(0.0, 1000.0), (0.0, 1000.0)])
    assert value == 0 and low == 0 and n_eff == 2
    assert high == pytest.approx(65.76, abs=0.01)  # Wilson, 0 of 2


def test_the_poisson_interval_does_not_collapse_at_zero_events():
    assert _poisson_rate_interval(0, 10.0) == (0.0, pytest.approx(0.38415, abs=0.00001))
    low, high = _poisson_rate_interval(1, 10.0)  # (1 + 1.92 ∓ 1.96·√1.96) / 10
    assert low == pytest.approx(0.017653, abs=0.00001)
    assert high == pytest.approx(0.56649, abs=0.00001)


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(1, 50)).map(lambda t: (min(t), t[1])),
        min_size=1,
        max_size=30,
    )
)
def test_a_clustered_share_stays_in_range_and_holds_its_value(pairs):
    pairs = [(float(a), float(b)) for a, b in pairs]
    value, low, high, n_eff = _clustered_share(pairs)
    assert value == pytest.approx(100 * sum(a for a, _ in pairs) / sum(b for _, b in pairs))
    assert 0 <= low <= value + 1e-9 and value <= high + 1e-9 and high <= 100
    assert 1 <= n_eff <= max(len(pairs), sum(b for _, b in pairs))


@given(st.integers(0, 500), st.floats(0.1, 1e4))
def test_a_poisson_interval_holds_the_observed_rate(count, exposure):
    low, high = _poisson_rate_interval(count, exposure)
    assert 0 <= low <= count / exposure <= high


# --- working days -------------------------------------------------------------------------


def test_working_days_skip_weekends_and_holidays():
    weekdays = frozenset(range(5))
    assert _working_days(date(2025, 3, 1), date(2025, 4, 1), weekdays, []) == 21
    assert _working_days(date(2025, 3, 1), date(2025, 4, 1), weekdays, [date(2025, 3, 17)]) == 20
    assert _working_days(date(2025, 3, 3), date(2025, 3, 3), weekdays, []) == 0


@given(st.dates(date(2000, 1, 1), date(2040, 1, 1)), st.integers(0, 800))
def test_working_days_match_counting_day_by_day(first, days):
    weekdays = frozenset({0, 2, 3, 5})
    stop = first + timedelta(days=days)
    slow = sum(1 for i in range(days) if (first + timedelta(days=i)).weekday() in weekdays)
    assert _working_days(first, stop, weekdays, []) == slow


# --- times --------------------------------------------------------------------------------


def test_a_naive_datetime_is_refused_with_a_reason():
    moment = _Moments("Responsiveness")
    with pytest.raises(ValueError, match="message 2's arrival is the naive datetime"):
        moment(datetime(2025, 1, 1, 9), "message 2's arrival")


def test_times_of_one_call_are_all_dates_or_all_aware_datetimes():
    moment = _Moments("Responsiveness")
    moment(datetime(2025, 1, 1, 9, tzinfo=UTC), "message 1's arrival")
    with pytest.raises(ValueError, match="message 2's arrival is a date but message 1's"):
        moment(date(2025, 1, 1), "message 2's arrival")
    moment(datetime(2025, 1, 1, 9, tzinfo=timezone(timedelta(hours=-5))), "message 3")
    with pytest.raises(ValueError, match="not a date or a datetime"):
        moment("2025-01-01", "message 4's arrival")
