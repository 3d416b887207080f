from django.db import models


class WebhookKind(models.TextChoices):
    """What a webhook endpoint receives."""

    RESPONSES = "responses", "Answers to one survey"
    INTERACTIONS = "interactions", "Touchpoints for the timeline"
