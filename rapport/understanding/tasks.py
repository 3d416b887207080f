from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.understanding.actions import analyze_pending


@task()
def analyze_workspace(workspace_id: int) -> int:
    """Analyze every pending message of one workspace (runs in the background worker)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return analyze_pending(workspace) if workspace else 0
