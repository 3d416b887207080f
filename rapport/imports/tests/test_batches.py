"""Batches: good rows kept, failed batches reported, crashes leave whole batches."""

import gc

import pytest

from rapport.imports.kinds.people import PeopleKind
from rapport.people.models import Person

pytestmark = pytest.mark.django_db


def _people(n, bad_line=None):
    lines = ["ID,Name,Birthday"]
    for i in range(1, n + 1):
        birthday = "31/02/1990" if i + 1 == bad_line else "01/02/1990"
        lines.append(f"C{i},Person {i},{birthday}")
    return "\n".join(lines) + "\n"


def test_it_keeps_good_rows_when_one_row_is_bad(write_file, run_import, personas):
    run = run_import("people", write_file("p.csv", _people(5, bad_line=4)), group="customer")
    assert (run.rows_done, run.created, run.rejected) == (5, 4, 1)
    issue = run.issues.get()
    assert (issue.line, issue.field) == (4, "birthday")
    assert "31/02/1990" in issue.reason


def test_a_batch_the_database_refuses_is_reported_and_the_others_continue(
    write_file, run_import, personas, monkeypatch
):
    original = PeopleKind.write

    def write(self, rows, ctx):
        if rows[0].line == 4:
            raise RuntimeError("disk I/O error")
        return original(self, rows, ctx)

    monkeypatch.setattr(PeopleKind, "write", write)
    run = run_import("people", write_file("p.csv", _people(6)), group="customer", batch_size=2)
    assert (run.status, run.created, run.rejected) == ("done", 4, 2)
    issue = run.issues.get()
    assert (issue.line, issue.last_line) == (4, 5)
    assert "disk I/O error" in issue.reason
    assert sorted(
        Person.objects.filter(workspace=personas.bakery).values_list("external_id", flat=True)
    ) == ["C1", "C2", "C5", "C6"]


def test_a_crash_leaves_whole_batches_and_a_rerun_completes_the_rest(
    write_file, run_import, personas, monkeypatch
):
    original = PeopleKind.write

    class Crash(BaseException):
        """Stands for the process dying: not an error the run can catch."""

    def crashing(self, rows, ctx):
        result = original(self, rows, ctx)
        if rows[0].line == 6:
            raise Crash
        return result

    path = write_file("p.csv", _people(7))
    monkeypatch.setattr(PeopleKind, "write", crashing)
    with pytest.raises(Crash):
        run_import("people", path, group="customer", batch_size=2)
    assert Person.objects.filter(workspace=personas.bakery).count() == 4
    # The loop collects garbage itself while it runs; the process gets its collector back.
    assert gc.isenabled()
    monkeypatch.setattr(PeopleKind, "write", original)
    run = run_import("people", path, group="customer", batch_size=2)
    assert (run.created, run.unchanged) == (3, 4)
    assert Person.objects.filter(workspace=personas.bakery).count() == 7


def test_the_counts_add_up_to_the_rows_read(write_file, run_import):
    text = 'ID,Name\nC1,Ann\nC2,"Bob\nC1,Dup\n,\nC4,Dan,extra\n'
    run = run_import("people", write_file("p.csv", text), group="customer")
    assert run.created + run.updated + run.unchanged + run.rejected == run.rows_done


def test_batches_cost_a_fixed_number_of_queries_whatever_their_size(
    write_file, personas, django_assert_max_num_queries
):
    from rapport.imports.actions import create_run, execute_run
    from rapport.people.actions import create_person

    for i in range(200):
        create_person(personas.bakery, group="customer", name=f"P{i}", external_id=f"C{i}")
    rows = "".join(f"C{i},2024-01-0{1 + i % 9} 10:00,email,hello {i}\n" for i in range(200))
    path = write_file("i.csv", "Customer ID,Date,Channel,Message\n" + rows)
    run = create_run(personas.bakery, "interactions", path, original_filename="i.csv", via="cli")
    with django_assert_max_num_queries(40):
        execute_run(run, batch_size=1000)
    assert run.created == 200
