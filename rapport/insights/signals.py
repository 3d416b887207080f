"""Writes that change what the dashboards show mark the snapshots stale from the day they
concern (``actions.mark_dirty``); the background refresh then recomputes from there. Bulk
writes (imports, the demo) send no signals and call ``mark_dirty`` themselves."""

import datetime

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rapport.feedback.models import Response
from rapport.insights.actions import mark_dirty
from rapport.people.models import (
    CommunityEvent,
    Delivery,
    EmploymentEvent,
    Interaction,
    Purchase,
)

# Each model, and the day a row of it counts on.
DAY_OF = {
    Interaction: lambda row: row.occurred_at,
    Purchase: lambda row: row.purchased_on,
    Response: lambda row: row.submitted_on,
    Delivery: lambda row: row.promised_on,
    EmploymentEvent: lambda row: row.date,
    CommunityEvent: lambda row: row.date,
}


# One receiver for every model of DAY_OF, on save and on delete (tests/test_signals.py checks
# that the two lists agree).
@receiver([post_save, post_delete], sender=Interaction, dispatch_uid="insights-Interaction")
@receiver([post_save, post_delete], sender=Purchase, dispatch_uid="insights-Purchase")
@receiver([post_save, post_delete], sender=Response, dispatch_uid="insights-Response")
@receiver([post_save, post_delete], sender=Delivery, dispatch_uid="insights-Delivery")
@receiver([post_save, post_delete], sender=EmploymentEvent, dispatch_uid="insights-EmploymentEvent")
@receiver([post_save, post_delete], sender=CommunityEvent, dispatch_uid="insights-CommunityEvent")
def mark_stale(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    day = DAY_OF[sender](instance)
    if hasattr(day, "astimezone"):
        # Its UTC day, less one: the business's local day may be the one before.
        day = day.date() - datetime.timedelta(days=1)
    mark_dirty(instance.workspace_id, day)
