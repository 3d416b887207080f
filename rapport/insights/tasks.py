from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.insights.actions import refresh_snapshots
from rapport.lib.queued_tasks import enqueue_unless_waiting
from rapport.workers.leases import held


@task()
def refresh_all() -> int:
    """The clock: queue one dashboards refresh per business, so several workers share them
    (queued by `rapport worker --clock`); returns how many were queued."""
    count = 0
    for workspace_id in Workspace.objects.order_by("id").values_list("pk", flat=True):
        count += enqueue_unless_waiting(refresh_workspace, workspace_id) is not None
    return count


@task()
def refresh_workspace(workspace_id: int) -> bool:
    """Bring one business's dashboards up to date; one worker at a time per business (another
    finding it busy raises ``Busy`` and is run again later)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return False
    with held(f"dashboards:{workspace_id}"):
        refresh_snapshots(workspace)
    return True
