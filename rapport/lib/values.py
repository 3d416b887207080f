"""Turn the text in a spreadsheet cell into dates, times, numbers and yes/no.

Every parser raises ``ValueError`` with a message written for the person who owns the file
("not a date: '31/02/2024'"), because that message ends up in the import's error table.
No Django here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"

# Exports write "nothing here" in many ways; treating them as blank keeps an optional
# column from rejecting whole rows (USAID writes "N/A - From RDC", "Date Not Captured").
# "Not captured" and its kin are a marker as a short label ("Date Not Captured", "Not
# available yet"), never inside a sentence: "Sorry, the sourdough was not available today"
# is a message, and must not be dropped.
_BLANK = re.compile(
    r"^(?:n/?a(?:\W.*)?|#n/?a|none|null|nil|nan|-+|\?+|unknown|tbd|"
    r"(?:\w+ )?not (?:captured|available|applicable|known|recorded)(?: \w+){0,2})$",
    re.IGNORECASE,
)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[-/ .]([A-Za-z]{3,9})\.?[-/ .,]+(\d{2}|\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?$")
_EPOCH = re.compile(r"^\d{10}$")


def is_blank(text: str | None) -> bool:
    """True for an empty cell or one of the usual "no value" markers (N/A, null, -)."""
    return cell_value(text) is None


def cell_value(text: str | None) -> str | None:
    """A cell's text without surrounding spaces, or None when it is blank (see ``is_blank``)."""
    if not text:
        return None
    text = text.strip()
    return None if not text or _BLANK.match(text) else text


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # The POSIX pivot, as strptime's %y: 69-99 are 1900s, 00-68 are 2000s.
        year += 1900 if year >= 69 else 2000
    return year


def _make_date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"not a valid date: {original!r}")


def numeric_date_order(text: str) -> str | None:
    """For ``dd/mm/yyyy``-like text, the order it proves (a part over 12), else None."""
    match = _NUMERIC.match(text.strip())
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def is_numeric_date(text: str) -> bool:
    """True for ``1/2/2024``-like text whose day/month order is a matter of convention."""
    return bool(_NUMERIC.match(text.strip()))


def parse_date(text: str, order: str = DAY_FIRST, fmt: str | None = None) -> dt.date:
    """Parse a calendar date.

    Accepted: ISO ``2024-03-05`` (a time part is ignored), ``20240305`` (CDNOW),
    ``2024/03/05``, ``5-Mar-24`` / ``05 March 2024`` (USAID), ``March 5, 2024``, and
    ``05/03/2024`` read in ``order`` (``"dmy"`` or ``"mdy"``). ``fmt``, a strftime pattern,
    replaces all of that when given.
    """
    original = text
    text = text.strip()
    if fmt:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            raise ValueError(f"not a date in the format {fmt}: {original!r}")
    head = re.split(r"[T ]\d{1,2}:\d{2}", text, maxsplit=1)[0].strip()
    if match := _ISO_DATE.match(head) or _YMD_SLASH.match(head):
        return _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)), original)
    if match := _COMPACT.match(head):
        year = int(match.group(1))
        if 1900 <= year <= 2100:
            return _make_date(year, int(match.group(2)), int(match.group(3)), original)
    if match := _NUMERIC.match(head):
        first, second, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        day, month = (first, second) if order == DAY_FIRST else (second, first)
        if month > 12:
            wording = "day/month/year" if order == DAY_FIRST else "month/day/year"
            raise ValueError(f"not a valid date read as {wording}: {original!r}")
        return _make_date(year, month, day, original)
    if match := _DAY_MONTH_NAME.match(head):
        month = MONTHS.get(match.group(2).lower())
        if month:
            return _make_date(_year(match.group(3)), month, int(match.group(1)), original)
    if match := _MONTH_NAME_DAY.match(head):
        month = MONTHS.get(match.group(1).lower())
        if month:
            return _make_date(int(match.group(3)), month, int(match.group(2)), original)
    raise ValueError(f"not a date: {original!r}")


def parse_datetime(
    text: str, tz: ZoneInfo, order: str = DAY_FIRST, fmt: str | None = None
) -> dt.datetime:
    """Parse a timestamp and return it aware.

    A timestamp with an offset keeps it; a naive one is read in ``tz`` (the business's time
    zone), because that is the clock the export was written on. Also accepted: a bare date
    (midnight), Unix seconds, and Twitter's ``Tue Oct 31 22:10:47 +0000 2017``.
    """
    original = text
    text = text.strip()
    if fmt:
        try:
            value = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - made aware below
        except ValueError:
            raise ValueError(f"not a date and time in the format {fmt}: {original!r}")
        return _aware(value, tz)
    if _EPOCH.match(text):
        return dt.datetime.fromtimestamp(int(text), tz=dt.UTC)
    iso = text[:-1] + "+00:00" if text.endswith("Z") else text
    try:
        return _aware(dt.datetime.fromisoformat(iso), tz)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        pass
    date_part, _, time_part = text.partition(" ")
    if "T" in date_part and not time_part:
        date_part, _, time_part = date_part.partition("T")
    day = parse_date(date_part, order)
    time_part = time_part.strip()
    if not time_part:
        return _aware(dt.datetime.combine(day, dt.time(0)), tz)
    match = _TIME.match(time_part)
    if not match:
        raise ValueError(f"not a time of day: {original!r}")
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    meridiem = (match.group(4) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"not a time of day: {original!r}")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    try:
        moment = dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        raise ValueError(f"not a time of day: {original!r}")
    return _aware(moment, tz)


def _aware(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if value.tzinfo is not None:
        return value
    # fold=0: in the repeated hour of a DST change, the first (summer-time) reading wins.
    return value.replace(tzinfo=tz)


_CURRENCY = re.compile(r"[\s$€£¥]|\b(?:EUR|USD|GBP|CHF)\b", re.IGNORECASE)
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")


def parse_decimal(text: str, places: int = 2) -> Decimal:
    """Parse an amount like ``1,234.50``, ``1.234,50``, ``€ 12``, ``(3.00)`` (negative).

    A lone comma is a decimal comma (``2,5``) unless it groups thousands (``1,234``).
    The result is rounded half-up to ``places`` decimals.
    """
    original = text
    text = _CURRENCY.sub("", text.strip())
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", "") if _THOUSANDS_COMMA.match(text) else text.replace(",", ".")
    elif _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {original!r}")
    if not value.is_finite():
        raise ValueError(f"not a number: {original!r}")
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return -value if negative else value


def parse_int(text: str) -> int:
    """Parse a whole number; ``3.0`` is accepted (spreadsheets write integers that way)."""
    value = parse_decimal(text, places=6)
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)


_TRUE = {"1", "y", "yes", "true", "t", "x", "on", "oui", "ja", "si", "sí"}
_FALSE = {"0", "n", "no", "false", "f", "off", "non", "nein"}


def parse_bool(text: str) -> bool:
    """Parse yes/no, true/false, 1/0, y/n, x (a ticked box)."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not yes or no: {text!r}")


@functools.lru_cache(maxsize=4096)  # the same few words in every row of a choice column
def normalise_header(text: str) -> str:
    """``"Customer ID"``, ``"customer_id"`` and ``"CustomerID"`` all become ``customerid``."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())
