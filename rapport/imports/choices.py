from django.db import models


class ImportKind(models.TextChoices):
    PEOPLE = "people", "People"
    INTERACTIONS = "interactions", "Interactions"
    PURCHASES = "purchases", "Purchases"
    EMPLOYMENT = "employment", "Employment events"
    DELIVERIES = "deliveries", "Supplier deliveries"
    RESPONSES = "responses", "Survey responses"


class ImportStatus(models.TextChoices):
    # Uploaded, waiting for the mapping to be confirmed.
    PENDING = "pending", "Waiting for mapping"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
