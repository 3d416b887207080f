"""Where sentiment is heading: over one conversation, and over a whole relationship.

::

    conversation_trajectory([0.8, 0.6, 0.3, 0.1, 0.0]).direction            # 'declining'
    relationship_trajectory([(when, score), ...], half_life_days=60).explanation
    # 'Sentiment has fallen from +0.62 to +0.05 over the last 5 months (7 interactions).'

The point of a trajectory is to see a relationship cooling before anyone writes a negative
message: five messages from +0.8 down to 0.0 are "declining" though none is negative.

How, for both:

- **smoothed**: an exponentially weighted average of the scores up to each point, each older
  score's weight halving every ``half_life`` (days for a relationship, messages for a
  conversation); ``current`` is its last value.
- **trend**: the Theil–Sen slope (the median of the slopes between every two points: one
  odd score cannot swing it) over the recent window, per message or per 30 days, with its
  distribution-free 90% interval from Kendall's S (Sen, 1968), corrected for tied scores.
- **direction**: "declining" only when the whole interval is below zero *and* the fitted
  fall over the window is at least ``MIN_CHANGE`` (a slope can be clear but too small to
  matter); "improving" the same way up; "steady" otherwise; "not enough data" with fewer
  than ``MIN_POINTS`` points in the window. With 4 points the interval excludes zero only
  when every step goes the same way.
- **change**: the mean of the later half of the window minus the mean of the earlier half.

Scores are sentiment scores in [-1, 1] (``Sentiment.score``). Input may be unsorted (it is
sorted by time); NaN or None scores are skipped with a note; times are all ``datetime`` —
all naive or all aware, never mixed — or all plain numbers of days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import numpy as np

from rapport.engine.stats import theil_sen_interval

MIN_POINTS = 4
# The fitted rise or fall over the window, in score units, below which a trend is "steady".
MIN_CHANGE = 0.1
# A window whose scores spread wider than this is "swinging", not "steady", in words.
SWING = 0.6
# Scores below this count as negative messages in explanations.
NEGATIVE = -0.25
CONFIDENCE = 0.90
# Theil–Sen looks at every pair of points; beyond this many the oldest in the window go.
MAX_WINDOW_POINTS = 2_000

DECLINING, IMPROVING, STEADY, NOT_ENOUGH = "declining", "improving", "steady", "not enough data"


@dataclass(frozen=True, slots=True, kw_only=True)
class Trajectory:
    """Sentiment over time.

    ``points``: the (time, score) pairs used, sorted by time, without skipped ones (time is a
    message number for a conversation); ``smoothed``: one smoothed score per point;
    ``current``: the last smoothed score; ``trend``: the slope per ``unit`` ("message" or
    "30 days") over the last ``window_points`` points, with ``trend_interval`` (90%);
    ``direction``: declining, improving, steady or not enough data; ``change``: the later half
    of the window's mean minus the earlier half's; ``explanation``: one plain sentence;
    ``notes``: what was skipped or repaired.
    """

    points: tuple[tuple[Any, float], ...]
    smoothed: tuple[float, ...]
    current: float | None
    trend: float | None
    trend_interval: tuple[float, float] | None
    unit: str
    direction: str
    change: float | None
    window_points: int
    explanation: str
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


def conversation_trajectory(
    scores: Sequence[float | None], *, half_life: float = 2.0, window: int = 8
) -> Trajectory:
    """Sentiment over one conversation: ``scores`` in the order the messages were written.

    ``half_life`` in messages; the trend is read over the last ``window`` messages.
    """
    points = [(i, s) for i, s in enumerate(scores)]
    xs, ys, kept, notes = _clean(points)
    recent = max(0, len(xs) - window)
    return _trajectory(
        xs, ys, kept, notes, half_life, recent, per=1.0, unit="message", noun="message"
    )


def relationship_trajectory(
    points: Sequence[tuple[datetime | float, float | None]],
    *,
    half_life_days: float = 60.0,
    window_days: float = 180.0,
) -> Trajectory:
    """Sentiment over a relationship: (time, score) for each interaction, in any order.

    ``half_life_days`` for smoothing; the trend is read over the last ``window_days`` (or the
    last ``MIN_POINTS`` interactions, if the window holds fewer), in score per 30 days.
    """
    xs, ys, kept, notes = _clean(points, times=True)
    recent = int(np.searchsorted(xs, xs[-1] - window_days, side="left")) if len(xs) else 0
    recent = min(recent, max(0, len(xs) - MIN_POINTS))
    return _trajectory(
        xs, ys, kept, notes, half_life_days, recent, per=30.0, unit="30 days", noun="interaction"
    )


def _trajectory(xs, ys, kept, notes, half_life, start, *, per, unit, noun) -> Trajectory:
    smoothed = _smooth(xs, ys, half_life)
    wx, wy = xs[start:][-MAX_WINDOW_POINTS:], ys[start:][-MAX_WINDOW_POINTS:]
    base = dict(
        points=tuple(kept),
        smoothed=tuple(round(float(v), 4) for v in smoothed),
        current=round(float(smoothed[-1]), 4) if len(smoothed) else None,
        unit=unit,
        window_points=len(wx),
        notes=tuple(notes),
    )
    if len(xs) == 0:
        return Trajectory(
            trend=None,
            trend_interval=None,
            direction=NOT_ENOUGH,
            change=None,
            explanation=f"Not enough data: no {noun}s with a sentiment score.",
            **base,
        )
    if len(wx) < MIN_POINTS or wx[-1] == wx[0]:
        why = (
            f"all {len(wx)} {noun}s share one time"
            if len(wx) >= MIN_POINTS
            else f"{_count(len(wx), noun)}; a trend needs at least {MIN_POINTS}"
        )
        return Trajectory(
            trend=None,
            trend_interval=None,
            direction=NOT_ENOUGH,
            change=None,
            explanation=f"Not enough data: {why}.",
            **base,
        )

    slope, low, high = theil_sen_interval(wx, wy, CONFIDENCE)
    intercept = float(np.median(wy - slope * wx))
    first, last = intercept + slope * wx[0], intercept + slope * wx[-1]
    half = len(wx) // 2
    change = float(wy[len(wx) - half :].mean() - wy[:half].mean())
    if high < 0 and first - last >= MIN_CHANGE:
        direction = DECLINING
    elif low > 0 and last - first >= MIN_CHANGE:
        direction = IMPROVING
    else:
        direction = STEADY

    span = _span(wx, noun, days=per != 1.0)
    if direction == STEADY and wy.max() - wy.min() > SWING:
        text = (
            f"Sentiment has swung between {_signed(wy.min())} and {_signed(wy.max())}"
            f" with no clear trend {span}."
        )
    elif direction == STEADY:
        text = f"Sentiment has been steady around {_signed(float(np.median(wy)))} {span}."
    else:
        verb = "fallen" if direction == DECLINING else "risen"
        text = f"Sentiment has {verb} from {_signed(first)} to {_signed(last)} {span}"
        if direction == DECLINING and wy.min() > NEGATIVE:
            text += f", though no {noun} was negative"
        text += "."
    return Trajectory(
        trend=round(slope * per, 4),
        trend_interval=(round(low * per, 4), round(high * per, 4)),
        direction=direction,
        change=round(change, 4),
        explanation=text,
        **base,
    )


def _clean(points, times: bool = False):
    """Sorted x values (days or message numbers), scores, the kept pairs, and notes."""
    notes: list[str] = []
    good = []
    missing = clipped = 0
    for when, score in points:
        score = math.nan if score is None else float(score)
        if math.isnan(score):
            missing += 1
            continue
        if not -1.0 <= score <= 1.0:
            clipped += 1
            score = min(1.0, max(-1.0, score))
        good.append((when, score))
    days = _days([w for w, _ in good]) if times else [float(w) for w, _ in good]
    undated = [i for i, d in enumerate(days) if math.isnan(d)]
    if undated:
        good = [g for i, g in enumerate(good) if i not in set(undated)]
        days = [d for d in days if not math.isnan(d)]
    if missing:
        notes.append(f"skipped {_count(missing, 'point')} without a score")
    if undated:
        notes.append(f"skipped {_count(len(undated), 'point')} without a time")
    if clipped:
        notes.append(f"clipped {_count(clipped, 'score')} outside [-1, 1]")
    order = sorted(range(len(good)), key=lambda i: days[i])
    xs = np.array([days[i] for i in order], dtype=np.float64)
    ys = np.array([good[i][1] for i in order], dtype=np.float64)
    return xs, ys, [good[i] for i in order], notes


def _days(times: list) -> list[float]:
    """Times as days from the earliest, refusing to mix kinds of time."""
    if not times:
        return []
    if all(isinstance(t, datetime) for t in times):
        aware = {t.tzinfo is not None and t.utcoffset() is not None for t in times}
        if len(aware) > 1:
            raise ValueError("times mix naive and aware datetimes; use one or the other")
        origin = min(times)
        return [(t - origin).total_seconds() / 86400.0 for t in times]
    if any(isinstance(t, datetime | date) for t in times):
        raise TypeError("times must all be datetimes or all be numbers of days, not a mix")
    try:
        return [float(t) for t in times]
    except (TypeError, ValueError):
        raise TypeError("times must be datetimes or numbers of days") from None


def _smooth(xs: np.ndarray, ys: np.ndarray, half_life: float) -> np.ndarray:
    """Exponentially weighted mean up to each point, by time: a score ``half_life`` older
    than the current point weighs half as much. Linear time (running sums)."""
    out = np.empty(len(ys))
    num = den = 0.0
    for i in range(len(ys)):
        decay = 0.5 ** ((xs[i] - xs[i - 1]) / half_life) if i else 0.0
        num = ys[i] + decay * num
        den = 1.0 + decay * den
        out[i] = num / den
    return out


def _signed(value: float) -> str:
    return "0.00" if abs(value) < 0.005 else f"{value:+.2f}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _span(xs: np.ndarray, noun: str, days: bool) -> str:
    n = _count(len(xs), noun)
    if not days:
        return f"over the last {n}"
    length = xs[-1] - xs[0]
    if length < 1.5:
        when = "within a day"
    elif length <= 60:
        when = f"over the last {round(length)} days"
    elif length <= 730:
        when = f"over the last {round(length / 30.44)} months"
    else:
        when = f"over the last {length / 365.25:.1f} years"
    return f"{when} ({n})"
