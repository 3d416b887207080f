"""Two `rapport worker` processes share a backlog of messages, and each message is read once."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rapport.people.choices import Channel, Direction, Group
from rapport.people.models import Interaction, Person
from rapport.understanding.models import InteractionReading
from rapport.understanding.sharing import BLOCK
from rapport.understanding.tasks import analyze_workspace
from tests.worker_processes import logs, start_worker, stop, wait_for

PER_BLOCK = 90
BLOCKS = 3


def backlog(workspace) -> int:
    """PER_BLOCK messages in each of BLOCKS blocks of ids, unread."""
    person = Person.objects.create(workspace=workspace, group=Group.CUSTOMER, name="Dana Pike")
    start = timezone.now() - dt.timedelta(days=3)
    first = (
        Interaction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) // BLOCK + 1
    Interaction.objects.bulk_create(
        Interaction(
            pk=(first + b) * BLOCK + i,
            workspace=workspace,
            person=person,
            occurred_at=start + dt.timedelta(minutes=b * PER_BLOCK + i),
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            text=f"Order {b}-{i}: the bread was late again, can you call me back?",
        )
        for b in range(BLOCKS)
        for i in range(PER_BLOCK)
    )
    return BLOCKS * PER_BLOCK


def test_two_workers_read_a_backlog_once_and_share_it(personas, worker_database, tmp_path):
    total = backlog(personas.bakery)
    # Two arrivals queued the reading twice; each worker may take one of them.
    analyze_workspace.enqueue(personas.bakery.pk)
    analyze_workspace.enqueue(personas.bakery.pk)
    workers = [
        start_worker(worker_database, tmp_path, RAPPORT_TASK_RETRY_SECONDS="0.5") for _ in range(2)
    ]
    try:
        wait_for(
            lambda: (
                InteractionReading.objects.filter(workspace=personas.bakery).count() == total
                and not DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists()
            ),
            timeout=120,
            what="the backlog to be read",
        )
    finally:
        stop(*workers)
    results = DBTaskResult.objects.all()
    assert not results.filter(status="FAILED").exists(), logs(tmp_path)
    # Every message read once: the readings the tasks report add up to the backlog.
    assert sum(r.return_value for r in results) == total, logs(tmp_path)
    blocks = results.filter(task_path__endswith="analyze_block")
    assert blocks.count() >= BLOCKS
    # Both workers took part.
    assert len({r.worker_ids[-1] for r in results}) == 2, logs(tmp_path)
