"""What the dashboards read: metric snapshots kept up to date by a background task, the
findings (drivers, alerts) computed with them, and each business's index settings."""

from django.db import models
from django.utils import timezone

from rapport.accounts.models import Workspace


class Every(models.TextChoices):
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


class Dimension(models.TextChoices):
    """What a snapshot is cut by; "" is everyone in the group."""

    ALL = "", "Everyone"
    SEGMENT = "segment", "Segment"
    TEAM = "team", "Team"
    LOCATION = "location", "Location"
    SUPPLIER = "supplier", "Supplier"


class Snapshot(models.Model):
    """One metric of one group over one period, for everyone or one value of a dimension:
    the stored form of a ``rapport.engine.metrics.Result``."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=10)
    metric = models.CharField(max_length=40)
    every = models.CharField(max_length=8, choices=Every.choices)
    start = models.DateField()
    end = models.DateField()
    dimension = models.CharField(max_length=10, choices=Dimension.choices, blank=True)
    member = models.CharField(max_length=100, blank=True)  # the dimension's value
    value = models.FloatField(null=True)
    n = models.PositiveIntegerField(default=0)
    low = models.FloatField(null=True)
    high = models.FloatField(null=True)
    enough = models.BooleanField(default=False)
    minimum = models.PositiveIntegerField(default=0)
    parts = models.JSONField(default=dict)
    # A survey score hidden even with enough answers, because with the other months of its
    # quarter (or weeks of its month) it would let a smaller group's score be worked out.
    withheld = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "every", "start", "group", "metric", "dimension", "member"],
                name="unique_snapshot",
            )
        ]
        indexes = [models.Index(fields=["workspace", "every", "group", "start"])]

    def __str__(self):
        cut = f" {self.dimension}={self.member}" if self.dimension else ""
        return f"{self.group} {self.metric} {self.every} {self.start}{cut}"


class Finding(models.Model):
    """Something computed with the snapshots that a page shows as it is: the drivers of a
    score in a period, or an alert. ``payload`` is the engine's own ``to_dict()``-style data."""

    class Kind(models.TextChoices):
        DRIVERS = "drivers", "Drivers"
        ALERT = "alert", "Alert"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    group = models.CharField(max_length=10)
    every = models.CharField(max_length=8, choices=Every.choices)
    start = models.DateField()
    key = models.CharField(max_length=60)  # "nps", "csat" for drivers; a subject for alerts
    severity = models.CharField(max_length=10, blank=True)
    sentence = models.TextField(blank=True)
    payload = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["workspace", "kind", "every", "start"])]
        ordering = ["id"]

    def __str__(self):
        return f"{self.kind} {self.group} {self.key} {self.start}"


class InsightSettings(models.Model):
    """A business's index weights and the bookkeeping of its snapshots.

    weights: group → component key → weight (a missing key keeps the default 1; 0 leaves a
        component out). group_weights: group → weight in the overall index.
    dirty_since: the earliest local day whose data changed since the last refresh (None:
        nothing changed); the next refresh recomputes every period ending after it.
    """

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="insight_settings"
    )
    weights = models.JSONField(default=dict, blank=True)
    group_weights = models.JSONField(default=dict, blank=True)
    dirty_since = models.DateField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    refreshed_through = models.DateField(null=True, blank=True)  # the local "today" of it
    refresh_seconds = models.FloatField(null=True, blank=True)
    snapshots_written = models.PositiveIntegerField(default=0)
    # What the stored alerts were computed on besides the monthly snapshots (the last
    # complete month, the anonymity threshold): a refresh that changes neither, nor any
    # complete month's snapshot, keeps them.
    alerts_basis = models.CharField(max_length=40, blank=True)

    def __str__(self):
        return f"Insight settings of {self.workspace}"
