"""The feedback app's signal receivers, connected by importing this module in
``FeedbackConfig.ready()``."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rapport.accounts.models import Workspace
from rapport.feedback import shown_pages
from rapport.feedback.arrival import queue_response_analysis
from rapport.feedback.models import Question, Response, Survey


@receiver(post_save, sender=Response, dispatch_uid="analyze-response-on-arrival")
def analyze_response_on_arrival(sender, instance: Response, created: bool, raw=False, **kwargs):
    if raw or not created:
        return
    if not getattr(instance, "has_free_text", True):
        return  # nothing to read (analysis.pending_responses: responses with free text)
    queue_response_analysis(instance.workspace_id)


# What the public survey page shows (shown_pages.py): its survey, questions and business name.
for model in (Survey, Question, Workspace):
    for signal in (post_save, post_delete):
        signal.connect(
            shown_pages.forget, sender=model, dispatch_uid=f"shown-pages-{model.__name__}"
        )
