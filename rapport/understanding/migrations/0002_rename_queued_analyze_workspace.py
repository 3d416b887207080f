"""The background task ``analyse_workspace`` is ``analyze_workspace`` since issue 15 (one
spelling of the verb in the apps).

Tasks queued before keep the old path in the task queue's table (django_tasks_db); this
points them at the new name so that the worker still runs them. No schema change."""

from django.db import migrations

from rapport.lib.queued_tasks import renaming

RENAMED = {
    "rapport.understanding.tasks.analyse_workspace": "rapport.understanding.tasks.analyze_workspace",
}


class Migration(migrations.Migration):
    dependencies = [
        ("understanding", "0001_initial"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [renaming(RENAMED)]
