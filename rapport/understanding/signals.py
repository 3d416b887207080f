"""The understanding app's signal receivers, connected by importing this module in
``UnderstandingConfig.ready()``."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from rapport.people.models import Interaction
from rapport.understanding.arrival import queue_analysis


@receiver(post_save, sender=Interaction, dispatch_uid="analyze-interaction-on-arrival")
def analyze_interaction_on_arrival(sender, instance: Interaction, raw=False, **kwargs):
    if raw or not (instance.text or instance.subject):
        return
    queue_analysis(instance.workspace_id)
