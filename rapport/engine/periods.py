"""The calendar: ISO weeks (Monday to Sunday), calendar months and quarters, each a
half-open range of local days [start, end).

::

    w = window_of(date(2026, 3, 5), WEEK)    # Window(2026-03-02, 2026-03-09, "week")
    w.label, w.title                         # "2026-W10", "week of 2 March 2026"
    w.previous().label, w.following().label  # "2026-W09", "2026-W11"
    windows(date(2026, 1, 1), date(2026, 6, 30), QUARTER)  # Q1 and Q2 2026
    parse("2026-Q1")                         # the window a label names, or None

Labels are short and sortable ("2026-W09", "2026-03", "2026-Q1"); a week is named by its
ISO year, so the week of 29 December 2025 is "2026-W01" and 2026 has a week 53. Every
page, survey round and series of Rapport uses this one calendar; the days are local days,
so "which day is it" in a business's time zone is decided before (``Workspace.today()``).
No Django here.
"""

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
    """One week, month or quarter: local days from ``start`` to ``end`` (excluded)."""

    start: dt.date
    end: dt.date
    every: str

    @property
    def label(self) -> str:
        """ "2026-W09", "2026-03" or "2026-Q1": short, sortable, used in URLs."""
        return label(self.start, self.every)

    @property
    def title(self) -> str:
        """The period in words: "week of 2 March 2026", "March 2026", "Q1 2026 (Jan–Mar)"."""
        s = self.start
        if self.every == WEEK:
            return f"week of {s.day} {MONTHS[s.month - 1]} {s.year}"
        if self.every == MONTH:
            return f"{MONTHS[s.month - 1]} {s.year}"
        last = MONTHS[s.month + 1][:3]
        return f"Q{quarter_number(s)} {s.year} ({MONTHS[s.month - 1][:3]}–{last})"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def previous(self) -> Window:
        return window_of(self.start - dt.timedelta(days=1), self.every)

    def following(self) -> Window:
        return window_of(self.end, self.every)


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def quarter_number(day: dt.date) -> int:
    """1 to 4: the quarter of the year ``day`` falls in."""
    return (day.month - 1) // 3 + 1


def label(day: dt.date, every: str) -> str:
    """The label of the week, month or quarter holding ``day``: "2026-W09" (ISO year and
    week), "2026-03", "2026-Q1"."""
    if every == WEEK:
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if every == MONTH:
        return f"{day.year}-{day.month:02d}"
    if every == QUARTER:
        return f"{day.year}-Q{quarter_number(day)}"
    raise ValueError(f"every must be one of {', '.join(EVERY)}, not {every!r}")


def window_of(day: dt.date, every: str) -> Window:
    """The week (from Monday), month or quarter holding ``day``."""
    if every == WEEK:
        start = week_start(day)
        return Window(start, start + dt.timedelta(days=7), WEEK)
    if every == MONTH:
        start = day.replace(day=1)
        return Window(start, add_months(start, 1), MONTH)
    if every == QUARTER:
        start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Window(start, add_months(start, 3), QUARTER)
    raise ValueError(f"every must be one of {', '.join(EVERY)}, not {every!r}")


def windows(first: dt.date, last: dt.date, every: str) -> list[Window]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    found = []
    w = window_of(first, every)
    while w.start <= last:
        found.append(w)
        w = w.following()
    return found


def index(day: dt.date, every: str) -> int:
    """The number of the period holding ``day``: consecutive periods have consecutive
    numbers (weeks counted from Monday 1 January of year 1)."""
    if every == WEEK:
        return (day.toordinal() - 1) // 7
    if every == MONTH:
        return day.year * 12 + day.month - 1
    if every == QUARTER:
        return day.year * 4 + (day.month - 1) // 3
    raise ValueError(f"every must be one of {', '.join(EVERY)}, not {every!r}")


def start_of_index(number: int, every: str) -> dt.date:
    """The first day of the period numbered ``number`` by ``index``."""
    if every == WEEK:
        return dt.date.fromordinal(7 * number + 1)
    if every == MONTH:
        return dt.date(number // 12, number % 12 + 1, 1)
    if every == QUARTER:
        return dt.date(number // 4, number % 4 * 3 + 1, 1)
    raise ValueError(f"every must be one of {', '.join(EVERY)}, not {every!r}")


def from_label(text: str) -> Window:
    """The window a label names ("2026-W09", "2026-03", "2026-Q1"); ValueError when it
    names none."""
    year_text, rest = text.split("-", 1)
    year = int(year_text)
    if rest.startswith("W"):
        return window_of(dt.date.fromisocalendar(year, int(rest[1:]), 1), WEEK)
    if rest.startswith("Q"):
        number = int(rest[1:])
        if not 1 <= number <= 4:
            raise ValueError(f"no quarter {number} in {text!r}")
        return window_of(dt.date(year, 3 * number - 2, 1), QUARTER)
    return window_of(dt.date(year, int(rest), 1), MONTH)


def parse(text: str) -> Window | None:
    """The window a label names ("2026-W09", "2026-03", "2026-Q1") with a year from 1900
    to 2999; None when it is not one (for labels read from a URL)."""
    try:
        year = int(text.split("-", 1)[0])
        if not 1900 <= year <= 2999:
            return None
        return from_label(text)
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s (before, when negative)."""
    number = day.year * 12 + day.month - 1 + months
    return dt.date(number // 12, number % 12 + 1, 1)
