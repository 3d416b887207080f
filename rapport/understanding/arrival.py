"""Messages are read in the background as they arrive.

Saving an interaction with text queues one ``analyse_workspace`` task for its workspace when
the transaction commits (several saves in one transaction queue it once). Bulk writers that
bypass ``save()`` — imports and the demo — call ``queue_analysis`` themselves.
"""

from django.db import connection, transaction
from django.db.models.signals import post_save

from rapport.people.models import Interaction


def queue_analysis(workspace_id: int) -> None:
    """Queue reading of ``workspace_id``'s pending messages once this transaction commits."""
    # Already queued in this transaction? (A rolled-back transaction drops its callbacks, so
    # looking at the connection's own list never leaves a stale mark behind.)
    for _, callback, _ in connection.run_on_commit:
        if getattr(callback, "workspace_id", None) == workspace_id:
            return

    def enqueue():
        from rapport.understanding.tasks import analyse_workspace

        analyse_workspace.enqueue(workspace_id)

    enqueue.workspace_id = workspace_id
    transaction.on_commit(enqueue)


def _on_interaction_saved(sender, instance: Interaction, created: bool, raw=False, **kwargs):
    if raw or not (instance.text or instance.subject):
        return
    queue_analysis(instance.workspace_id)


def connect() -> None:
    post_save.connect(_on_interaction_saved, sender=Interaction, dispatch_uid="read-on-arrival")
