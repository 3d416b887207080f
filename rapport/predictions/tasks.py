from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.lib.oncommit import on_commit_once
from rapport.lib.queued_tasks import enqueue_unless_waiting
from rapport.predictions import actions
from rapport.workers.leases import held


@task()
def refresh_workspace(workspace_id: int) -> int:
    """Refresh one business's predictions now (queued after an import); one worker at a time
    per business, so two refreshes never both mark their runs current."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    with held(f"predictions:{workspace_id}"):
        return len(actions.refresh(workspace))


@task()
def refresh_if_due(workspace_id: int) -> bool:
    """Refresh one business's predictions if they are due (nightly, or its data changed)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return False
    with held(f"predictions:{workspace_id}"):
        return actions.refresh_due(workspace)


@task()
def refresh_due() -> int:
    """The clock: queue one check per business, so several workers share the refreshes;
    returns how many were queued."""
    ids = Workspace.objects.order_by("pk").values_list("pk", flat=True)
    return sum(enqueue_unless_waiting(refresh_if_due, pk) is not None for pk in ids)


def queue_refresh(workspace_id: int) -> None:
    """Refresh ``workspace_id``'s predictions in the background once this transaction
    commits (after an import: the clock would pick the change up too, within minutes)."""
    on_commit_once(("predict", workspace_id), lambda: refresh_workspace.enqueue(workspace_id))
