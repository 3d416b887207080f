"""What every metric shares: the ``Result`` it returns, its 95% intervals, and the checks that
turn bad input into a ``ValueError`` naming the position and the reason.

Intervals:

- ``wilson``: Wilson's score interval for a share (from ``rapport.engine.stats``).
- ``_mean_interval``: Student's t for a mean, clipped to the scale when there is one.
- ``_clustered_share``: a pooled share (days lost over days scheduled, defective over
  delivered quantity) whose units come in clusters (an employee, a delivery); Wilson's
  interval on the effective sample size of Korn & Graubard (1998).
- ``_poisson_rate_interval``: the score interval for a count over an exposure (turnover).
- ``_median_result``: a median with the distribution-free interval from binomial order
  statistics, for durations, some of which may be known only as "at least so long".

Times: a metric counted in calendar days takes ``date``s (``_day``); one that measures a
duration takes dates or aware datetimes, all of one kind within a call (``_Moments``).
A naive datetime is always refused: its time zone is a guess.
"""

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

# Z95 (the 97.5th percentile of the standard normal) and wilson are imported from here too.
from rapport.engine.stats import Z95, normal_cdf, t_quantile, wilson

# The smallest number of answers a score is shown on, unless the caller says otherwise.
MINIMUM = 5
# The smallest sample for which a distribution-free 95% interval for a median exists: with
# five, even the sample's whole range covers the median only 1 − 2/2⁵ = 93.75% of the time.
MEDIAN_MINIMUM = 6

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Result:
    """A score and what it rests on.

    value: the score (its unit depends on the metric), None when there is no answer.
    n: the number of answers counted (blanks excluded).
    low, high: the 95% interval around the value, None when there is no answer.
    enough: n >= minimum; below it, show "not enough answers" rather than the value.
    minimum: the threshold ``enough`` was judged against.
    parts: the pieces behind the value (shares of each category, the mean, counts), so a
        page can show why the score is what it is.
    """

    value: float | None
    n: int
    low: float | None
    high: float | None
    enough: bool
    minimum: int = MINIMUM
    parts: Mapping[str, float] = field(default_factory=dict)


def _nothing(minimum: int, parts: Mapping[str, float] | None = None) -> Result:
    """The result of no data: no value, no interval, not enough (never a misleading 0)."""
    return Result(None, 0, None, None, False, minimum, dict(parts or {}))


def _check_minimum(minimum: int) -> None:
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise ValueError(f"minimum must be at least 1, not {minimum}")


def _clean(values: Iterable, low: int, high: int, name: str) -> list[int]:
    """The answers as ints within [low, high]; blanks dropped; anything else is an error
    naming its position."""
    clean = []
    for position, value in enumerate(values, start=1):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name}: answer {position} is {value!r}, not a number")
        if value != int(value):
            raise ValueError(f"{name}: answer {position} is {value!r}, not a whole number")
        if not low <= value <= high:
            raise ValueError(f"{name}: answer {position} is {value!r}, outside {low}–{high}")
        clean.append(int(value))
    return clean


# --- intervals ----------------------------------------------------------------------------


def _mean_interval(
    xs: Sequence[float], low: float | None = None, high: float | None = None
) -> tuple[float | None, float | None]:
    """Student's t interval for a mean, clipped to the scale [low, high] when there is one.
    One value gives the whole scale (None on an open side): nothing is known about the
    spread."""
    n = len(xs)
    mean = math.fsum(xs) / n
    if n == 1:
        return (None if low is None else float(low)), (None if high is None else float(high))
    variance = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
    half = t_quantile(n - 1) * math.sqrt(variance / n)
    lower, upper = mean - half, mean + half
    if low is not None:
        lower = max(float(low), lower)
    if high is not None:
        upper = min(float(high), upper)
    # Rounding in the mean of identical values must not put it outside its own interval.
    return min(lower, mean), max(upper, mean)


def _share(successes: int, n: int) -> tuple[float | None, float | None, float | None]:
    """A share in % with its Wilson interval in %; Nones when there is nothing to share."""
    if n == 0:
        return None, None, None
    low, high = wilson(successes, n)
    return 100 * successes / n, 100 * low, 100 * high


def _clustered_share(
    pairs: Sequence[tuple[float, float]],
) -> tuple[float, float, float, float]:
    """The pooled share Σ part / Σ whole in %, with its 95% interval in % and the effective
    sample size, where each (part, whole) pair is one cluster: an employee's days lost out of
    their scheduled days, a delivery's defective out of its delivered quantity.

    Units within a cluster are not independent (a bad batch spoils many units at once, a long
    illness many days), so Wilson's interval on all the units would be far too narrow. Korn &
    Graubard (1998), "Confidence intervals for proportions with small expected number of
    positive counts estimated from survey data", Survey Methodology 24(2), 193–201: use
    Wilson's interval with the effective sample size n_eff = p(1 − p) / v, where v is the
    variance of the pooled ratio across clusters (the linearised ratio-estimator variance,
    n/(n − 1) · Σ(partᵢ − p·wholeᵢ)² / (Σ wholeᵢ)²), kept between 1 and the number of units.
    When v is 0 (one cluster, or every cluster at the same share) the clusters themselves
    are the trials: n_eff = the number of clusters, unless every cluster shows the same share
    strictly between 0 and 1, where the units are (nothing suggests clustering then).
    """
    n = len(pairs)
    total_part = math.fsum(part for part, _ in pairs)
    total_whole = math.fsum(whole for _, whole in pairs)
    p = min(1.0, max(0.0, total_part / total_whole))
    units = max(total_whole, float(n))
    if n >= 2:
        v = n / (n - 1) * math.fsum((part - p * whole) ** 2 for part, whole in pairs)
        v /= total_whole**2
    else:
        v = 0.0
    if v > 0 and 0 < p < 1:
        n_eff = min(units, max(1.0, p * (1 - p) / v))
    elif n >= 2 and 0 < p < 1:
        n_eff = units
    else:
        n_eff = float(n)
    low, high = wilson(p * n_eff, n_eff)
    return 100 * p, 100 * low, 100 * high, n_eff


def _poisson_rate_interval(count: int, exposure: float) -> tuple[float, float]:
    """The 95% score interval for a Poisson rate: ``count`` events over ``exposure``.

    Solving (x − λE)² = z²·λE for λ gives (x + z²/2 ± z·√(x + z²/4)) / E: like Wilson's
    interval it stays above 0 and does not collapse at 0 events, where it reads
    [0, z²/E] (Byar's and Garwood's intervals agree closely; this one needs no gamma
    quantiles). See Brown, Cai & DasGupta (2003), "Interval estimation in exponential
    families", Statistica Sinica 13, 19–49.
    """
    z2 = Z95 * Z95
    centre = count + z2 / 2
    half = Z95 * math.sqrt(count + z2 / 4)
    return max(0.0, centre - half) / exposure, (centre + half) / exposure


def _median_ranks(n: int) -> tuple[int, float]:
    """The lower rank j (1-based) of the distribution-free 95% interval for a median of n
    values, [x₍ⱼ₎, x₍ₙ₋ⱼ₊₁₎], and its coverage 1 − 2·P(B ≤ j − 1), B ~ Binomial(n, ½).

    j is the largest rank with P(B ≤ j − 1) ≤ 2.5%; below six values no rank qualifies and
    the interval is the sample's range, with its (lower) coverage given. Exact up to 2,000
    values, the normal approximation with continuity correction beyond.
    """
    if n <= 2000:
        return _exact_median_ranks(n)
    j = math.floor(n / 2 + 0.5 - Z95 * math.sqrt(n) / 2)
    tail = normal_cdf((j - 0.5 - n / 2) / (math.sqrt(n) / 2))
    return j, 1 - 2 * tail


def _exact_median_ranks(n: int) -> tuple[int, float]:
    total = 1 << n  # 2ⁿ: compare 40·P(B ≤ j − 1)·2ⁿ with 2ⁿ in whole numbers
    cumulative, term, j = 0, 1, 0  # term = C(n, j)
    while 40 * (cumulative + term) <= total:
        cumulative += term
        term = term * (n - j) // (j + 1)
        j += 1
    # Now P(B ≤ j − 1) = cumulative / 2ⁿ ≤ 2.5% < P(B ≤ j).
    if j == 0:
        return 1, 1 - 2 / total
    return j, 1 - 2 * cumulative / total


def _median(xs: Sequence[float]) -> float:
    """The median of sorted values (the mean of the middle two for an even count)."""
    n = len(xs)
    middle = n // 2
    return xs[middle] if n % 2 else (xs[middle - 1] + xs[middle]) / 2


def _median_result(
    values: Sequence[float],
    censored: Sequence[float],
    minimum: int,
    parts: Mapping[str, float] | None = None,
) -> Result:
    """The median of durations with its distribution-free 95% interval (binomial order
    statistics: Conover 1999, Practical Nonparametric Statistics, 3rd ed., §3.2).

    ``values`` are observed durations; ``censored`` are durations known only to be at least
    so long (a message still waiting for its reply: at least its age so far). Censored ones
    are ranked at their lower bound, so the median is itself a lower bound whenever one of
    them lies at or below it: then ``parts["lower_bound"]`` is 1 and the true median may be
    higher (the interval's ends likewise).
    """
    parts = dict(parts or {})
    xs = sorted([*values, *censored])
    n = len(xs)
    if n == 0:
        return _nothing(minimum, parts)
    median = _median(xs)
    j, coverage = _median_ranks(n)
    low, high = xs[j - 1], xs[n - j]
    parts["coverage"] = coverage
    parts["lower_bound"] = 1.0 if any(c <= median for c in censored) else 0.0
    return Result(median, n, low, high, n >= minimum, minimum, parts)


def _complement(result: Result) -> Result:
    """100 − a share in %, with its interval turned round (churn from retention)."""
    if result.value is None or result.low is None or result.high is None:
        return result
    return Result(
        100 - result.value,
        result.n,
        100 - result.high,
        100 - result.low,
        result.enough,
        result.minimum,
        result.parts,
    )


# --- input checks -------------------------------------------------------------------------


def _unpack(item: object, sizes: tuple[int, ...], name: str, where: str, shape: str) -> tuple:
    """A row as a tuple of one of the allowed sizes, or an error saying what was expected."""
    try:
        values = tuple(item)  # type: ignore[call-overload]
    except TypeError:
        values = None
    if values is None or isinstance(item, str | bytes) or len(values) not in sizes:
        raise ValueError(f"{name}: {where} is {item!r}, not {shape}")
    return values


def _key(value: object, name: str, where: str) -> object:
    """An identifier (customer, employee): anything hashable but None or an empty string."""
    if value is None or value == "":
        raise ValueError(f"{name}: {where} has no id")
    try:
        hash(value)
    except TypeError:
        raise ValueError(f"{name}: {where} has the id {value!r}, which cannot be an id")
    return value


def _day(value: object, name: str, where: str) -> date:
    """A calendar date. A datetime is refused rather than cut to a date in some zone."""
    if isinstance(value, datetime):
        raise ValueError(
            f"{name}: {where} is the datetime {value.isoformat()}, not a date; give its "
            "calendar date in the business's time zone"
        )
    if not isinstance(value, date):
        raise ValueError(f"{name}: {where} is {value!r}, not a date")
    return value


def _period(start: object, end: object, name: str) -> tuple[date, date]:
    """A period's bounds: ``start`` included, ``end`` excluded, at least one day long."""
    start = _day(start, name, "the period's start")
    end = _day(end, name, "the period's end")
    if end <= start:
        raise ValueError(f"{name}: the period ends ({end}) on or before it starts ({start})")
    return start, end


def _utc(value):
    """An aware datetime in UTC, anything else as it is. Python subtracts and compares two
    datetimes of the same zone by their wall clocks, an hour off across a clock change;
    in UTC the difference is the time that passed."""
    if isinstance(value, datetime) and value.tzinfo is not UTC and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


class _Moments:
    """Checks that all the times of one call are of one kind: all dates, or all aware
    datetimes, and gives the datetimes back in UTC. A naive datetime is refused: compared
    with an aware one it raises a bare TypeError, and read as local time it is a guess."""

    def __init__(self, name: str):
        self.name = name
        self.kind: str | None = None
        self.first = ""
        self.type: type | None = None

    def fits(self, value: object) -> bool:
        """A quick yes for a value of the kind already seen, so that a million rows need
        not build a million error messages they will never show; no means "ask properly"."""
        kind = type(value)
        if kind is not self.type:
            return False
        return kind is date or value.tzinfo is not None  # type: ignore[attr-defined]

    def __call__(self, value: object, where: str) -> date:
        if isinstance(value, datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(
                    f"{self.name}: {where} is the naive datetime {value.isoformat()}; give an "
                    "aware datetime (with its time zone) or a date: naive and aware times "
                    "cannot be compared"
                )
            kind = "an aware datetime"
        elif isinstance(value, date):
            kind = "a date"
        else:
            raise ValueError(f"{self.name}: {where} is {value!r}, not a date or a datetime")
        if self.kind is None:
            self.kind, self.first = kind, where
            self.type = type(value) if type(value) in (date, datetime) else None
        elif kind != self.kind:
            raise ValueError(
                f"{self.name}: {where} is {kind} but {self.first} is {self.kind}; give all "
                "times as aware datetimes or all as dates"
            )
        return _utc(value)


def _number(value: object, name: str, where: str, *, at_least: float | None = None) -> float:
    """A finite number (int, float or Decimal; not a bool), optionally at least ``at_least``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name}: {where} is {value!r}, not a number")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name}: {where} is {value!r}, not a finite number")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name}: {where} is {value!r}, not a finite number")
    if at_least is not None and x < at_least:
        raise ValueError(f"{name}: {where} is {value!r}, below {at_least:g}")
    return x


def _count(value: object, name: str, what: str) -> int:
    """A whole number of things, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: {what} is {value!r}, not a whole number")
    if value < 0:
        raise ValueError(f"{name}: {what} is {value}, below 0")
    return value


def _working_days(first: date, stop: date, weekdays: frozenset[int], holidays: list[date]) -> int:
    """The working days from ``first`` (included) to ``stop`` (excluded): days whose weekday
    (Monday 0) is in ``weekdays``, less the ``holidays`` (sorted, each on such a weekday)."""
    days = (stop - first).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    start_weekday = first.weekday()
    count = weeks * len(weekdays)
    count += sum(1 for i in range(rest) if (start_weekday + i) % 7 in weekdays)
    return count - (bisect_left(holidays, stop) - bisect_left(holidays, first))
