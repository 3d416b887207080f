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
    resume_run,
    start_run,
    store_upload,
)
from rapport.imports.choices import ImportStatus
from rapport.imports.forms import UploadForm
from rapport.imports.kinds import KINDS, get_kind
from rapport.imports.models import ImportIssue, ImportRun
from rapport.lib.csvstream import csv_download_lines

ISSUES_SHOWN = 200


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
        kinds=KINDS,
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
    return _mapping_page(request, run)


def _mapping_page(request, run):
    """A pending run: what the kind makes of the file, the form to confirm it, then start."""
    kind = get_kind(run.kind)
    try:
        preview = kind.preview(
            run.stored_path, request.workspace, mapping=run.mapping, options=run.options
        )
    except (ImportFailed, OSError) as error:
        return render(
            request, "imports/unreadable.html", {"run": run, "error": str(error)}, status=422
        )
    form = kind.mapping_form(
        request.POST or None, run=run, preview=preview, workspace=request.workspace
    )
    if request.method == "POST" and form.is_valid():
        start_run(run, form.mapping(), form.options())
        messages.success(request, "Import started.")
        return redirect("imports:run", slug=request.workspace.slug, run_id=run.pk)
    if request.method == "POST":
        preview = kind.preview_of_choice(run, form, preview, request.workspace)
    return render(request, kind.template, kind.page_context(run, preview, form))


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
    header = get_kind(run.kind).file_header(run)

    def rows():
        issues = ImportIssue.objects.filter(run=run).order_by("line", "id")
        for issue in issues.iterator(chunk_size=500):
            line = issue.line if issue.last_line is None else f"{issue.line}-{issue.last_line}"
            yield [
                line,
                issue.field,
                issue.reason,
                "yes" if issue.is_warning else "",
                *issue.values,
            ]

    response = StreamingHttpResponse(
        csv_download_lines(["line", "field", "reason", "warning", *header], rows()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-errors.csv"'
    return response
