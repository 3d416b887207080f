"""Responses are analyzed in the background as they arrive.

Creating a response queues one ``analyze_responses`` task for its workspace when the
transaction commits (several responses in one transaction queue it once): the receiver in
``feedback/signals.py`` calls ``queue_response_analysis``. The answers are written after the
response row, in the same transaction, so the task reads them, never the signal. Bulk writers
that bypass ``save()`` (imports, the demo) call ``queue_response_analysis`` themselves.
"""

from django.db import connection, transaction


def queue_response_analysis(workspace_id: int) -> None:
    """Queue analysis of ``workspace_id``'s pending responses once this transaction commits."""
    # Already queued in this transaction? (A rolled-back transaction drops its callbacks, so
    # looking at the connection's own list never leaves a stale mark behind.)
    for _, callback, _ in connection.run_on_commit:
        if getattr(callback, "response_workspace_id", None) == workspace_id:
            return

    def enqueue():
        from rapport.feedback.tasks import analyze_responses

        analyze_responses.enqueue(workspace_id)

    enqueue.response_workspace_id = workspace_id
    transaction.on_commit(enqueue)
