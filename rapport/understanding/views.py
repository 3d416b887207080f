from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.scope import workspace_view
from rapport.engine.text.emotions import EMOTIONS, GROUP_NAMES
from rapport.lib.csvstream import csv_download_lines
from rapport.people.choices import Direction
from rapport.people.models import Interaction
from rapport.understanding import actions
from rapport.understanding.models import InteractionReading, LabelField, Theme


def highlight(text: str, spans: list[dict]) -> list[tuple[str, str]]:
    """``text`` cut into (piece, pii kind or "") so a template can mark the PII it found."""
    pieces, at = [], 0
    for span in sorted(spans, key=lambda s: s["start"]):
        start, end = max(span["start"], at), min(span["end"], len(text))
        if start >= end:
            continue
        if start > at:
            pieces.append((text[at:start], ""))
        pieces.append((text[start:end], span["kind"]))
        at = end
    if at < len(text):
        pieces.append((text[at:], ""))
    return pieces


def conversation_trend(interaction):
    """How the other side's messages in this conversation felt, message by message."""
    from rapport.engine.text.trajectory import conversation_trajectory

    scores = list(
        InteractionReading.objects.filter(
            interaction__workspace_id=interaction.workspace_id,
            interaction__person_id=interaction.person_id,
            interaction__thread_key=interaction.thread_key,
            interaction__direction=Direction.INBOUND,
            sentiment_score__isnull=False,
        )
        .order_by("interaction__occurred_at", "interaction_id")
        .values_list("sentiment_score", flat=True)
    )
    return conversation_trajectory(scores) if len(scores) > 1 else None


@workspace_view()
def message(request, interaction_id):
    interaction = get_object_or_404(
        Interaction.objects.select_related("person", "handled_by__user", "handled_by_automation"),
        workspace=request.workspace,
        pk=interaction_id,
    )
    reading = InteractionReading.objects.filter(interaction=interaction).first()
    context = {"i": interaction, "reading": reading}
    if reading:
        source = interaction.text if reading.source_field == "text" else interaction.subject
        context.update(
            pieces=highlight(source, reading.pii),
            groups=sorted(
                ((GROUP_NAMES[g], p) for g, p in reading.emotion_groups.items()),
                key=lambda item: -item[1],
            ),
            detected=[GROUP_NAMES[g] for g in reading.detected_groups],
            stale=reading.model_version != actions.current_version(),
            themes=list(Theme.objects.filter(workspace=request.workspace, key__in=reading.themes)),
        )
    if interaction.thread_key:
        context["conversation"] = conversation_trend(interaction)
    context["corrections"] = list(interaction.corrections.select_related("by__user"))
    context["fields"] = [
        (LabelField.SENTIMENT, LabelField.SENTIMENT.label, actions.SENTIMENT_CHOICES),
        (LabelField.NEEDS_HUMAN, LabelField.NEEDS_HUMAN.label, actions.NEEDS_HUMAN_CHOICES),
        (LabelField.EMOTION, LabelField.EMOTION.label, EMOTIONS),
    ]
    return render(request, "understanding/message.html", context)


@require_POST
@workspace_view(min_role=Role.STAFF)
def correct(request, interaction_id):
    interaction = get_object_or_404(Interaction, workspace=request.workspace, pk=interaction_id)
    try:
        actions.record_correction(
            request.membership,
            interaction,
            request.POST.get("field", ""),
            request.POST.get("value", ""),
            request.POST.get("note", ""),
        )
    except actions.CorrectionError as error:
        messages.error(request, f"Not saved: {error}.")
    else:
        messages.success(request, "Thank you: your verdict is kept and counts in the evaluation.")
    return redirect(
        "understanding:message", slug=request.workspace.slug, interaction_id=interaction.pk
    )


@workspace_view()
def overview(request):
    workspace = request.workspace
    version = actions.current_version()
    readings = InteractionReading.objects.filter(workspace=workspace)
    corrections = actions.latest_corrections(workspace)
    return render(
        request,
        "understanding/overview.html",
        {
            "version": version,
            "read": readings.count(),
            "pending": actions.pending(workspace, version).count(),
            "corrections": corrections[:50],
            "agreement": actions.agreement(corrections),
            "themes": list(Theme.objects.filter(workspace=workspace, vanished_at__isnull=True)),
        },
    )


@workspace_view(min_role=Role.MANAGER)
def export_corrections(request):
    """Members' verdicts as training data: the redacted text and the label they chose."""
    workspace = request.workspace
    record_audit(
        workspace,
        AuditAction.EXPORT,
        actor=request.user,
        object_type="correction",
        object_repr="label corrections export (redacted texts)",
    )
    corrections = actions.latest_corrections(workspace)
    readings = {
        r.interaction_id: r
        for r in InteractionReading.objects.filter(
            interaction__in=[c.interaction_id for c in corrections]
        ).only("interaction_id", "redacted", "language")
    }

    header = ["message_id", "text_redacted", "language", "label", "value", "model_value"]
    header += ["model_version", "corrected_at"]

    def rows():
        for c in corrections:
            reading = readings.get(c.interaction_id)
            yield [
                c.interaction_id,
                reading.redacted if reading else "",
                reading.language if reading else "",
                c.field,
                c.value,
                c.model_value,
                c.model_version,
                c.created_at.isoformat(),
            ]

    response = StreamingHttpResponse(
        csv_download_lines(header, rows()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="label-corrections.csv"'
    return response
