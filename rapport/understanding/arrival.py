"""Messages are analyzed in the background as they arrive.

Saving an interaction with text queues one ``analyze_workspace`` task for its workspace when
the transaction commits (several saves in one transaction queue it once): the receiver in
``understanding/signals.py`` calls ``queue_analysis``. Bulk writers that bypass ``save()`` —
imports and the demo — call ``queue_analysis`` themselves.
"""

from rapport.lib.oncommit import on_commit_once


def queue_analysis(workspace_id: int) -> None:
    """Queue analysis of ``workspace_id``'s pending messages once this transaction commits."""

    def enqueue():
        from rapport.understanding.tasks import analyze_workspace

        analyze_workspace.enqueue(workspace_id)

    on_commit_once(("analyze", workspace_id), enqueue)
