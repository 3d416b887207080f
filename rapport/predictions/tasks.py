from django_tasks import task

from rapport.accounts.models import Workspace
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
