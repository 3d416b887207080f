"""Business hours: clocks that run only while the business is open.

A reply promised "within 2 business hours" to a message that arrives on Saturday evening is
due on Monday morning, not at 10 pm; an SLA clock pauses at closing time, over weekends and
holidays, and is right across daylight-saving changes because opening hours are wall-clock
times in the business's own time zone.

    >>> import datetime as dt
    >>> from zoneinfo import ZoneInfo
    >>> hours = BusinessHours.weekdays(dt.time(7), dt.time(19), zone=ZoneInfo("Europe/Paris"))
    >>> saturday_evening = dt.datetime(2026, 12, 5, 21, 0, tzinfo=ZoneInfo("Europe/Paris"))
    >>> hours.add(saturday_evening, dt.timedelta(hours=2)).isoformat()
    '2026-12-07T09:00:00+01:00'

No Django here; the inbox app builds a :class:`BusinessHours` from the business's settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# Never look further than this for the next opening (a business closed for longer has no
# business hours to count).
HORIZON_DAYS = 366


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours per weekday (0 = Monday) as ``(open, close)`` wall-clock pairs in
    ``zone``, closed on ``holidays``. A day may have several spans (a lunch break); a span
    may close at ``dt.time(0)`` to mean midnight."""

    spans: Mapping[int, tuple[tuple[dt.time, dt.time], ...]]
    zone: dt.tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))
    holidays: frozenset[dt.date] = frozenset()

    def __post_init__(self):
        for day, spans in self.spans.items():
            if day not in range(7):
                raise ValueError(f"weekday {day} is not 0 (Monday) to 6 (Sunday)")
            for start, end in spans:
                if end != dt.time(0) and end <= start:
                    raise ValueError(f"on weekday {day}, {end} is not after {start}")

    @classmethod
    def weekdays(
        cls,
        opens: dt.time,
        closes: dt.time,
        *,
        zone: dt.tzinfo,
        days: Iterable[int] = range(5),
        holidays: Iterable[dt.date] = (),
    ) -> BusinessHours:
        """The same hours on each of ``days`` (Monday to Friday unless told)."""
        return cls({d: ((opens, closes),) for d in days}, zone, frozenset(holidays))

    @classmethod
    def always(cls) -> BusinessHours:
        """Open all the time: business time is elapsed time."""
        return cls({d: ((dt.time(0), dt.time(0)),) for d in range(7)})

    def open_spans(self, since: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The open periods that end after ``since``, in order, clipped to start no earlier
        than ``since`` (aware datetimes in the business's zone)."""
        local = since.astimezone(self.zone)
        day = local.date()
        for _ in range(HORIZON_DAYS + 1):
            if day not in self.holidays:
                for start, end in self.spans.get(day.weekday(), ()):
                    opens = _at(day, start, self.zone)
                    closes = _at(day + dt.timedelta(days=1), dt.time(0), self.zone)
                    if end != dt.time(0):
                        closes = _at(day, end, self.zone)
                    if closes > since:
                        yield max(opens, since), closes
            day += dt.timedelta(days=1)

    def is_open(self, at: dt.datetime) -> bool:
        first = next(self.open_spans(at), None)
        return first is not None and first[0] <= at

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment ``duration`` of business time after ``start``: the deadline of a clock
        started then. Raises ValueError when the business has no hours within a year."""
        if duration < dt.timedelta(0):
            raise ValueError("a duration of business time cannot be negative")
        left = duration
        for opens, closes in self.open_spans(start):
            span = closes - opens
            if left <= span:
                return (opens + left).astimezone(self.zone)
            left -= span
        raise ValueError("no business hours within a year: the clock would never run out")

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Business time between ``start`` and ``end`` (zero when ``end`` is not later)."""
        total = dt.timedelta(0)
        if end <= start:
            return total
        for opens, closes in self.open_spans(start):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return total


def _at(day: dt.date, time: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """``day`` at wall-clock ``time`` in ``zone``, as a UTC instant. A time that occurs twice
    (clocks going back) is its first occurrence; a time skipped by clocks going forward is
    read with the offset before the change, which lands just after the gap."""
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)
