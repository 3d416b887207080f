"""The clock of recurring surveys: a task that starts due rounds and sends due reminders, and
the loop ``rapport serve`` runs to queue it every few minutes."""

import threading

from django_tasks import task

from rapport.feedback import distribution

TICK_SECONDS = 15 * 60


@task()
def tick() -> dict:
    """Start due rounds and send due reminders in every business (the background worker)."""
    done = distribution.run_schedules()
    return {"invited": done.invited, "sent": done.sent, "reminded": done.reminded}


def start_clock(stop: threading.Event, every: float = TICK_SECONDS) -> threading.Thread:
    """Queue :func:`tick` now and every ``every`` seconds until ``stop`` is set."""

    def loop():
        while not stop.is_set():
            tick.enqueue()
            stop.wait(every)

    thread = threading.Thread(target=loop, name="survey-clock", daemon=True)
    thread.start()
    return thread
