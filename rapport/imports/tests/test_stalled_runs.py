"""A run whose worker died stays "running" forever unless someone can see it and resume it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rapport.imports.actions import create_run, resume_run
from rapport.imports.models import STALL_AFTER, ImportRun
from rapport.people.models import Person
from rapport.test import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def killed_run(personas, write_file, run_import):
    """A run whose worker was killed after writing the first of two batches."""
    path = write_file("p.csv", "ID,Name\nC1,Ann\nC2,Ben\nC3,Cy\n")
    first = run_import("people", write_file("first.csv", "ID,Name\nC1,Ann\n"), group="customer")
    assert first.created == 1
    run = create_run(
        personas.bakery,
        "people",
        path,
        original_filename="p.csv",
        member=personas.alice_member,
        options={"group": "customer"},
    )
    long_ago = timezone.now() - STALL_AFTER - timedelta(minutes=1)
    ImportRun.objects.filter(pk=run.pk).update(
        status="running", rows_done=1, started_at=long_ago, progressed_at=long_ago
    )
    run.refresh_from_db()
    return run


def test_a_run_with_no_progress_for_ten_minutes_is_stalled(killed_run):
    assert killed_run.is_stalled
    ImportRun.objects.filter(pk=killed_run.pk).update(progressed_at=timezone.now())
    killed_run.refresh_from_db()
    assert not killed_run.is_stalled


def test_the_run_page_says_stalled_and_offers_resume(client, personas, killed_run):
    login(client, personas.alice)
    html = client.get(reverse("imports:run", args=["alices-bakery", killed_run.pk])).content
    assert b"Stalled:" in html and b'name="resume"' in html
    assert b'hx-trigger="every 1s"' not in html
    listing = client.get(reverse("imports:list", args=["alices-bakery"])).content
    assert b"<td>Stalled</td>" in listing


def test_resuming_reruns_the_whole_file_without_duplicating_anyone(client, personas, killed_run):
    login(client, personas.alice)
    response = client.post(
        reverse("imports:run", args=["alices-bakery", killed_run.pk]), {"resume": "1"}
    )
    assert response.status_code == 302
    killed_run.refresh_from_db()
    assert (killed_run.status, killed_run.created, killed_run.unchanged) == ("done", 2, 1)
    assert Person.objects.filter(workspace=personas.bakery).count() == 3


def test_a_run_that_is_moving_cannot_be_resumed(personas, killed_run):
    ImportRun.objects.filter(pk=killed_run.pk).update(progressed_at=timezone.now())
    killed_run.refresh_from_db()
    assert not resume_run(killed_run)
    killed_run.refresh_from_db()
    assert killed_run.status == "running"


def test_only_one_of_two_resume_clicks_queues_the_run(personas, killed_run, monkeypatch):
    queued = []
    fake_task = type("FakeTask", (), {"enqueue": staticmethod(queued.append)})
    monkeypatch.setattr("rapport.imports.tasks.run_import", fake_task)
    stale_copy = ImportRun.objects.get(pk=killed_run.pk)
    assert resume_run(killed_run)
    assert not resume_run(stale_copy)
    assert queued == [killed_run.pk]
