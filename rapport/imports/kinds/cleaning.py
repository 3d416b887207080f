"""What a row goes through in every table kind: the run's context (workspace, clock,
options), a cleaner that turns one raw row into typed values or field-level errors, the
clean row, and what writing a batch did.

A kind never reads files and never opens transactions: ``imports.tables`` streams rows and
calls ``clean`` per row, and ``imports.batches`` calls ``write`` per batch inside
``transaction.atomic``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from rapport.accounts.models import Workspace
from rapport.lib.keys import record_key
from rapport.lib.values import (
    DAY_FIRST,
    cell_value,
    is_blank,
    normalise_header,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
)

# Anything larger in one purchase, delivery or refund is a unit error (cents read as units,
# a phone number in the amount column), not a sale a small business makes.
ABSURD_AMOUNT = Decimal("10000000")
# The longest free text kept from a cell (a message, a note): the text reader reads the first
# 100,000 characters of a message anyway (engine.text.analysis.MAX_CHARS).
LONG_TEXT_MAX = 100_000
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class Context:
    """Everything a kind needs besides the row: the workspace, its clock, the run's options."""

    workspace: Workspace
    options: dict
    date_orders: dict[str, str] = field(default_factory=dict)
    now: dt.datetime | None = None
    dry_run: bool = False
    # Counters a kind wants reported beside created/updated (e.g. "customers created").
    extra: dict[str, int] = field(default_factory=dict)
    # Work a kind defers to the end of the run (e.g. managers named before they appear). It
    # lives in the run's options, which each batch's transaction saves with its counts, so a
    # run taken up after its worker died still has what its committed batches deferred.
    deferred: list = field(init=False)

    def __post_init__(self):
        self.deferred = self.options.setdefault("deferred", [])
        self.tz = self.workspace.zone
        self.now = self.now or timezone.now()
        self.today = self.workspace.today(self.now)
        # A little slack for clocks that run ahead; more than that is a wrong year or zone.
        self.latest = self.now + dt.timedelta(hours=1)

    @property
    def date_format(self) -> str | None:
        fmt = self.options.get("date_format") or ""
        return fmt if "%" in fmt else None

    def date_order(self, field_name: str) -> str:
        return self.date_orders.get(field_name) or self.options.get("date_format") or DAY_FIRST

    def count(self, name: str, n: int = 1) -> None:
        if n:
            self.extra[name] = self.extra.get(name, 0) + n


@dataclass
class CleanRow:
    """A row that passed cleaning: ``data`` holds typed values; ``key`` its import key."""

    line: int
    values: list[str]
    data: dict
    identity: str = ""
    key: str = ""


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (line, field, reason) for rows the writer had to reject (unknown person...).
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)
    # People an updated row moved away from (``upsert_facts``): their dates need redoing too.
    left_people: set[int] = field(default_factory=set)


class Cleaner:
    """Reads one raw row field by field, collecting typed values and field-level errors."""

    def __init__(self, raw: dict[str, str], ctx: Context):
        self.raw = raw
        self.ctx = ctx
        self.data: dict = {}
        self.errors: list[tuple[str, str]] = []

    def present(self, name: str) -> bool:
        return not is_blank(self.raw.get(name))

    def value(self, name: str) -> str | None:
        return cell_value(self.raw.get(name))

    def error(self, name: str, reason: str) -> None:
        self.errors.append((name, reason))

    def _get(self, name: str, required: bool) -> str | None:
        text = cell_value(self.raw.get(name))
        if text is None and required:
            self.error(name, "required, but empty")
        return text

    def text(self, name: str, max_length: int, *, required: bool = False) -> str | None:
        text = self._get(name, required)
        if text is None:
            return None
        text = " ".join(text.split()) if "\n" not in text else text
        if len(text) > max_length:
            self.error(name, f"longer than {max_length} characters")
            return None
        self.data[name] = text
        return text

    def long_text(self, name: str) -> str | None:
        text = self._get(name, False)
        if text is not None and len(text) > LONG_TEXT_MAX:
            self.error(name, f"longer than {LONG_TEXT_MAX:,} characters")
            return None
        if text is not None:
            self.data[name] = text
        return text

    def date(
        self, name: str, *, required: bool = False, not_future: bool = False
    ) -> dt.date | None:
        text = self._get(name, required)
        if text is None:
            return None
        try:
            value = parse_date(text, self.ctx.date_order(name), self.ctx.date_format)
        except ValueError as error:
            self.error(name, str(error))
            return None
        if not_future and value > self.ctx.today:
            self.error(name, f"{value.isoformat()} is in the future")
            return None
        if value.year < 1900:
            self.error(name, f"{value.isoformat()} is before 1900")
            return None
        self.data[name] = value
        return value

    def datetime(self, name: str, *, required: bool = False) -> dt.datetime | None:
        text = self._get(name, required)
        if text is None:
            return None
        try:
            value = parse_datetime(
                text, self.ctx.tz, self.ctx.date_order(name), self.ctx.date_format
            )
        except (ValueError, OverflowError, OSError) as error:
            self.error(name, str(error))
            return None
        if value > self.ctx.latest:
            self.error(name, f"{value.isoformat()} is in the future")
            return None
        self.data[name] = value
        return value

    def decimal(
        self,
        name: str,
        *,
        places: int = 2,
        required: bool = False,
        minimum: Decimal | None = None,
        maximum: Decimal = ABSURD_AMOUNT,
        why_minimum: str = "",
    ) -> Decimal | None:
        text = self._get(name, required)
        if text is None:
            return None
        try:
            value = parse_decimal(text, places)
        except ValueError as error:
            self.error(name, str(error))
            return None
        if minimum is not None and value < minimum:
            self.error(name, why_minimum or f"must be at least {minimum}")
            return None
        if abs(value) >= maximum:
            self.error(name, f"{value} is implausibly large (limit {maximum:,})")
            return None
        self.data[name] = value
        return value

    def integer(self, name: str, *, minimum: int = 0, maximum: int = 10_000_000) -> int | None:
        text = self._get(name, False)
        if text is None:
            return None
        try:
            value = parse_int(text)
        except ValueError as error:
            self.error(name, str(error))
            return None
        if not minimum <= value <= maximum:
            self.error(name, f"must be between {minimum} and {maximum:,}")
            return None
        self.data[name] = value
        return value

    def boolean(self, name: str) -> bool | None:
        text = self._get(name, False)
        if text is None:
            return None
        try:
            value = parse_bool(text)
        except ValueError as error:
            self.error(name, str(error))
            return None
        self.data[name] = value
        return value

    def choice(self, name: str, words: dict[str, str], *, default: str | None = None) -> str | None:
        """Map free text onto a choice through ``words`` ({normalised word: value})."""
        text = self._get(name, False)
        if text is None:
            if default is not None:
                self.data[name] = default
            return default
        value = words.get(normalise_header(text))
        if value is None:
            accepted = ", ".join(sorted(set(words.values())))
            self.error(name, f"unknown value {text!r} (accepted: {accepted})")
            return None
        self.data[name] = value
        return value

    def email(self, name: str) -> str | None:
        text = self._get(name, False)
        if text is None:
            return None
        text = text.lower()
        if not _EMAIL.fullmatch(text) or len(text) > 254:
            self.error(name, f"not an email address: {text!r}")
            return None
        self.data[name] = text
        return text


def words(choices: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """``{value: (synonym, ...)}`` → ``{normalised synonym: value}`` for :meth:`Cleaner.choice`."""
    table = {}
    for value, synonyms in choices.items():
        for synonym in (value, *synonyms):
            # Plain text, not the choice's enum member: every row's value is then stored and
            # keyed as it is, without an enum's str() per row.
            table[normalise_header(synonym)] = str(value)
    return table


def digest(*parts) -> str:
    """A stable sha256 hex of ``parts``: the identity behind an import key."""
    return record_key(*parts, errors="strict")
