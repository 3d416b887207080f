"""Responses are read in the background as they arrive.

Creating a response queues one ``read_responses`` task for its workspace when the transaction
commits (several responses in one transaction queue it once). The answers are written after
the response row, in the same transaction, so the task reads them, never this signal. Bulk
writers that bypass ``save()`` (imports, the demo) call ``queue_reading`` themselves.
"""

from django.db import connection, transaction
from django.db.models.signals import post_save

from rapport.feedback.models import Response


def queue_reading(workspace_id: int) -> None:
    """Queue reading of ``workspace_id``'s pending responses once this transaction commits."""
    # Already queued in this transaction? (A rolled-back transaction drops its callbacks, so
    # looking at the connection's own list never leaves a stale mark behind.)
    for _, callback, _ in connection.run_on_commit:
        if getattr(callback, "response_workspace_id", None) == workspace_id:
            return

    def enqueue():
        from rapport.feedback.tasks import read_responses

        read_responses.enqueue(workspace_id)

    enqueue.response_workspace_id = workspace_id
    transaction.on_commit(enqueue)


def _on_response_saved(sender, instance: Response, created: bool, raw=False, **kwargs):
    if raw or not created:
        return
    queue_reading(instance.workspace_id)


def connect() -> None:
    post_save.connect(_on_response_saved, sender=Response, dispatch_uid="read-response-on-arrival")
