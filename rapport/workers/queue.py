"""Queueing a task unless the same one already waits."""

from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_once(task, *args, run_after=None):
    """Queue ``task(*args)`` (not before ``run_after``, when given) unless the same task with
    the same arguments is already waiting to run (not running: a running one may have passed
    the new work already). Two callers racing may both queue it; that costs one run with
    nothing to do, never a double."""
    path = f"{task.func.__module__}.{task.func.__name__}"
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=path, args_kwargs={"args": list(args), "kwargs": {}}
    )
    if isinstance(task.get_backend(), DatabaseBackend) and waiting.exists():
        return None
    return (task.using(run_after=run_after) if run_after else task).enqueue(*args)
