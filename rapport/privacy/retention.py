"""Applying a business's retention rules (``RetentionRules``): each rule removes one kind of
personal data older than its months, and keeps what the dashboards count.

- message text: the words (text, subject) of timeline messages and of inbox messages, and
  the redacted copy on their reading, are emptied, and the subject of a conversation whose
  last message is that old; the reading's sentiment, emotions,
  needs-a-person and themes stay, so the dashboards read the same. A message without words
  is never read again (``understanding.actions.pending`` skips it), so a new model cannot
  replace its reading with a reading of nothing.
- closed conversations: inbox conversations resolved before the cut-off are deleted with
  their messages and events; the timeline's entries stay (the message text rule governs
  their words).
- survey text: written answers and the follow-up messages about a response are emptied; its
  scores, choices and the reading of its words stay.
- audit log: entries older than the cut-off are deleted.

Every run that applies is audited with its counts (``actions.apply_retention``).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from rapport.accounts.models import AuditEvent, Workspace
from rapport.engine.periods import add_months
from rapport.feedback.models import Answer, FollowUpMessage, ResponseReading
from rapport.inbox.choices import Status
from rapport.inbox.models import Conversation, Message
from rapport.people.models import Interaction
from rapport.privacy.models import RetentionRules
from rapport.understanding.models import InteractionReading


@dataclass(frozen=True)
class Rule:
    field: str  # RetentionRules' field
    label: str  # in the owner's words
    count: object  # (workspace, cutoff) → rows the rule would change now
    apply: object  # (workspace, cutoff) → rows changed


def cutoff(workspace: Workspace, months: int, now: dt.datetime) -> dt.datetime:
    """Midnight, in the business's zone, of the day ``months`` before today."""
    day = add_months(workspace.today(now), -months)
    return dt.datetime.combine(day, dt.time(), tzinfo=workspace.zone)


def _worded_messages(workspace, before):
    return Interaction.objects.filter(workspace=workspace, occurred_at__lt=before).exclude(
        text="", subject=""
    )


def _worded_inbox(workspace, before):
    return Message.objects.filter(workspace=workspace, at__lt=before).exclude(body="")


def _titled_conversations(workspace, before):
    # A conversation's subject is its first message's: it goes when its last message is old.
    return Conversation.objects.filter(workspace=workspace, last_message_at__lt=before).exclude(
        subject=""
    )


def _count_messages(workspace, before) -> int:
    return (
        _worded_messages(workspace, before).count()
        + _worded_inbox(workspace, before).count()
        + _titled_conversations(workspace, before).count()
    )


def _apply_messages(workspace, before) -> int:
    readings = InteractionReading.objects.filter(
        workspace=workspace, interaction__occurred_at__lt=before
    ).exclude(redacted="")
    readings.update(redacted="")
    changed = _worded_messages(workspace, before).update(text="", subject="")
    changed += _titled_conversations(workspace, before).update(subject="")
    return changed + _worded_inbox(workspace, before).update(body="")


def _closed(workspace, before):
    return Conversation.objects.filter(
        workspace=workspace, status=Status.RESOLVED, resolved_at__lt=before
    )


def _survey_text(workspace, before):
    return Answer.objects.filter(
        response__workspace=workspace, response__submitted_on__lt=before.date()
    ).exclude(text="")


def _followups(workspace, before):
    return FollowUpMessage.objects.filter(workspace=workspace, sent_on__lt=before.date()).exclude(
        text=""
    )


def _count_survey(workspace, before) -> int:
    return _survey_text(workspace, before).count() + _followups(workspace, before).count()


def _apply_survey(workspace, before) -> int:
    ResponseReading.objects.filter(
        workspace=workspace, response__submitted_on__lt=before.date()
    ).exclude(redacted="").update(redacted="")
    # Answer has no workspace column: select the rows through their response, then update
    # by key (an UPDATE cannot join).
    changed = Answer.objects.filter(
        pk__in=list(_survey_text(workspace, before).values_list("pk", flat=True))
    ).update(text="")
    return changed + _followups(workspace, before).update(text="")


def _audit(workspace, before):
    return AuditEvent.objects.filter(workspace=workspace, at__lt=before).exclude(
        Q(object_type="retention")
    )


RULES = (
    Rule(
        "message_text_months",
        "Words of messages",
        _count_messages,
        _apply_messages,
    ),
    Rule(
        "closed_conversation_months",
        "Closed inbox conversations",
        lambda w, b: _closed(w, b).count(),
        lambda w, b: _closed(w, b).delete()[1].get("inbox.Conversation", 0),
    ),
    Rule(
        "survey_text_months",
        "Written survey answers and follow-up messages",
        _count_survey,
        _apply_survey,
    ),
    Rule(
        "audit_log_months",
        "Audit log entries",
        lambda w, b: _audit(w, b).count(),
        lambda w, b: _audit(w, b).delete()[0],
    ),
)


@dataclass(frozen=True)
class Line:
    rule: Rule
    months: int | None
    before: dt.datetime | None
    count: int


def plan(workspace: Workspace, rules: RetentionRules, now: dt.datetime) -> list[Line]:
    """Each rule with its cut-off and how many rows it would change now (0 when unset)."""
    lines = []
    for rule in RULES:
        months = getattr(rules, rule.field)
        if not months:
            lines.append(Line(rule, None, None, 0))
            continue
        before = cutoff(workspace, months, now)
        lines.append(Line(rule, months, before, rule.count(workspace, before)))
    return lines


def apply(workspace: Workspace, rules: RetentionRules, now: dt.datetime) -> dict[str, int]:
    """Apply every rule that is set; ``{field: rows changed}``."""
    done = {}
    for rule in RULES:
        months = getattr(rules, rule.field)
        if months:
            done[rule.field] = rule.apply(workspace, cutoff(workspace, months, now))
    return done
