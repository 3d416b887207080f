"""A task whose worker died is run again, up to a limit; then it is failed with a plain reason."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rapport.workers.models import WorkerBeat
from rapport.workers.running import recover_orphans
from rapport.workers.status import status_lines
from rapport.workers.tests.sample_tasks import does_nothing

pytestmark = pytest.mark.django_db


def running_under(worker_id: str, *, attempts: int = 1, minutes_ago: float = 5) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=does_nothing.enqueue().id)
    result.status = "RUNNING"
    result.started_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    result.worker_ids = [f"{worker_id}-{n}" for n in range(attempts - 1)] + [worker_id]
    result.save()
    return result


def beat(worker_id: str, *, seconds_ago: float) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id=worker_id,
        host="shop-server",
        pid=1,
        started_at=now - dt.timedelta(hours=1),
        seen_at=now - dt.timedelta(seconds=seconds_ago),
    )


def test_a_task_of_a_dead_worker_is_put_back():
    beat("killed", seconds_ago=600)
    result = running_under("killed")
    assert recover_orphans() == 1
    result.refresh_from_db()
    assert result.status == "READY" and result.started_at is None
    assert "killed stopped in the middle of this task" in result.traceback
    assert DBTaskResult.objects.ready().filter(pk=result.pk).exists()


def test_a_task_of_a_live_worker_is_left_alone():
    beat("alive", seconds_ago=1)
    result = running_under("alive", minutes_ago=60)
    assert recover_orphans() == 0
    result.refresh_from_db()
    assert result.status == "RUNNING"


def test_a_task_just_started_is_left_alone_even_without_a_beat_yet():
    result = running_under("new-worker", minutes_ago=0)
    assert recover_orphans() == 0
    result.refresh_from_db()
    assert result.status == "RUNNING"


def test_after_too_many_deaths_the_task_is_failed_and_listed(settings):
    settings.RAPPORT_TASK_MAX_ATTEMPTS = 3
    result = running_under("killed", attempts=3)
    assert recover_orphans() == 1
    result.refresh_from_db()
    assert result.status == "FAILED"
    assert "stopped in the middle of it 3 times" in result.traceback
    said = "\n".join(status_lines())
    assert "Failed (latest 1)" in said and "stopped in the middle of it 3 times" in said
