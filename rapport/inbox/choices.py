from django.db import models

from rapport.engine.handoff import Status as EngineStatus
from rapport.engine.triage import Priority as EnginePriority


class Status(models.TextChoices):
    """The handoff states of ``rapport.engine.handoff``, as stored."""

    NEW = EngineStatus.NEW.value, "New"
    ANSWERED_AUTOMATICALLY = EngineStatus.ANSWERED_AUTOMATICALLY.value, "Answered automatically"
    WAITING = EngineStatus.WAITING.value, "Waiting for a person"
    ASSIGNED = EngineStatus.ASSIGNED.value, "Assigned"
    REPLIED = EngineStatus.REPLIED.value, "Replied"
    RESOLVED = EngineStatus.RESOLVED.value, "Resolved"


OPEN_STATUSES = (Status.NEW, Status.WAITING, Status.ASSIGNED, Status.REPLIED)
# Where the business owes the customer an answer.
AWAITING_US = (Status.NEW, Status.WAITING, Status.ASSIGNED)


class Priority(models.IntegerChoices):
    URGENT = int(EnginePriority.URGENT), "Urgent"
    HIGH = int(EnginePriority.HIGH), "High"
    NORMAL = int(EnginePriority.NORMAL), "Normal"
    LOW = int(EnginePriority.LOW), "Low"


class Source(models.TextChoices):
    EMAIL = "email", "E-mail"
    API = "api", "API"
    WIDGET = "widget", "Chat widget"
    SURVEY = "survey", "Survey comment"
    OTHER = "other", "Other"


class Author(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    MEMBER = "member", "Member"
    AUTOMATION = "automation", "Automatic answer"
    SYSTEM = "system", "Rapport"
    NOTE = "note", "Internal note"


class Delivery(models.TextChoices):
    """What became of a message to the customer."""

    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Could not be sent"
    NOT_SENT = "not_sent", "Recorded only"


class EventKind(models.TextChoices):
    """What the conversation's log records (besides messages)."""

    OPENED = "opened", "Opened"
    TRIAGED = "triaged", "Triaged"
    HANDED_OFF = "handed_off", "Handed to a person"
    ASSIGNED = "assigned", "Assigned"
    RELEASED = "released", "Given back"
    RESOLVED = "resolved", "Resolved"
    REOPENED = "reopened", "Reopened"
    WARNED = "warned", "SLA warning"
    BREACHED = "breached", "SLA breached"
    ESCALATED = "escalated", "Escalated"
    UNASSIGNED_ALERT = "unassigned_alert", "Waiting too long"
    REFUSED = "refused", "Automatic answer held back"
