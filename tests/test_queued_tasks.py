"""A renamed task keeps the ones already queued (rapport/lib/queued_tasks.py)."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django_tasks_db.models import DBTaskResult

from rapport.lib.queued_tasks import renaming, repoint_queued_tasks
from rapport.understanding.tasks import analyze_workspace

OLD = "rapport.understanding.tasks.analyse_workspace"
NEW = "rapport.understanding.tasks.analyze_workspace"


@pytest.mark.django_db
def test_queued_tasks_follow_a_rename_and_back():
    result = analyze_workspace.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(task_path=OLD)
    editor = SimpleNamespace(connection=connection)
    repoint_queued_tasks(apps, editor, {OLD: NEW})
    assert DBTaskResult.objects.get(pk=result.id).task_path == NEW
    forward, backward = renaming({OLD: NEW}).code, renaming({OLD: NEW}).reverse_code
    backward(apps, editor)
    assert DBTaskResult.objects.get(pk=result.id).task_path == OLD
    forward(apps, editor)
    assert DBTaskResult.objects.get(pk=result.id).task_path == NEW
