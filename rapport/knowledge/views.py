"""The knowledge base pages: parse, call an action, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.knowledge import actions
from rapport.knowledge.entries import kb_version
from rapport.knowledge.forms import EntryForm, ImportForm
from rapport.knowledge.history import THRESHOLDS
from rapport.knowledge.models import Entry
from rapport.knowledge.tasks import refresh_knowledge_reports
from rapport.lib.csvstream import csv_download_lines

PER_PAGE = 50


@workspace_view(Role.STAFF)
def entries_page(request):
    q = request.GET.get("q", "").strip()
    entries = Entry.objects.filter(workspace=request.workspace).select_related("updated_by__user")
    if q:
        entries = entries.filter(
            Q(key__icontains=q) | Q(questions__icontains=q) | Q(answer__icontains=q)
        )
    settings = actions.knowledge_settings(request.workspace)
    return render(
        request,
        "knowledge/entries.html",
        {
            "page": Paginator(entries, PER_PAGE).get_page(request.GET.get("page")),
            "q": q,
            "query": f"q={q}" if q else "",
            "settings": settings,
            "threshold": actions.effective_threshold(settings),
        },
    )


def _entry_form_page(request, form, entry=None):
    return render(request, "knowledge/edit.html", {"form": form, "entry": entry})


def _save(request, form, key=None):
    """Save the posted entry; on a problem, put it on the form's field and return None."""
    try:
        return actions.save_entry(
            request.workspace,
            request.membership,
            key=key,
            questions=form.cleaned_data["questions"],
            answer=form.cleaned_data["answer"],
            language=form.cleaned_data["language"],
            active=form.cleaned_data["active"],
        )
    except actions.EntryError as error:
        for field, reason in error.problems:
            form.add_error(field if field in form.fields else None, reason)
    return None


@workspace_view(Role.MANAGER)
def new_entry(request):
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid() and (entry := _save(request, form)):
            messages.success(request, f"Entry “{entry.key}” added.")
            return redirect("knowledge:entries", slug=request.workspace.slug)
        return _entry_form_page(request, form)
    return _entry_form_page(request, EntryForm(initial=_from_suggestion(request)))


def _from_suggestion(request) -> dict:
    """The form's first values from the stored suggestion ``?suggestion=N``, if any."""
    stored = actions.knowledge_settings(request.workspace).suggestions
    try:
        suggestion = stored[int(request.GET.get("suggestion", ""))]
    except (ValueError, IndexError, TypeError):
        return {"active": True}
    return {
        "questions": "\n".join(suggestion["questions"]),
        "answer": suggestion["answer"],
        "active": True,
    }


def _entry(request, key):
    try:
        return actions.get_entry(request.workspace, key)
    except actions.EntryNotFound:
        raise Http404("No such entry") from None


@workspace_view(Role.MANAGER)
def edit_entry(request, key):
    entry = _entry(request, key)
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid() and _save(request, form, key=entry.key):
            messages.success(request, f"Entry “{entry.key}” saved.")
            return redirect("knowledge:entries", slug=request.workspace.slug)
        return _entry_form_page(request, form, entry)
    initial = {
        "questions": entry.questions,
        "answer": entry.answer,
        "language": entry.language,
        "active": entry.active,
    }
    return _entry_form_page(request, EntryForm(initial=initial), entry)


@workspace_view(Role.MANAGER)
def delete_entry(request, key):
    entry = _entry(request, key)
    if request.method == "POST":
        actions.delete_entry(request.workspace, request.membership, entry.key)
        messages.success(request, f"Entry “{entry.key}” deleted.")
        return redirect("knowledge:entries", slug=request.workspace.slug)
    return render(request, "knowledge/delete.html", {"entry": entry})


@workspace_view(Role.MANAGER)
def import_page(request):
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.import_entries(
                request.workspace, form.cleaned_data["file"], request.membership
            )
        except actions.ImportFileError as error:
            form.add_error("file", f"This file cannot be read: {error}")
    return render(request, "knowledge/import.html", {"form": form, "result": result})


@workspace_view(Role.STAFF)
def export_csv(request):
    rows = actions.export_rows(request.workspace, request.membership)
    response = StreamingHttpResponse(
        csv_download_lines(next(rows), rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{request.workspace.slug}-knowledge-base.csv"'
    )
    return response


def _percent(share):
    return None if share is None else round(share * 100)


@workspace_view(Role.MANAGER)
def threshold_page(request):
    settings = actions.knowledge_settings(request.workspace)
    current = actions.effective_threshold(settings)
    rows = [
        {
            **row,
            "answered_pct": _percent(row["answered_share"]),
            "wrong_pct": _percent(row["wrong_estimate"]),
            "to_person_pct": _percent(row["to_person_share"]),
            "current": abs(row["threshold"] - current) < 1e-9,
        }
        for row in settings.report
    ]
    return render(
        request,
        "knowledge/threshold.html",
        {
            "settings": settings,
            "rows": rows,
            "current": current,
            "shipped": actions.shipped_threshold(),
            "choices": sorted({*THRESHOLDS, current}),
            "stale": settings.reports_at
            and settings.reports_version != kb_version(request.workspace),
            "enough": bool(rows) and rows[0]["enough"],
        },
    )


@require_POST
@workspace_view(Role.MANAGER)
def choose_threshold(request):
    raw = request.POST.get("threshold", "").strip()
    try:
        threshold = float(raw) if raw else None
        actions.update_settings(
            request.workspace,
            request.membership,
            threshold=threshold,
            auto_answer=request.POST.get("auto_answer") == "on",
        )
    except ValueError:
        messages.error(request, f"{raw!r} is not a number like 0.9.")
    except actions.EntryError as error:
        messages.error(request, f"Not saved: {error.problems[0][1]}.")
    else:
        messages.success(request, "Automatic answer settings saved.")
    return redirect("knowledge:threshold", slug=request.workspace.slug)


@require_POST
@workspace_view(Role.MANAGER)
def recompute(request):
    workspace_id = request.workspace.pk
    transaction.on_commit(lambda: refresh_knowledge_reports.enqueue(workspace_id))
    messages.success(
        request, "Rapport is reading your messages again. Reload this page in a minute."
    )
    back = "knowledge:suggestions" if request.POST.get("back") == "suggestions" else None
    return redirect(back or "knowledge:threshold", slug=request.workspace.slug)


@workspace_view(Role.STAFF)
def suggestions_page(request):
    settings = actions.knowledge_settings(request.workspace)
    return render(
        request,
        "knowledge/suggestions.html",
        {"settings": settings, "suggestions": list(enumerate(settings.suggestions))},
    )
