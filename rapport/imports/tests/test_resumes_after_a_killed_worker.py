"""An import whose worker died mid-file goes on after its last committed batch when the
task runs again, with the counts of one uninterrupted run."""

import pytest

from rapport.imports.actions import create_run, execute_run
from rapport.imports.models import ImportRun
from rapport.imports.running import run_in_background
from rapport.people.models import Person

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """What SIGKILL does to the worker, as far as the database can tell: it stops."""


def killed_after_the_first_batch(personas, path, *, group: str) -> ImportRun:
    """A people import of ``path`` whose worker died once its first batch was committed."""
    run = create_run(
        personas.bakery,
        "people",
        path,
        original_filename=path.name,
        member=personas.alice_member,
        options={"group": group},
    )

    def killed(progress):
        raise Killed

    with pytest.raises(Killed):
        execute_run(run, progress=killed)
    run.refresh_from_db()
    return run


def test_a_run_taken_up_again_goes_on_where_it_stopped(personas, write_file):
    rows = [f"C{i},Person {i}" for i in range(2500)]
    rows[2100] = "C5,Someone else"  # a duplicate of line 7, after the crash
    path = write_file("people.csv", "ID,Name\n" + "\n".join(rows) + "\n")
    run = killed_after_the_first_batch(personas, path, group="customer")
    assert (run.status, run.rows_done, run.created) == ("running", 1000, 1000)

    run_in_background(run.pk)  # the worker runs the task again
    run = ImportRun.objects.get(pk=run.pk)
    assert run.status == "done"
    assert (run.rows_done, run.created, run.unchanged, run.rejected) == (2500, 2499, 0, 1)
    assert Person.objects.filter(workspace=personas.bakery).count() == 2499
    issue = run.issues.get()
    assert issue.line == 2102 and "duplicate of line 7" in issue.reason


def test_managers_named_before_they_appear_are_linked_after_the_run_is_taken_up(
    personas, write_file
):
    # Everyone in the first batch reports to M1, who is on the last line: the link waits for
    # the end of the run, and the worker dies in between.
    rows = [f"E{i},Employee {i},M1" for i in range(1500)] + ["M1,Marie Leclerc,"]
    path = write_file("staff.csv", "ID,Name,Manager ID\n" + "\n".join(rows) + "\n")
    run = killed_after_the_first_batch(personas, path, group="employee")
    run_in_background(run.pk)
    run = ImportRun.objects.get(pk=run.pk)
    assert (run.status, run.created) == ("done", 1501)
    marie = Person.objects.get(workspace=personas.bakery, external_id="M1")
    reports = Person.objects.filter(workspace=personas.bakery, manager=marie)
    assert reports.count() == 1500
    assert "deferred" not in run.options
