"""Where messages come in from: mailboxes polled over IMAP, signed webhooks, and the links
that tie e-mails into conversations.

A ``Mailbox`` remembers the last UID it read under the folder's UIDVALIDITY, so each poll
fetches only what is new. A ``WebhookEndpoint`` holds the secret that signs what a partner
system sends; the secret is shown once, when the endpoint is made. ``ThreadLink`` maps every
Message-ID seen (or referred to) to the thread key of its conversation, so that replies that
arrive before their parent, or in another file, still join the same thread.

Mailbox passwords and webhook secrets must be usable (to log in, to check a signature), so
they are stored as given: protect the database as you protect the mailbox itself.
"""

import secrets
import uuid

from django.db import models
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.feedback.models import Survey
from rapport.intake.choices import WebhookKind
from rapport.people.choices import Group


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Mailbox(models.Model):
    """An IMAP folder read for new mail every few minutes."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="mailboxes")
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    # True: TLS from the first byte (port 993). False: plain, upgraded with STARTTLS when the
    # server offers it.
    ssl = models.BooleanField(default=True)
    username = models.CharField(max_length=255)
    password = models.CharField(max_length=255)
    folder = models.CharField(max_length=255, default="INBOX")
    # The business's own addresses besides its members' ("hello@bakery.example", "@bakery.example").
    own_addresses = models.JSONField(default=list, blank=True)
    # The group of people created for senders nobody knows yet.
    group = models.CharField(max_length=10, choices=Group.choices, default=Group.CUSTOMER)
    # The folder's UIDVALIDITY when last_uid was read; a new value means every UID changed.
    uid_validity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["host", "username", "folder"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "host", "username", "folder"], name="unique_mailbox"
            )
        ]

    def __str__(self):
        return f"{self.username}@{self.host}/{self.folder}"


class WebhookEndpoint(models.Model):
    """A URL (/hooks/<id>/) where another system posts signed items for one workspace."""

    # Random, so that endpoint addresses cannot be counted or guessed.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=WebhookKind.choices)
    # For kind "responses": the survey the answers are for.
    survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks"
    )
    secret = models.CharField(max_length=100, default=new_webhook_secret)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "name"]

    def __str__(self):
        return self.name

    @property
    def path(self) -> str:
        return f"/hooks/{self.pk}/"


class ThreadLink(models.Model):
    """One Message-ID (as a hash) and the thread key of the conversation it belongs to."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    message_hash = models.CharField(max_length=64)
    thread_key = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "message_hash"], name="unique_thread_link")
        ]
        indexes = [models.Index(fields=["workspace", "thread_key"])]

    def __str__(self):
        return f"{self.message_hash[:12]} → {self.thread_key}"
