"""The signal apps listen to when they act on what was read (the inbox does)."""

from django.dispatch import Signal

# Sent (with ``workspace_id``) after each batch of readings is stored, inside its transaction.
analyzed = Signal()
