import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.imports.actions import ImportFailed, create_run, preview_file, start_run, store_upload
from rapport.imports.choices import ImportStatus
from rapport.imports.forms import MappingForm, UploadForm
from rapport.imports.models import ImportIssue, ImportRun

ISSUES_SHOWN = 200


def _run(request, run_id) -> ImportRun:
    return get_object_or_404(
        ImportRun.objects.select_related("started_by__user"), workspace=request.workspace, pk=run_id
    )


@workspace_view(min_role=Role.STAFF)
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        path = None
        try:
            path = store_upload(request.workspace, uploaded)
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
            return redirect("imports:run", slug=request.workspace.slug, run_id=run.pk)
        issues = list(run.issues.all()[:ISSUES_SHOWN])
        return render(
            request,
            "imports/run.html",
            {"run": run, "issues": issues, "issues_shown": ISSUES_SHOWN},
        )
    return _mapping_page(request, run)


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


class _Echo:
    def write(self, value):
        return value


@require_GET
@workspace_view(min_role=Role.STAFF)
def run_errors(request, run_id):
    run = _run(request, run_id)
    if run.status == ImportStatus.PENDING:
        raise Http404("Not started")
    header = _file_header(run)
    writer = csv.writer(_Echo())

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

    try:
        with open_table(run.stored_path) as table:
            return table.header
    except (TabularError, OSError):
        return []
