import csv

import pytest

from rapport.imports.models import ImportRun
from rapport.people.models import Person
from rapport.test import main

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def migrated(monkeypatch):
    # The test database is already migrated; skipping migrate keeps each CLI call fast.
    monkeypatch.setattr("rapport.lib.commands.migrate", lambda verbosity=0: None)


def import_people(path, *extra: str) -> int:
    """``rapport import people PATH --workspace alices-bakery --group customer EXTRA...``"""
    return main(
        [
            "import",
            "people",
            str(path),
            "--workspace",
            "alices-bakery",
            "--group",
            "customer",
            *extra,
        ]
    )


def test_an_unknown_workspace_exits_2_with_one_line(write_file, personas, capsys):
    path = write_file("p.csv", "ID,Name\nC1,Ann\n")
    assert main(["import", "people", str(path), "--workspace", "nope", "--group", "customer"]) == 2
    err = capsys.readouterr().err
    assert err == "rapport import: no workspace 'nope' (see the slug in its web address)\n"


def test_a_missing_file_exits_2_with_one_line(personas, capsys, tmp_path):
    assert import_people(tmp_path / "gone.csv") == 2
    assert "no such file" in capsys.readouterr().err


def test_it_imports_and_prints_the_counts(write_file, personas, capsys):
    path = write_file("p.csv", "ID,Name\nC1,Ann\nC2,Ben\n")
    assert import_people(path) == 0
    assert capsys.readouterr().out == "2 rows: 2 created, 0 updated, 0 unchanged, 0 rejected\n"
    run = ImportRun.objects.get(workspace=personas.bakery)
    assert (run.via, run.status) == ("cli", "done")


def test_a_dry_run_counts_but_saves_nothing(write_file, personas, capsys):
    path = write_file("p.csv", "ID,Name,Birthday\nC1,Ann,\nC2,Ben,2999-01-01\n")
    assert import_people(path, "--dry-run") == 0
    assert (
        "would have 2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected"
        in capsys.readouterr().out
    )
    assert not Person.objects.exists()
    assert not ImportRun.objects.exists()


def test_errors_csv_holds_each_rejected_row_with_line_and_reason(write_file, personas, tmp_path):
    path = write_file("p.csv", "ID,Name,Birthday\nC1,Ann,\nC2,Ben,2999-01-01\nC3,Cy,nope\n")
    out = tmp_path / "errors.csv"
    import_people(path, "--errors-csv", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["line", "errors", "ID", "Name", "Birthday"]
    assert [r[0] for r in rows[1:]] == ["3", "4"]
    assert rows[1][1].startswith("birthday: 2999-01-01 is in the future")
    assert rows[2][2:] == ["C3", "Cy", "nope"]


def test_map_overrides_the_detected_column(write_file, personas):
    path = write_file("p.csv", "ID,Legacy,Name\n1,L-1,Ann\n")
    import_people(path, "--map", "Legacy=external_id")
    assert Person.objects.get().external_id == "L-1"


def test_a_mapping_without_a_required_field_exits_2(write_file, personas, capsys):
    path = write_file("p.csv", "Customer ID,Amount\nC1,3\n")
    assert main(["import", "purchases", str(path), "--workspace", "alices-bakery"]) == 2
    assert "purchased_on" in capsys.readouterr().err


def test_people_imports_need_a_group(write_file, personas, capsys):
    path = write_file("p.csv", "ID,Name\nC1,Ann\n")
    assert main(["import", "people", str(path), "--workspace", "alices-bakery"]) == 2
    assert "--group" in capsys.readouterr().err


def test_the_progress_line_goes_to_stderr_only_when_asked(write_file, personas, capsys):
    path = write_file("p.csv", "ID,Name\nC1,Ann\n")
    import_people(path, "--progress", "always")
    captured = capsys.readouterr()
    assert "\r[" in captured.err and "1/1 rows" in captured.err and "rows/s" in captured.err
    assert "rows/s" not in captured.out


def test_it_prints_which_rows_were_rejected_and_why(write_file, personas, capsys):
    path = write_file("p.csv", "ID,Name,Birthday\nC1,Ann,\nC2,Ben,2999-01-01\nC3,Cy,nope\n")
    assert import_people(path, "--progress", "never") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "3 rows: 1 created, 0 updated, 0 unchanged, 2 rejected"
    assert out[1] == "Rejected:"
    assert out[2].startswith("  line 3: birthday: 2999-01-01 is in the future")
    assert out[3].startswith("  line 4: birthday: ")
    assert out[4] == "All rejected rows with their cells: import again with --errors-csv PATH"


def test_it_prints_the_first_ten_rejected_rows_and_where_the_rest_are(
    write_file, personas, capsys, tmp_path
):
    rows = "".join(f"C{i},Ann,2999-01-01\n" for i in range(12))
    out_file = tmp_path / "rejected.csv"
    assert import_people(write_file("p.csv", "ID,Name,Birthday\n" + rows), "--dry-run",
                         "--errors-csv", str(out_file)) == 0  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "Rejected (the first 10 of 12):"
    assert [line.split(":")[0] for line in out[2:12]] == [f"  line {n}" for n in range(2, 12)]
    assert out[12] == f"All rejected rows with their cells: {out_file}"
    assert len(list(csv.reader(out_file.open(encoding="utf-8-sig")))) == 13


def test_it_prints_no_rejected_list_when_nothing_was_rejected(write_file, personas, capsys):
    assert import_people(write_file("p.csv", "ID,Name\nC1,Ann\n")) == 0
    assert "Rejected" not in capsys.readouterr().out
