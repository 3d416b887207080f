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
from collections.abc import Iterable

# The shared pieces live in _common; their names stay importable from here.
from rapport.engine.metrics._common import (
    MINIMUM,
    Z95,
    Result,
    _check_minimum,
    _clean,
    _mean_interval,
    _share,
    wilson,
)

__all__ = [
    "MINIMUM",
    "Z95",
    "Result",
    "ces",
    "csat",
    "enps",
    "favourable",
    "mean_rating",
    "nps",
    "wilson",
]


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

    parts: ``agree`` (%), its Wilson interval ``agree_low``/``agree_high``, ``agree_count``,
    ``sd`` (the answers' sample standard deviation, for change tests).

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
    mean = sum(xs) / len(xs)
    parts["sd"] = (
        math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
    )
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
