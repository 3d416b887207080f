"""The ``responses`` import kind: survey responses exported from Google Forms, Typeform,
SurveyMonkey or as JSON, beside the reading it needs.

Unlike the other kinds, most columns of a survey export are questions, and what they are is
only known from the file: the kind's ``fields`` name the *metadata* columns (``metadata``),
and everything else becomes a question. Its files need their own reading (``reading``:
SurveyMonkey's two header rows, JSON; ``columns``: what each column is), the import plans
the survey first (``plan``), and the answers go through ``feedback.actions`` (``rows``). So
the kind overrides the hooks of ``ImportKindBase`` that read a file as a table: its header,
its preview, its run, its command line and its mapping page. Its rows still travel the one
batch loop (``imports.batches``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.db.models import prefetch_related_objects

from rapport.accounts.models import Workspace
from rapport.feedback.arrival import queue_response_analysis
from rapport.feedback.choices import Anonymity
from rapport.feedback.models import Survey
from rapport.imports.batches import BATCH_SIZE, import_batches
from rapport.imports.kinds.base import ImportKindBase
from rapport.imports.kinds.cleaning import Context
from rapport.imports.kinds.responses.form import ResponsesForm
from rapport.imports.kinds.responses.metadata import FIELDS
from rapport.imports.kinds.responses.plan import (
    Plan,
    PlanError,
    check_overrides,
    choose_survey,
    format_plan,
    read_plan,
)
from rapport.imports.kinds.responses.reading import open_export
from rapport.imports.kinds.responses.rows import ResponseSteps, answer_positions
from rapport.imports.mapping import parse_map_options
from rapport.imports.models import ImportRun
from rapport.imports.runs import (
    ImportFailed,
    IssueSink,
    audit,
    delete_upload,
    fail,
    mark_done,
    mark_running,
    saver,
)
from rapport.lib.tabular import TabularError

# Rows read to show what each column of a survey export holds; the run reads them all.
PREVIEW_SURVEY_ROWS = 5000


class ResponsesKind(ImportKindBase):
    name = "responses"
    label = "Survey responses"
    suffixes = (".csv", ".tsv", ".txt", ".xlsx", ".json")
    fields = FIELDS
    template = "imports/responses.html"
    # What the command reports as "FILE: reason" while it runs.
    command_errors = (PlanError, TabularError, OSError)

    def read_header(self, path):
        """``(column names, estimated rows)`` of an export; raises ``TabularError``."""
        export = open_export(path)
        return export.names, export.estimated_rows

    def initial_mapping(self, header: list[str]) -> dict[str, str]:
        # The mapping of a survey export holds only the person's overrides.
        return {}

    def file_header(self, run: ImportRun) -> list[str]:
        if run.options.get("header"):
            # Kept on the run: an anonymous survey's upload is deleted when its run ends.
            return list(run.options["header"])
        return super().file_header(run)

    def execute(
        self,
        run: ImportRun,
        *,
        dry_run: bool = False,
        batch_size: int = BATCH_SIZE,
        progress: Callable[[ImportRun], None] | None = None,
        errors_csv=None,
        actor=None,
    ) -> ImportRun:
        """Import ``run``'s file as survey responses.

        ``run.mapping`` holds the ``--map`` overrides (column → metadata field, question
        kind, question key, or nothing to ignore it); ``run.options`` the survey id, title,
        anonymity, group and date format. With ``dry_run`` everything, the new survey
        included, is rolled back at the end.
        """
        if dry_run:
            with transaction.atomic():
                run = _execute(self, run, True, batch_size, progress, errors_csv, actor)
                transaction.set_rollback(True)
            return run
        try:
            return _execute(self, run, False, batch_size, progress, errors_csv, actor)
        finally:
            forget_upload(run)

    def after_import(self, run: ImportRun) -> None:
        if run.created:
            # Bulk writes bypass save(): ask for the new free-text answers to be read.
            queue_response_analysis(run.workspace_id)

    # --- the command line ----------------------------------------------------------------

    def command_line(self, args, workspace: Workspace) -> tuple[dict, dict] | str:
        """The columns are questions, detected from the file."""
        if not Path(args.file).is_file():
            raise ImportFailed(f"no such file: {args.file}")
        overrides = parse_map_options(args.map)
        if args.survey and not Survey.objects.filter(workspace=workspace, pk=args.survey).exists():
            raise ImportFailed(f"no survey {args.survey} in workspace {workspace.slug!r}")
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
                return overrides, options
            plan = read_plan(args.file, options, overrides)
            # Finding the survey again may add new choices to it: look, then roll back.
            with transaction.atomic():
                choose_survey(plan, workspace, {**options, "question_map": overrides}, create=False)
                transaction.set_rollback(True)
        except (PlanError, TabularError, OSError) as error:
            raise ImportFailed(f"{args.file}: {error}")
        return format_plan(plan)

    def summary_lines(self, run: ImportRun, dry_run: bool) -> list[str]:
        return [survey_line(run, dry_run)]

    # --- the mapping page ----------------------------------------------------------------

    def preview(
        self,
        path,
        workspace: Workspace,
        *,
        mapping: dict | None = None,
        options: dict | None = None,
    ) -> Plan:
        """The detected questions and the survey they go to, from the first rows; raises
        ``PlanError``."""
        overrides, options = mapping or {}, options or {}
        plan = read_plan(path, options, overrides, limit=PREVIEW_SURVEY_ROWS)
        # Finding an earlier import's survey may add choices to it: look, then roll back.
        with transaction.atomic():
            choose_survey(plan, workspace, {**options, "question_map": overrides}, create=False)
            transaction.set_rollback(True)
        return plan

    def mapping_form(self, data, *, run: ImportRun, preview: Plan, workspace: Workspace):
        surveys = Survey.objects.filter(workspace=workspace).order_by("-created_at", "-id")

        def check(overrides, options):
            self.preview(run.stored_path, workspace, mapping=overrides, options=options)

        return ResponsesForm(data, plan=preview, surveys=surveys, check=check)

    def preview_of_choice(self, run: ImportRun, form, preview: Plan, workspace: Workspace):
        return preview

    def page_context(self, run: ImportRun, preview: Plan, form) -> dict:
        plan = preview
        samples = {id(source): _samples(plan, source) for source in plan.layout.sources}
        rows = [(field, source, samples[id(source)]) for field, source in form.source_rows()]
        counted = plan.layout.rows if plan.layout.rows < PREVIEW_SURVEY_ROWS else None
        return {"run": run, "plan": plan, "form": form, "rows": rows, "counted": counted}


def _samples(plan: Plan, source) -> str:
    if source.role != "question" and source.role in ("ip_address", "email", "name"):
        return "(not shown)"
    if source.spread:
        return ", ".join(source.labels[:4])
    values = list(plan.layout.stats[source.positions[0]].values)[:3]
    return " · ".join(v[:40] for v in values)


def survey_line(run: ImportRun, dry_run: bool) -> str:
    """Where the responses went: the survey's id and title, and whether it was created."""
    options = run.options
    title = options.get("survey_title", "")
    if dry_run:
        made = "a new survey" if options.get("survey_created") else "survey"
        ident = "" if options.get("survey_created") else f" {options.get('survey_id')}"
        return f"{options.get('tool', '')}: would go to {made}{ident} “{title}”"
    verb = "created" if options.get("survey_created") else "added to"
    return f"{options.get('tool', '')}: {verb} survey {options.get('survey_id')} “{title}”"


# --- the run ---------------------------------------------------------------------------


def is_anonymous_run(run: ImportRun) -> bool:
    """Whether the run's answers are (or were asked to be) an anonymous survey's: the survey
    it went to, the anonymity asked for, or the survey named."""
    options = run.options or {}
    if "anonymous" in options:  # set once the survey is known
        return bool(options["anonymous"])
    if options.get("anonymity") == Anonymity.ANONYMOUS:
        return True
    named = options.get("survey_id")
    if not named:
        return False
    surveys = Survey.objects.filter(workspace=run.workspace, pk=named)
    return surveys.filter(anonymity=Anonymity.ANONYMOUS).exists()


def forget_upload(run: ImportRun) -> None:
    """Delete the uploaded file of an anonymous survey's run once the run has ended (done
    or failed), and say so on the run. Its rows hold what the survey never keeps: emails,
    names, exact times, IP addresses.

    Only a file Rapport stored (a web upload) is deleted: the CLI reads the person's own
    file where it is."""
    if run.pk is not None and is_anonymous_run(run):
        delete_upload(run, "upload_deleted")


def _execute(kind, run, dry_run, batch_size, progress, errors_csv, actor) -> ImportRun:
    save = saver(run, dry_run=dry_run)
    member = run.started_by
    options = run.options or {}
    plan = None
    try:
        plan = read_plan(run.stored_path, options, run.mapping)
        plan = choose_survey(
            plan,
            run.workspace,
            {**options, "question_map": run.mapping},
            member=member,
        )
    except PlanError as error:
        if plan is not None and plan.survey is not None and plan.survey.is_anonymous:
            # Refused for another anonymity: the file is still an anonymous survey's.
            run.options = {**options, "anonymous": True}
        return fail(run, save, str(error))
    anonymous = plan.survey.is_anonymous
    ctx = Context(workspace=run.workspace, options=options, dry_run=dry_run)
    run.options = {
        **options,
        "file": plan.export.description,
        # The errors download names its columns from this once the file is gone.
        "header": plan.export.names,
        "anonymous": anonymous,
        "tool": plan.export.tool_name,
        "survey_id": plan.survey.pk,
        "survey_title": plan.survey.title,
        "survey_created": plan.survey_created,
        "date_orders": {"submitted_at": plan.date_order}
        if plan.layout.role("submitted_at")
        else {},
        "columns": plan.summary(),
    }
    mark_running(run, plan.layout.rows or plan.export.estimated_rows, save, dry_run=dry_run)
    sink = IssueSink(
        run,
        plan.export.names,
        errors_csv,
        persist=not dry_run,
        keep=answer_positions(plan) if anonymous else None,
    )
    header_line = 1
    for name, reason in plan.warnings:
        sink.add(header_line, [(name, reason)], [], warning=True)
    steps = ResponseSteps(plan, ctx)
    # With the questions cached on the survey, no row reads them again.
    prefetch_related_objects([plan.survey], "questions")
    import_batches(
        run,
        plan.export.records(),
        steps,
        sink,
        save=save,
        dry_run=dry_run,
        batch_size=batch_size,
        progress=progress,
    )
    sink.flush()
    sink.commit_csv()
    extra = {}
    if plan.survey_created:
        extra["survey created"] = 1
    if steps.linked:
        extra["linked to people"] = steps.linked
    mark_done(run, save, extra)
    if not dry_run:
        audit(run, actor)
        kind.after_import(run)
    return run
