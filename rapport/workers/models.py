"""What several task workers (on one machine or several) share through the database: who is
alive, who holds which piece of work, and when the clock last ticked."""

from django.db import models


class WorkerBeat(models.Model):
    """A running ``rapport worker`` process; it writes ``seen_at`` every few seconds. A task
    left RUNNING by a worker not seen for a while is put back in the queue (running.py)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} ({self.host}, process {self.pid})"


class Lease(models.Model):
    """A piece of work (a range of messages to read, a batch of e-mails to send) held by one
    process until ``expires_at``; the holder renews it while it works (leases.py)."""

    key = models.CharField(max_length=200, primary_key=True)
    holder = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.key} held by {self.holder} until {self.expires_at:%H:%M:%S}"


class ClockTick(models.Model):
    """When a clock last queued ``name``: several clocks (one per machine) queue it once."""

    name = models.CharField(max_length=200, primary_key=True)
    last_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.last_at}"
