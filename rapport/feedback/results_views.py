"""Survey results: the page (viewers and up) and the aggregated CSV (managers and up)."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.http import urlencode

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.scope import workspace_view
from rapport.feedback.models import Survey
from rapport.feedback.reporting import BREAKDOWNS, CSV_HEADER, csv_rows, survey_results
from rapport.lib.csvstream import csv_download_lines


def _survey(request, survey_id) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("workspace"), workspace=request.workspace, pk=survey_id
    )


@workspace_view()
def results(request, survey_id):
    survey = _survey(request, survey_id)
    report = survey_results(survey, request.GET)
    return render(
        request,
        "feedback/results.html",
        {
            "survey": survey,
            "r": report,
            "breakdowns": BREAKDOWNS,
            "csv_query": urlencode(report.filters.query()),
        },
    )


@workspace_view(Role.MANAGER)
def results_csv(request, survey_id):
    survey = _survey(request, survey_id)
    report = survey_results(survey, request.GET)
    record_audit(
        request.workspace,
        AuditAction.EXPORT,
        survey,
        actor=request.user,
        object_repr=f"results of “{survey.title}” (aggregated, {report.described})"[:200],
        changes={"filters": [None, report.filters.query()]},
    )
    response = StreamingHttpResponse(
        csv_download_lines(CSV_HEADER, csv_rows(report)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    return response


routes = [
    path("surveys/<int:survey_id>/results/", results, name="results"),
    path("surveys/<int:survey_id>/results.csv", results_csv, name="results-csv"),
]
