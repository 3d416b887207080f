"""Turning a raw answer (a form field, a spreadsheet cell, a JSON value) into a clean one.

One function per direction, shared by the answering page, the imports and the API, so a
value is judged the same way wherever it comes from. Errors are ``ValueError`` with a
sentence a respondent or an importer can act on.
"""

import math
import re
from collections.abc import Iterable

from rapport.feedback.choices import CHOICE_KINDS, QuestionKind

MAX_TEXT = 5000  # characters in one free-text answer
_LEADING_NUMBER = re.compile(r"^\s*(-?\d+)(?:\.0+)?\s*(?:[-–:/(]|$|\s)")


def is_blank(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set):
        return not any(not is_blank(item) for item in raw)
    return False


def parse_number(raw, low: int, high: int) -> int:
    """An integer in [low, high] from 7, "7", "7.0", "10 - Extremely likely", "7/10"."""
    outside = f"the number is outside {low}–{high}"
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError(f"expected a number from {low} to {high}")
    if isinstance(raw, float):
        if math.isnan(raw):
            raise ValueError(f"expected a number from {low} to {high}")
        if not low <= raw <= high:  # infinities and 1e300 included, before any conversion
            raise ValueError(outside)
        if raw != int(raw):
            raise ValueError(f"{raw:g} is not a whole number")
        return int(raw)
    if isinstance(raw, str):
        match = _LEADING_NUMBER.match(raw)
        if not match:
            raise ValueError(f"'{_shown(raw)}' is not a number from {low} to {high}")
        if len(match.group(1).lstrip("-")) > _MOST_DIGITS:
            raise ValueError(outside)
        raw = int(match.group(1))
    if not low <= raw <= high:
        raise ValueError(
            f"{raw} is outside {low}–{high}" if abs(raw) < 10**_MOST_DIGITS else outside
        )
    return raw


# Longer numbers are not echoed back (nor converted: Python refuses over 4,300 digits).
_MOST_DIGITS = 12


def _shown(text: str) -> str:
    """The start of ``text`` as it reads, on one line: for messages about it."""
    flat = " ".join(text.split())
    return flat if len(flat) <= 40 else flat[:39] + "…"


def _match_option(value: str, options: Iterable[str]) -> str | None:
    wanted = value.strip().casefold()
    for option in options:
        if option.casefold() == wanted:
            return option
    return None


def split_choices(raw, options: list[str]) -> list[str]:
    """The chosen options from a list or from one cell.

    Survey tools join several choices with ", " or ";", and an option may itself contain a
    comma, so known options are matched first and only the rest is split.
    """
    if isinstance(raw, list | tuple):
        return [str(item) for item in raw if not is_blank(item)]
    text = str(raw).strip()
    found = []
    for option in sorted(options, key=len, reverse=True):
        pattern = re.compile(r"(?:^|[,;]\s*)" + re.escape(option) + r"\s*(?=[,;]|$)", re.I)
        if pattern.search(text):
            found.append(option)
            text = pattern.sub(";", text)
    rest = [piece.strip() for piece in re.split(r"[;,]", text) if piece.strip()]
    ordered = [option for option in options if option in found]
    return ordered + rest


def clean_answer(question, raw):
    """The stored value of one answer: an int, a list of options, or text.

    Raises ``ValueError`` naming what is wrong. A blank raw value returns None.
    """
    if is_blank(raw):
        return None
    kind = question.kind
    if question.scale:
        low, high = question.scale
        return parse_number(raw, low, high)
    if kind in CHOICE_KINDS:
        chosen = split_choices(raw, list(question.options))
        cleaned = []
        for value in chosen:
            option = _match_option(value, question.options)
            if option is None:
                raise ValueError(f"{value[:60]!r} is not one of the choices")
            if option not in cleaned:
                cleaned.append(option)
        if kind == QuestionKind.SINGLE and len(cleaned) > 1:
            raise ValueError("only one choice is allowed")
        return cleaned
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"is {len(text):,} characters long; at most {MAX_TEXT:,} are kept")
    return text


def answer_fields(question, value) -> dict:
    """The Answer columns for a clean value."""
    if question.scale:
        return {"number": value}
    if question.kind in CHOICE_KINDS:
        return {"choices": value}
    return {"text": value}
