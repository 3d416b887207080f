"""Importing a file: detect the mapping, preview it, and run it batch by batch.

The guarantees, in the order the code keeps them:

* every record in the file ends up counted exactly once: created, updated, unchanged or
  rejected (with its line and reason);
* each batch is written inside its own ``transaction.atomic()`` together with the run's
  counters, so a crash leaves whole batches and counters that agree with them;
* a batch the database refuses is reported with its line range and the run goes on;
* every record carries a deterministic identity, so running the same file again creates
  nothing.

The CLI and the background task both call :func:`execute_run`.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, Workspace
from rapport.imports.choices import ImportStatus
from rapport.imports.kinds import KINDS, get_kind
from rapport.imports.kinds.base import CleanRow, Context, ImportKindBase, digest
from rapport.imports.models import MAX_STORED_ISSUES, ImportIssue, ImportRun
from rapport.imports.seen import SeenIdentities
from rapport.lib.tabular import BadRecord, Row, TabularError, open_table
from rapport.lib.values import is_numeric_date, normalise_header, numeric_date_order
from rapport.understanding.arrival import queue_analysis

BATCH_SIZE = 1000
# Rows read to decide whether a column's 03/04/2024 means March or April.
DATE_SAMPLE_ROWS = 2000
PREVIEW_ROWS = 10
ALLOWED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


class ImportFailed(Exception):
    """The file or its mapping cannot be imported at all; the message says why in one line."""


# --- mapping ---------------------------------------------------------------------------


def detect_mapping(kind: ImportKindBase, header: list[str]) -> dict[str, str]:
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
    kind: ImportKindBase, header: list[str], mapping: dict[str, str], overrides: dict[str, str]
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


def mapping_problems(kind: ImportKindBase, header: list[str], mapping: dict[str, str]) -> list[str]:
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


# --- preview ---------------------------------------------------------------------------


@dataclass
class Preview:
    header: list[str]
    mapping: dict[str, str]
    description: str
    estimated_rows: int | None
    # (line, cells, [(field, reason)]) for the first rows, cleaned without touching the database.
    rows: list[tuple[int, list[str], list[tuple[str, str]]]]
    problems: list[str]
    date_orders: dict[str, str]


def preview_file(
    path,
    kind_name: str,
    workspace: Workspace,
    *,
    mapping: dict | None = None,
    options: dict | None = None,
) -> Preview:
    """Read the first rows of ``path``, guess the mapping and show what cleaning makes of them."""
    kind = get_kind(kind_name)
    options = kind.preview_options(options or {})
    try:
        with open_table(path) as table:
            header = table.header
            mapping = mapping if mapping is not None else detect_mapping(kind, header)
            description, estimate = table.describe(), table.estimate_rows()
            records = list(islice(table.rows(), PREVIEW_ROWS))
    except TabularError as error:
        raise ImportFailed(str(error))
    orders = detect_date_orders(path, kind, mapping)
    ctx = Context(workspace=workspace, options=options, date_orders=orders)
    rows = []
    seen: dict[str, int] = {}
    for record in records:
        if isinstance(record, BadRecord):
            rows.append((record.line, record.values, [("", record.reason)]))
            continue
        data, errors = kind.clean(_raw_fields(record, header, mapping), ctx)
        if not errors:
            identity = kind.identity(data, ctx)
            if identity in seen and kind.rejects_duplicates(data):
                errors = [("", duplicate_reason(seen[identity]))]
            seen.setdefault(identity, record.line)
        rows.append((record.line, record.values, errors))
    return Preview(
        header,
        mapping,
        description,
        estimate,
        rows,
        mapping_problems(kind, header, mapping),
        orders,
    )


def detect_date_orders(path, kind: ImportKindBase, mapping: dict[str, str]) -> dict[str, str]:
    """For each mapped date column, ``"dmy"`` or ``"mdy"`` when its first rows prove one.

    A column holding 13/04/2024 is day-first; 04/13/2024, month-first. Columns with no such
    proof (or contradicting proof) are left out and fall back to the run's date format.
    """
    date_fields = {f.name for f in kind.fields if f.is_date}
    columns = {column: field for column, field in mapping.items() if field in date_fields}
    if not columns:
        return {}
    evidence: dict[str, set[str]] = {field: set() for field in columns.values()}
    try:
        with open_table(path) as table:
            positions = {table.header.index(c): f for c, f in columns.items() if c in table.header}
            for record in islice(table.rows(), DATE_SAMPLE_ROWS):
                if isinstance(record, BadRecord):
                    continue
                for position, field in positions.items():
                    text = record.values[position]
                    if is_numeric_date(text):
                        order = numeric_date_order(text)
                        if order:
                            evidence[field].add(order)
    except TabularError:
        return {}
    return {field: found.pop() for field, found in evidence.items() if len(found) == 1}


def duplicate_reason(first_line: int) -> str:
    # Streaming cannot know a later row exists, and "last wins" would make a re-import flip
    # the record back and forth.
    return f"duplicate of line {first_line}: the first row wins"


def _raw_fields(record: Row, header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    return {field: record.values[header.index(column)] for column, field in mapping.items()}


# --- runs ------------------------------------------------------------------------------


def upload_dir(workspace: Workspace) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(workspace.pk)


def store_upload(workspace: Workspace, uploaded, suffixes=ALLOWED_SUFFIXES) -> Path:
    """Copy an uploaded file to ``MEDIA_ROOT/imports/<workspace id>/`` chunk by chunk."""
    suffix = Path(uploaded.name).suffix.lower()
    if suffix not in suffixes:
        raise ImportFailed(f"unsupported file type {suffix or '(none)'}: use {_or_list(suffixes)}")
    limit = settings.RAPPORT_MAX_UPLOAD_MB * 1024 * 1024
    if uploaded.size > limit:
        raise ImportFailed(f"the file is larger than the {settings.RAPPORT_MAX_UPLOAD_MB} MB limit")
    directory = upload_dir(workspace)
    directory.mkdir(parents=True, exist_ok=True)
    # The user's file name never becomes a path: no traversal, no clashes.
    path = directory / f"{uuid.uuid4().hex}{suffix}"
    with open(path, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return path


def _or_list(suffixes) -> str:
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]


def create_run(
    workspace: Workspace,
    kind_name: str,
    path,
    *,
    original_filename: str,
    member: Membership | None = None,
    via: str = "web",
    mapping: dict | None = None,
    options: dict | None = None,
) -> ImportRun:
    """Open ``path``, check that it reads as a table, and record a pending run for it."""
    kind = get_kind(kind_name)
    reads_itself = hasattr(kind, "read_header")
    try:
        if reads_itself:
            header, estimate = kind.read_header(path)
        else:
            with open_table(path) as table:
                header, estimate = table.header, table.estimate_rows()
    except (TabularError, OSError) as error:
        raise ImportFailed(str(error))
    if mapping is None:
        # A self-reading kind's mapping holds only the person's overrides.
        mapping = {} if reads_itself else detect_mapping(kind, header)
    return ImportRun.objects.create(
        workspace=workspace,
        kind=kind_name,
        original_filename=original_filename[:255],
        stored_path=str(path),
        mapping=mapping,
        options=options or {},
        started_by=member,
        via=via,
        rows_total=estimate,
    )


def start_run(run: ImportRun, mapping: dict[str, str], options: dict) -> ImportRun:
    """Confirm the mapping of a pending run and queue it for the background worker."""
    from rapport.imports.tasks import run_import

    run.mapping = mapping
    run.options = {**run.options, **options}
    run.status, run.progressed_at = ImportStatus.QUEUED, timezone.now()
    run.save(update_fields=["mapping", "options", "status", "progressed_at"])
    run_import.enqueue(run.pk)
    return run


def resume_run(run: ImportRun) -> bool:
    """Queue a stalled run again; False when it is not stalled, or someone resumed it first.

    The run starts over from the first row: imports are idempotent, so what the lost worker
    wrote counts as unchanged and nothing is duplicated.
    """
    from rapport.imports.tasks import run_import

    if not run.is_stalled:
        return False
    # Only the request that still sees the stalled state wins, so one click queues one task.
    claimed = ImportRun.objects.filter(
        pk=run.pk, status=run.status, progressed_at=run.progressed_at
    ).update(status=ImportStatus.QUEUED, progressed_at=timezone.now())
    if not claimed:
        return False
    run_import.enqueue(run.pk)
    return True


class IssueSink:
    """Keeps the first ``MAX_STORED_ISSUES`` issues of a run and streams every rejected row to
    an optional CSV (the CLI's ``--errors-csv``).

    Issues found while writing a batch stay pending until the batch commits: if the batch
    is rolled back they are dropped with it, replaced by one issue for the whole batch.

    With ``keep`` (a set of column positions) the stored issues keep only those cells and
    the others are stored blank; the CSV, written for the person who has the file, keeps
    them all. An anonymous survey's import keeps only the answers this way.
    """

    def __init__(
        self,
        run: ImportRun,
        header: list[str],
        errors_csv=None,
        *,
        persist: bool = True,
        keep: set[int] | None = None,
    ):
        self.run = run
        self.keep = keep
        self.persist = persist and run.pk is not None
        self.stored = run.issues.count() if self.persist else 0
        self.pending: list[ImportIssue] = []
        self.pending_csv: list[list] = []
        self.writer = None
        if errors_csv is not None:
            self.writer = csv.writer(errors_csv)
            self.writer.writerow(["line", "errors", *header])

    def add(
        self,
        line: int,
        problems: list[tuple[str, str]],
        values: list[str],
        *,
        last_line=None,
        warning=False,
    ):
        if self.writer is not None and not warning:
            self.pending_csv.append(
                [
                    line if last_line is None else f"{line}-{last_line}",
                    "; ".join(f"{f}: {r}" if f else r for f, r in problems),
                    *values,
                ]
            )
        if self.keep is not None:
            values = [v if i in self.keep else "" for i, v in enumerate(values)]
        for field, reason in problems:
            if self.stored < MAX_STORED_ISSUES:
                self.pending.append(
                    ImportIssue(
                        run=self.run,
                        line=line,
                        last_line=last_line,
                        field=field[:60],
                        reason=reason,
                        values=values,
                        is_warning=warning,
                    )
                )
                self.stored += 1

    def flush(self) -> None:
        """Store the pending issues (inside the caller's transaction, if any)."""
        if self.persist and self.pending:
            ImportIssue.objects.bulk_create(self.pending, batch_size=500)
        self.pending = []

    def commit_csv(self) -> None:
        if self.writer is not None:
            self.writer.writerows(self.pending_csv)
        self.pending_csv = []

    def discard(self) -> None:
        """Forget what a rolled-back batch reported."""
        self.pending, self.pending_csv = [], []
        self.stored = self.run.issues.count() if self.persist else 0


def mark_running(run: ImportRun, rows_total: int | None, save, *, dry_run: bool) -> None:
    """Mark ``run`` running from zero: counts reset, earlier issues of a re-run dropped."""
    run.status, run.started_at = ImportStatus.RUNNING, timezone.now()
    run.progressed_at = run.started_at
    run.rows_total = rows_total
    run.rows_done = run.created = run.updated = run.unchanged = run.rejected = 0
    if run.pk and not dry_run:
        run.issues.all().delete()
    save(
        "status",
        "started_at",
        "rows_total",
        "rows_done",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "options",
        "progressed_at",
    )


def execute_run(
    run: ImportRun,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[ImportRun], None] | None = None,
    errors_csv=None,
    actor=None,
) -> ImportRun:
    """Import ``run``'s file into its workspace, batch by batch, and return the finished run.

    With ``dry_run`` every batch is written and rolled back, so the counts are exact and
    nothing stays; ``run`` is then never saved. Raises :class:`ImportFailed` when the file
    or mapping cannot be used at all (the run is marked failed).
    """
    kind = get_kind(run.kind)
    if hasattr(kind, "execute"):
        # Survey responses read their own files (two header rows, JSON) and write through
        # feedback.actions; they reuse this module's issue sink, counters and audit.
        return kind.execute(
            run,
            dry_run=dry_run,
            batch_size=batch_size,
            progress=progress,
            errors_csv=errors_csv,
            actor=actor,
        )
    save = (
        (lambda *fields: run.save(update_fields=list(fields)))
        if run.pk and not dry_run
        else (lambda *fields: None)
    )
    try:
        table = open_table(run.stored_path)
    except (TabularError, OSError) as error:
        return _fail(run, save, str(error))
    with table:
        header = table.header
        problems = mapping_problems(kind, header, run.mapping)
        if problems:
            return _fail(run, save, "; ".join(problems))
        orders = detect_date_orders(run.stored_path, kind, run.mapping)
        run.options = {**run.options, "date_orders": orders, "file": table.describe()}
        ctx = Context(
            workspace=run.workspace, options=run.options, date_orders=orders, dry_run=dry_run
        )
        mark_running(run, table.estimate_rows(), save, dry_run=dry_run)
        sink = IssueSink(run, header, errors_csv, persist=not dry_run)
        positions = [(header.index(column), field) for column, field in run.mapping.items()]
        seen = SeenIdentities()
        records = table.rows()
        try:
            while batch := list(islice(records, batch_size)):
                clean_rows = _clean_batch(batch, kind, ctx, positions, seen, sink, run)
                _write_batch(clean_rows, batch, kind, ctx, sink, run, save, dry_run)
                if progress is not None:
                    progress(run)
        finally:
            seen.close()
        for line, field, reason in _finish(kind, ctx, dry_run):
            sink.add(line, [(field, reason)], [], warning=True)
        sink.flush()
        sink.commit_csv()
    run.rows_total = run.rows_done
    run.status, run.finished_at = ImportStatus.DONE, timezone.now()
    run.options = {**run.options, "extra": ctx.extra}
    save("rows_total", "status", "finished_at", "options")
    if not dry_run:
        _audit(run, actor)
        if run.kind == "interactions" and (run.created or run.updated):
            # Bulk writes bypass save(): ask for the new messages to be read.
            queue_analysis(run.workspace_id)
    return run


def _fail(run: ImportRun, save, reason: str) -> ImportRun:
    run.status, run.failure, run.finished_at = ImportStatus.FAILED, reason, timezone.now()
    save("status", "failure", "finished_at")
    raise ImportFailed(reason)


def _clean_batch(batch, kind, ctx, positions, seen, sink, run) -> list[CleanRow]:
    """Clean every record of a batch; rejected ones go to ``sink`` and are counted."""
    cleaned = []
    for record in batch:
        if isinstance(record, BadRecord):
            sink.add(record.line, [("", record.reason)], record.values)
            run.rejected += 1
            continue
        raw = {field: record.values[position] for position, field in positions}
        data, errors = kind.clean(raw, ctx)
        if errors:
            sink.add(record.line, errors, record.values)
            run.rejected += 1
            continue
        cleaned.append((record, data, kind.identity(data, ctx)))
    seen.load(identity for _, _, identity in cleaned)
    clean_rows = []
    for record, data, identity in cleaned:
        first_line, count = seen.get(identity, record.line)
        if count and kind.rejects_duplicates(data):
            sink.add(record.line, [("", duplicate_reason(first_line))], record.values)
            run.rejected += 1
            continue
        seen.add(identity, first_line, count + 1)
        # Identical records (two equal sales on one day) stay distinct by their position
        # among equals, which is the same on every import of the same file.
        key = digest(kind.name, identity, count)
        clean_rows.append(CleanRow(record.line, record.values, data, identity, key))
    seen.save()
    return clean_rows


def _write_batch(clean_rows, batch, kind, ctx, sink, run, save, dry_run) -> None:
    run.rows_done += len(batch)
    # What cleaning rejected is kept whatever happens to the batch's writes.
    sink.commit_csv()
    if not clean_rows:
        _commit_counts(run, sink, save)
        return
    sink.flush()
    before = (run.created, run.updated, run.unchanged, run.rejected)
    try:
        with transaction.atomic():
            result = kind.write(clean_rows, ctx)
            run.created += result.created
            run.updated += result.updated
            run.unchanged += result.unchanged
            run.rejected += len(result.rejected)
            by_line = {row.line: row.values for row in clean_rows}
            for line, field, reason in result.rejected:
                sink.add(line, [(field, reason)], by_line.get(line, []))
            for line, field, reason in result.warnings:
                sink.add(line, [(field, reason)], by_line.get(line, []), warning=True)
            _commit_counts(run, sink, save)
            if dry_run:
                transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - one failed batch must not end the run
        sink.discard()
        run.created, run.updated, run.unchanged, run.rejected = before
        first, last = clean_rows[0].line, clean_rows[-1].line
        run.rejected += len(clean_rows)
        reason = f"the database refused this batch; nothing of lines {first}-{last} was written ({error})"
        sink.add(first, [("", reason)], [], last_line=last)
        _commit_counts(run, sink, save)
    sink.commit_csv()


def _commit_counts(run, sink, save) -> None:
    sink.flush()
    run.progressed_at = timezone.now()
    save("rows_done", "created", "updated", "unchanged", "rejected", "progressed_at")


def _finish(kind, ctx, dry_run):
    with transaction.atomic():
        warnings = kind.finish(ctx)
        if dry_run:
            transaction.set_rollback(True)
    return warnings


def _audit(run: ImportRun, actor) -> None:
    if run.pk is None:
        return
    record_audit(
        run.workspace,
        AuditAction.IMPORT,
        run,
        actor=actor,
        via=run.via,
        # The audit log reads changes as [before, after]; an import's counts have no before.
        changes={
            name: [None, value]
            for name, value in {
                "kind": run.kind,
                "file": run.original_filename,
                "rows": run.rows_done,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
                **run.options.get("extra", {}),
            }.items()
        },
    )


def run_in_background(run_id: int) -> None:
    """The task body: execute a queued run, marking it failed on any error."""
    run = ImportRun.objects.select_related("workspace", "started_by__user").get(pk=run_id)
    if run.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return
    actor = run.started_by.user if run.started_by_id else None
    try:
        execute_run(run, actor=actor)
    except ImportFailed:
        return
    except Exception as error:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED,
            failure=f"unexpected error: {error}",
            finished_at=timezone.now(),
        )
        raise


__all__ = [
    "KINDS",
    "ImportFailed",
    "apply_overrides",
    "create_run",
    "detect_mapping",
    "execute_run",
    "parse_map_options",
    "preview_file",
    "resume_run",
    "start_run",
    "store_upload",
]
