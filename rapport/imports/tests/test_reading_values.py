"""Dates, times and amounts as exports write them (no database)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from rapport.lib.values import is_blank, parse_date, parse_datetime, parse_decimal

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2024-03-05", "dmy", dt.date(2024, 3, 5)),
        ("2024-03-05T10:00:00", "dmy", dt.date(2024, 3, 5)),
        ("19970112", "dmy", dt.date(1997, 1, 12)),
        ("02-Jun-06", "dmy", dt.date(2006, 6, 2)),
        ("5 March 2024", "dmy", dt.date(2024, 3, 5)),
        ("March 5, 2024", "dmy", dt.date(2024, 3, 5)),
        ("05/03/2024", "dmy", dt.date(2024, 3, 5)),
        ("05/03/2024", "mdy", dt.date(2024, 5, 3)),
        ("3/19/10", "mdy", dt.date(2010, 3, 19)),
        ("05.03.24", "dmy", dt.date(2024, 3, 5)),
    ],
)
def test_it_reads_the_date_formats_exports_use(text, order, expected):
    assert parse_date(text, order) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "2024-13-01", "yesterday", "13/13/2020"])
def test_it_rejects_impossible_dates_with_the_text_in_the_reason(text):
    with pytest.raises(ValueError, match="date"):
        parse_date(text)


def test_it_reads_a_naive_timestamp_in_the_workspace_time_zone():
    value = parse_datetime("2024-07-01 09:30", PARIS)
    assert value == dt.datetime(2024, 7, 1, 7, 30, tzinfo=dt.UTC)


def test_it_keeps_the_offset_a_timestamp_carries():
    assert parse_datetime("2024-07-01T09:30:00Z", PARIS) == dt.datetime(
        2024, 7, 1, 9, 30, tzinfo=dt.UTC
    )
    assert parse_datetime("Tue Oct 31 22:10:47 +0000 2017", PARIS).hour == 22


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("2,5", "2.50"),
        ("€ 12", "12.00"),
        ("(3.00)", "-3.00"),
        ("-7.255", "-7.26"),
        ("1,234", "1234.00"),
    ],
)
def test_it_reads_amounts_with_local_separators(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "  ", "N/A", "n/a - From RDC", "Date Not Captured", "null", "-"]
)
def test_it_treats_no_value_markers_as_blank(text):
    assert is_blank(text)


def test_it_does_not_treat_words_starting_with_na_as_blank():
    assert not is_blank("Nathalie")


@pytest.mark.parametrize("text", ["Not available yet", "Weight Not Known", "not applicable"])
def test_a_short_not_captured_label_is_blank(text):
    assert is_blank(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, the sourdough was not available today",
        "The rye was not available again, third week running.",
        "I have not known a better croissant",
    ],
)
def test_a_sentence_that_says_not_available_is_kept(text):
    assert not is_blank(text)
