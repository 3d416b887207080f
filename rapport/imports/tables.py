"""Importing a table (CSV, TSV, TXT, XLSX) whose columns map onto a kind's fields: its
header, the preview of its first rows, the date order of its date columns, its rows through
the batch loop, and ``rapport import``'s reading of the command line for it.

Every kind but survey responses imports this way; ``kinds.base.ImportKindBase``'s hooks
call this module with the kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from django.db import transaction

from rapport.accounts.models import Workspace
from rapport.imports.batches import (
    BATCH_SIZE,
    Written,
    duplicate_reason,
    import_batches,
)
from rapport.imports.kinds.cleaning import CleanRow, Context, digest
from rapport.imports.mapping import (
    apply_overrides,
    detect_mapping,
    format_mapping,
    mapping_problems,
    parse_map_options,
)
from rapport.imports.models import ImportRun
from rapport.imports.runs import (
    ImportFailed,
    IssueSink,
    audit,
    fail,
    mark_done,
    mark_running,
    saver,
)
from rapport.lib.tabular import BadRecord, Row, TabularError, open_table
from rapport.lib.values import is_numeric_date, numeric_date_order
from rapport.predictions.tasks import queue_refresh

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
# Rows read to decide whether a column's 03/04/2024 means March or April.
DATE_SAMPLE_ROWS = 2000
PREVIEW_ROWS = 10


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


def read_header(path) -> tuple[list[str], int | None]:
    """``(column names, estimated rows)`` of a table; raises ``TabularError`` or ``OSError``."""
    with open_table(path) as table:
        return table.header, table.estimate_rows()


def preview_table(
    kind, path, workspace: Workspace, *, mapping: dict | None, options: dict | None
) -> Preview:
    """Read the first rows of ``path``, guess the mapping and show what cleaning makes of them."""
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


def detect_date_orders(path, kind, mapping: dict[str, str]) -> dict[str, str]:
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


def _raw_fields(record: Row, header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    return {field: record.values[header.index(column)] for column, field in mapping.items()}


class TableSteps:
    """A table kind's part in the batch loop: ``clean`` and ``identity`` per row, ``write``
    per batch."""

    def __init__(self, kind, ctx: Context, positions: list[tuple[int, str]]):
        self.kind = kind
        self.ctx = ctx
        self.positions = positions

    def read(self, record):
        raw = {field: record.values[position] for position, field in self.positions}
        data, errors = self.kind.clean(raw, self.ctx)
        if errors:
            return None, errors, []
        identity = self.kind.identity(data, self.ctx)
        return CleanRow(record.line, record.values, data, identity), [], []

    def rejects_duplicate(self, row: CleanRow) -> bool:
        return self.kind.rejects_duplicates(row.data)

    def key(self, identity: str, count: int) -> str:
        return digest(self.kind.name, identity, count)

    def write(self, rows: list[CleanRow]) -> Written:
        result = self.kind.write(rows, self.ctx)
        by_line = {row.line: row.values for row in rows}
        issues = [
            (line, [(field, reason)], by_line.get(line, []), False)
            for line, field, reason in result.rejected
        ]
        issues += [
            (line, [(field, reason)], by_line.get(line, []), True)
            for line, field, reason in result.warnings
        ]
        return Written(
            result.created, result.updated, result.unchanged, len(result.rejected), issues
        )

    def kept(self, written: Written) -> None:
        pass


def execute_table(
    kind,
    run: ImportRun,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[ImportRun], None] | None = None,
    errors_csv=None,
    actor=None,
) -> ImportRun:
    """Import ``run``'s table into its workspace through the batch loop."""
    save = saver(run, dry_run=dry_run)
    try:
        table = open_table(run.stored_path)
    except (TabularError, OSError) as error:
        return fail(run, save, str(error))
    with table:
        header = table.header
        problems = mapping_problems(kind, header, run.mapping)
        if problems:
            return fail(run, save, "; ".join(problems))
        orders = detect_date_orders(run.stored_path, kind, run.mapping)
        run.options = {**run.options, "date_orders": orders, "file": table.describe()}
        mark_running(run, table.estimate_rows(), save, dry_run=dry_run)
        ctx = Context(
            workspace=run.workspace, options=run.options, date_orders=orders, dry_run=dry_run
        )
        sink = IssueSink(run, header, errors_csv, persist=not dry_run)
        positions = [(header.index(column), field) for column, field in run.mapping.items()]
        import_batches(
            run,
            table.rows(),
            TableSteps(kind, ctx, positions),
            sink,
            save=save,
            dry_run=dry_run,
            batch_size=batch_size,
            progress=progress,
        )
        for line, field, reason in _finish(kind, ctx, dry_run):
            sink.add(line, [(field, reason)], [], warning=True)
        sink.flush()
        sink.commit_csv()
    mark_done(run, save, ctx.extra)
    if not dry_run:
        audit(run, actor)
        kind.after_import(run)
        if run.created or run.updated:
            queue_refresh(run.workspace_id)
    return run


def _finish(kind, ctx: Context, dry_run: bool):
    with transaction.atomic():
        warnings = kind.finish(ctx)
        if dry_run:
            transaction.set_rollback(True)
    return warnings


def table_command_line(kind, args) -> tuple[dict, dict] | str:
    """``rapport import``'s arguments for a table: ``(mapping, options)``, or the mapping to
    print for ``--show-mapping``. Raises :class:`ImportFailed` with the command's message."""
    if kind.group_required and not args.group:
        raise ImportFailed(f"{kind.name} imports need --group customer|employee|supplier|community")
    try:
        with open_table(args.file) as table:
            header = table.header
        mapping = apply_overrides(
            kind, header, detect_mapping(kind, header), parse_map_options(args.map)
        )
    except FileNotFoundError:
        raise ImportFailed(f"no such file: {args.file}")
    except (TabularError, ImportFailed, OSError) as error:
        raise ImportFailed(f"{args.file}: {error}")
    if args.show_mapping:
        return format_mapping(header, mapping)
    problems = mapping_problems(kind, header, mapping)
    if problems:
        raise ImportFailed(
            "; ".join(problems) + " (use --map COLUMN=field; --show-mapping lists the mapping)"
        )
    return mapping, {
        "group": args.group or "",
        "date_format": args.date_format or "",
        "create_missing": args.create_missing,
    }
