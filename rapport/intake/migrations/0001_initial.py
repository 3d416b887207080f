"""The intake app's tables: IMAP mailboxes, webhook endpoints, and e-mail thread links.

Until issue 15 this app was called ``listening``. A database migrated before then has the
tables ``listening_mailbox``, ``listening_webhookendpoint`` and ``listening_threadlink``, with
their rows, and ``django_migrations`` rows for ``listening``. This migration is both that
app's history (the same three models, squashed into one step) and the move:

- Its state is the usual three CreateModel operations (``SeparateDatabaseAndState`` with no
  database operations of its own).
- Its database side is ``create_or_rename``: for each model, a ``listening_<model>`` table is
  renamed to ``intake_<model>`` (``alter_db_table``: rows, primary and foreign keys, unique
  constraints stay as they are; no table of another app refers to these), and the one index
  whose name Django derived from the old table name is renamed to the name derived from the
  new one. A table that does not exist under either name is created, as on a new database.
- Where tables were renamed, the content types (and the auth permissions, which point at
  them) move from app label ``listening`` to ``intake``; the ``listening`` rows of
  ``django_migrations`` are deleted, as no code will apply or unapply them again; and
  background tasks queued under the old module path (``rapport.listening.tasks.*``) are
  pointed at ``rapport.intake.tasks.*`` so the worker still finds them.

Works on SQLite and PostgreSQL; rapport/intake/tests/test_rename_migration.py builds a
listening-era database and runs it. Going backwards drops the ``intake_*`` tables, like
undoing any first migration.
"""

import django.db.models.deletion
import django.utils.timezone
import uuid

import rapport.intake.models
from django.db import migrations, models
from django.db.migrations.recorder import MigrationRecorder

from rapport.lib.queued_tasks import repoint_queued_tasks


OLD_LABEL = "listening"
MODELS = ["mailbox", "webhookendpoint", "threadlink"]
OLD_INDEX_NAMES = {
    "threadlink": {"intake_thre_workspa_128d7a_idx": "listening_t_workspa_43d05f_idx"}
}
TASKS = ["poll_mailbox", "poll_mailboxes"]


def create_or_rename(apps, schema_editor):
    tables = set(schema_editor.connection.introspection.table_names())
    renamed = False
    for name in MODELS:
        model = apps.get_model("intake", name)
        old_table = f"{OLD_LABEL}_{name}"
        if old_table in tables and model._meta.db_table not in tables:
            schema_editor.alter_db_table(model, old_table, model._meta.db_table)
            for index in model._meta.indexes:
                old_name = OLD_INDEX_NAMES.get(name, {}).get(index.name)
                if old_name:
                    old_index = index.clone()
                    old_index.name = old_name
                    schema_editor.rename_index(model, old_index, index)
            renamed = True
        elif model._meta.db_table not in tables:
            schema_editor.create_model(model)
    if not renamed:
        return
    db = schema_editor.connection.alias
    content_type = apps.get_model("contenttypes", "ContentType")
    for old in content_type.objects.using(db).filter(app_label=OLD_LABEL):
        if content_type.objects.using(db).filter(app_label="intake", model=old.model).exists():
            old.delete()  # made by a run of the new code before this migration: keep that one
        else:
            old.app_label = "intake"
            old.save(update_fields=["app_label"])
    MigrationRecorder(schema_editor.connection).migration_qs.filter(app=OLD_LABEL).delete()
    repoint_queued_tasks(
        apps,
        schema_editor,
        {f"rapport.{OLD_LABEL}.tasks.{task}": f"rapport.intake.tasks.{task}" for task in TASKS},
    )


def drop_tables(apps, schema_editor):
    for name in reversed(MODELS):
        schema_editor.delete_model(apps.get_model("intake", name))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0001_initial"),
        ("accounts", "0003_workspace_min_comment_group_size"),
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WebhookEndpoint",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("name", models.CharField(max_length=100)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("responses", "Answers to one survey"),
                                    ("interactions", "Touchpoints for the timeline"),
                                ],
                                max_length=12,
                            ),
                        ),
                        (
                            "secret",
                            models.CharField(
                                default=rapport.intake.models.new_webhook_secret, max_length=100
                            ),
                        ),
                        ("active", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                        (
                            "survey",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="webhooks",
                                to="feedback.survey",
                            ),
                        ),
                        (
                            "workspace",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="webhooks",
                                to="accounts.workspace",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Mailbox",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("host", models.CharField(max_length=255)),
                        ("port", models.PositiveIntegerField(default=993)),
                        ("ssl", models.BooleanField(default=True)),
                        ("username", models.CharField(max_length=255)),
                        ("password", models.CharField(max_length=255)),
                        ("folder", models.CharField(default="INBOX", max_length=255)),
                        ("own_addresses", models.JSONField(blank=True, default=list)),
                        (
                            "group",
                            models.CharField(
                                choices=[
                                    ("customer", "Customer"),
                                    ("employee", "Employee"),
                                    ("supplier", "Supplier or partner"),
                                    ("community", "Community"),
                                ],
                                default="customer",
                                max_length=10,
                            ),
                        ),
                        ("uid_validity", models.BigIntegerField(blank=True, null=True)),
                        ("last_uid", models.BigIntegerField(default=0)),
                        ("last_polled_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("active", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                        (
                            "workspace",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mailboxes",
                                to="accounts.workspace",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["host", "username", "folder"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("workspace", "host", "username", "folder"),
                                name="unique_mailbox",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ThreadLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("message_hash", models.CharField(max_length=64)),
                        ("thread_key", models.CharField(max_length=100)),
                        (
                            "workspace",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="accounts.workspace",
                            ),
                        ),
                    ],
                    options={
                        "indexes": [
                            models.Index(
                                fields=["workspace", "thread_key"],
                                name="intake_thre_workspa_128d7a_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("workspace", "message_hash"), name="unique_thread_link"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(create_or_rename, drop_tables),
    ]
