"""Entries from and to a file: import from CSV, TSV or XLSX (read by ``lib.tabular``),
export to CSV in the same format, so an exported file imports again unchanged.

A file holds one row per example question (``id``, ``question``, ``answer``, optional
``language``), or one row per entry with all its questions in ``questions`` (separated by
new lines or " | "); both may mix. Bad rows are reported with their line, field and reason
and left out; the good rows are written together in one transaction, keyed by id, so that a
second run of the same file changes nothing.
"""

import csv
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, Workspace
from rapport.knowledge.entries import (
    MAX_KEY_CHARS,
    EntryError,
    clean_entry,
    same_question,
    taken_questions,
    write_entry,
)
from rapport.knowledge.models import Entry, question_lines
from rapport.lib.csvstream import spreadsheet_safe
from rapport.lib.tabular import BadRecord, TabularError, open_table

# Column names a file may use, per field (compared without case).
COLUMNS = {
    "key": ("id", "key"),
    "question": ("question",),
    "questions": ("questions",),
    "answer": ("answer",),
    "language": ("language", "lang"),
}
EXPORT_HEADER = ["id", "question", "answer", "language"]
SEPARATOR = re.compile(r"\n| \| ")
# What spreadsheet_safe put before a cell of an exported file, taken off again on import.
ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")


class ImportFileError(Exception):
    """The file cannot be read as a knowledge base at all (no such columns, not a table)."""


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.field}: {self.reason}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def summary(self) -> str:
        left_out = f", {len(self.errors)} problem{'s' if len(self.errors) != 1 else ''}"
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
            f"{left_out if self.errors else ''}"
        )


@dataclass
class _Group:
    """The rows of one entry in the file."""

    line: int
    questions: list[str] = field(default_factory=list)
    answer: str = ""
    answer_line: int = 0
    language: str = ""


def import_entries(
    workspace: Workspace, path_or_file, member: Membership | None, *, via: str = "web"
) -> ImportResult:
    """Add or update entries from a file (a path, or an uploaded file with a ``name``).

    Raises ``ImportFileError`` when the file cannot be read at all; otherwise every bad row
    and entry is in the result's ``errors`` and the rest is written in one transaction."""
    with _local_path(path_or_file) as path:
        try:
            with open_table(path) as table:
                result = ImportResult()
                groups = _read_groups(table, result.errors)
        except (TabularError, OSError) as error:
            raise ImportFileError(str(error)) from None
    drafts = _check_groups(workspace, groups, result.errors)
    with transaction.atomic():
        for draft in drafts:
            outcome = write_entry(workspace, member, draft, via=via, audit=False)[1]
            setattr(result, outcome, getattr(result, outcome) + 1)
        record_audit(
            workspace,
            AuditAction.IMPORT,
            actor=member.user if member else None,
            via=via,
            object_type="entry",
            object_repr=f"knowledge base import: {result.summary}",
            changes={"created": [None, result.created], "updated": [None, result.updated]},
        )
    result.errors.sort(key=lambda e: e.line)
    return result


@contextmanager
def _local_path(path_or_file) -> Iterator[Path]:
    """The path to read: the one given, or an upload copied to a temporary file (removed
    after), keeping its suffix so that an XLSX is read as one."""
    if isinstance(path_or_file, str | Path):
        yield Path(path_or_file)
        return
    suffix = Path(getattr(path_or_file, "name", "") or "upload.csv").suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with open(path, "wb") as copy:
            chunks = (
                path_or_file.chunks() if hasattr(path_or_file, "chunks") else [path_or_file.read()]
            )
            for chunk in chunks:
                copy.write(chunk.encode() if isinstance(chunk, str) else chunk)
        yield path


def _columns(header: list[str]) -> dict[str, int]:
    names = {name.strip().casefold(): i for i, name in enumerate(header)}
    found = {}
    for target, synonyms in COLUMNS.items():
        for synonym in synonyms:
            if synonym in names:
                found[target] = names[synonym]
                break
    missing = [
        label
        for label, ok in (
            ("id", "key" in found),
            ("question (or questions)", "question" in found or "questions" in found),
            ("answer", "answer" in found),
        )
        if not ok
    ]
    if missing:
        raise ImportFileError(
            f"no column {', '.join(missing)}: a knowledge base file needs the columns id, "
            f"question (or questions) and answer; this one has {', '.join(header)}"
        )
    return found


def _read_groups(table, errors: list[RowError]) -> dict[str, _Group]:
    columns = _columns(table.header)
    groups: dict[str, _Group] = {}
    for row in table.rows():
        if isinstance(row, BadRecord):
            errors.append(RowError(row.line, "row", f"{row.reason}; row left out"))
            continue
        cells = {name: ESCAPED.sub("", row.values[i].strip()) for name, i in columns.items()}
        problem = _row_problem(cells, groups)
        if problem:
            errors.append(RowError(row.line, *problem))
            continue
        key = slugify(cells["key"])[:MAX_KEY_CHARS]
        group = groups.setdefault(key, _Group(line=row.line))
        group.questions += [cells.get("question", "")] + SEPARATOR.split(cells.get("questions", ""))
        if cells["answer"] and not group.answer:
            group.answer, group.answer_line = cells["answer"], row.line
        group.language = group.language or cells.get("language", "").lower()
    return groups


def _row_problem(cells: dict[str, str], groups: dict[str, _Group]) -> tuple[str, str] | None:
    """(field, reason) when a row must be left out."""
    if not cells["key"]:
        return "id", "empty; row left out"
    key = slugify(cells["key"])[:MAX_KEY_CHARS]
    if not key:
        return "id", f"{cells['key']!r} has no letters or digits; row left out"
    group = groups.get(key)
    if group and group.answer and cells["answer"] and cells["answer"] != group.answer:
        return "answer", (
            f"differs from the answer of {key!r} on line {group.answer_line}; row left out"
        )
    language = cells.get("language", "").lower()
    if group and group.language and language and language != group.language:
        return "language", f"{key!r} is {group.language!r} on line {group.line}; row left out"
    if not cells.get("question") and not cells.get("questions") and not cells["answer"]:
        return "question", "empty; row left out"
    return None


def _check_groups(workspace, groups: dict[str, _Group], errors: list[RowError]) -> list:
    """The file's entries that can be written; the others become errors at their first line.
    A question may not be in two entries, whether both are in the file or one is already
    saved (and not replaced by the file)."""
    taken = taken_questions(workspace, but=set(groups))
    # An entry someone switched off stays off when a file updates it.
    off = set(
        Entry.objects.filter(workspace=workspace, active=False, key__in=list(groups)).values_list(
            "key", flat=True
        )
    )
    drafts = []
    for key, group in groups.items():
        try:
            draft = clean_entry(
                workspace,
                key=key,
                questions=[q for q in group.questions if q.strip()],
                answer=group.answer,
                language=group.language or "en",
                active=key not in off,
                taken=taken,
            )
        except EntryError as error:
            for name, reason in error.problems:
                errors.append(RowError(group.line, name, f"{reason}; entry {key!r} left out"))
            continue
        for question in draft.questions:
            taken[same_question(question)] = key
        drafts.append(draft)
    return drafts


def export_rows(
    workspace: Workspace, member: Membership | None, *, via: str = "web"
) -> Iterator[list[str]]:
    """The header and one row per example question, in the import's format. Audited."""
    record_audit(
        workspace,
        AuditAction.EXPORT,
        actor=member.user if member else None,
        via=via,
        object_type="entry",
        object_repr="knowledge base export",
    )
    return _rows(workspace)


def _rows(workspace) -> Iterator[list[str]]:
    yield EXPORT_HEADER
    for entry in Entry.objects.filter(workspace=workspace).order_by("key").iterator():
        for question in question_lines(entry.questions):
            yield [
                spreadsheet_safe(value)
                for value in (entry.key, question, entry.answer, entry.language)
            ]


def export_entries(workspace: Workspace, out, member: Membership | None, *, via="cli") -> int:
    """Write the entries as CSV to the text file ``out``; returns the number of rows."""
    writer = csv.writer(out)
    count = -1
    for row in export_rows(workspace, member, via=via):
        writer.writerow(row)
        count += 1
    return count
