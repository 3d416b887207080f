"""Scores over time: periods, changes the data supports, and monotone trends.

::

    weeks = bucket(responses, every="week", tz="Europe/Paris",
                   when=lambda r: r.submitted_at,
                   metric=lambda rs: csat(r.rating for r in rs))
    change = compare(weeks[-2], weeks[-1], kind="share", name="CSAT")
    change.sentence
    # 'CSAT fell from 86% to 71% (140 answers, then 95): very likely a real change.'
    change.how
    # 'two-proportion test, p=0.005; n=140 → 95; a change is reported below p=0.05.'
    trend(weeks, kind="share", name="CSAT").sentence
    # 'CSAT fell steadily from 88% to 70% over 7 weeks, about 3 points a week: very likely …'

Every ``Change`` and ``Trend`` says what happened twice: ``sentence`` in an owner's words
(how likely it is to be real, never a test's name), and ``how`` the technical line (the
test, its p-value, the sample sizes, the slope) that a page keeps one click away.

Three parts, each documented in ``docs/trends.md``:

- **Periods** (``bucket``): ISO weeks (Monday to Sunday) or calendar months in the business's
  own time zone, every period between the first and the last present even when empty (a
  chart shows a gap, never an interpolation). Each event is placed by the instant it
  happened, so the 23- and 25-hour days of daylight saving neither drop nor double it.
- **Changes** (``compare``, ``compare_windows``): a change between two periods or two
  windows of periods is reported only with at least ``MIN_ANSWERS`` answers on each side and
  a test at ``ALPHA``: two-proportion z-test for shares (Fisher's exact test when an expected
  count is below ``MIN_EXPECTED``), the trinomial-variance z-test for NPS, Welch's t-test for
  means. Otherwise the answer is "no clear change", with why.
- **Trends** (``trend``): the Theil–Sen slope over the periods with enough answers, and the
  Mann–Kendall test for a monotone trend, given at least ``MIN_PERIODS`` such periods.

No Django here; scores come from ``rapport.engine.metrics`` as ``Result``, and the
distributions and tests from ``rapport.engine.stats`` (scipy).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from rapport.engine import periods, stats
from rapport.engine.metrics.scores import MINIMUM, Result, wilson

WEEK, MONTH = periods.WEEK, periods.MONTH
SHARE, NPS, MEAN = "share", "nps", "mean"
KINDS = (SHARE, NPS, MEAN)

# A change is tested only with at least this many answers on each side. Below about 20 one
# answer moves a share by 5 points or more, and the normal approximations behind the z- and
# t-tests are no longer trustworthy.
MIN_ANSWERS = 20
# A trend needs this many periods with enough answers. With 6 values and no ties the
# Mann–Kendall test can reach p < 0.05 with at most one period out of order; with 4 it never
# can (its smallest p is 1/12).
MIN_PERIODS = 6
ALPHA = 0.05
# Cochran's rule: the z-test's normal approximation needs every expected count of the 2×2
# table to be at least 5; below that the share test is Fisher's exact test.
MIN_EXPECTED = 5
# More periods than this between the first and last event is almost always a wrong date.
MAX_PERIODS = 10_000
# Theil–Sen and Mann–Kendall look at every pair of periods.
MAX_TREND_PERIODS = 2_000
# The Mann–Kendall p-value is exact (from the permutation distribution of S) up to this many
# periods when no two values tie; beyond it, or with ties, the normal approximation.
MAX_EXACT_PERIODS = 60

UP, DOWN, NONE = "up", "down", "none"
TOO_FEW = "too few answers"
TOO_FEW_PERIODS = "too few periods"
NOISE = "within noise"
TOO_SMALL = "too small to matter"

TWO_PROPORTION = "two-proportion test"
FISHER = "Fisher's exact test"
TRINOMIAL = "trinomial z-test"
WELCH = "Welch's t-test"
MANN_KENDALL = "Mann–Kendall test"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


# --- periods ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """One week or month of a series.

    label: "2026-W09" (ISO year and week) or "2026-03".
    start, end: the first day of the period and the first day of the next one, as local
        dates in the series' time zone.
    every: "week" or "month".
    items: the items that fell in the period, in the order given; empty for a gap.
    result: the metric's ``Result`` for these items, when a metric was given.
    """

    label: str
    start: date
    end: date
    every: str
    items: tuple = ()
    result: Result | None = None

    @property
    def n(self) -> int:
        """How many items fell in the period."""
        return len(self.items)


def bucket(
    items: Iterable,
    *,
    every: str,
    tz: str | tzinfo,
    when: Callable[[Any], datetime | date] | None = None,
    metric: Callable[[list], Result] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[Period]:
    """Items grouped by ISO week (``every="week"``) or calendar month (``"month"``).

    ``tz``: the IANA time zone the business lives in ("Europe/Paris"), or a ``tzinfo``;
    periods start at local midnight on Monday or on the 1st. ``when`` gives an item's time
    (by default the items are the times): an aware ``datetime``, or a ``date`` taken as that
    local day. A naive datetime is refused, since the day it fell on is unknown.
    ``metric``, if given, is called on each period's items (a list, possibly empty: every
    function of ``rapport.engine.metrics`` accepts one) and its ``Result`` is kept.
    ``start``/``end`` (local dates) stretch the series to cover them, e.g. up to today;
    they never drop an item.

    Returns the periods in order, from the one holding the earliest item (or ``start``) to
    the one holding the latest (or ``end``), empty ones included; ``[]`` for no items and
    no ``start`` or ``end``.
    """
    if every not in (WEEK, MONTH):
        raise ValueError(f"every must be {WEEK!r} or {MONTH!r}, not {every!r}")
    zone = _zone(tz)
    for name, d in (("start", start), ("end", end)):
        if d is not None and (isinstance(d, datetime) or not isinstance(d, date)):
            raise TypeError(f"{name} must be a date, not {d!r}")
    items = list(items)
    times = items if when is None else [when(item) for item in items]
    instants = _instants(times, zone)
    days = [d for d in (start, end) if d is not None]
    if len(instants):
        days += [_local_day(int(instants.min()), zone), _local_day(int(instants.max()), zone)]
    if not days:
        return []
    starts = _period_starts(min(days), max(days), every)
    bounds = np.array(
        [(datetime.combine(d, time(), tzinfo=zone) - _EPOCH) // _MICROSECOND for d in starts],
        dtype=np.int64,
    )
    # Each item goes to the last period starting at or before its instant. The bounds are
    # instants too (local midnight, whatever the offset that day), so a 23- or 25-hour day
    # is simply a shorter or longer interval.
    index = np.searchsorted(bounds, instants, side="right") - 1
    groups: list[list] = [[] for _ in range(len(starts) - 1)]
    for item, i in zip(items, index.tolist(), strict=True):
        groups[i].append(item)
    return [
        Period(
            label=periods.label(starts[i], every),
            start=starts[i],
            end=starts[i + 1],
            every=every,
            items=tuple(group),
            result=metric(group) if metric is not None else None,
        )
        for i, group in enumerate(groups)
    ]


def measure(periods: Sequence[Period], metric: Callable[[list], Result]) -> list[Period]:
    """The same periods with ``metric`` applied to each one's items (e.g. NPS and CSAT from
    one bucketing of the responses)."""
    return [replace(p, result=metric(list(p.items))) for p in periods]


def _zone(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    if not isinstance(tz, str) or not tz:
        raise TypeError(f"tz must be an IANA time zone name or a tzinfo, not {tz!r}")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {tz!r} (expected a name like 'Europe/Paris')")


def _instants(times: list, zone: tzinfo) -> np.ndarray:
    """Microseconds since 1970-01-01 UTC, one per time."""
    try:
        # Fast path: subtracting an aware epoch fails on anything but an aware datetime.
        micros = [(t - _EPOCH) // _MICROSECOND for t in times]
    except TypeError:
        micros = [_instant(position, t, zone) for position, t in enumerate(times, start=1)]
    return np.array(micros, dtype=np.int64)


def _instant(position: int, t: Any, zone: tzinfo) -> int:
    if isinstance(t, datetime):
        if t.utcoffset() is None:
            raise ValueError(
                f"item {position}: {t.isoformat()} is a naive datetime (no time zone), so the"
                " day it fell on is unknown; give aware datetimes (e.g. tzinfo=UTC)"
            )
        return (t - _EPOCH) // _MICROSECOND
    if isinstance(t, date):
        return (datetime.combine(t, time(), tzinfo=zone) - _EPOCH) // _MICROSECOND
    raise TypeError(f"item {position}: {t!r} is not a datetime or a date")


def _local_day(micros: int, zone: tzinfo) -> date:
    return (_EPOCH + timedelta(microseconds=micros)).astimezone(zone).date()


def _period_starts(first: date, last: date, every: str) -> list[date]:
    """The first day of each period from ``first``'s to ``last``'s, plus the next one's."""
    begin = periods.index(first, every)
    count = periods.index(last, every) - begin + 1
    _check_period_count(count, first, last, every)
    return [periods.start_of_index(begin + k, every) for k in range(count + 1)]


def _check_period_count(count: int, first: date, last: date, every: str) -> None:
    if count > MAX_PERIODS:
        raise ValueError(
            f"the items run from {first} to {last}: {count:,} {every}s, more than"
            f" {MAX_PERIODS:,}; is one of the dates wrong?"
        )


# --- per-period metrics for any series ----------------------------------------------------


def share_result(flags: Iterable, *, minimum: int = MINIMUM) -> Result:
    """The % of true flags (e.g. "handled by a person" per interaction, "still a customer"
    per person), with Wilson's interval; ``None`` entries are not counted.

    parts: ``count`` (how many were true).

    >>> share_result([True, False, True, None]).value
    66.66666666666667
    """
    xs = [bool(f) for f in flags if f is not None]
    count = sum(xs)
    if not xs:
        return Result(None, 0, None, None, False, minimum, {})
    low, high = wilson(count, len(xs))
    value = 100 * count / len(xs)
    parts = {"count": count}
    return Result(value, len(xs), 100 * low, 100 * high, len(xs) >= minimum, minimum, parts)


def mean_result(
    values: Iterable, *, low: float = -1.0, high: float = 1.0, minimum: int = MINIMUM
) -> Result:
    """The mean of scores in [low, high] (by default sentiment scores, −1 to 1) with
    Student's t interval, clipped to the range; ``None`` and NaN are not counted.

    parts: ``sd`` (the sample standard deviation, 0 for one value), which ``compare`` needs
    to test a change between means.

    >>> mean_result([0.5, 0.1, None]).value
    0.3
    """
    xs = []
    for position, v in enumerate(values, start=1):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ValueError(f"value {position} is {v!r}, not a number")
        if not low <= v <= high:
            raise ValueError(f"value {position} is {v!r}, outside {low:g} to {high:g}")
        xs.append(float(v))
    n = len(xs)
    if not n:
        return Result(None, 0, None, None, False, minimum, {})
    mean = math.fsum(xs) / n
    if n == 1:
        return Result(mean, 1, low, high, minimum <= 1, minimum, {"sd": 0.0})
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    half = stats.t_quantile(n - 1) * sd / math.sqrt(n)
    return Result(
        mean, n, max(low, mean - half), min(high, mean + half), n >= minimum, minimum, {"sd": sd}
    )


# --- the tests ----------------------------------------------------------------------------


class Significance(NamedTuple):
    """A significance test's outcome. statistic: z for the z-tests, t for Welch's, S for
    Mann–Kendall, the sample odds ratio for Fisher's; None where it is infinite or undefined.
    """

    name: str
    statistic: float | None
    p_value: float


def two_proportion_test(successes_a: int, n_a: int, successes_b: int, n_b: int) -> Significance:
    """Pooled two-proportion z-test (two-sided) of "both shares are equal".

    z = (p_b − p_a) / √(p(1 − p)(1/n_a + 1/n_b)), p = (s_a + s_b) / (n_a + n_b). It is the
    square root of Pearson's χ² on the 2×2 table without continuity correction.
    """
    _check_counts(successes_a, n_a)
    _check_counts(successes_b, n_b)
    pooled = (successes_a + successes_b) / (n_a + n_b)
    diff = successes_b / n_b - successes_a / n_a
    variance = pooled * (1 - pooled) * (1 / n_a + 1 / n_b)
    if variance == 0:  # both sides all yes, or all no
        return Significance(TWO_PROPORTION, 0.0, 1.0)
    z = diff / math.sqrt(variance)
    return Significance(TWO_PROPORTION, z, stats.normal_p(z))


def fisher_exact_test(successes_a: int, n_a: int, successes_b: int, n_b: int) -> Significance:
    """Fisher's exact test (two-sided) on the 2×2 table of successes and failures.

    With the margins fixed, the successes on side a follow a hypergeometric law; the p-value
    adds the probabilities of every table no more likely than the one observed (the rule of
    R's ``fisher.test``), with a relative tolerance of 10⁻⁷ for ties in floating point
    (``scipy.stats.fisher_exact``).
    """
    _check_counts(successes_a, n_a)
    _check_counts(successes_b, n_b)
    result = stats.fisher_exact(successes_a, n_a - successes_a, successes_b, n_b - successes_b)
    return Significance(FISHER, result.odds, result.p_value)


def nps_test(counts_a: Sequence[int], counts_b: Sequence[int]) -> Significance:
    """z-test of "both NPS are equal" on the trinomial variance (two-sided).

    counts: (promoters, passives, detractors) on each side. NPS as a share is p − d, whose
    variance per answer is p + d − (p − d)²; z = (NPS_b − NPS_a) / √(v_a/n_a + v_b/n_b).
    The variances use the adjustment of ``scores.nps`` (add 3/4 of an answer to promoters
    and to detractors and 3 to n, Rocks 2016), so that a side where everyone gave 10 does
    not have a variance of zero.
    """
    (pa, qa, da), (pb, qb, db) = _check_nps(counts_a), _check_nps(counts_b)
    na, nb = pa + qa + da, pb + qb + db
    if not na or not nb:
        raise ValueError("each side needs at least one answer")
    diff = (pb - db) / nb - (pa - da) / na
    se = math.sqrt(_trinomial_variance(pa, da, na) + _trinomial_variance(pb, db, nb))
    z = diff / se
    return Significance(TRINOMIAL, z, stats.normal_p(z))


def welch_test(
    n_a: int, mean_a: float, variance_a: float, n_b: int, mean_b: float, variance_b: float
) -> Significance:
    """Welch's t-test (two-sided) of "both means are equal", not assuming equal variances.

    t = (m_b − m_a) / √(s_a²/n_a + s_b²/n_b), with Welch–Satterthwaite degrees of freedom
    (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1)). When every
    answer on each side is the same there is no noise at all: p is 1 if the means are equal
    and 0 otherwise. ``stats.welch`` (scipy's) does the rest.
    """
    if n_a < 2 or n_b < 2:
        raise ValueError("Welch's t-test needs at least 2 answers on each side")
    if variance_a < 0 or variance_b < 0:
        raise ValueError("a variance cannot be negative")
    if variance_a / n_a + variance_b / n_b == 0:
        # Tiny answers (1e-180) can leave a rounding difference between two ways of taking
        # the same mean while their variances underflow to 0: that is no difference.
        same = math.isclose(mean_a, mean_b, rel_tol=1e-9, abs_tol=1e-12)
        return Significance(WELCH, 0.0 if same else None, 1.0 if same else 0.0)
    result = stats.welch(n_a, mean_a, variance_a, n_b, mean_b, variance_b)
    return Significance(WELCH, result.t, result.p_value)


def mann_kendall_test(values: Sequence[float]) -> Significance:
    """Mann–Kendall test (two-sided) of "no monotone trend" over values in time order.

    S = Σ_{i<j} sign(x_j − x_i). Without ties and up to ``MAX_EXACT_PERIODS`` values, the
    p-value is exact: under no trend every order is equally likely and S = N − 2·inversions,
    whose distribution scipy counts (``kendalltau(method="exact")``). Otherwise the normal
    approximation with the tie correction Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 and a continuity
    correction, z = (S − sign S) / √Var S (Kendall 1975, Rank Correlation Methods). See
    ``stats.mann_kendall``.
    """
    result = stats.mann_kendall(values, max_exact=MAX_EXACT_PERIODS)
    return Significance(MANN_KENDALL, float(result.s), result.p_value)


def theil_sen(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """The Theil–Sen line: (slope, intercept).

    The slope is the median of the slopes between every two points with different x (Sen
    1968, JASA 63(324); ``scipy.stats.theilslopes``); the intercept is the median of
    y − slope·x. One odd period cannot swing it, unlike least squares.
    """
    return stats.theil_sen(xs, ys)


def _check_counts(successes: int, n: int) -> None:
    if n < 1:
        raise ValueError("each side needs at least one answer")
    if not 0 <= successes <= n:
        raise ValueError(f"{successes} successes out of {n} is impossible")


def _check_nps(counts: Sequence[int]) -> tuple[int, int, int]:
    if len(counts) != 3 or any(c < 0 for c in counts):
        raise ValueError(f"NPS counts are (promoters, passives, detractors), not {counts!r}")
    return int(counts[0]), int(counts[1]), int(counts[2])


def _trinomial_variance(promoters: int, detractors: int, n: int) -> float:
    """Variance of the NPS share p − d, Rocks's adjustment (see ``scores.nps``)."""
    adjusted = n + 3
    p = (promoters + 0.75) / adjusted
    d = (detractors + 0.75) / adjusted
    return (p + d - (p - d) ** 2) / adjusted


# --- changes ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """A change between two periods, or two windows of periods pooled.

    name: what is measured ("CSAT"); kind: "share", "nps" or "mean".
    before, after: the values (% for shares, −100…100 for NPS, the mean for means);
        n_before, n_after: the answers they rest on.
    size: after − before, in the value's units (percentage points for shares and NPS);
        None when a side has no answer.
    direction: "up" or "down" when the change is supported, "none" otherwise.
    supported: True when both sides have ``minimum`` answers, the test's p < ``alpha`` and
        |size| ≥ ``min_size``; reason: "" then, else "too few answers", "within noise" or
        "too small to matter".
    test, statistic, p_value: the test used (None when there were too few answers).
    before_label, after_label: the periods compared ("2026-W05", "2026-01–2026-03").
    sentence: one sentence in an owner's words saying all of this; how: the technical line
        behind it (the test, its p-value, the answers on each side).
    """

    name: str
    kind: str
    before: float | None
    after: float | None
    n_before: int
    n_after: int
    size: float | None
    direction: str
    supported: bool
    reason: str
    test: str | None
    statistic: float | None
    p_value: float | None
    minimum: int
    alpha: float
    min_size: float
    before_label: str | None
    after_label: str | None
    sentence: str
    how: str

    def to_dict(self) -> dict:
        return asdict(self)


Side = Result | Period | Sequence[Result | Period]


def compare(
    before: Side,
    after: Side,
    *,
    kind: str,
    name: str,
    minimum: int = MIN_ANSWERS,
    alpha: float = ALPHA,
    min_size: float = 0.0,
    signed: bool = False,
    unit: str = "",
) -> Change:
    """Whether ``after`` differs from ``before``, and only if the data supports it.

    Each side is a ``Result``, a ``Period`` with a result, or a sequence of them whose
    answers are pooled (a window of weeks). ``kind`` says what the results hold and so which
    test applies:

    - "share": a % of n (CSAT, favourable, response rate, ``share_result``): the
      two-proportion z-test, or Fisher's exact test when an expected count is below
      ``MIN_EXPECTED``. The count is recovered as value × n / 100.
    - "nps": NPS or eNPS results (their parts carry the promoter, passive and detractor
      counts): the trinomial-variance z-test.
    - "mean": results whose parts carry ``sd`` (``mean_result``): Welch's t-test.

    ``minimum``: answers needed on each side; ``min_size``: the smallest |after − before|
    worth reporting, in the value's units (0: any size the test supports); ``signed``:
    write means with a sign (+0.41), as for sentiment; ``unit="%"``: write means that are
    percentages (an engagement index) as 68%, like shares; another unit ("h") follows the
    values.
    """
    _check_kind(kind)
    if minimum < 2:
        raise ValueError(f"minimum must be at least 2, not {minimum}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}")
    a, b = _results(before), _results(after)
    sample_a, sample_b = _pool(a, kind), _pool(b, kind)
    value_a, value_b = sample_a.value, sample_b.value
    size = value_b - value_a if value_a is not None and value_b is not None else None
    fields = dict(
        name=name,
        kind=kind,
        before=value_a,
        after=value_b,
        n_before=sample_a.n,
        n_after=sample_b.n,
        size=size,
        minimum=minimum,
        alpha=alpha,
        min_size=min_size,
        before_label=_span_label(before),
        after_label=_span_label(after),
    )
    written = _written(kind, unit)
    pair = _pair(written, value_a, value_b, signed, unit)
    counts = f"n={sample_a.n:,} → {sample_b.n:,}"
    answers = f"{_count(sample_a.n, 'answer')}, then {sample_b.n:,}"
    if sample_a.n < minimum or sample_b.n < minimum:
        values = f" ({pair})" if size is not None else ""
        return Change(
            direction=NONE,
            supported=False,
            reason=TOO_FEW,
            test=None,
            statistic=None,
            p_value=None,
            sentence=(
                f"No clear change in {name}{values}: too few answers ({answers};"
                f" at least {minimum} on each side are needed)."
            ),
            how=f"Not tested: {counts}; a change is tested with at least {minimum} answers on"
            " each side.",
            **fields,
        )
    outcome = _test(kind, sample_a, sample_b)
    how = (
        f"{outcome.name}, {format_p(outcome.p_value)}; {counts}; a change is reported below"
        f" p={alpha:g}."
    )
    assert size is not None  # both sides have answers
    reason = ""
    if outcome.p_value >= alpha:
        reason = NOISE
        why = "a difference this size could be chance"
    elif abs(size) < min_size:
        reason = TOO_SMALL
        why = (
            f"a change of {_size(written, abs(size))} is smaller than the"
            f" {_size(written, min_size)} worth reporting"
        )
    if reason:
        return Change(
            direction=NONE,
            supported=False,
            reason=reason,
            test=outcome.name,
            statistic=outcome.statistic,
            p_value=outcome.p_value,
            sentence=f"No clear change in {name} ({pair}; {answers}): {why}.",
            how=how,
            **fields,
        )
    verb = "rose" if size > 0 else "fell"
    return Change(
        direction=UP if size > 0 else DOWN,
        supported=True,
        reason="",
        test=outcome.name,
        statistic=outcome.statistic,
        p_value=outcome.p_value,
        sentence=(
            f"{name} {verb} from {pair.replace(' → ', ' to ')} ({answers}):"
            f" {likelihood(outcome.p_value)} a real change."
        ),
        how=how,
        **fields,
    )


def compare_windows(
    series: Sequence[Period | Result],
    *,
    kind: str,
    name: str,
    recent: int,
    baseline: int | None = None,
    **options: Any,
) -> Change:
    """The last ``recent`` periods against the ``baseline`` periods just before them (all
    the earlier ones by default), each window's answers pooled; as ``compare`` otherwise.
    Periods are counted by position, empty ones included."""
    if recent < 1:
        raise ValueError(f"recent must be at least 1 period, not {recent}")
    if baseline is not None and baseline < 1:
        raise ValueError(f"baseline must be at least 1 period, not {baseline}")
    series = list(series)
    split = max(0, len(series) - recent)
    first = 0 if baseline is None else max(0, split - baseline)
    return compare(series[first:split], series[split:], kind=kind, name=name, **options)


class _Sample(NamedTuple):
    n: int
    value: float | None
    counts: tuple[float, ...]  # share: (successes,); nps: (P, passives, D); mean: (mean, var)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")


def _results(side: Side) -> list[Result]:
    items = [side] if isinstance(side, Result | Period) else list(side)
    results = []
    for item in items:
        result = item.result if isinstance(item, Period) else item
        if isinstance(item, Period) and result is None:
            raise ValueError(f"period {item.label} has no result: bucket with a metric first")
        if not isinstance(result, Result):
            raise TypeError(f"expected a Result or a Period, not {item!r}")
        results.append(result)
    return results


def _pool(results: list[Result], kind: str) -> _Sample:
    """The answers of several results put together, as the test for ``kind`` needs them."""
    results = [r for r in results if r.n and r.value is not None]
    n = sum(r.n for r in results)
    if kind == SHARE:
        successes = 0
        for r in results:
            count = r.value * r.n / 100  # type: ignore[operator]
            if not 0 <= round(count) <= r.n or abs(count - round(count)) > 1e-6:
                raise ValueError(
                    f"a share result must be a % of its n: {r.value!r}% of {r.n} is not a"
                    " whole number of answers"
                )
            successes += round(count)
        return _Sample(n, 100 * successes / n if n else None, (successes,))
    if kind == NPS:
        counts = [0, 0, 0]
        for r in results:
            try:
                for k, part in enumerate(("promoter_count", "passive_count", "detractor_count")):
                    counts[k] += int(r.parts[part])
            except KeyError:
                raise ValueError(
                    "an NPS change needs the promoter, passive and detractor counts in"
                    " Result.parts, as scores.nps and scores.enps give them"
                )
        value = 100 * (counts[0] - counts[2]) / n if n else None
        return _Sample(n, value, tuple(counts))
    # Means: pool the sums and sums of squares that each (n, mean, sd) stands for.
    total = square = 0.0
    for r in results:
        if "sd" not in r.parts:
            raise ValueError(
                "a change between means needs each result's spread (parts['sd']): measure"
                " with trends.mean_result"
            )
        mean, sd = float(r.value), float(r.parts["sd"])  # type: ignore[arg-type]
        total += r.n * mean
        square += (r.n - 1) * sd * sd + r.n * mean * mean
    if not n:
        return _Sample(0, None, (0.0, 0.0))
    mean = total / n
    variance = max(0.0, (square - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    return _Sample(n, mean, (mean, variance))


def _test(kind: str, a: _Sample, b: _Sample) -> Significance:
    if kind == SHARE:
        sa, sb = int(a.counts[0]), int(b.counts[0])
        pooled = (sa + sb) / (a.n + b.n)
        smallest = min(a.n, b.n) * min(pooled, 1 - pooled)
        if 0 < smallest < MIN_EXPECTED:
            return fisher_exact_test(sa, a.n, sb, b.n)
        return two_proportion_test(sa, a.n, sb, b.n)
    if kind == NPS:
        return nps_test(a.counts, b.counts)  # type: ignore[arg-type]
    return welch_test(a.n, a.counts[0], a.counts[1], b.n, b.counts[0], b.counts[1])


def _span_label(side: Side) -> str | None:
    items = [side] if isinstance(side, Result | Period) else list(side)
    labels = [item.label for item in items if isinstance(item, Period)]
    if not labels:
        return None
    return labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"


# --- trends -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Trend:
    """A monotone trend over a series of periods.

    periods: how many periods had enough answers and were used; span: how many periods from
        the first used to the last used, gaps included; every: "week", "month" or None.
    slope: the Theil–Sen slope per period; start, end: the Theil–Sen line's values at the
        first and last periods used (an odd first or last period does not set them).
    statistic, p_value, exact: Mann–Kendall's S, its two-sided p, and whether p is exact.
    direction: "up"/"down" when supported, else "none"; supported: at least
        ``min_periods`` periods and p < ``alpha``; reason: "", "too few periods" or
        "within noise".
    first_label, last_label: the first and last periods used.
    sentence: one sentence in an owner's words; how: the technical line behind it (the
        test, its p-value, the slope).
    """

    name: str
    kind: str
    periods: int
    span: int
    every: str | None
    slope: float | None
    start: float | None
    end: float | None
    direction: str
    supported: bool
    reason: str
    test: str
    statistic: float | None
    p_value: float | None
    exact: bool
    min_periods: int
    alpha: float
    first_label: str | None
    last_label: str | None
    sentence: str
    how: str

    def to_dict(self) -> dict:
        return asdict(self)


def trend(
    series: Sequence[Period | Result],
    *,
    kind: str,
    name: str,
    min_periods: int = MIN_PERIODS,
    alpha: float = ALPHA,
    signed: bool = False,
    unit: str = "",
) -> Trend:
    """Whether a series of periods rises or falls steadily.

    Only periods whose result has enough answers (``Result.enough``) count; their position
    in the series (gaps included) is their time, so the slope is per week or per month.
    ``kind`` only sets how values are written ("share" 71%, "nps" +32, "mean" 4.20), and
    ``unit`` as for ``compare``.
    """
    _check_kind(kind)
    if min_periods < 3:
        raise ValueError(f"min_periods must be at least 3, not {min_periods}")
    series = list(series)
    results = _results(series)
    used = [i for i, r in enumerate(results) if r.enough and r.value is not None]
    if len(used) > MAX_TREND_PERIODS:
        raise ValueError(
            f"a trend is read over at most {MAX_TREND_PERIODS:,} periods, not {len(used):,}"
        )
    every = next((p.every for p in series if isinstance(p, Period)), None)
    labels = [p.label if isinstance(p, Period) else None for p in series]
    span = used[-1] - used[0] + 1 if used else 0
    fields = dict(
        name=name,
        kind=kind,
        periods=len(used),
        span=span,
        every=every,
        test=MANN_KENDALL,
        min_periods=min_periods,
        alpha=alpha,
        first_label=labels[used[0]] if used else None,
        last_label=labels[used[-1]] if used else None,
    )
    if len(used) < min_periods:
        return Trend(
            slope=None,
            start=None,
            end=None,
            direction=NONE,
            supported=False,
            reason=TOO_FEW_PERIODS,
            statistic=None,
            p_value=None,
            exact=False,
            sentence=(
                f"No clear trend in {name}: {_count(len(used), 'period')} with enough answers"
                f" (at least {min_periods} are needed)."
            ),
            how=f"Not tested: the {MANN_KENDALL} is read over at least {min_periods} periods"
            " with enough answers.",
            **fields,
        )
    xs = np.array(used, dtype=np.float64)
    ys = np.array([results[i].value for i in used], dtype=np.float64)
    slope, intercept = theil_sen(xs, ys)
    start, end = intercept + slope * float(xs[0]), intercept + slope * float(xs[-1])
    # The fitted line's ends, kept within what the measure can be: a share never reads 102%.
    bounds = {SHARE: (0.0, 100.0), NPS: (-100.0, 100.0)}.get(kind)
    if bounds:
        start, end = (min(max(x, bounds[0]), bounds[1]) for x in (start, end))
    outcome = mann_kendall_test(ys)
    exact = len(np.unique(ys)) == len(ys) and len(ys) <= MAX_EXACT_PERIODS
    over = f"over {_count(span, every or 'period')}"
    written = _written(kind, unit)
    per = f"{_size(written, slope, per=True)} a {every or 'period'}"
    how = (
        f"{MANN_KENDALL}, {format_p(outcome.p_value)} (S={outcome.statistic:+.0f},"
        f" {'exact' if exact else 'normal approximation'}); Theil–Sen slope {per}, over"
        f" {_count(len(used), 'period')} with enough answers; a trend is reported below"
        f" p={alpha:g}."
    )
    # The direction is S's; the Theil–Sen slope can be 0 when S is not (many tied values).
    s = outcome.statistic or 0.0
    if outcome.p_value >= alpha or s == 0:
        return Trend(
            slope=slope,
            start=start,
            end=end,
            direction=NONE,
            supported=False,
            reason=NOISE,
            statistic=outcome.statistic,
            p_value=outcome.p_value,
            exact=exact,
            sentence=f"No clear trend in {name} {over}: the ups and downs could be chance.",
            how=how,
            **fields,
        )
    verb = "rose" if s > 0 else "fell"
    steps = _about(written, slope, unit)
    pace = f", about {steps} a {every or 'period'}" if steps else ""
    return Trend(
        slope=slope,
        start=start,
        end=end,
        direction=UP if s > 0 else DOWN,
        supported=True,
        reason="",
        statistic=outcome.statistic,
        p_value=outcome.p_value,
        exact=exact,
        sentence=(
            f"{name} {verb} steadily from"
            f" {_pair(written, start, end, signed, unit).replace(' → ', ' to ')} {over}{pace}:"
            f" {likelihood(outcome.p_value)} a real trend."
        ),
        how=how,
        **fields,
    )


# --- words --------------------------------------------------------------------------------


def format_value(kind: str, value: float, *, signed: bool = False, decimals: int = 0) -> str:
    """A value as a page writes it: 71% (share), +32 (NPS), 4.20 or +0.41 (mean);
    ``decimals`` adds digits beyond the usual."""
    if kind == SHARE:
        return f"{value:.{decimals}f}%"
    if kind == MEAN and not signed:
        return f"{value:.{2 + decimals}f}"
    text = f"{value:+.{decimals if kind == NPS else 2 + decimals}f}"
    return text[1:] if float(text) == 0 else text  # zero has no sign


def _written(kind: str, unit: str) -> str:
    """How values are written: a mean of percentages reads like a share."""
    return SHARE if unit == "%" else kind


def _pair(kind: str, a: float | None, b: float | None, signed: bool, unit: str = "") -> str:
    """Both values as "86% → 71%" (or "12.90 h → 3.71 h" with a unit), with more digits
    when the usual ones would hide a difference."""
    if a is None or b is None:
        return ""
    for decimals in range(4):
        left = format_value(kind, a, signed=signed, decimals=decimals)
        right = format_value(kind, b, signed=signed, decimals=decimals)
        if left != right or a == b:
            break
    if unit and unit != "%":
        left, right = f"{left} {unit}", f"{right} {unit}"
    return f"{left} → {right}"


def _size(kind: str, size: float, per: bool = False) -> str:
    """A size of change: "15 points", or "+0.04" a month for a mean."""
    if kind == MEAN:
        return f"{size:+.2f}" if per else f"{size:.2f}"
    return f"{size:+.1f} points" if per else f"{size:.0f} points"


def likelihood(p: float) -> str:
    """How likely a tested change is real, in words: "very likely" below p=0.01, "likely"
    below, and "perhaps" (chance is not ruled out) above."""
    if p < 0.01:
        return "very likely"
    return "likely" if p < ALPHA else "perhaps"


def _about(kind: str, slope: float, unit: str = "") -> str:
    """A slope in words, without its sign: "3 points", "0.5 points", "0.04", "1.2 h"; ""
    when it rounds to nothing."""
    if kind == MEAN:
        text = f"{abs(slope):.2f}"
        text = "" if float(text) == 0 else text
        return f"{text} {unit}" if text and unit and unit != "%" else text
    size = abs(slope)
    text = f"{size:.0f}" if size >= 1.5 else f"{size:.1f}"
    if float(text) == 0:
        return ""
    return f"{text} point" + ("" if text == "1" else "s")


def format_p(p: float) -> str:
    """A p-value as sentences write it: p=0.003, or p<0.001."""
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
