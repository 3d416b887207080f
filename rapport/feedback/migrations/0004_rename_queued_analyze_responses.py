"""The background task ``read_responses`` is ``analyze_responses`` since issue 15 (one verb
for analyzing texts in the apps).

Tasks queued before keep the old path in the task queue's table (django_tasks_db); this
points them at the new name so that the worker still runs them. No schema change."""

from django.db import migrations

RENAMED = {
    "rapport.feedback.tasks.read_responses": "rapport.feedback.tasks.analyze_responses",
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
        ("feedback", "0003_response_contact_name"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_queued_tasks, restore_queued_tasks)]
