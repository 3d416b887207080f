"""intake 0001_initial on a database migrated while the app was called ``listening``: the
tables are renamed with their rows, the content types and queued tasks follow, and the old
migration rows go. (A new database, where it creates the tables, is every other test's.)"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django_tasks_db.models import DBTaskResult

from rapport.accounts.models import Workspace
from rapport.intake.models import Mailbox, ThreadLink, WebhookEndpoint

MODELS = ["mailbox", "webhookendpoint", "threadlink"]
OLD_INDEX = "listening_t_workspa_43d05f_idx"


def tables():
    return set(connection.introspection.table_names())


def index_names(table):
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def make_listening_database(executor):
    """Undo intake 0001, then build the listening app's tables, rows and bookkeeping as the
    code before issue 15 left them."""
    executor.migrate([("intake", None)])
    assert not {f"intake_{m}" for m in MODELS} & tables()

    state = executor.loader.project_state(("intake", "0001_initial"))
    for name in MODELS:
        model_state = state.models["intake", name]
        model_state.options["db_table"] = f"listening_{name}"
        indexes = [index.clone() for index in model_state.options.get("indexes", [])]
        for index in indexes:
            index.name = OLD_INDEX
        model_state.options["indexes"] = indexes
    old = state.apps
    with connection.schema_editor() as editor:
        for name in MODELS:
            editor.create_model(old.get_model("intake", name))

    workspace = Workspace.objects.create(name="Bakery", slug="bakery")
    old.get_model("intake", "mailbox").objects.create(
        workspace_id=workspace.pk, host="imap.example.com", username="in", password="pw"
    )
    old.get_model("intake", "webhookendpoint").objects.create(
        workspace_id=workspace.pk, name="Shop kiosk", kind="interactions", secret="whsec_x"
    )
    old.get_model("intake", "threadlink").objects.create(
        workspace_id=workspace.pk, message_hash="a" * 64, thread_key="t1"
    )

    ContentType.objects.filter(app_label="intake").delete()
    for name in MODELS:
        content_type = ContentType.objects.create(app_label="listening", model=name)
        Permission.objects.create(
            content_type=content_type, codename=f"view_{name}", name=f"Can view {name}"
        )
    MigrationRecorder(connection).record_applied("listening", "0001_initial")
    DBTaskResult.objects.create(
        task_path="rapport.listening.tasks.poll_mailbox",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    ContentType.objects.clear_cache()
    return workspace


@pytest.mark.django_db(transaction=True)
def test_an_installation_from_before_keeps_its_mailboxes_webhooks_and_threads():
    executor = MigrationExecutor(connection)
    workspace = make_listening_database(executor)
    assert {f"listening_{m}" for m in MODELS} <= tables()

    executor = MigrationExecutor(connection)  # reads the migration rows afresh
    executor.migrate([("intake", "0001_initial")])
    ContentType.objects.clear_cache()

    assert {f"intake_{m}" for m in MODELS} <= tables()
    assert not {f"listening_{m}" for m in MODELS} & tables()
    assert Mailbox.objects.get().workspace == workspace
    assert WebhookEndpoint.objects.get().name == "Shop kiosk"
    assert ThreadLink.objects.get().thread_key == "t1"
    indexes = index_names("intake_threadlink")
    assert ThreadLink._meta.indexes[0].name in indexes and OLD_INDEX not in indexes

    assert not ContentType.objects.filter(app_label="listening").exists()
    moved = ContentType.objects.filter(app_label="intake")
    assert sorted(moved.values_list("model", flat=True)) == sorted(MODELS)
    assert Permission.objects.filter(content_type__in=moved).count() == 3
    assert ContentType.objects.get_for_model(Mailbox) in moved

    applied = MigrationRecorder(connection).applied_migrations()
    assert ("intake", "0001_initial") in applied
    assert not [key for key in applied if key[0] == "listening"]
    assert DBTaskResult.objects.get().task_path == "rapport.intake.tasks.poll_mailbox"
    assert DBTaskResult.objects.get().task.name == "poll_mailbox"

    # And the app works on the renamed tables.
    ThreadLink.objects.create(workspace=workspace, message_hash="b" * 64, thread_key="t1")
    assert ThreadLink.objects.filter(thread_key="t1").count() == 2
