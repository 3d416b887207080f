from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.understanding.actions import analyse_pending


@task()
def analyse_workspace(workspace_id: int) -> int:
    """Read every pending message of one workspace (runs in the background worker)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return analyse_pending(workspace) if workspace else 0
