import datetime as dt

from django.utils import timezone
from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.lib.queued_tasks import enqueue_unless_waiting
from rapport.understanding import sharing


@task()
def analyze_workspace(workspace_id: int) -> int:
    """Analyze every pending message of one workspace (runs in the background worker); a big
    backlog is split into one ``analyze_block`` task per block of ids, for several workers."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0

    def queue_block(block: int, after: float) -> None:
        later = timezone.now() + dt.timedelta(seconds=after) if after else None
        enqueue_unless_waiting(analyze_block, workspace_id, block, run_after=later)

    return sharing.read_or_split(workspace, queue_block)


@task()
def analyze_block(workspace_id: int, block: int) -> int:
    """Analyze the pending messages of one block of ids of a workspace. Raises ``Busy`` while
    another worker reads that block: the worker runs it again a little later."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return sharing.read_block(workspace, block) if workspace else 0


@task()
def find_themes(workspace_id: int) -> int:
    """Find what a workspace's people write about (``rapport themes``, in the background):
    the sentence encoder takes minutes over thousands of messages."""
    from rapport.understanding.actions import discover_workspace_themes
    from rapport.understanding.models import Theme

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    discover_workspace_themes(workspace)
    return Theme.objects.filter(workspace=workspace, vanished_at__isnull=True).count()
