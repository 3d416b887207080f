"""Survey scores with their sample size and uncertainty.

Every function takes the answers as plain numbers (``None`` for a question left blank: a
missing answer is not a zero and is simply not counted) and returns a ``Result``: the value,
how many answers it rests on, a 95% interval and ``enough``, False when fewer than
``minimum`` answers were given. Below the minimum a page says "not enough answers" instead
of a number that would swing wildly with the next answer.

Intervals are 95%: Wilson's score interval for shares, the adjusted Wald interval on the
trinomial variance for NPS (Rocks 2016), and Student's t for means.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# The smallest number of answers a score is shown on, unless the caller says otherwise.
MINIMUM = 5
Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal

# Student's t, 97.5th percentile, for 1–30 degrees of freedom (two-sided 95%).
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


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


def _check_minimum(minimum: int) -> None:
    if minimum < 1:
        raise ValueError(f"minimum must be at least 1, not {minimum}")


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a proportion, as shares in [0, 1].

    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA 22(158), 209–212. Unlike the textbook p ± z·se it stays inside [0, 1]
    and does not shrink to nothing at 0% or 100%, which matters with a handful of answers
    (Brown, Cai & DasGupta 2001, Statistical Science 16(2), 101–133).
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


def _t95(df: int) -> float:
    if df <= len(_T95):
        return _T95[df - 1]
    # Cornish–Fisher expansion of t around the normal quantile; within 0.001 beyond 30.
    z = Z95
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


def _mean_interval(xs: list[int], low: float, high: float) -> tuple[float, float]:
    """Student's t interval for a mean, clipped to the scale. One answer gives the whole
    scale: nothing is known about the spread."""
    n = len(xs)
    mean = sum(xs) / n
    if n == 1:
        return float(low), float(high)
    variance = sum((x - mean) ** 2 for x in xs) / (n - 1)
    half = _t95(n - 1) * math.sqrt(variance / n)
    return max(float(low), mean - half), min(float(high), mean + half)


def _share(successes: int, n: int) -> tuple[float | None, float | None, float | None]:
    if n == 0:
        return None, None, None
    low, high = wilson(successes, n)
    return 100 * successes / n, 100 * low, 100 * high


def _net_promoter(scores: Iterable, minimum: int, name: str) -> Result:
    _check_minimum(minimum)
    xs = _clean(scores, 0, 10, name)
    n = len(xs)
    promoters = sum(1 for x in xs if x >= 9)
    detractors = sum(1 for x in xs if x <= 6)
    passives = n - promoters - detractors
    if n == 0:
        return Result(None, 0, None, None, False, minimum, {})
    # Adjusted Wald (Rocks 2016): add 3/4 of an answer to promoters and to detractors and
    # 3 to n, then use the variance of a difference of two trinomial shares.
    adjusted_n = n + 3
    p = (promoters + 0.75) / adjusted_n
    d = (detractors + 0.75) / adjusted_n
    half = Z95 * math.sqrt((p + d - (p - d) ** 2) / adjusted_n)
    parts = {
        "promoters": 100 * promoters / n,
        "passives": 100 * passives / n,
        "detractors": 100 * detractors / n,
        "promoter_count": promoters,
        "passive_count": passives,
        "detractor_count": detractors,
    }
    return Result(
        value=100 * (promoters - detractors) / n,
        n=n,
        low=max(-100.0, 100 * (p - d - half)),
        high=min(100.0, 100 * (p - d + half)),
        enough=n >= minimum,
        minimum=minimum,
        parts=parts,
    )


def nps(scores: Iterable, *, minimum: int = MINIMUM) -> Result:
    """Net Promoter Score, from -100 to +100.

    Definition (Reichheld 2003, "The One Number You Need to Grow", Harvard Business Review
    81(12)): on "How likely are you to recommend us?" from 0 to 10, promoters answer 9 or
    10, detractors 0 to 6, passives 7 or 8; NPS = % promoters - % detractors.

    Interval: the adjusted Wald interval of Rocks (2016), "Interval Estimation for the
    'Net Promoter Score'", The American Statistician 70(4), 365–372: with n' = n + 3,
    p = (promoters + 3/4) / n' and d = (detractors + 3/4) / n', the score's variance per
    answer is the trinomial variance p + d - (p - d)², and the interval is
    (p - d) ± 1.96·√((p + d - (p - d)²) / n'), clipped to [-100, 100]. Rocks found it kept
    its 95% coverage on small samples where the plain Wald interval collapses (five
    promoters out of five would otherwise give +100 ± 0).

    parts: % promoters, passives, detractors and their counts.

    >>> nps([10, 9, 8, 7, 6]).value
    20.0
    """
    return _net_promoter(scores, minimum, "NPS")


def enps(scores: Iterable, *, minimum: int = MINIMUM) -> Result:
    """Employee Net Promoter Score: the NPS of "How likely are you to recommend working here
    to a friend?" (0–10), with the same categories (9–10 promoters, 0–6 detractors), the
    same formula and the same interval as ``nps``. Blank answers are not counted.

    >>> round(enps([10, None, 3, 9]).value, 1)  # 2 promoters, 1 detractor, 3 answers
    33.3
    """
    return _net_promoter(scores, minimum, "eNPS")


def csat(ratings: Iterable, scale: int = 5, *, minimum: int = MINIMUM) -> Result:
    """Customer satisfaction: the % of satisfied answers, 0 to 100.

    Definition: the "top-two-box" share customary in survey tools: on "How satisfied were
    you?" from 1 to 5, the answers 4 (satisfied) and 5 (very satisfied) over all answers.
    On another scale the top two points count. Interval: Wilson's (see ``wilson``).

    parts: ``mean`` (the mean rating, alongside, as many reports show both) and
    ``satisfied_count``.

    >>> csat([5, 4, 3, 2, 5]).value
    60.0
    """
    if scale < 3:
        raise ValueError(f"a satisfaction scale needs at least 3 points, not {scale}")
    _check_minimum(minimum)
    xs = _clean(ratings, 1, scale, "CSAT")
    satisfied = sum(1 for x in xs if x >= scale - 1)
    value, low, high = _share(satisfied, len(xs))
    parts = {"mean": sum(xs) / len(xs), "satisfied_count": satisfied} if xs else {}
    return Result(value, len(xs), low, high, len(xs) >= minimum, minimum, parts)


def ces(scores: Iterable, scale: int = 7, *, minimum: int = MINIMUM) -> Result:
    """Customer Effort Score: the mean agreement with "It was easy to ..." from 1 (strongly
    disagree) to 7 (strongly agree); higher is easier.

    Definition: CES 2.0 of Dixon, Toman & DeLisi (2013), "The Effortless Experience" (CEB),
    which replaced the 1–5 "how much effort" question of Dixon, Freeman & Toman (2010, HBR
    88(7)). The mean is reported with the share agreeing (5, 6 or 7 on the 7-point scale;
    above the midpoint on another scale). Interval: Student's t for the mean, clipped to
    the scale.

    parts: ``agree`` (%), its Wilson interval ``agree_low``/``agree_high``, ``agree_count``.

    >>> ces([7, 6, 5, 4, 3]).value
    5.0
    """
    if scale < 3:
        raise ValueError(f"an effort scale needs at least 3 points, not {scale}")
    _check_minimum(minimum)
    xs = _clean(scores, 1, scale, "CES")
    if not xs:
        return Result(None, 0, None, None, False, minimum, {})
    agree = sum(1 for x in xs if x > (1 + scale) / 2)
    share, share_low, share_high = _share(agree, len(xs))
    low, high = _mean_interval(xs, 1, scale)
    parts = {"agree": share, "agree_low": share_low, "agree_high": share_high}
    parts["agree_count"] = agree
    return Result(sum(xs) / len(xs), len(xs), low, high, len(xs) >= minimum, minimum, parts)


def favourable(likert: Iterable, *, minimum: int = MINIMUM) -> Result:
    """Favourability of an agreement item ("My workload is manageable"), 1–5.

    Definition: % favourable = the share answering 4 (agree) or 5 (strongly agree), the
    summary used by employee-engagement surveys; neutral is 3, unfavourable 1–2. Alongside
    it, the mean rescaled to 0–100: (mean - 1) / 4 × 100, so 1 → 0, 3 → 50 and 5 → 100.
    Interval: Wilson's, for the favourable share.

    parts: ``neutral`` and ``unfavourable`` (%), ``mean`` (1–5), ``mean_100`` (0–100),
    ``favourable_count``.

    >>> favourable([5, 4, 3, 2, 1]).value
    40.0
    """
    _check_minimum(minimum)
    xs = _clean(likert, 1, 5, "Likert")
    n = len(xs)
    good = sum(1 for x in xs if x >= 4)
    value, low, high = _share(good, n)
    parts = {}
    if n:
        mean = sum(xs) / n
        parts = {
            "neutral": 100 * sum(1 for x in xs if x == 3) / n,
            "unfavourable": 100 * sum(1 for x in xs if x <= 2) / n,
            "mean": mean,
            "mean_100": (mean - 1) / 4 * 100,
            "favourable_count": good,
        }
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def mean_rating(ratings: Iterable, scale: int = 5, *, minimum: int = MINIMUM) -> Result:
    """The mean of a 1-to-``scale`` rating (stars), with Student's t interval clipped to
    the scale. Definition: the arithmetic mean of the answers given.

    >>> mean_rating([5, 4, 4, None]).value
    4.333333333333333
    """
    if scale < 2:
        raise ValueError(f"a rating scale needs at least 2 points, not {scale}")
    _check_minimum(minimum)
    xs = _clean(ratings, 1, scale, "Rating")
    if not xs:
        return Result(None, 0, None, None, False, minimum, {})
    low, high = _mean_interval(xs, 1, scale)
    return Result(sum(xs) / len(xs), len(xs), low, high, len(xs) >= minimum, minimum, {})
