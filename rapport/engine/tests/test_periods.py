"""Calendar periods: ISO weeks, months and quarters as half-open ranges of local days, their
labels (used in URLs) and titles (read by people)."""

import datetime as dt

import pytest

from rapport.engine.periods import MONTH, QUARTER, WEEK, Window, parse, window_of, windows

D = dt.date


def test_a_week_runs_from_monday_to_the_next_monday():
    w = window_of(D(2026, 3, 5), WEEK)  # a Thursday

    assert (w.start, w.end, w.every) == (D(2026, 3, 2), D(2026, 3, 9), WEEK)
    assert w.days == 7
    assert w.contains(D(2026, 3, 2)) and w.contains(D(2026, 3, 8))
    assert not w.contains(D(2026, 3, 9))
    assert window_of(D(2026, 3, 2), WEEK) == w  # a Monday holds its own week
    assert window_of(D(2026, 3, 8), WEEK) == w  # and so does the Sunday after


def test_the_first_iso_week_of_a_year_may_start_in_december():
    # 1 January 2026 is a Thursday, so week 1 of 2026 starts on Monday 29 December 2025.
    w = window_of(D(2026, 1, 1), WEEK)

    assert (w.start, w.end) == (D(2025, 12, 29), D(2026, 1, 5))
    assert w.label == "2026-W01"
    assert window_of(D(2025, 12, 29), WEEK).label == "2026-W01"
    assert w.title == "week of 29 December 2025"


def test_a_year_with_53_weeks_has_a_week_53_that_ends_in_january():
    w = window_of(D(2027, 1, 3), WEEK)  # a Sunday, still in ISO week 53 of 2026

    assert (w.start, w.end) == (D(2026, 12, 28), D(2027, 1, 4))
    assert w.label == "2026-W53"
    assert w.following().label == "2027-W01"
    assert window_of(D(2027, 1, 4), WEEK).previous() == w
    assert window_of(D(2020, 12, 31), WEEK).label == "2020-W53"


def test_the_week_before_week_one_is_the_last_week_of_the_year_before():
    assert window_of(D(2026, 1, 1), WEEK).previous().label == "2025-W52"  # 2025 has 52
    assert window_of(D(2021, 1, 7), WEEK).previous().label == "2020-W53"  # 2020 has 53


def test_months_and_their_neighbours_cross_year_ends():
    w = window_of(D(2026, 1, 31), MONTH)

    assert (w.start, w.end) == (D(2026, 1, 1), D(2026, 2, 1))
    assert w.label == "2026-01" and w.title == "January 2026"
    assert w.previous() == Window(D(2025, 12, 1), D(2026, 1, 1), MONTH)
    assert w.previous().label == "2025-12"
    assert window_of(D(2025, 12, 15), MONTH).following() == w
    assert window_of(D(2024, 2, 10), MONTH).days == 29  # a leap year's February


def test_quarters_hold_three_months_and_are_titled_with_them():
    q1 = window_of(D(2026, 3, 31), QUARTER)
    q4 = window_of(D(2025, 10, 1), QUARTER)

    assert (q1.start, q1.end) == (D(2026, 1, 1), D(2026, 4, 1))
    assert q1.label == "2026-Q1" and q1.title == "Q1 2026 (Jan–Mar)"
    assert (q4.start, q4.end) == (D(2025, 10, 1), D(2026, 1, 1))
    assert q4.label == "2025-Q4" and q4.title == "Q4 2025 (Oct–Dec)"
    assert q1.previous() == q4
    assert window_of(D(2026, 5, 5), QUARTER).title == "Q2 2026 (Apr–Jun)"
    assert window_of(D(2026, 8, 5), QUARTER).title == "Q3 2026 (Jul–Sep)"


def test_windows_lists_every_period_from_the_first_day_to_the_last():
    months = windows(D(2025, 11, 20), D(2026, 2, 1), MONTH)
    weeks = windows(D(2026, 12, 30), D(2027, 1, 12), WEEK)
    quarters = windows(D(2025, 12, 31), D(2026, 1, 1), QUARTER)

    assert [w.label for w in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [w.label for w in weeks] == ["2026-W53", "2027-W01", "2027-W02"]
    assert [w.label for w in quarters] == ["2025-Q4", "2026-Q1"]
    assert windows(D(2026, 3, 4), D(2026, 3, 4), WEEK) == [window_of(D(2026, 3, 4), WEEK)]
    # Consecutive periods leave no gap and do not overlap.
    assert all(a.end == b.start for a, b in zip(months, months[1:], strict=False))


@pytest.mark.parametrize(
    "label, start, end",
    [
        ("2026-W09", D(2026, 2, 23), D(2026, 3, 2)),
        ("2026-W01", D(2025, 12, 29), D(2026, 1, 5)),
        ("2026-W53", D(2026, 12, 28), D(2027, 1, 4)),
        ("2026-03", D(2026, 3, 1), D(2026, 4, 1)),
        ("2025-12", D(2025, 12, 1), D(2026, 1, 1)),
        ("2026-Q1", D(2026, 1, 1), D(2026, 4, 1)),
        ("2025-Q4", D(2025, 10, 1), D(2026, 1, 1)),
    ],
)
def test_parse_reads_back_every_label(label, start, end):
    w = parse(label)

    assert (w.start, w.end) == (start, end)
    assert w.label == label


@pytest.mark.parametrize(
    "garbage",
    [
        "2026-13",
        "2026-00",
        "x",
        "",
        "2026",
        "2026-",
        "2026-Q5",
        "2026-Q0",
        "2026-W60",
        "2026-W00",
        "2025-W53",  # 2025 has only 52 ISO weeks
        "2026-Wx",
        "1800-01",
        "2026-03-01",
    ],
)
def test_parse_refuses_what_is_not_a_period(garbage):
    assert parse(garbage) is None


def test_an_unknown_length_of_period_is_an_error_naming_the_choices():
    with pytest.raises(ValueError, match="week, month, quarter"):
        window_of(D(2026, 3, 1), "year")
