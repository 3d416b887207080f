"""Streaming CSV downloads: rows are written as they are produced, never held whole."""

import csv
import re


class _Echo:
    """A file-like object whose write returns the text, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_line_writer():
    """A csv.writer whose ``writerow`` returns the encoded line instead of writing it."""
    return csv.writer(_Echo())


# Phone numbers and negative amounts start with + or - but cannot call a function.
PLAIN_NUMBER = re.compile(r"[+-]?[\d\s().\-/]+")


def spreadsheet_safe(value) -> str:
    """A CSV cell that a spreadsheet shows as text and never runs as a formula: exported
    names and notes may come from untrusted imports, and "=HYPERLINK(...)" in a name must
    stay a name."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
