import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats as scipy_stats

from rapport.engine import stats


def test_z95_is_scipys_normal_quantile():
    assert float(scipy_stats.norm.ppf(0.975)) == stats.Z95
    assert stats.normal_quantile(0.975) == stats.Z95
    assert stats.normal_p(stats.Z95) == pytest.approx(0.05, rel=1e-12)
    assert stats.normal_cdf(0.0) == 0.5


@pytest.mark.parametrize("df", [1, 2.5, 7, 30, 1e9])
def test_the_t_distribution_is_scipys(df):
    assert stats.t_quantile(df) == float(scipy_stats.t.isf(0.025, df))
    assert stats.t_p_value(1.7, df) == pytest.approx(2 * scipy_stats.t.sf(1.7, df), rel=1e-12)
    assert stats.t_p_value(stats.t_quantile(df), df) == pytest.approx(0.05, rel=1e-9)


def test_welch_matches_scipy_on_samples():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 12), rng.normal(0.5, 3, 30)
    expected = scipy_stats.ttest_ind(b, a, equal_var=False)
    found = stats.welch(len(a), a.mean(), a.var(ddof=1), len(b), b.mean(), b.var(ddof=1))
    assert found.t == pytest.approx(expected.statistic, rel=1e-12)
    assert found.p_value == pytest.approx(expected.pvalue, rel=1e-10)
    assert found.df == pytest.approx(expected.df, rel=1e-12)


def test_welch_does_not_underflow_with_tiny_variances():
    # The variances' squares underflow to 0 here; in units of the standard error they don't.
    found = stats.welch(3, 0.0, 1e-200, 3, 1e-100, 1e-200)
    assert math.isfinite(found.t) and math.isfinite(found.df) and 0 <= found.p_value <= 1


def test_mann_kendall_exact_p_counts_every_order():
    values = [1, 3, 2, 5, 4, 6]
    s = stats.mann_kendall(values).s
    orders = list(itertools.permutations(range(6)))

    def s_of(order):
        return sum(np.sign(order[j] - order[i]) for i in range(6) for j in range(i + 1, 6))

    extreme = sum(1 for order in orders if abs(s_of(order)) >= abs(s))
    assert stats.mann_kendall(values) == (s, pytest.approx(extreme / 720), True)


def test_theil_sen_interval_agrees_with_scipy_without_ties_in_time():
    rng = np.random.default_rng(1)
    xs = np.sort(rng.choice(100, 25, replace=False)).astype(float)
    ys = (0.1 * xs + rng.normal(0, 2, 25)).round(0)  # ties in y, none in x
    slope, low, high = stats.theil_sen_interval(xs, ys, 0.90)
    expected = scipy_stats.theilslopes(ys, xs, alpha=0.90)
    assert (slope, low, high) == (expected.slope, expected.low_slope, expected.high_slope)


def test_importing_the_metrics_does_not_import_scipy():
    code = "import sys, rapport.engine.metrics; print('scipy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
