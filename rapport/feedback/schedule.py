"""The clock of recurring surveys: a task that starts due rounds and sends due reminders;
``rapport serve`` queues it every 5 minutes (``rapport.lib.clock``)."""

from django_tasks import task

from rapport.feedback import distribution


@task()
def tick() -> dict:
    """Start due rounds and send due reminders in every business (the background worker)."""
    done = distribution.run_schedules()
    return {"invited": done.invited, "sent": done.sent, "reminded": done.reminded}
