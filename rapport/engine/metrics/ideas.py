"""Innovation output: how many ideas arrive, how many are implemented, and how fast.

Ideas are ``(submitted_at, implemented_at)`` rows, ``implemented_at`` None while not
implemented (under review, piloting, declined). Times are ``date``s or aware ``datetime``s,
of one kind within a call, period bounds included. A period runs from ``start`` (included)
to ``end`` (excluded); an idea belongs to the period it was submitted in.
"""

from collections.abc import Iterable
from datetime import date

from rapport.engine.metrics._common import (
    DAY,
    MEDIAN_MINIMUM,
    MINIMUM,
    Result,
    _check_minimum,
    _median_result,
    _Moments,
    _nothing,
    _share,
    _unpack,
)


def _ideas(ideas: Iterable, start: date, end: date, name: str):
    """(submitted, implemented or None) for each idea submitted in [start, end), checked."""
    moment = _Moments(name)
    start = moment(start, "the period's start")
    end = moment(end, "the period's end")
    if end <= start:
        raise ValueError(f"{name}: the period ends ({end}) on or before it starts ({start})")
    kept = []
    for position, row in enumerate(ideas, start=1):
        where = f"idea {position}"
        submitted, implemented = _unpack(
            row, (2,), name, where, "a (submitted_at, implemented_at) row"
        )
        submitted = moment(submitted, f"{where}'s submission")
        if implemented is not None:
            implemented = moment(implemented, f"{where}'s implementation")
            if implemented < submitted:
                raise ValueError(
                    f"{name}: {where} is implemented ({implemented}) before it is "
                    f"submitted ({submitted})"
                )
        if start <= submitted < end:
            kept.append((submitted, implemented))
    return kept


def innovation_output(ideas: Iterable, start: date, end: date, *, minimum: int = MINIMUM) -> Result:
    """Innovation output: ideas submitted in the period, and the % of them implemented.

    Definition: ideas = the ideas submitted in [start, end) (from staff, customers,
    suppliers); the value is the share of them implemented so far (implemented / ideas ×
    100). Recent ideas have had less time: compare periods of the same age. The median time
    to implement is in parts (see ``time_to_implement`` for its interval).

    Interval: Wilson's, for the implemented share. n: ideas.
    parts: ``ideas``, ``implemented_count``, ``median_days_to_implement`` (when any was
    implemented).

    >>> from datetime import date
    >>> ideas = [(date(2025, 1, 6), date(2025, 2, 5)), (date(2025, 1, 9), None)]
    >>> innovation_output(ideas, date(2025, 1, 1), date(2025, 4, 1)).value
    50.0
    """
    name = "Innovation output"
    _check_minimum(minimum)
    kept = _ideas(ideas, start, end, name)
    n = len(kept)
    if n == 0:
        return _nothing(minimum, {"ideas": 0})
    durations = [(done - submitted) / DAY for submitted, done in kept if done is not None]
    value, low, high = _share(len(durations), n)
    parts: dict[str, float] = {"ideas": n, "implemented_count": len(durations)}
    if durations:
        median = _median_result(durations, (), MEDIAN_MINIMUM).value
        if median is not None:
            parts["median_days_to_implement"] = median
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def time_to_implement(
    ideas: Iterable, start: date, end: date, *, minimum: int = MEDIAN_MINIMUM
) -> Result:
    """The median time, in days, from an idea's submission to its implementation, over the
    ideas submitted in [start, end) and implemented since.

    Definition: implemented_at − submitted_at in days (fractions of a day with datetimes).
    Ideas not implemented are left out, not counted as waiting: many never will be, and
    that is a decision, not a delay; the implemented share (``innovation_output``) tells
    that side.

    Interval: distribution-free, from binomial order statistics (see
    ``relationships.responsiveness``). Minimum: 6. n: implemented ideas.
    parts: ``coverage``, ``lower_bound`` (always 0 here).

    >>> from datetime import date
    >>> ideas = [(date(2025, 1, 6), date(2025, 2, 5)), (date(2025, 1, 9), date(2025, 1, 19))]
    >>> time_to_implement(ideas, date(2025, 1, 1), date(2025, 4, 1)).value
    20.0
    """
    name = "Time to implement"
    _check_minimum(minimum)
    kept = _ideas(ideas, start, end, name)
    durations = [(done - submitted) / DAY for submitted, done in kept if done is not None]
    return _median_result(durations, (), minimum)
