"""A worker killed (SIGKILL) in the middle of reading messages or of an import: another one
started afterwards takes the work up, and nothing is lost or done twice."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rapport.imports.actions import create_run, start_run
from rapport.imports.models import ImportRun
from rapport.people.models import Person
from rapport.understanding.models import InteractionReading
from rapport.understanding.tasks import analyze_workspace
from tests.test_workers_share_reading import PER_BLOCK, backlog
from tests.worker_processes import finish_with_another, kill_mid_task, logs


def all_done() -> bool:
    return not DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists()


def test_reading_goes_on_after_the_worker_is_killed_mid_batch(personas, worker_database, tmp_path):
    total = backlog(personas.bakery)
    analyze_workspace.enqueue(personas.bakery.pk)
    readings = InteractionReading.objects.filter(workspace=personas.bakery)
    killed = kill_mid_task(
        worker_database,
        tmp_path,
        lambda: readings.count() >= PER_BLOCK,
        "the first block read and the next one started",
    )
    before = dict(readings.values_list("interaction_id", "pk"))
    assert 0 < len(before) < total
    finish_with_another(
        worker_database, tmp_path, killed, done=lambda: readings.count() == total and all_done()
    )
    assert not DBTaskResult.objects.failed().exists(), logs(tmp_path)
    # What was read before the kill was not read again.
    after = dict(readings.values_list("interaction_id", "pk"))
    assert {i: after[i] for i in before} == before


def test_an_import_goes_on_after_the_worker_is_killed(personas, worker_database, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("ID,Name\n" + "".join(f"C{i},Person {i}\n" for i in range(4000)))
    run = create_run(
        personas.bakery,
        "people",
        path,
        original_filename="people.csv",
        member=personas.alice_member,
        options={"group": "customer"},
    )
    start_run(run, {"ID": "external_id", "Name": "name"}, {})
    runs = ImportRun.objects.filter(pk=run.pk)
    killed = kill_mid_task(
        worker_database, tmp_path, runs.filter(rows_done__gte=1000).exists, "the first batch"
    )
    run.refresh_from_db()
    assert run.status == "running" and run.rows_done < 4000
    finish_with_another(worker_database, tmp_path, killed, done=runs.filter(status="done").exists)
    run.refresh_from_db()
    assert (run.rows_done, run.created, run.unchanged, run.rejected) == (4000, 4000, 0, 0)
    assert Person.objects.filter(workspace=personas.bakery).count() == 4000
    assert run.finished_at > run.started_at > timezone.now() - dt.timedelta(minutes=10)
