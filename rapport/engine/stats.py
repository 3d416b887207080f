"""The statistics the engine needs, in one place, on ``scipy.stats``.

Distributions (normal, Student's t), tests (Fisher's exact, Welch's t, Mann–Kendall),
intervals (Wilson, Newcombe, Theil–Sen) and Holm's correction. The callers
(``metrics``, ``trends``, ``drivers``, ``text.trajectory``) keep their own names for
them where tests and other code use those names.

scipy does the work wherever it computes what the dashboards have always shown. A few
pieces stay written out here, each saying why: where scipy has no such function (Holm,
Newcombe), where its version needs whole counts or a confidence level when the engine
passes fractional counts or an arbitrary z (Wilson), and where its version is a
different test whose p-values would change figures already shown (Mann–Kendall with
ties: scipy's Kendall test has no continuity correction; the Theil–Sen interval: scipy's
also subtracts ties in time).

No Django here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

# The 97.5th percentile of the standard normal (two-sided 95%), scipy's norm.ppf(0.975),
# written out so that importing this module does not import scipy (see ``_scipy``).
Z95 = 1.959963984540054
ALPHA = 0.05


def _scipy():
    """``scipy.stats``, imported on first use: it takes about a second to import, and the
    metrics (which import this module) are imported by every command and page."""
    from scipy import stats

    return stats


def _special():
    """``scipy.special``: the ufuncs behind ``scipy.stats.norm`` and ``t`` (``norm.sf(x)`` is
    ``ndtr(−x)``, ``t.sf(x, df)`` is ``stdtr(df, −x)``), the same values without the
    distribution objects' 60 µs a call."""
    from scipy import special

    return special


# --- distributions ------------------------------------------------------------------------


def normal_cdf(z: float) -> float:
    """P(Z ≤ z) for a standard normal Z."""
    return float(_special().ndtr(z))


def normal_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|)."""
    return float(2 * _special().ndtr(-abs(z)))


def normal_quantile(p: float) -> float:
    """The z with P(Z ≤ z) = p."""
    return float(_special().ndtri(p))


def t_p_value(t: float, df: float) -> float:
    """Two-sided p-value of Student's t with ``df`` (possibly fractional) degrees of
    freedom: P(|T| ≥ |t|)."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be above 0, not {df}")
    return min(1.0, float(2 * _special().stdtr(df, -abs(t))))


@lru_cache(maxsize=4096)
def t_quantile(df: float, alpha: float = ALPHA) -> float:
    """The t with two-sided p-value ``alpha`` (the 97.5th percentile for 0.05); remembered,
    as intervals ask for the same few degrees of freedom again and again."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be above 0, not {df}")
    return float(_scipy().t.isf(alpha / 2, df))


# --- tests --------------------------------------------------------------------------------


class FisherResult(NamedTuple):
    """odds: the sample odds ratio (a·d)/(b·c), None where it is infinite or undefined."""

    odds: float | None
    p_value: float


def fisher_exact(a: int, b: int, c: int, d: int) -> FisherResult:
    """Fisher's exact test (two-sided) on the 2×2 table [[a, b], [c, d]]: the probabilities
    of every table no more likely than the one observed, with R's relative tolerance of
    10⁻⁷ for ties in floating point (``scipy.stats.fisher_exact``)."""
    result = _scipy().fisher_exact([[a, b], [c, d]], alternative="two-sided")
    odds = float(result.statistic)
    return FisherResult(odds if math.isfinite(odds) else None, min(1.0, float(result.pvalue)))


class WelchResult(NamedTuple):
    """t: (mean_b − mean_a) / √(s_a²/n_a + s_b²/n_b); df: Welch–Satterthwaite."""

    t: float
    df: float
    p_value: float


def welch(
    n_a: int, mean_a: float, variance_a: float, n_b: int, mean_b: float, variance_b: float
) -> WelchResult:
    """Welch's t-test (two-sided) of "mean_b equals mean_a" from each side's size, mean and
    sample variance (``scipy.stats.ttest_ind_from_stats(equal_var=False)``).

    Both variances must not be 0 together (there is no noise then; callers decide). The
    statistics are handed to scipy in units of the standard error, where t and the degrees
    of freedom are the same but nothing can underflow: with answers near 1e-180 the
    variances' squares, which Welch–Satterthwaite needs, would be 0/0.
    """
    va, vb = variance_a / n_a, variance_b / n_b
    se = math.sqrt(va + vb)
    if se == 0:
        raise ValueError("Welch's t-test needs some spread on at least one side")
    share_a, share_b = va / (va + vb), vb / (va + vb)
    # t = diff / se; each side's standard deviation in units of se is √(share·n).
    result = _scipy().ttest_ind_from_stats(
        (mean_b - mean_a) / se,
        math.sqrt(share_b * n_b),
        n_b,
        0.0,
        math.sqrt(share_a * n_a),
        n_a,
        equal_var=False,
    )
    df = 1 / (share_a**2 / (n_a - 1) + share_b**2 / (n_b - 1))
    return WelchResult(float(result.statistic), df, min(1.0, float(result.pvalue)))


class MannKendallResult(NamedTuple):
    """s: Σ_{i<j} sign(x_j − x_i); exact: whether p is exact (no ties, few values)."""

    s: int
    p_value: float
    exact: bool


def mann_kendall(values: Sequence[float], max_exact: int = 60) -> MannKendallResult:
    """Mann–Kendall test (two-sided) of "no monotone trend" over values in time order.

    It is Kendall's tau of the values against their positions. Without ties and up to
    ``max_exact`` values, the p-value is exact: scipy's ``kendalltau(method="exact")``
    counts the permutation distribution of S. With ties, or more values, the normal
    approximation of Kendall (1975, Rank Correlation Methods) with the tie correction
    Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 and a continuity correction,
    z = (S − sign S) / √Var S. That part stays written out: scipy's asymptotic Kendall test
    has no continuity correction, so its p-values would differ from the ones shown.
    """
    ys = np.asarray(values, dtype=np.float64)
    n = len(ys)
    if n < 2:
        return MannKendallResult(0, 1.0, False)
    i, j = np.triu_indices(n, k=1)
    s = int(np.sign(ys[j] - ys[i]).sum())
    _, ties = np.unique(ys, return_counts=True)
    exact = len(ties) == n and n <= max_exact
    if s == 0:
        return MannKendallResult(0, 1.0, exact)
    if exact:
        result = _scipy().kendalltau(np.arange(n), ys, method="exact")
        return MannKendallResult(s, min(1.0, float(result.pvalue)), True)
    variance = (n * (n - 1) * (2 * n + 5) - float((ties * (ties - 1) * (2 * ties + 5)).sum())) / 18
    z = (s - math.copysign(1, s)) / math.sqrt(variance)
    return MannKendallResult(s, normal_p(z), False)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given: sorted ascending, the i-th
    smallest (from 0) becomes max over j ≤ i of min(1, (m − j)·p₍ⱼ₎). A label is significant
    at level α after the correction exactly when its adjusted p-value is below α (Holm 1979,
    Scandinavian Journal of Statistics 6, 65–70). scipy has no Holm correction.

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    for p in p_values:
        if not 0 <= p <= 1:
            raise ValueError(f"a p-value must lie in 0–1, not {p}")
    m = len(p_values)
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


# --- intervals ----------------------------------------------------------------------------


def wilson(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a proportion, as shares in [0, 1].

    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA 22(158), 209–212. Unlike the textbook p ± z·se it stays inside [0, 1]
    and does not shrink to nothing at 0% or 100%, which matters with a handful of answers
    (Brown, Cai & DasGupta 2001, Statistical Science 16(2), 101–133).

    Written out: scipy's (``binomtest(k, n).proportion_ci(method="wilson")``) takes whole
    counts and a confidence level, and the engine passes fractional counts (an effective
    sample size) and any z (Newcombe's p-value is found by moving z).
    """
    if n <= 0:
        raise ValueError("an interval needs at least one answer")
    if not 0 <= successes <= n:
        raise ValueError(f"{successes} successes out of {n} is impossible")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 or n successes the bound is exactly 0 or 1; rounding must not move it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def newcombe(s1: int, n1: int, s2: int, n2: int, z: float = Z95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 − p2, as shares, from the two Wilson
    intervals (Newcombe 1998, Statistics in Medicine 17, 873–890, method 10). scipy has
    none."""
    p1, p2 = s1 / n1, s2 / n2
    l1, u1 = wilson(s1, n1, z)
    l2, u2 = wilson(s2, n2, z)
    d = p1 - p2
    return d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2)


def theil_sen(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """The Theil–Sen line: (slope, intercept).

    The slope is the median of the slopes between every two points with different x (Sen
    1968, JASA 63(324); ``scipy.stats.theilslopes``); the intercept is the median of
    y − slope·x (scipy's default takes median(y) − slope·median(x), which the trend lines
    shown were not drawn with). One odd period cannot swing it, unlike least squares.
    """
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    if len(x) != len(y):
        raise ValueError(f"{len(x)} x values for {len(y)} y values")
    if len(x) < 2:
        raise ValueError("a line needs at least 2 points")
    if np.all(x == x[0]):
        raise ValueError("a line needs two different x values")
    slope = float(_scipy().theilslopes(y, x).slope)
    return slope, float(np.median(y - slope * x))


def theil_sen_interval(
    xs: np.ndarray, ys: np.ndarray, confidence: float
) -> tuple[float, float, float]:
    """Median pairwise slope and its distribution-free interval from the ranks of the
    pairwise slopes (Sen 1968), for x in ascending order.

    Pairs with the same x have no slope and are left out. The interval's ranks come from the
    variance of Kendall's S, corrected for tied y values only. Written out because
    ``scipy.stats.theilslopes`` also subtracts the ties in x from that variance, which
    narrows the interval (and can flip a trajectory's direction) when two points share a
    time; without ties in x the two agree.
    """
    i, j = np.triu_indices(len(xs), k=1)
    dx = xs[j] - xs[i]
    valid = dx > 0
    slopes = np.sort((ys[j] - ys[i])[valid] / dx[valid])
    m = len(slopes)
    n = len(xs)
    _, ties = np.unique(ys, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - float((ties * (ties - 1) * (2 * ties + 5)).sum())) / 18
    c = normal_quantile(0.5 + confidence / 2) * math.sqrt(max(var_s, 0.0))
    lower_rank = max(1, int(round((m - c) / 2)))
    upper_rank = min(m, int(round((m + c) / 2)) + 1)
    return float(np.median(slopes)), float(slopes[lower_rank - 1]), float(slopes[upper_rank - 1])
