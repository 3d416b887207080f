"""Renaming a background task without losing the ones already queued.

A queued task is stored by its dotted path (django_tasks_db's ``DBTaskResult.task_path``);
after a task function moves or is renamed, a data migration points the stored paths at the
new name so that the worker still runs them."""

from functools import cache, partial

from rapport.lib.rows import Rows


def repoint_queued_tasks(apps, schema_editor, renamed: dict[str, str]) -> None:
    """In a migration's ``RunPython``: rewrite each old task path to its new one."""
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    db = schema_editor.connection.alias
    for old, new in renamed.items():
        task_result.objects.using(db).filter(task_path=old).update(task_path=new)


def renaming(renamed: dict[str, str]):
    """A reversible ``RunPython`` operation for a migration that renamed tasks."""
    from django.db import migrations

    back = {new: old for old, new in renamed.items()}
    return migrations.RunPython(
        partial(repoint_queued_tasks, renamed=renamed),
        partial(repoint_queued_tasks, renamed=back),
    )


def enqueue_unless_waiting(task, *args, run_after=None):
    """Queue ``task(*args)`` (not before ``run_after``, when given) unless the same call is
    already queued, has not started, and will run no later than this one would. Returns the
    new task's result, or None when one already waits.

    For tasks that handle everything pending (a workspace's new answers, a business's
    dashboards): the waiting one runs after this moment, so it sees what was just committed,
    and a burst makes one run instead of one each; one waiting to be retried later does not
    stand in for one due now. Two callers racing may both queue it; that costs one run with
    nothing to do, never a double. Only the database backend can be asked what waits; any
    other backend always queues."""
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult, get_date_max

        # Every public answer with a comment asks this. A fixed query (lib/rows.py) skips
        # building and compiling the ORM's (``DBTaskResult.objects.ready()``), most of its
        # cost; the same test as ready() follows. Few rows: at most one per workspace while
        # this keeps them coalesced.
        due, unset = run_after or timezone.now(), get_date_max()
        call = {"args": list(args), "kwargs": {}}
        for row in _waiting(DBTaskResult)(["READY", task.module_path]):
            if row.args_kwargs == call and (row.run_after == unset or row.run_after <= due):
                return None
    return (task.using(run_after=run_after) if run_after else task).enqueue(*args)


@cache
def _waiting(model) -> Rows:
    return Rows(
        model,
        f'SELECT * FROM "{model._meta.db_table}" WHERE "status" = %s AND "task_path" = %s LIMIT 100',  # noqa: S608
    )
