from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.knowledge.history import refresh_reports


@task()
def refresh_knowledge_reports(workspace_id: int) -> bool:
    """Recompute a business's threshold view and suggested entries (background worker)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is not None:
        refresh_reports(workspace)
    return workspace is not None
