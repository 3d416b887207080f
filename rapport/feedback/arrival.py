"""Responses are analyzed in the background as they arrive.

Creating a response queues one ``analyze_responses`` task for its workspace when the
transaction commits (several responses in one transaction queue it once, and none is queued
while one waits to start: it will read this one too): the receiver in
``feedback/signals.py`` calls ``queue_response_analysis``. The answers are written after the
response row, in the same transaction, so the task reads them, never the signal. Bulk writers
that bypass ``save()`` (imports, the demo) call ``queue_response_analysis`` themselves.
"""

from rapport.lib.oncommit import on_commit_once
from rapport.lib.queued_tasks import enqueue_unless_waiting


def queue_response_analysis(workspace_id: int) -> None:
    """Queue analysis of ``workspace_id``'s pending responses once this transaction commits."""

    def enqueue():
        from rapport.feedback.tasks import analyze_responses

        enqueue_unless_waiting(analyze_responses, workspace_id)

    on_commit_once(("analyze responses", workspace_id), enqueue)
