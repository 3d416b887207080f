"""Calendar periods in a business's own time zone: ISO weeks, months and quarters, each a
half-open range of local days [start, end)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEEK, MONTH, QUARTER = "week", "month", "quarter"
EVERY = (WEEK, MONTH, QUARTER)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True, order=True)
class Window:
    start: dt.date
    end: dt.date
    every: str

    @property
    def label(self) -> str:
        """ "2026-W09", "2026-03" or "2026-Q1": short, sortable, used in URLs."""
        if self.every == WEEK:
            iso = self.start.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        if self.every == MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    @property
    def title(self) -> str:
        """The period in words: "week of 2 March 2026", "March 2026", "Q1 2026 (Jan–Mar)"."""
        s = self.start
        if self.every == WEEK:
            return f"week of {s.day} {MONTHS[s.month - 1]} {s.year}"
        if self.every == MONTH:
            return f"{MONTHS[s.month - 1]} {s.year}"
        last = MONTHS[s.month + 1][:3]
        return f"Q{(s.month - 1) // 3 + 1} {s.year} ({MONTHS[s.month - 1][:3]}–{last})"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def previous(self) -> Window:
        return window_of(self.start - dt.timedelta(days=1), self.every)

    def following(self) -> Window:
        return window_of(self.end, self.every)


def window_of(day: dt.date, every: str) -> Window:
    """The week (from Monday), month or quarter holding ``day``."""
    if every == WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return Window(start, start + dt.timedelta(days=7), WEEK)
    if every == MONTH:
        start = day.replace(day=1)
        return Window(start, _add_months(start, 1), MONTH)
    if every == QUARTER:
        start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Window(start, _add_months(start, 3), QUARTER)
    raise ValueError(f"every must be one of {', '.join(EVERY)}, not {every!r}")


def windows(first: dt.date, last: dt.date, every: str) -> list[Window]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    found = []
    w = window_of(first, every)
    while w.start <= last:
        found.append(w)
        w = w.following()
    return found


def parse(label: str) -> Window | None:
    """The window a label names ("2026-W09", "2026-03", "2026-Q1"); None when it is not one."""
    try:
        year_text, rest = label.split("-", 1)
        year = int(year_text)
        if not 1900 <= year <= 2999:
            return None
        if rest.startswith("W"):
            return window_of(dt.date.fromisocalendar(year, int(rest[1:]), 1), WEEK)
        if rest.startswith("Q"):
            quarter = int(rest[1:])
            return (
                window_of(dt.date(year, 3 * quarter - 2, 1), QUARTER) if 1 <= quarter <= 4 else None
            )
        return window_of(dt.date(year, int(rest), 1), MONTH)
    except ValueError:
        return None


def local_today(tz) -> dt.date:
    return dt.datetime.now(tz).date()


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
