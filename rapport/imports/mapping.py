"""The mapping of a file's columns to a kind's fields: what each field is called in the
files people have, the mapping guessed from a header, the person's overrides (``--map`` or
the mapping page), and what stops a mapping from being used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from rapport.imports.runs import ImportFailed
from rapport.lib.values import normalise_header


@dataclass(frozen=True)
class Field:
    """A target field and the column headers that mean it.

    ``synonyms`` are compared after :func:`normalise_header` (case, spaces, punctuation
    ignored); ``patterns`` are regular expressions on the normalised header, tried only when
    no synonym matched any field.
    """

    name: str
    label: str
    synonyms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    required: bool = False
    is_date: bool = False
    help: str = ""

    def normalised_synonyms(self) -> list[str]:
        return [normalise_header(s) for s in (self.name, self.label, *self.synonyms)]


class HasFields(Protocol):
    """What the mapping needs of a kind: its name and its fields."""

    name: str
    fields: tuple[Field, ...]
    # Groups of fields of which at least one must be mapped, with the reason shown otherwise.
    required_any: tuple[tuple[tuple[str, ...], str], ...]

    def field_names(self) -> list[str]: ...


def detect_mapping(kind: HasFields, header: list[str]) -> dict[str, str]:
    """Guess ``{source column: field}`` from the column names.

    Exact synonyms first, the earlier synonym winning when two columns claim one field
    (``ASN/DN #`` beats ``PO / SO #`` for a delivery's reference); then each field's
    patterns for the columns still unclaimed.
    """
    exact: dict[str, tuple[str, int]] = {}
    for field in kind.fields:
        for rank, synonym in enumerate(field.normalised_synonyms()):
            exact.setdefault(synonym, (field.name, rank))
    claims = []
    for position, column in enumerate(header):
        hit = exact.get(normalise_header(column))
        if hit:
            claims.append((hit[1], position, column, hit[0]))
    mapping: dict[str, str] = {}
    for _, _, column, field_name in sorted(claims):
        if column not in mapping and field_name not in mapping.values():
            mapping[column] = field_name
    for field in kind.fields:
        if field.name in mapping.values() or not field.patterns:
            continue
        for column in header:
            if column in mapping:
                continue
            if any(re.search(p, normalise_header(column)) for p in field.patterns):
                mapping[column] = field.name
                break
    return {column: mapping[column] for column in header if column in mapping}


def parse_map_options(pairs: list[str]) -> dict[str, str]:
    """``["Customer No=external_id", "Gender="]`` → overrides; an empty field ignores a column."""
    overrides = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        if not sep or not column.strip():
            raise ImportFailed(f"--map expects SOURCE_COLUMN=field, got {pair!r}")
        overrides[column.strip()] = field.strip()
    return overrides


def apply_overrides(
    kind: HasFields, header: list[str], mapping: dict[str, str], overrides: dict[str, str]
) -> dict[str, str]:
    """Return ``mapping`` with ``overrides`` applied; a field claimed again moves columns."""
    by_folded = {column.casefold(): column for column in header}
    mapping = dict(mapping)
    for column, field in overrides.items():
        real = by_folded.get(column.casefold())
        if real is None:
            raise ImportFailed(f"no column {column!r} in the file (columns: {', '.join(header)})")
        if field and field not in kind.field_names():
            raise ImportFailed(
                f"unknown field {field!r} for {kind.name} (fields: {', '.join(kind.field_names())})"
            )
        for other, claimed in list(mapping.items()):
            if field and claimed == field:
                del mapping[other]
        mapping.pop(real, None)
        if field:
            mapping[real] = field
    return {column: mapping[column] for column in header if column in mapping}


def mapping_problems(kind: HasFields, header: list[str], mapping: dict[str, str]) -> list[str]:
    """What stops ``mapping`` from being used: unknown columns or fields, missing requirements."""
    problems = []
    fields = set(kind.field_names())
    for column, field in mapping.items():
        if column not in header:
            problems.append(f"the file has no column {column!r}")
        if field not in fields:
            problems.append(f"unknown field {field!r}")
    used = list(mapping.values())
    for field in sorted({f for f in used if used.count(f) > 1}):
        problems.append(f"several columns are mapped to {field}")
    for field in kind.fields:
        if field.required and field.name not in used:
            problems.append(
                f"no column is mapped to the required field {field.name} ({field.label})"
            )
    for names, wording in kind.required_any:
        if not any(name in used for name in names):
            problems.append(f"no column gives {wording} ({' or '.join(names)})")
    return problems


def format_mapping(header: list[str], mapping: dict[str, str]) -> str:
    """The mapping as ``--show-mapping`` prints it: one line per column."""
    width = max((len(c) for c in header), default=0)
    return "\n".join(
        f"{column:<{width}}  ->  {mapping.get(column, '(ignored)')}" for column in header
    )
