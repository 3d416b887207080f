from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.imports.actions import (
    ImportFailed,
    create_run,
    preview_file,
    resume_run,
    start_run,
    store_upload,
)
from rapport.imports.choices import ImportStatus
from rapport.imports.forms import MappingForm, ResponsesForm, UploadForm
from rapport.imports.models import ImportIssue, ImportRun
from rapport.lib.csvstream import csv_line_writer

ISSUES_SHOWN = 200
# Rows read to show what each column of a survey export holds; the run reads them all.
PREVIEW_SURVEY_ROWS = 5000


def _run(request, run_id) -> ImportRun:
    return get_object_or_404(
        ImportRun.objects.select_related("started_by__user"), workspace=request.workspace, pk=run_id
    )


class UploadLimitHandler(FileUploadHandler):
    """Skips an uploaded file over ``RAPPORT_MAX_UPLOAD_MB`` while it streams in.

    A request whose Content-Length is already over the limit is skipped before any of it is
    written; one that lies about its length, as soon as the limit is passed. The rest of the
    form still arrives, so the page can say why instead of answering with an error page.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.RAPPORT_MAX_UPLOAD_MB * 1024 * 1024
        self.request_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The other form fields and the multipart framing take far less than 64 kB.
        self.request_too_large = content_length > self.limit + 64 * 1024

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.request_too_large:
            self._skip()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self._skip()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _skip(self):
        self.request.upload_too_large = True
        raise SkipFile


# CSRF checking reads the request body, which must not happen before the limit is in place;
# ``import_page`` checks the token itself once the handler is installed.
@csrf_exempt
@workspace_view(min_role=Role.STAFF)
def import_list(request):
    request.upload_handlers.insert(0, UploadLimitHandler(request))
    return _import_page(request)


@csrf_protect
def _import_page(request):
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        too_large=getattr(request, "upload_too_large", False),
    )
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        path = None
        try:
            path = store_upload(request.workspace, uploaded, form.suffixes())
            run = create_run(
                request.workspace,
                form.cleaned_data["kind"],
                path,
                original_filename=uploaded.name,
                member=request.membership,
                via="web",
            )
        except ImportFailed as error:
            if path is not None:
                path.unlink(missing_ok=True)
            form.add_error("file", str(error))
        else:
            return redirect("imports:run", slug=request.workspace.slug, run_id=run.pk)
    runs = ImportRun.objects.filter(workspace=request.workspace).select_related("started_by__user")
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    return render(request, "imports/list.html", {"form": form, "page": page})


@workspace_view(min_role=Role.STAFF)
def run_page(request, run_id):
    run = _run(request, run_id)
    if run.status != ImportStatus.PENDING:
        if request.method == "POST":
            if "resume" in request.POST:
                if resume_run(run):
                    messages.success(request, "Import queued again; it starts over from the top.")
                else:
                    messages.info(request, "The import is not stalled any more.")
            return redirect("imports:run", slug=request.workspace.slug, run_id=run.pk)
        issues = list(run.issues.all()[:ISSUES_SHOWN])
        return render(
            request,
            "imports/run.html",
            {"run": run, "issues": issues, "issues_shown": ISSUES_SHOWN},
        )
    if run.kind == "responses":
        return _responses_page(request, run)
    return _mapping_page(request, run)


def _responses_page(request, run):
    """Survey responses: the detected questions, the survey they go to, then start."""
    from django.db import transaction

    from rapport.feedback.models import Survey
    from rapport.imports.surveys.run import PlanError, choose_survey, read_plan

    def plan_for(overrides, options):
        plan = read_plan(run.stored_path, options, overrides, limit=PREVIEW_SURVEY_ROWS)
        # Finding an earlier import's survey may add choices to it: look, then roll back.
        with transaction.atomic():
            choose_survey(
                plan, request.workspace, {**options, "question_map": overrides}, create=False
            )
            transaction.set_rollback(True)
        return plan

    surveys = Survey.objects.filter(workspace=request.workspace).order_by("-created_at", "-id")
    try:
        plan = plan_for(run.mapping, run.options)
    except (PlanError, OSError) as error:
        return render(
            request, "imports/unreadable.html", {"run": run, "error": str(error)}, status=422
        )
    form = ResponsesForm(request.POST or None, plan=plan, surveys=surveys)
    if request.method == "POST" and form.is_valid():
        overrides, options = form.overrides(), form.options()
        try:
            plan = plan_for(overrides, options)
        except PlanError as error:
            form.add_error(None, str(error)[:1].upper() + str(error)[1:] + ".")
        else:
            start_run(run, overrides, options)
            messages.success(request, "Import started.")
            return redirect("imports:run", slug=request.workspace.slug, run_id=run.pk)
    samples = {id(source): _samples(plan, source) for source in plan.layout.sources}
    rows = [(field, source, samples[id(source)]) for field, source in form.source_rows()]
    counted = plan.layout.rows if plan.layout.rows < PREVIEW_SURVEY_ROWS else None
    return render(
        request,
        "imports/responses.html",
        {"run": run, "plan": plan, "form": form, "rows": rows, "counted": counted},
    )


def _samples(plan, source) -> str:
    if source.role != "question" and source.role in ("ip_address", "email", "name"):
        return "(not shown)"
    if source.spread:
        return ", ".join(source.labels[:4])
    values = list(plan.layout.stats[source.positions[0]].values)[:3]
    return " · ".join(v[:40] for v in values)


def _mapping_page(request, run):
    try:
        preview = preview_file(
            run.stored_path, run.kind, request.workspace, mapping=run.mapping, options=run.options
        )
    except (ImportFailed, OSError) as error:
        return render(
            request, "imports/unreadable.html", {"run": run, "error": str(error)}, status=422
        )
    form = MappingForm(request.POST or None, run=run, header=preview.header)
    if request.method == "POST" and form.is_valid():
        start_run(run, form.cleaned_data["mapping"], form.options())
        messages.success(request, "Import started.")
        return redirect("imports:run", slug=request.workspace.slug, run_id=run.pk)
    if request.method == "POST":
        # Show the preview with the mapping the person chose, not the one detected.
        chosen = {
            c: form.data.get(n)
            for n, c in zip(form.column_fields, preview.header, strict=True)
            if form.data.get(n)
        }
        preview = preview_file(
            run.stored_path, run.kind, request.workspace, mapping=chosen, options=run.options
        )
    return render(request, "imports/mapping.html", {"run": run, "preview": preview, "form": form})


@require_GET
@workspace_view(min_role=Role.STAFF)
def run_progress(request, run_id):
    run = _run(request, run_id)
    return render(request, "imports/_progress.html", {"run": run})


@require_GET
@workspace_view(min_role=Role.STAFF)
def run_errors(request, run_id):
    run = _run(request, run_id)
    if run.status == ImportStatus.PENDING:
        raise Http404("Not started")
    header = _file_header(run)
    writer = csv_line_writer()

    def rows():
        yield writer.writerow(["line", "field", "reason", "warning", *header])
        issues = ImportIssue.objects.filter(run=run).order_by("line", "id")
        for issue in issues.iterator(chunk_size=500):
            line = issue.line if issue.last_line is None else f"{issue.line}-{issue.last_line}"
            yield writer.writerow(
                [line, issue.field, issue.reason, "yes" if issue.is_warning else "", *issue.values]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-errors.csv"'
    return response


def _file_header(run) -> list[str]:
    from rapport.lib.tabular import TabularError, open_table

    if run.kind == "responses":
        from rapport.imports.surveys.reading import open_export

        if run.options.get("header"):
            # Kept on the run: an anonymous survey's upload is deleted when its run ends.
            return list(run.options["header"])
        try:
            return open_export(run.stored_path).names
        except (TabularError, OSError):
            return []
    try:
        with open_table(run.stored_path) as table:
            return table.header
    except (TabularError, OSError):
        return []
