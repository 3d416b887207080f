"""A business's knowledge base: its FAQ entries, and its choices about automatic answers.

An ``Entry`` is what ``rapport.engine.answers.FaqEntry`` reads (``key`` is its id); the
knowledge base itself is built from the active entries by ``actions.knowledge_base``. The
last "what a threshold means" report and the suggested entries are stored on
``KnowledgeSettings`` by a background task, because reading the history takes seconds.
"""

from django.db import models
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace


class Entry(models.Model):
    """One answer and the example questions it answers."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    # The engine's FaqEntry id: stable, so what the inbox stored about an answer still names it.
    key = models.SlugField(max_length=80)
    # One example question per line.
    questions = models.TextField()
    answer = models.TextField()
    # ISO 639-1: texts in another language never get this entry as an automatic answer.
    language = models.CharField(max_length=2, default="en")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="one_knowledge_key")
        ]

    def __str__(self):
        return self.key

    @property
    def question_list(self) -> list[str]:
        return question_lines(self.questions)


def question_lines(text: str) -> list[str]:
    """The example questions of a ``questions`` text: one a line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class KnowledgeSettings(models.Model):
    """A business's choices about automatic answers, and the last reports on its history."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="knowledge_settings"
    )
    # The confidence an automatic answer needs; None: the shipped default.
    threshold = models.FloatField(null=True, blank=True)
    # Whether the inbox may send automatic answers at all.
    auto_answer = models.BooleanField(default=True)
    # The last threshold report and suggestions (actions.refresh_reports), with when and
    # over which version of the knowledge base they were computed.
    report = models.JSONField(default=list, blank=True)
    suggestions = models.JSONField(default=list, blank=True)
    reports_at = models.DateTimeField(null=True, blank=True)
    reports_version = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Knowledge base settings of {self.workspace}"
