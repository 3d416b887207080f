"""The webhook receiver (no login: the signature is the credential) and the managers' intake
settings page (mailboxes read, webhook endpoints made and revoked)."""

import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.feedback.models import Survey
from rapport.intake import webhooks
from rapport.intake.actions import create_webhook, revoke_webhook
from rapport.intake.choices import WebhookKind
from rapport.intake.models import Mailbox, WebhookEndpoint


def _refusal(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


@csrf_exempt
@require_POST
def receive_webhook(request, endpoint_id):
    endpoint = (
        WebhookEndpoint.objects.select_related("workspace", "survey__workspace")
        .filter(pk=endpoint_id)
        .first()
    )
    if endpoint is None:
        return _refusal(404, "no such webhook")
    if not endpoint.active:
        return _refusal(410, "this webhook was revoked")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > webhooks.MAX_BODY_BYTES:
        return _refusal(413, f"the body is larger than {webhooks.MAX_BODY_BYTES // 1024:,} KB")
    try:
        body = request.body
    except RequestDataTooBig:
        return _refusal(413, f"the body is larger than {webhooks.MAX_BODY_BYTES // 1024:,} KB")
    try:
        webhooks.verify(
            endpoint.secret,
            request.headers.get(webhooks.TIMESTAMP_HEADER),
            request.headers.get(webhooks.SIGNATURE_HEADER),
            body,
        )
        items = webhooks.parse_items(body)
    except webhooks.Refused as refused:
        return _refusal(refused.status, refused.reason)
    delivery = webhooks.receive(endpoint, items)
    return JsonResponse(delivery.body, status=delivery.status)


def _page(request, *, created=None, form_errors=None, status=200):
    workspace = request.workspace
    return render(
        request,
        "intake/intake.html",
        {
            "mailboxes": Mailbox.objects.filter(workspace=workspace),
            "endpoints": WebhookEndpoint.objects.filter(workspace=workspace).select_related(
                "survey", "created_by__user"
            ),
            "surveys": Survey.objects.filter(workspace=workspace).order_by("title"),
            "kinds": WebhookKind.choices,
            "created": created,
            "public_url": settings.RAPPORT_PUBLIC_URL,
            "form_errors": form_errors or [],
            "form": request.POST if form_errors else {},
        },
        status=status,
    )


@workspace_view(min_role=Role.MANAGER)
def intake_settings(request):
    if request.method != "POST":
        return _page(request)
    action = request.POST.get("action")
    if action == "revoke":
        endpoint = get_object_or_404(
            WebhookEndpoint, workspace=request.workspace, pk=_uuid(request.POST.get("endpoint"))
        )
        revoke_webhook(endpoint, actor=request.user)
        return redirect("intake:intake", slug=request.workspace.slug)
    if action != "add":
        return _page(request, form_errors=["Choose what to do."], status=400)
    kind = request.POST.get("kind", "")
    survey = None
    if kind == WebhookKind.RESPONSES:
        survey = Survey.objects.filter(
            workspace=request.workspace, pk=_int(request.POST.get("survey"))
        ).first()
    try:
        endpoint = create_webhook(
            request.workspace,
            name=request.POST.get("name", ""),
            kind=kind,
            survey=survey,
            created_by=request.membership,
        )
    except ValueError as error:
        return _page(request, form_errors=[str(error)], status=400)
    # The secret is shown on this page only: a reload or redirect would lose it by design.
    return _page(request, created=endpoint)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
