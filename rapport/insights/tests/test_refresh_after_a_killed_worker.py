"""A dashboards refresh whose `rapport worker` process is killed (SIGKILL) part-way: the next
worker takes the task up once the dead one stops beating, and the dashboards end exactly as
a full rebuild makes them, nothing written twice."""

import datetime as dt
from decimal import Decimal

from rapport.insights.actions import refresh_snapshots
from rapport.insights.models import Snapshot
from rapport.insights.tasks import refresh_workspace
from rapport.insights.tests.factories import Bakery, today_of
from rapport.insights.tests.test_incremental_refresh import everything
from rapport.people.actions import record_purchase
from tests.worker_processes import finish_with_another, kill_mid_task


def test_a_worker_killed_mid_refresh_leaves_it_to_the_next_one(personas, worker_database, tmp_path):
    bakery = Bakery(personas)
    ws = bakery.workspace
    # Two years of history, so that the refresh writes quarter after quarter.
    for days in range(45, 730, 45):
        record_purchase(
            bakery.customers["Gus"],
            purchased_on=today_of(ws) - dt.timedelta(days=days),
            amount=Decimal("4"),
        )
    snapshots = Snapshot.objects.filter(workspace=ws)
    refresh_workspace.enqueue(ws.pk)
    killed = kill_mid_task(
        worker_database, tmp_path, snapshots.exists, "the first snapshots, the refresh running"
    )
    written = snapshots.count()
    finish_with_another(worker_database, tmp_path, killed)
    assert 0 < written < snapshots.count(), "killed part-way, not after the last write"
    after_the_kill = everything(ws)
    refresh_snapshots(ws, full=True)
    assert everything(ws) == after_the_kill
