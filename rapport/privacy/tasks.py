from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.privacy import actions


@task()
def apply_due() -> int:
    """The clock: each business's consent sweep and, once a day, its retention rules."""
    for workspace in Workspace.objects.order_by("pk"):
        actions.apply_due(workspace)
    return 0
