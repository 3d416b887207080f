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


@pytest.mark.django_db
def test_a_task_already_waiting_is_not_queued_again():
    """A burst of answers queues one run per workspace while it waits, and a new one once it
    has started (it may have read before the latest answer)."""
    from django_tasks import TaskResultStatus

    from rapport.lib.queued_tasks import enqueue_unless_waiting

    def queued(*args):
        rows = DBTaskResult.objects.filter(task_path=analyze_workspace.module_path)
        return [r for r in rows if r.args_kwargs["args"] == list(args)]

    for _ in range(3):
        enqueue_unless_waiting(analyze_workspace, 1)
    enqueue_unless_waiting(analyze_workspace, 2)
    assert len(queued(1)) == 1 and len(queued(2)) == 1
    DBTaskResult.objects.filter(pk=queued(1)[0].pk).update(status=TaskResultStatus.RUNNING)
    enqueue_unless_waiting(analyze_workspace, 1)
    assert len(queued(1)) == 2


@pytest.mark.django_db
def test_a_task_waiting_for_a_later_retry_does_not_stand_in_for_a_new_one():
    """A failed run waits RETRY × 2ⁿ seconds before its next try; a new answer must not wait
    that long."""
    import datetime as dt

    from django.utils import timezone

    from rapport.lib.queued_tasks import enqueue_unless_waiting

    enqueue_unless_waiting(analyze_workspace, 1)
    later = timezone.now() + dt.timedelta(minutes=5)
    DBTaskResult.objects.filter(task_path=analyze_workspace.module_path).update(run_after=later)
    enqueue_unless_waiting(analyze_workspace, 1)
    assert DBTaskResult.objects.filter(task_path=analyze_workspace.module_path).count() == 2
    enqueue_unless_waiting(analyze_workspace, 1)  # the one due now stands in
    assert DBTaskResult.objects.filter(task_path=analyze_workspace.module_path).count() == 2
