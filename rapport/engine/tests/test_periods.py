"""The one calendar (rapport.engine.periods): ISO weeks, months and quarters as half-open
ranges of local days, their labels (used in URLs, survey rounds and series) and titles (read
by people), and their numbering."""

import datetime as dt

import pytest

from rapport.engine.periods import (
    EVERY,
    MONTH,
    QUARTER,
    WEEK,
    Window,
    add_months,
    from_label,
    index,
    label,
    parse,
    quarter_number,
    start_of_index,
    week_start,
    window_of,
    windows,
)

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


@pytest.mark.parametrize(
    "day, every, expected",
    [
        (D(2025, 12, 29), WEEK, "2026-W01"),  # a Monday in December, week 1 of the next year
        (D(2027, 1, 3), WEEK, "2026-W53"),  # a Sunday in January, week 53 of the year before
        (D(2021, 1, 3), WEEK, "2020-W53"),
        (D(2026, 1, 1), MONTH, "2026-01"),
        (D(2025, 12, 31), MONTH, "2025-12"),
        (D(2025, 12, 31), QUARTER, "2025-Q4"),
        (D(2026, 1, 1), QUARTER, "2026-Q1"),
        (D(2026, 6, 30), QUARTER, "2026-Q2"),
        (D(2026, 7, 1), QUARTER, "2026-Q3"),
    ],
)
def test_the_label_of_a_day_is_the_label_of_its_window(day, every, expected):
    assert label(day, every) == expected
    assert window_of(day, every).label == expected
    assert from_label(expected) == window_of(day, every)


def test_a_week_starts_on_monday_and_a_day_knows_its_quarter():
    assert week_start(D(2027, 1, 3)) == D(2026, 12, 28)
    assert week_start(D(2026, 12, 28)) == D(2026, 12, 28)
    assert [quarter_number(D(2026, m, 1)) for m in range(1, 13)] == [
        1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4
    ]  # fmt: skip


@pytest.mark.parametrize("every", EVERY)
def test_consecutive_periods_have_consecutive_numbers_across_year_ends(every):
    first = window_of(D(2019, 11, 30), every)
    found = windows(first.start, D(2027, 2, 1), every)

    numbers = [index(w.start, every) for w in found]
    assert numbers == list(range(numbers[0], numbers[0] + len(found)))
    for w in found:
        assert start_of_index(index(w.start, every), every) == w.start
        assert index(w.end - dt.timedelta(days=1), every) == index(w.start, every)


def test_weeks_53_count_like_any_other():
    w53 = window_of(D(2026, 12, 31), WEEK)

    assert w53.label == "2026-W53"
    assert index(w53.following().start, WEEK) == index(w53.start, WEEK) + 1
    assert start_of_index(index(D(2027, 1, 4), WEEK), WEEK) == D(2027, 1, 4)


def test_from_label_refuses_what_parse_passes_over():
    with pytest.raises(ValueError):
        from_label("2026-Q5")
    with pytest.raises(ValueError):
        from_label("2025-W53")
    assert from_label("1800-02") == window_of(D(1800, 2, 1), MONTH)  # parse keeps to 1900–2999
    assert parse("1800-02") is None


def test_add_months_gives_the_first_of_a_month_either_way():
    assert add_months(D(2026, 11, 17), 2) == D(2027, 1, 1)
    assert add_months(D(2026, 1, 31), -1) == D(2025, 12, 1)
