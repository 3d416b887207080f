"""A predictions refresh whose worker died after storing one subject: the task run again
(rapport worker puts it back) leaves one current run per subject, nothing stored twice."""

from rapport.predictions import actions
from rapport.predictions.choices import Subject
from rapport.predictions.models import PredictionRun
from rapport.predictions.tasks import refresh_workspace
from rapport.workers.leases import take


def test_the_refresh_run_again_finishes_what_the_dead_worker_left(personas, shop):
    # The dead worker stored the customers' run, then stopped; its lease was left behind.
    actions.refresh(personas.bakery, [Subject.CUSTOMERS])
    assert take(f"predictions:{personas.bakery.pk}", holder="dead-worker", seconds=-1)
    assert refresh_workspace.call(personas.bakery.pk) == len(Subject.values)
    current = PredictionRun.objects.filter(workspace=personas.bakery, current=True)
    assert sorted(current.values_list("subject", flat=True)) == sorted(Subject.values)
    assert not actions.due(personas.bakery)
