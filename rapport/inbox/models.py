"""One inbox of conversations.

A :class:`Conversation` groups the messages of one exchange with one person (an e-mail thread,
a chat in the widget, a message from the API, a survey comment that needs a follow-up) and
stores where it stands in ``rapport.engine.handoff``'s state machine, its triage and its
service-level clocks. Its :class:`Message` rows are the exchange in order; a message from or
to a known person is also an ``Interaction`` on their timeline (``Message.interaction``),
and its text lives there, once. :class:`ConversationEvent` is the log: handoffs, assignments,
warnings, escalations.

:class:`InboxSettings` holds a business's opening hours, holidays and SLA policy;
:class:`Duty` a member's availability and capacity; :class:`EscalationRule` the owner's own
routing rules (``rapport.engine.triage.EscalationRule`` as stored).
"""

import secrets

from django.db import models
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.feedback.models import Response
from rapport.inbox.choices import Author, Delivery, EventKind, Priority, Source, Status
from rapport.people.models import Interaction, Person

DEFAULT_HOURS = {str(day): [["09:00", "17:00"]] for day in range(5)}
# Business minutes per priority: first reply, next reply, resolution.
DEFAULT_SLA = {
    "urgent": {"first": 60, "next": 120, "resolve": 480},
    "high": {"first": 240, "next": 480, "resolve": 1440},
    "normal": {"first": 480, "next": 960, "resolve": 2880},
    "low": {"first": 1440, "next": 2880, "resolve": 4800},
}


def _default_hours():
    return {day: [list(span) for span in spans] for day, spans in DEFAULT_HOURS.items()}


def _default_sla():
    return {level: dict(clocks) for level, clocks in DEFAULT_SLA.items()}


def _widget_key():
    return secrets.token_urlsafe(16)


class InboxSettings(models.Model):
    """A business's choices for its inbox."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="inbox_settings"
    )
    # {"0": [["09:00", "17:00"]], ...}: weekday (0 = Monday) → opening spans, wall clock in
    # the workspace's zone. A missing day is closed.
    hours = models.JSONField(default=_default_hours)
    holidays = models.JSONField(default=list, blank=True)  # ISO dates
    sla = models.JSONField(default=_default_sla)
    warn_before_minutes = models.PositiveIntegerField(default=30)
    unassigned_alert_minutes = models.PositiveIntegerField(
        default=60,
        help_text="Alert when a conversation has waited this many business minutes for a person.",
    )
    reply_from = models.EmailField(blank=True, help_text="The address replies are sent from.")
    widget_enabled = models.BooleanField(default=False)
    widget_key = models.CharField(max_length=40, unique=True, default=_widget_key)
    widget_title = models.CharField(max_length=80, default="Questions? Write to us.")
    # Sites allowed to embed the widget, one origin per line (https://example.com).
    widget_origins = models.TextField(blank=True)

    def __str__(self):
        return f"Inbox settings of {self.workspace}"


class Duty(models.Model):
    """Whether a member takes conversations now, how many at once, and who covers for them
    while they are away."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="duty")
    on_duty = models.BooleanField(default=True)
    capacity = models.PositiveSmallIntegerField(
        default=15, help_text="Open conversations at once; 0 means no limit."
    )
    away_until = models.DateField(null=True, blank=True)
    covered_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Round-robin: who got a conversation least recently gets the next one.
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Duty of {self.membership}"


class EscalationRule(models.Model):
    """The owner's own rule: these reasons (and relationship) → this priority, this person,
    this soon."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="escalation_rules"
    )
    name = models.CharField(max_length=120)
    all_of = models.JSONField(default=list, blank=True)  # reason codes, all required
    any_of = models.JSONField(default=list, blank=True)  # reason codes, one required
    groups = models.JSONField(default=list, blank=True)  # person groups; empty: any
    key_account = models.BooleanField(default=False)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.HIGH)
    # "owner", "relationship_owner", or a membership id as text.
    route_to = models.CharField(max_length=40, default="owner")
    within_minutes = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Conversation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="conversations")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="conversations"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    channel = models.CharField(max_length=10)  # people.choices.Channel
    # Messages with the same key belong here: an e-mail thread key, "widget:<id>", ...
    thread_key = models.CharField(max_length=100)
    subject = models.CharField(max_length=200, blank=True)
    # A survey comment that needs a follow-up: the response it is about (deleted with it).
    response = models.OneToOneField(
        Response,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_conversation",
    )
    # Someone who wrote in the widget without being known yet.
    visitor_name = models.CharField(max_length=120, blank=True)
    visitor_email = models.EmailField(blank=True)
    visitor_key = models.CharField(max_length=64, blank=True, db_index=True)

    # engine.handoff.Conversation, stored
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NEW)
    owner = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_owner = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automation_stopped = models.BooleanField(default=False)
    waiting_since = models.DateTimeField(null=True, blank=True)
    handoff_reason = models.CharField(max_length=200, blank=True)
    asked_for_person = models.BooleanField(default=False)

    # engine.triage.Triage, stored (read_at: None until the messages were read)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    reasons = models.JSONField(default=list, blank=True)
    reason_codes = models.JSONField(default=list, blank=True)
    rule = models.CharField(max_length=120, blank=True)
    needs_human = models.BooleanField(default=False)
    emotion = models.CharField(max_length=20, blank=True)
    sentiment = models.FloatField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The knowledge-base entry that came closest, offered to the member as a draft.
    draft_entry = models.CharField(max_length=80, blank=True)
    draft_confidence = models.FloatField(null=True, blank=True)

    # clocks
    opened_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    # When the customer started waiting for our reply (None: we spoke last).
    awaiting_since = models.DateTimeField(null=True, blank=True)
    first_replied_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    reply_due = models.DateTimeField(null=True, blank=True)
    resolve_due = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    resolve_breached_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    unassigned_alert_at = models.DateTimeField(null=True, blank=True)
    # A reply came (or is) later than its clock allowed; a late resolution is resolve_breached_at.
    sla_missed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "thread_key"], name="one_conversation_per_thread"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "status", "-priority", "-last_message_at"]),
            models.Index(fields=["workspace", "owner", "status"]),
            models.Index(fields=["workspace", "-last_message_at"]),
            models.Index(fields=["workspace", "reply_due"]),
            # The inbox list's order: priority, then who has waited longest.
            models.Index(fields=["workspace", "-priority", "awaiting_since"]),
        ]

    def __str__(self):
        return self.subject or f"Conversation {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.RESOLVED

    @property
    def who(self) -> str:
        if self.person_id:
            return self.person.name
        return self.visitor_name or self.visitor_email or "A website visitor"


class Message(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    # The message on the person's timeline, when the conversation has a person; its text lives
    # there. Messages of unknown visitors keep their text here.
    interaction = models.OneToOneField(
        Interaction, null=True, blank=True, on_delete=models.CASCADE, related_name="inbox_message"
    )
    author = models.CharField(max_length=12, choices=Author.choices)
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    # For the customer's side: what became of it (e-mail sent, widget fetched it).
    delivery = models.CharField(max_length=10, choices=Delivery.choices, blank=True)
    delivery_error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The knowledge-base entry it answered with, or offered as a draft.
    entry_key = models.CharField(max_length=80, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    # The widget's own id for a message it sent, so a retry is not stored twice.
    client_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["conversation", "at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "client_id"],
                condition=~models.Q(client_id=""),
                name="one_message_per_client_id",
            )
        ]

    def __str__(self):
        return f"{self.get_author_display()} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        if self.interaction_id:
            return self.interaction.text
        return self.body


class ConversationEvent(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class SavedView(models.Model):
    """A member's own view of the inbox: a name and the list's filters, as a query string."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="saved_inbox_views"
    )
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "name"], name="one_saved_view_per_name")
        ]

    def __str__(self):
        return self.name
