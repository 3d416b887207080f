"""Member pages that hand out a survey's public link: its QR code as PNG and SVG."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.feedback import qr
from rapport.feedback.models import Survey


def _image(request, survey_id, kind: str, content_type: str, render) -> HttpResponse:
    survey = get_object_or_404(Survey, workspace=request.workspace, pk=survey_id)
    response = HttpResponse(render(survey), content_type=content_type)
    # ?download saves the file; otherwise the browser shows it (to print or copy).
    disposition = "attachment" if "download" in request.GET else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="survey-{survey.pk}-qr.{kind}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@workspace_view(Role.STAFF)
def qr_png(request, survey_id):
    return _image(request, survey_id, "png", "image/png", qr.qr_png)


@workspace_view(Role.STAFF)
def qr_svg(request, survey_id):
    return _image(request, survey_id, "svg", "image/svg+xml", qr.qr_svg)


routes = [
    path("surveys/<int:survey_id>/qr.png", qr_png, name="qr-png"),
    path("surveys/<int:survey_id>/qr.svg", qr_svg, name="qr-svg"),
]
