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
