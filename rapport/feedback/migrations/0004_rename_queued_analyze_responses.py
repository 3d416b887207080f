"""The background task ``read_responses`` is ``analyze_responses`` since issue 15 (one verb
for analyzing texts in the apps).

Tasks queued before keep the old path in the task queue's table (django_tasks_db); this
points them at the new name so that the worker still runs them. No schema change."""

from django.db import migrations

from rapport.lib.queued_tasks import renaming

RENAMED = {
    "rapport.feedback.tasks.read_responses": "rapport.feedback.tasks.analyze_responses",
}


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_response_contact_name"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [renaming(RENAMED)]
