"""Renaming a background task without losing the ones already queued.

A queued task is stored by its dotted path (django_tasks_db's ``DBTaskResult.task_path``);
after a task function moves or is renamed, a data migration points the stored paths at the
new name so that the worker still runs them."""

from functools import partial


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


def enqueue_unless_waiting(task, *args) -> None:
    """Queue ``task(*args)`` unless the same call is already queued and has not started.

    For tasks that handle everything pending (a workspace's new answers): the waiting one runs
    after this moment, so it sees what was just committed, and a burst of answers makes one
    run instead of one each. Called after the commit. Only the database backend can be
    asked what waits; any other backend always queues."""
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready().filter(task_path=task.module_path)
        # Few rows: at most one per workspace while this keeps them coalesced.
        for call in waiting.values_list("args_kwargs", flat=True)[:100]:
            if call == {"args": list(args), "kwargs": {}}:
                return
    task.enqueue(*args)
