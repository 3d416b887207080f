"""What members did with the reach-out list. The list itself is computed each time from the
facts (``actions.reach_out_list``); only an item someone marked done or snoozed is stored,
keyed by its kind, subject and week, so recomputing the list keeps what was done and the
rows together say what the list led to."""

from django.db import models
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.outreach.choices import ItemState, PromptKind

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class OutreachSettings(models.Model):
    """A business's choices for its reach-out list."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="outreach_settings"
    )
    individual_employees = models.BooleanField(
        default=False,
        help_text="Name employees in the list (cooling messages, low answers) instead of "
        "telling only their team.",
    )

    # The weekly e-mail digest goes out on this weekday's morning (0 = Monday), in the
    # business's time zone.
    digest_weekday = models.PositiveSmallIntegerField(
        default=0, choices=[(n, name) for n, name in enumerate(WEEKDAYS)]
    )

    def __str__(self):
        return f"Reach-out settings of {self.workspace}"


class DigestSubscription(models.Model):
    """A member's weekly e-mail of their reach-out list: whether they want it, and the week
    it was last done for (so a clock that runs every few minutes sends it once)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="outreach_digest"
    )
    enabled = models.BooleanField(default=True)
    # The Monday of the last week handled (sent, or nothing to send).
    week_done = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    items_sent = models.PositiveIntegerField(default=0)
    # A failed send this week: how many tries, and the server's answer, for the next tick.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"Weekly reach-out e-mail of {self.membership}"


class OutreachItem(models.Model):
    """An item of one week's list that a member marked done or snoozed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=PromptKind.choices)
    # A person's id, or a team's for the team kinds.
    subject_id = models.PositiveIntegerField()
    # The Monday of the week whose list it was on (engine.periods.week_start).
    week = models.DateField()
    # Who it went to (None: the managers and owners), and why, as the list said it then.
    owner = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    why = models.TextField(blank=True)
    numbers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=ItemState.choices)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snoozed_until = models.DateField(null=True, blank=True)
    snoozed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "kind", "subject_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "subject_id", "week"], name="one_outreach_item"
            )
        ]
        indexes = [models.Index(fields=["workspace", "kind", "subject_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.subject_id} ({self.week})"
