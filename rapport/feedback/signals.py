"""The feedback app's signal receivers, connected by importing this module in
``FeedbackConfig.ready()``."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from rapport.feedback.arrival import queue_response_analysis
from rapport.feedback.models import Response


@receiver(post_save, sender=Response, dispatch_uid="analyze-response-on-arrival")
def analyze_response_on_arrival(sender, instance: Response, created: bool, raw=False, **kwargs):
    if raw or not created:
        return
    queue_response_analysis(instance.workspace_id)
