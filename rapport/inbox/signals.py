"""The inbox's receivers: a customer's message is filed in its conversation in the same
transaction that stores it; readings wake the automation; a member who leaves hands their
conversations on; a survey follow-up and its conversation keep in step."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from rapport.accounts.models import Membership
from rapport.feedback.choices import Author as FeedbackAuthor
from rapport.feedback.models import FollowUpMessage, Response
from rapport.inbox import surveys
from rapport.inbox.gather import attach
from rapport.lib.oncommit import on_commit_once
from rapport.lib.queued_tasks import enqueue_unless_waiting
from rapport.people.models import Interaction
from rapport.understanding.analyzed import analyzed


@receiver(post_save, sender=Interaction, dispatch_uid="inbox_attach_interaction")
def file_message(sender, instance: Interaction, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        attach(instance)


@receiver(analyzed, dispatch_uid="inbox_after_reading")
def after_reading(sender, workspace_id: int, **kwargs):
    def enqueue():
        from rapport.inbox.tasks import process_workspace

        process_workspace.enqueue(workspace_id)

    on_commit_once(("inbox", workspace_id), enqueue)


@receiver(post_save, sender=Membership, dispatch_uid="inbox_member_left")
def member_removed(sender, instance: Membership, raw: bool = False, **kwargs):
    if not raw and instance.removed_at is not None:
        from rapport.inbox.actions import member_left

        transaction.on_commit(lambda: member_left(instance))


# Survey follow-ups (inbox/surveys.py): a feedback item to act on has a conversation here, and
# the two keep the same status and owner.


@receiver(post_save, sender=Response, dispatch_uid="inbox_survey_response_saved")
def survey_response_saved(sender, instance: Response, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    if created:
        if not instance.actionable:
            return  # nothing to follow up (surveys.file_arrived files actionable ones only)
        # After the commit (the answers are written after the response row), by the worker:
        # the respondent does not wait for it. A failure to queue must not lose the answer:
        # the clock files it later.
        workspace_id = instance.workspace_id

        def enqueue():
            from rapport.inbox.tasks import file_survey_followups

            enqueue_unless_waiting(file_survey_followups, workspace_id)

        on_commit_once(("survey followups", workspace_id), enqueue, robust=True)
        return
    fields = kwargs.get("update_fields")
    if fields is None or {"status", "owner"} & set(fields):
        surveys.response_changed(instance)


@receiver(post_save, sender=FollowUpMessage, dispatch_uid="inbox_survey_message_saved")
def survey_message_saved(
    sender, instance: FollowUpMessage, created: bool, raw: bool = False, **kwargs
):
    if created and not raw:
        by_respondent = instance.author == FeedbackAuthor.RESPONDENT
        surveys.response_changed(instance.response, by_respondent=by_respondent)
