"""The inbox's receivers: a customer's message is filed in its conversation in the same
transaction that stores it; readings wake the automation; a member who leaves hands their
conversations on."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from rapport.accounts.models import Membership
from rapport.inbox.gather import attach
from rapport.lib.oncommit import on_commit_once
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
