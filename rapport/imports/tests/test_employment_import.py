import datetime as dt
from decimal import Decimal

import pytest

from rapport.people.actions import create_person
from rapport.people.models import EmploymentEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(personas):
    return create_person(personas.bakery, group="employee", name="Ada", external_id="E1")


def test_it_imports_hires_exits_and_absences(write_file, run_import, ada):
    text = "Employee ID,Event,Date,Days,Reason\nE1,Hired,2020-01-06,,\nE1,sick,2023-02-01,1.5,flu\nE1,resigned,2024-03-31,,moving away\n"
    run = run_import("employment", write_file("e.csv", text))
    assert run.created == 3
    events = {e.kind: e for e in EmploymentEvent.objects.filter(person=ada)}
    assert events["absence"].days == Decimal("1.5")
    assert events["exit_voluntary"].date == dt.date(2024, 3, 31)


def test_a_hire_in_the_future_is_rejected_but_booked_leave_is_not(write_file, run_import, ada):
    text = "Employee ID,Event,Date\nE1,hire,2999-01-01\nE1,absence,2999-01-01\n"
    run = run_import("employment", write_file("e.csv", text))
    assert (run.created, run.rejected) == (1, 1)
    assert run.issues.get().line == 2


def test_a_corrected_reason_updates_the_same_event(write_file, run_import, ada):
    run_import(
        "employment", write_file("a.csv", "Employee ID,Event,Date,Reason\nE1,fired,2024-01-02,\n")
    )
    run = run_import(
        "employment",
        write_file("b.csv", "Employee ID,Event,Date,Reason\nE1,fired,2024-01-02,misconduct\n"),
    )
    assert (run.created, run.updated) == (0, 1)
    assert EmploymentEvent.objects.get(person=ada).reason == "misconduct"
