"""The clock's ticks, taken once however many clocks run (one per machine is harmless).

Each periodic task has a ``ClockTick`` row; a clock queues the task only if it moves the
row's time forward by one conditional UPDATE (or creates the row), so of two clocks ticking
in the same period exactly one queues it.
"""

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from rapport.workers.models import ClockTick


def claim_tick(name: str, every: float, *, now: dt.datetime | None = None) -> bool:
    """True when this clock is the one to queue ``name`` now (it last ran ``every`` seconds
    ago or never); False when another clock already did in this period."""
    now = now or timezone.now()
    # A little slack so a clock whose timer fires a moment early still counts.
    since = now - dt.timedelta(seconds=every * 0.9)
    if ClockTick.objects.filter(name=name, last_at__lte=since).update(last_at=now):
        return True
    try:
        with transaction.atomic():
            ClockTick.objects.create(name=name, last_at=now)
    except IntegrityError:
        return False  # the row exists and is recent: another clock ticked
    return True


def once_per_period(name: str, every: float, job: Callable[[], object]) -> Callable[[], bool]:
    """``job`` wrapped to run only when this clock claims the tick of ``name``."""

    def run() -> bool:
        if claim_tick(name, every):
            job()
            return True
        return False

    run.__name__ = f"tick:{name}"
    return run
