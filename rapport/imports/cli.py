"""``rapport import KIND FILE --workspace SLUG``: the same import as the web UI, in a terminal."""

from __future__ import annotations

import argparse
import contextlib
import sys

from rapport.lib.progress import ProgressBar, add_progress_option, wants_progress

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
    from rapport.accounts.scope import workspace_from_slug
    from rapport.imports import actions
    from rapport.imports.kinds import get_kind
    from rapport.lib.commands import CommandError, migrate
    from rapport.lib.tabular import TabularError, open_table

    migrate()
    workspace = workspace_from_slug(args.workspace)
    if args.kind == "responses":
        return responses_command(args, workspace)
    kind = get_kind(args.kind)
    if args.kind == "people" and not args.group:
        raise CommandError("people imports need --group customer|employee|supplier|community")
    try:
        with open_table(args.file) as table:
            header = table.header
        mapping = actions.apply_overrides(
            kind, header, actions.detect_mapping(kind, header), actions.parse_map_options(args.map)
        )
    except FileNotFoundError:
        raise CommandError(f"no such file: {args.file}")
    except (TabularError, actions.ImportFailed, OSError) as error:
        raise CommandError(f"{args.file}: {error}")
    if args.show_mapping:
        print(format_mapping(header, mapping))
        return 0
    problems = actions.mapping_problems(kind, header, mapping)
    if problems:
        raise CommandError(
            "; ".join(problems) + " (use --map COLUMN=field; --show-mapping lists the mapping)"
        )
    options = {
        "group": args.group or "",
        "date_format": args.date_format or "",
        "create_missing": args.create_missing,
    }
    return _run(args, workspace, mapping, options)


def responses_command(args, workspace) -> int:
    """``rapport import responses FILE``: the columns are questions, detected from the file."""
    from pathlib import Path

    from django.db import transaction

    from rapport.feedback.models import Survey
    from rapport.imports import actions
    from rapport.imports.surveys.reading import open_export
    from rapport.imports.surveys.run import PlanError, check_overrides, choose_survey, read_plan
    from rapport.lib.commands import CommandError
    from rapport.lib.tabular import TabularError

    if not Path(args.file).is_file():
        raise CommandError(f"no such file: {args.file}")
    try:
        overrides = actions.parse_map_options(args.map)
    except actions.ImportFailed as error:
        raise CommandError(str(error))
    if args.survey and not Survey.objects.filter(workspace=workspace, pk=args.survey).exists():
        raise CommandError(f"no survey {args.survey} in workspace {workspace.slug!r}")
    options = {
        "survey_id": args.survey,
        "title": args.title or "",
        "anonymity": args.anonymity or "",
        "group": args.group or "",
        "date_format": args.date_format or "",
    }
    try:
        if not args.show_mapping:
            # Only what the header tells; the run reads the rows (and fails with the reason).
            check_overrides(open_export(args.file), overrides, survey_named=bool(args.survey))
            return _run(args, workspace, overrides, options)
        plan = read_plan(args.file, options, overrides)
        # Finding the survey again may add new choices to it: look, then roll back.
        with transaction.atomic():
            choose_survey(plan, workspace, {**options, "question_map": overrides}, create=False)
            transaction.set_rollback(True)
    except (PlanError, TabularError, OSError) as error:
        raise CommandError(f"{args.file}: {error}")
    print(format_plan(plan))
    return 0


def format_plan(plan) -> str:
    """The columns of a survey export and what each becomes, then the survey."""
    export = plan.export
    rows = [(_columns_of(export, source), _role_of(source)) for source in plan.layout.sources]
    width = max((len(c) for c, _ in rows), default=0)
    lines = [f"{export.tool_name} export ({export.description}), {plan.layout.rows:,} rows"]
    lines += [f"{columns:<{width}}  ->  {role}" for columns, role in rows]
    if plan.survey is not None:
        lines.append(f"Survey {plan.survey.pk} “{plan.survey.title}” (columns matched by text)")
    else:
        lines.append(f"A new closed survey with {len(plan.layout.questions)} questions")
    lines += [f"warning: {name}: {reason}" for name, reason in plan.warnings]
    return "\n".join(lines)


def _columns_of(export, source) -> str:
    if len(source.positions) == 1:
        return export.columns[source.positions[0]].name
    return f"{source.text} ({len(source.positions)} columns)"


def _role_of(source) -> str:
    if source.role != "question":
        return source.role
    target = f"question {source.question.key or source.question.pk}: " if source.question else ""
    return target + source.describe()


def _run(args, workspace, mapping, options) -> int:
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
                open(args.errors_csv, "w", newline="", encoding="utf-8")
            )
        if bar:
            stack.callback(bar.done)
        try:
            run = actions.execute_run(
                run,
                dry_run=args.dry_run,
                batch_size=args.batch_size,
                errors_csv=errors_file,
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
    if args.kind == "responses":
        print(survey_line(run, args.dry_run))
    return 0


def format_mapping(header: list[str], mapping: dict[str, str]) -> str:
    width = max((len(c) for c in header), default=0)
    return "\n".join(
        f"{column:<{width}}  ->  {mapping.get(column, '(ignored)')}" for column in header
    )


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


def survey_line(run, dry_run: bool) -> str:
    """Where the responses went: the survey's id and title, and whether it was created."""
    options = run.options
    title = options.get("survey_title", "")
    if dry_run:
        made = "a new survey" if options.get("survey_created") else "survey"
        ident = "" if options.get("survey_created") else f" {options.get('survey_id')}"
        return f"{options.get('tool', '')}: would go to {made}{ident} “{title}”"
    verb = "created" if options.get("survey_created") else "added to"
    return f"{options.get('tool', '')}: {verb} survey {options.get('survey_id')} “{title}”"


class Progress(ProgressBar):
    """The import's progress line: rows read, rows per second and rows rejected."""

    def update(self, run) -> None:  # type: ignore[override]
        super().update(run.rows_done, run.rows_total, f"{run.rejected:,} rejected")
