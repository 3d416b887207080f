"""What Rapport read in each message: the stored output of ``rapport.engine.text.analyze``.

A reading is stored beside the message it reads, with the model version that produced it, so
that ``rapport reanalyze`` can find readings made by an older model. ``ReadingFields`` is the
shape every reading shares; the survey responses of the feedback app store theirs the same
way. A member's corrections are kept apart from the model's output, never over it.
"""

from django.db import models
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.people.models import Interaction


class ReadingFields(models.Model):
    """The reading of one text. Empty fields mean "not read" (see ``error`` and ``notes``)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    model_version = models.CharField(max_length=120)
    # Which of the message's fields was read ("text" or "subject"): PII offsets point into it.
    source_field = models.CharField(max_length=10, default="text")
    language = models.CharField(max_length=8, blank=True)
    language_supported = models.BooleanField(default=False)
    sentiment = models.CharField(max_length=10, blank=True)
    sentiment_score = models.FloatField(null=True)
    sentiment_confidence = models.FloatField(null=True)
    # The strongest emotions only ({label: probability}, at most eight), all ten groups.
    emotions = models.JSONField(default=dict)
    emotion_groups = models.JSONField(default=dict)
    detected_groups = models.JSONField(default=list)
    needs_human_score = models.FloatField(null=True)
    needs_human = models.BooleanField(default=False)
    # [{"code", "label", "evidence", "weight"}], strongest first.
    reasons = models.JSONField(default=list)
    toxicity = models.FloatField(null=True)
    toxic_terms = models.JSONField(default=list)
    # [{"start", "end", "kind"}]: character offsets into the field that was read.
    pii = models.JSONField(default=list)
    redacted = models.TextField(blank=True)
    # Keys of the workspace's themes this text belongs to (0, 1 or 2; see Theme).
    themes = models.JSONField(default=list)
    notes = models.JSONField(default=list)
    error = models.CharField(max_length=300, blank=True)
    analysed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def top_emotions(self) -> list[tuple[str, float]]:
        return sorted(self.emotions.items(), key=lambda item: -item[1])

    @property
    def pii_kinds(self) -> list[str]:
        return sorted({span["kind"] for span in self.pii})


class InteractionReading(ReadingFields):
    interaction = models.OneToOneField(
        Interaction, on_delete=models.CASCADE, related_name="reading"
    )

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "needs_human"]),
            models.Index(fields=["workspace", "model_version"]),
            # The dashboards' refresh looks for what was read since it last ran.
            models.Index(fields=["workspace", "analysed_at"]),
        ]

    def __str__(self):
        return f"reading of interaction {self.interaction_id}"


class Theme(models.Model):
    """A theme found in a workspace's messages (``rapport themes``); ``key`` stays the same
    across rediscoveries while the theme does, so its history can be followed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    phrases = models.JSONField(default=list)
    # Unit vector in the sentence encoder's space, to place messages that arrive later.
    centroid = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    discovered_at = models.DateTimeField(default=timezone.now)
    # Set when a rediscovery no longer finds it; the key is never reused.
    vanished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-size", "key"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="theme_key_per_workspace")
        ]

    def __str__(self):
        return self.name


class LabelField(models.TextChoices):
    SENTIMENT = "sentiment", "Sentiment"
    NEEDS_HUMAN = "needs_human", "Needs a human"
    EMOTION = "emotion", "Main emotion"


class Correction(models.Model):
    """A member's verdict on one label of one reading: a correction, or a confirmation when
    ``value`` equals what the model said. The latest per message and field counts."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    interaction = models.ForeignKey(
        Interaction, on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField(max_length=20, choices=LabelField.choices)
    model_value = models.CharField(max_length=40)
    value = models.CharField(max_length=40)
    model_version = models.CharField(max_length=120)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return f"{self.field}: {self.model_value} → {self.value}"

    @property
    def agrees(self) -> bool:
        return self.value == self.model_value
