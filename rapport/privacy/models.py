"""A business's retention rules: how long each kind of personal data is kept.

Each rule is a number of months, or nothing for "keep": a business that sets no rule keeps
everything, as before. What each rule removes, and what it keeps, is in ``retention.py``
and docs/privacy.md.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from rapport.accounts.models import Workspace

# A rule shorter than a month would remove what arrived this morning; longer than fifty
# years is "keep".
MONTHS = [MinValueValidator(1), MaxValueValidator(600)]


def months_field(help_text: str):
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=MONTHS, help_text=help_text
    )


class RetentionRules(models.Model):
    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="retention_rules"
    )
    message_text_months = months_field(
        "Remove the words of messages (timeline and inbox) older than this; what Rapport "
        "read in them (sentiment, emotions, themes) stays for the dashboards."
    )
    closed_conversation_months = months_field(
        "Delete inbox conversations resolved longer ago than this (the timeline keeps its entries)."
    )
    survey_text_months = months_field(
        "Remove the written answers of survey responses, and the follow-up messages, older "
        "than this; scores and what Rapport read in the answers stay."
    )
    audit_log_months = months_field("Delete audit log entries older than this.")
    # The local day the rules were last applied by the clock (once a day is enough).
    applied_on = models.DateField(null=True, blank=True)

    RULES = (
        "message_text_months",
        "closed_conversation_months",
        "survey_text_months",
        "audit_log_months",
    )

    def __str__(self):
        return f"Retention rules of {self.workspace}"

    @property
    def any_set(self) -> bool:
        return any(getattr(self, rule) for rule in self.RULES)
