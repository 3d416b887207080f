"""An import run: one file brought into one workspace, with its counts and its rejected rows."""

from datetime import timedelta

from django.db import models
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.imports.choices import ImportKind, ImportStatus

# Enough to fix a file by hand; a run with more rejected rows is a mapping problem, and the
# CLI's --errors-csv writes them all.
MAX_STORED_ISSUES = 1000
# A batch of 1,000 rows takes about a second; a queued or running import silent for this long
# has lost its worker (killed, machine restarted) or never had one.
STALL_AFTER = timedelta(minutes=10)


class ImportRun(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="import_runs")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    original_filename = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    # {source column: target field}; columns not named are ignored.
    mapping = models.JSONField(default=dict, blank=True)
    # Kind-specific choices: group, date format, create missing people; plus what was detected.
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(
        null=True, blank=True, help_text="Estimated until done."
    )
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True, help_text="Why the whole run failed, if it did.")
    started_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    via = models.CharField(max_length=10, default="web")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set when the run is queued and after every batch: how the run page tells a stalled run.
    progressed_at = models.DateTimeField(null=True, blank=True)

    # Not stored: set by the worker when it takes up a run whose worker died after committing
    # this many rows (running.run_in_background); the batch loop goes on after them.
    resuming_after = 0

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} import of {self.original_filename}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Queued or running, with no progress for :data:`STALL_AFTER`."""
        if self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return False
        last = self.progressed_at or self.started_at or self.created_at
        return timezone.now() - last > STALL_AFTER

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))

    def elapsed_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        return ((self.finished_at or timezone.now()) - self.started_at).total_seconds()


class ImportIssue(models.Model):
    """A rejected row (or a failed batch: ``line`` to ``last_line``), or a warning."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="issues")
    line = models.PositiveIntegerField()
    last_line = models.PositiveIntegerField(null=True, blank=True)
    field = models.CharField(max_length=60, blank=True)
    reason = models.TextField()
    # The row's cells as read from the file, so the errors CSV can be fixed and re-imported.
    values = models.JSONField(default=list, blank=True)
    is_warning = models.BooleanField(default=False)

    class Meta:
        ordering = ["line", "id"]

    def __str__(self):
        return f"line {self.line}: {self.reason}"
