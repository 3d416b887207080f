from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.insights.actions import refresh_snapshots


@task()
def refresh_all() -> int:
    """Refresh the dashboards of every business (queued by `rapport serve`'s clock)."""
    count = 0
    for workspace in Workspace.objects.order_by("id"):
        refresh_snapshots(workspace)
        count += 1
    return count
