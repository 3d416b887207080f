"""The background task ``analyse_workspace`` is ``analyze_workspace`` since issue 15 (one
spelling of the verb in the apps).

Tasks queued before keep the old path in the task queue's table (django_tasks_db); this
points them at the new name so that the worker still runs them. No schema change."""

from django.db import migrations

RENAMED = {
    "rapport.understanding.tasks.analyse_workspace": "rapport.understanding.tasks.analyze_workspace",
}


def rename_queued_tasks(apps, schema_editor, renamed=RENAMED):
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    db = schema_editor.connection.alias
    for old, new in renamed.items():
        task_result.objects.using(db).filter(task_path=old).update(task_path=new)


def restore_queued_tasks(apps, schema_editor):
    rename_queued_tasks(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("understanding", "0001_initial"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_queued_tasks, restore_queued_tasks)]
