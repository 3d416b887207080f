"""A predictions refresh whose worker died after storing one subject: the task run again
(rapport worker puts it back) leaves one current run per subject, nothing stored twice."""

from rapport.predictions import actions
from rapport.predictions.choices import Subject
from rapport.predictions.models import PredictionRun
from rapport.predictions.tasks import refresh_workspace
from rapport.workers.leases import take
from tests.worker_processes import finish_with_another, kill_mid_task


def test_the_refresh_run_again_finishes_what_the_dead_worker_left(personas, shop):
    # The dead worker stored the customers' run, then stopped; its lease was left behind.
    actions.refresh(personas.bakery, [Subject.CUSTOMERS])
    assert take(f"predictions:{personas.bakery.pk}", holder="dead-worker", seconds=-1)
    assert refresh_workspace.call(personas.bakery.pk) == len(Subject.values)
    current = PredictionRun.objects.filter(workspace=personas.bakery, current=True)
    assert sorted(current.values_list("subject", flat=True)) == sorted(Subject.values)
    assert not actions.due(personas.bakery)


def test_a_worker_killed_mid_refresh_leaves_it_to_the_next_one(
    personas, shop, worker_database, tmp_path
):
    """The same with a real `rapport worker` process killed (SIGKILL) while it refreshes."""
    runs = PredictionRun.objects.filter(workspace=personas.bakery)
    refresh_workspace.enqueue(personas.bakery.pk)
    killed = kill_mid_task(
        worker_database, tmp_path, runs.exists, "the first subject stored, the refresh running"
    )
    stored = runs.count()
    assert 0 < stored < len(Subject.values), stored
    finish_with_another(worker_database, tmp_path, killed)
    current = PredictionRun.objects.filter(workspace=personas.bakery, current=True)
    assert sorted(current.values_list("subject", flat=True)) == sorted(Subject.values)
    assert not actions.due(personas.bakery)
