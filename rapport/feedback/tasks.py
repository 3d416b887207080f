from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.feedback.reading import analyse_pending_responses


@task()
def read_responses(workspace_id: int) -> int:
    """Read every pending survey response of one workspace (runs in the background worker)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return analyse_pending_responses(workspace) if workspace else 0
