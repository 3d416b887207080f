"""Stored predictions. A ``PredictionRun`` is one fit of one model over one business's data
as of a day; its ``Forecast`` rows are what it said about each customer, supplier or team
(and, only where the business turned individual scores on, each employee). The current run
of each subject is what pages show; runs made at the start of a quarter are kept so the
business can see, a quarter later, whether they were right (``holdout.py``)."""

from django.db import models
from django.utils import timezone

from rapport.accounts.models import Workspace
from rapport.people.models import Person, Team
from rapport.predictions.choices import Subject


class PredictionSettings(models.Model):
    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="prediction_settings"
    )
    individual_employee_scores = models.BooleanField(
        default=False,
        help_text="Compute an attrition score for each employee, shown only to their own "
        "manager and the owner, every view audited. Off: teams only.",
    )
    # What the data looked like at the last run (row counts and newest ids), so the clock
    # refreshes after an import or any other change, not only nightly.
    fingerprint = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"Prediction settings of {self.workspace}"


class PredictionRun(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=10, choices=Subject.choices)
    # The last day of data the model saw; predictions are for the horizon after it.
    as_of = models.DateField()
    horizon_days = models.PositiveSmallIntegerField()
    made_at = models.DateTimeField(default=timezone.now)
    # Made today from the data up to ``as_of`` (to show how the model would have done),
    # rather than made live on that day.
    replayed = models.BooleanField(default=False)
    current = models.BooleanField(default=False)
    enough = models.BooleanField(default=False)
    # Why there is no number, when there is not enough data, in an owner's words.
    message = models.CharField(max_length=300, blank=True)
    used = models.CharField(max_length=300, blank=True)
    model_version = models.CharField(max_length=60, blank=True)
    # Counts and figures of the whole run (customers read, mean risk, drivers...).
    summary = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["workspace", "subject", "current"])]
        ordering = ["-made_at"]

    def __str__(self):
        return f"{self.get_subject_display()} as of {self.as_of}"


class Forecast(models.Model):
    """What one run said about one customer, supplier, team or (opted in) employee.

    ``risk`` is the chance of the bad outcome within the run's horizon: a customer buying
    nothing, a supplier's next delivery arriving late, an employee (or the average of a team)
    leaving. Customers also get ``expected_purchases`` and ``expected_value``. Every number
    has its 80% interval; ``enough`` False means no number, with the reason first in
    ``reasons``."""

    run = models.ForeignKey(PredictionRun, on_delete=models.CASCADE, related_name="forecasts")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="forecasts"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="forecasts"
    )
    enough = models.BooleanField(default=True)
    risk = models.FloatField(null=True, blank=True)
    risk_low = models.FloatField(null=True, blank=True)
    risk_high = models.FloatField(null=True, blank=True)
    expected_purchases = models.FloatField(null=True, blank=True)
    expected_purchases_low = models.FloatField(null=True, blank=True)
    expected_purchases_high = models.FloatField(null=True, blank=True)
    expected_value = models.FloatField(null=True, blank=True)
    expected_value_low = models.FloatField(null=True, blank=True)
    expected_value_high = models.FloatField(null=True, blank=True)
    # A customer's spend over the last 12 months, beside what they are expected to spend
    # over the next 12 (a cooling account spends less than it did).
    past_value = models.FloatField(null=True, blank=True)
    # People behind a team's figure.
    n = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    used = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["run", "person"]),
            models.Index(fields=["person", "run"]),
        ]

    def __str__(self):
        return f"Forecast of {self.person_id or self.team_id} in run {self.run_id}"
