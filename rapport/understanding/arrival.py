"""Messages are analyzed in the background as they arrive.

Saving an interaction with text queues one ``analyze_workspace`` task for its workspace when
the transaction commits (several saves in one transaction queue it once): the receiver in
``understanding/signals.py`` calls ``queue_analysis``. Bulk writers that bypass ``save()`` —
imports and the demo — call ``queue_analysis`` themselves.
"""

from django.db import connection, transaction


def queue_analysis(workspace_id: int) -> None:
    """Queue analysis of ``workspace_id``'s pending messages once this transaction commits."""
    # Already queued in this transaction? (A rolled-back transaction drops its callbacks, so
    # looking at the connection's own list never leaves a stale mark behind.)
    for _, callback, _ in connection.run_on_commit:
        if getattr(callback, "workspace_id", None) == workspace_id:
            return

    def enqueue():
        from rapport.understanding.tasks import analyze_workspace

        analyze_workspace.enqueue(workspace_id)

    enqueue.workspace_id = workspace_id
    transaction.on_commit(enqueue)
