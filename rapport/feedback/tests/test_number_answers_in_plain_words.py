"""A number answer that cannot be read is refused in an owner's words, never Python's."""

import math

import pytest

from rapport.feedback.answers import parse_number

PYTHON_WORDS = (
    "float",
    "integer",
    "NaN",
    "sys.",
    "set_int_max_str_digits",
    "None",
    "\\n",
    "[",
    "{",
)


@pytest.mark.parametrize(
    "raw",
    [math.inf, -math.inf, math.nan, 1e300, "1" * 5000, None, [1], {"a": 1}, "it's\nten"],
)
def test_it_refuses_in_plain_words(raw):
    with pytest.raises(ValueError) as refused:
        parse_number(raw, 0, 10)
    message = str(refused.value)
    assert "0 to 10" in message or "0–10" in message, message
    assert not any(word in message for word in PYTHON_WORDS), message
    assert len(message) < 120, message


def test_it_names_the_text_it_could_not_read():
    with pytest.raises(ValueError, match="'very likely' is not a number from 0 to 10"):
        parse_number("very likely", 0, 10)


def test_it_still_reads_numbers():
    assert parse_number("10 - Extremely likely", 0, 10) == 10
    assert parse_number(7.0, 0, 10) == 7
    assert parse_number("7/10", 0, 10) == 7
