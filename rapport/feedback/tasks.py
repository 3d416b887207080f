from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.feedback.analysis import analyze_pending_responses


@task()
def analyze_responses(workspace_id: int) -> int:
    """Analyze every pending survey response of one workspace (runs in the background worker)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return analyze_pending_responses(workspace) if workspace else 0
