from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.inbox import automation, clocks, delivery, gather, surveys, widget


@task()
def process_workspace(workspace_id: int) -> int:
    """Triage, answer or hand off what was read (runs in the background worker)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return automation.process(workspace) if workspace else 0


@task()
def file_survey_followups(workspace_id: int) -> int:
    """File the survey feedback to follow up that arrived since the last run (queued when an
    answer is stored; several answers share a run, and a run with nothing new does nothing)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return surveys.file_arrived(workspace) if workspace else 0


@task()
def tick() -> dict:
    """The clock: file missed messages and survey feedback to follow up, process what waits,
    SLA warnings and alerts, retry e-mails the server refused, e-mail widget replies a visitor
    with an address did not fetch."""
    totals: dict[str, int] = {}
    for workspace in Workspace.objects.all():
        counts = {
            "filed": gather.gather(workspace),
            "survey_followups": surveys.sync_survey_followups(workspace),
            "processed": automation.process(workspace),
            **clocks.tick(workspace),
            "resent": delivery.retry_failed(workspace.pk),
            "emailed": widget.email_unfetched(workspace.pk),
        }
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n
    return totals
