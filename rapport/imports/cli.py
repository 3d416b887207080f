"""``rapport import KIND FILE --workspace SLUG``: the same import as the web UI, in a terminal."""

from __future__ import annotations

import argparse
import contextlib
import sys

from rapport.lib.progress import ProgressBar, add_progress_option, wants_progress

# The kinds' names, in the registry's order (kinds/__init__.py); the parser is built before
# Django is set up, so it cannot read the registry. imports/tests/test_kinds_agree.py checks.
KINDS = ["people", "interactions", "purchases", "employment", "deliveries", "responses"]
ANONYMITY = ["identified", "confidential", "anonymous"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import a CSV, TSV, TXT, XLSX (or, for survey responses, JSON) file into a workspace",
        description=(
            "Import a file into a workspace. Columns are matched to fields by their names; "
            "override with --map. Bad rows are reported with their line and reason, good rows "
            "are kept, and importing the same file again changes nothing."
        ),
    )
    parser.add_argument(
        "kind",
        choices=KINDS,
        metavar="KIND",
        help="what the file holds: " + ", ".join(KINDS) + " (docs/imports.md lists their columns)",
    )
    parser.add_argument("file", help="the .csv, .tsv, .txt or .xlsx file (responses: or .json)")
    parser.add_argument(
        "--workspace", required=True, metavar="SLUG", help="the business to import into"
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="map a source column to a field, overriding detection; COLUMN= ignores the column "
        "(repeatable); responses: FIELD is a metadata field, a question kind (nps, csat, text...), "
        "or with --survey a question's key or id",
    )
    parser.add_argument(
        "--group",
        choices=["customer", "employee", "supplier", "community"],
        help="people: the group of every row (a 'group' column overrides it); interactions: where "
        "to look the person up; responses: who answered (emails are looked up in this group)",
    )
    parser.add_argument(
        "--date-format",
        metavar="FORMAT",
        help="dmy or mdy for ambiguous dates like 03/04/2024 when the file does not settle it "
        "(default dmy), or a strftime pattern such as %%d.%%m.%%Y",
    )
    parser.add_argument(
        "--create-missing",
        action="store_true",
        help="purchases, interactions, employment: create people the file names but the workspace lacks",
    )
    parser.add_argument(
        "--survey",
        type=int,
        metavar="ID",
        help="responses: the survey to add them to (columns are matched to its questions); "
        "without it a closed survey is created from the file, or found again on a re-import",
    )
    parser.add_argument(
        "--title", help="responses: the title of the survey created (default: from the file name)"
    )
    parser.add_argument(
        "--anonymity",
        choices=ANONYMITY,
        help="responses: of the survey created (default confidential); anonymous links no one "
        "and keeps only the day or week",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="validate and count, then roll everything back"
    )
    parser.add_argument(
        "--errors-csv",
        metavar="PATH",
        help="write every rejected row, with its line and reasons, to PATH",
    )
    parser.add_argument(
        "--show-mapping", action="store_true", help="print the column mapping and stop"
    )
    parser.add_argument("--batch-size", type=int, default=1000, help=argparse.SUPPRESS)
    add_progress_option(parser, "progress line")
    parser.set_defaults(handler=import_command)


def import_command(args) -> int:
    # Imported when the command runs, not when the parser is built: Django is set up by then.
    from rapport.accounts.scope import workspace_from_slug
    from rapport.imports.kinds import get_kind
    from rapport.imports.runs import ImportFailed
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    kind = get_kind(args.kind)
    try:
        prepared = kind.command_line(args, workspace)
    except ImportFailed as error:
        raise CommandError(str(error))
    if isinstance(prepared, str):
        # --show-mapping: what each column becomes, and nothing imported.
        print(prepared)
        return 0
    mapping, options = prepared
    try:
        return _run(args, kind, workspace, mapping, options)
    except kind.command_errors as error:
        raise CommandError(f"{args.file}: {error}")


def _run(args, kind, workspace, mapping, options) -> int:
    from pathlib import Path

    from rapport.imports import actions
    from rapport.imports.choices import ImportStatus
    from rapport.imports.models import ImportRun
    from rapport.lib.commands import CommandError

    path = str(Path(args.file).resolve())
    if args.dry_run:
        run = ImportRun(
            workspace=workspace,
            kind=args.kind,
            original_filename=Path(path).name,
            stored_path=path,
            mapping=mapping,
            options=options,
            via="cli",
        )
    else:
        run = actions.create_run(
            workspace,
            args.kind,
            path,
            original_filename=Path(path).name,
            via="cli",
            mapping=mapping,
            options=options,
        )
    show = wants_progress(args.progress)
    bar = Progress(sys.stderr) if show else None
    with contextlib.ExitStack() as stack:
        errors_file = None
        if args.errors_csv:
            errors_file = stack.enter_context(
                # utf-8-sig: the byte-order mark that Excel needs to read accents right.
                open(args.errors_csv, "w", newline="", encoding="utf-8-sig")
            )
        first_rejected = FirstRejected(errors_file)
        if bar:
            stack.callback(bar.done)
        try:
            run = actions.execute_run(
                run,
                dry_run=args.dry_run,
                batch_size=args.batch_size,
                errors_csv=first_rejected,
                progress=bar.update if bar else None,
            )
        except actions.ImportFailed as error:
            raise CommandError(str(error))
        except KeyboardInterrupt:
            if run.pk:
                ImportRun.objects.filter(pk=run.pk).update(
                    status=ImportStatus.FAILED, failure="interrupted"
                )
            raise
    print(summary(run, args.dry_run))
    for line in kind.summary_lines(run, args.dry_run):
        print(line)
    for line in rejected_lines(run.rejected, first_rejected.rows(), args.errors_csv):
        print(line)
    return 0


def summary(run, dry_run: bool) -> str:
    """One line of counts, the same words as the run page."""
    prefix = "Dry run (nothing saved): would have " if dry_run else ""
    line = (
        f"{prefix}{run.rows_done:,} rows: {run.created:,} created, {run.updated:,} updated, "
        f"{run.unchanged:,} unchanged, {run.rejected:,} rejected"
    )
    extra = run.options.get("extra") or {}
    if extra:
        line += " (" + ", ".join(f"{n:,} {what}" for what, n in extra.items()) + ")"
    if not run.rows_done:
        line += " (the file has a header but no rows)"
    return line


SHOWN_REJECTED = 10


def rejected_lines(rejected: int, first: list[list[str]], errors_csv: str | None) -> list[str]:
    """The first rejected rows with their line and reasons, and where all of them are."""
    if not rejected:
        return []
    shown = first[:SHOWN_REJECTED]
    title = (
        "Rejected:"
        if len(shown) == rejected
        else f"Rejected (the first {len(shown)} of {rejected:,}):"
    )
    where = errors_csv or "import again with --errors-csv PATH"
    return [
        title,
        *(f"  line {row[0]}: {row[1]}" for row in shown),
        f"All rejected rows with their cells: {where}",
    ]


class FirstRejected:
    """Where the import writes its errors CSV: every line goes on to the --errors-csv file,
    if there is one, and the first rows are kept to print (csv.writer writes one row per
    call)."""

    def __init__(self, target=None):
        self.target = target
        self.lines: list[str] = []

    def write(self, text: str):
        if len(self.lines) <= SHOWN_REJECTED:
            self.lines.append(text)
        return len(text) if self.target is None else self.target.write(text)

    def rows(self) -> list[list[str]]:
        """The first rejected rows as ``[line, reasons, *cells]``, the header left out."""
        import csv
        import io

        return list(csv.reader(io.StringIO("".join(self.lines))))[1:]


class Progress(ProgressBar):
    """The import's progress line: rows read, rows per second and rows rejected."""

    def update(self, run) -> None:  # type: ignore[override]
        super().update(run.rows_done, run.rows_total, f"{run.rejected:,} rejected")
