"""One holder per lease, one clock tick per period, one waiting copy of a task."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rapport.lib.queued_tasks import enqueue_unless_waiting
from rapport.workers.clock import claim_tick
from rapport.workers.leases import Busy, held, take
from rapport.workers.models import Lease, WorkerBeat
from rapport.workers.tests.sample_tasks import does_nothing

pytestmark = pytest.mark.django_db


def test_a_lease_has_one_holder_until_released():
    assert take("read:1:0", holder="a")
    assert not take("read:1:0", holder="b")
    assert take("read:1:0", holder="a")  # renewing
    with pytest.raises(Busy), held("read:1:0"):
        pass
    Lease.objects.filter(key="read:1:0").delete()
    with held("read:1:0") as renew:
        renew()
        assert not take("read:1:0", holder="b")
    assert take("read:1:0", holder="b")


def test_an_expired_lease_or_one_held_by_a_dead_worker_is_free():
    assert take("read:1:0", holder="a", seconds=-1)
    assert take("read:1:0", holder="b")
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id="b", host="h", pid=1, started_at=now, seen_at=now - dt.timedelta(minutes=5)
    )
    assert take("read:1:0", holder="c")


def test_two_clocks_queue_a_tick_once_per_period():
    now = timezone.now()
    assert claim_tick("insights.refresh_all", 300, now=now)
    assert not claim_tick("insights.refresh_all", 300, now=now + dt.timedelta(seconds=5))
    assert claim_tick("insights.refresh_all", 300, now=now + dt.timedelta(seconds=300))


def test_a_task_already_waiting_is_not_queued_again():
    assert enqueue_unless_waiting(does_nothing) is not None
    assert enqueue_unless_waiting(does_nothing) is None
    DBTaskResult.objects.update(status="RUNNING")
    assert enqueue_unless_waiting(does_nothing) is not None
    assert DBTaskResult.objects.count() == 2
