"""A task that fails for a passing reason runs again later; a bug fails at once."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rapport.workers.running import Worker
from rapport.workers.status import status_lines
from rapport.workers.tests.sample_tasks import (
    finds_the_database_locked,
    has_a_bug,
    is_interrupted,
)

pytestmark = pytest.mark.django_db


def run_once(task, worker: Worker) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=task.enqueue().id)
    result.claim(worker.worker_id)
    worker.run_task(result)
    result.refresh_from_db()
    return result


def test_a_locked_database_is_tried_again_later_with_a_longer_wait_each_time(settings):
    settings.RAPPORT_TASK_RETRY_SECONDS = 10
    worker = Worker(worker_id="w1", interval=0)
    before = timezone.now()
    result = run_once(finds_the_database_locked, worker)
    assert result.status == "READY"
    assert before + dt.timedelta(seconds=9) < result.run_after < before + dt.timedelta(seconds=20)
    assert "database is locked" in result.traceback
    assert "finds_the_database_locked (try 2)" in "\n".join(status_lines())
    # The second try waits twice as long.
    result.claim("w2")
    before = timezone.now()
    worker.run_task(result)
    result.refresh_from_db()
    assert result.status == "READY"
    assert result.run_after > before + dt.timedelta(seconds=19)


def test_after_the_last_try_it_stays_failed(settings):
    settings.RAPPORT_TASK_MAX_ATTEMPTS = 2
    worker = Worker(worker_id="w1", interval=0)
    result = run_once(finds_the_database_locked, worker)
    result.claim("w2")
    worker.run_task(result)
    result.refresh_from_db()
    assert result.status == "FAILED"
    assert "database is locked" in "\n".join(status_lines())


def test_a_bug_is_not_tried_again():
    result = run_once(has_a_bug, Worker(worker_id="w1", interval=0))
    assert result.status == "FAILED"
    assert "a bug, not a passing failure" in "\n".join(status_lines())


def test_a_task_stopped_by_ctrl_c_runs_again_at_once():
    before = timezone.now()
    result = run_once(is_interrupted, Worker(worker_id="w1", interval=0))
    assert result.status == "READY" and result.run_after <= before + dt.timedelta(seconds=1)
