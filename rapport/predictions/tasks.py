from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.lib.oncommit import on_commit_once
from rapport.predictions import actions


@task()
def refresh_workspace(workspace_id: int) -> int:
    """Refresh one business's predictions now (queued after an import)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return len(actions.refresh(workspace)) if workspace else 0


@task()
def refresh_due() -> int:
    """The clock: each business's predictions, nightly and after its data changed."""
    return sum(actions.refresh_due(w) for w in Workspace.objects.order_by("pk"))


def queue_refresh(workspace_id: int) -> None:
    """Refresh ``workspace_id``'s predictions in the background once this transaction
    commits (after an import: the clock would pick the change up too, within minutes)."""
    on_commit_once(("predict", workspace_id), lambda: refresh_workspace.enqueue(workspace_id))
