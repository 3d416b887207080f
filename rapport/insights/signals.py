"""Writes that change what the dashboards show mark the snapshots stale from the day they
concern (``actions.mark_dirty``); the background refresh then recomputes from there. Bulk
writes (imports, the demo) send no signals and call ``mark_dirty`` themselves."""

import datetime

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rapport.accounts.models import Workspace
from rapport.insights.actions import mark_dirty
from rapport.insights.sources import DAY_FIELDS

# Each model, and the field holding the day a row of it counts on.
DAY_OF = dict(DAY_FIELDS)


def mark_stale(sender, instance, **kwargs):
    if kwargs.get("raw") or isinstance(kwargs.get("origin"), Workspace):
        # A whole business being deleted: its snapshots go with it, nothing to mark.
        return
    day = getattr(instance, DAY_OF[sender])
    if hasattr(day, "astimezone"):
        # Its UTC day, less one: the business's local day may be the one before.
        day = day.date() - datetime.timedelta(days=1)
    mark_dirty(instance.workspace_id, day)


# One receiver for every model that carries a day (sources.DAY_FIELDS), on save and on delete.
for model in DAY_OF:
    receiver([post_save, post_delete], sender=model, dispatch_uid=f"insights-{model.__name__}")(
        mark_stale
    )
