import csv

import pytest
from django.urls import reverse

from rapport.test import login, main

pytestmark = pytest.mark.django_db

# Each row is rejected for its birthday; its other cells would run in a spreadsheet.
FILE = (
    "ID,Name,Birthday\n"
    'C1,"=HYPERLINK(""http://evil.example"",""Dana"")",2999-01-01\n'
    "C2,+cmd,2999-01-01\n"
    "C3,@SUM(A1:A2),2999-01-01\n"
    "C4,=1+1,2999-01-01\n"
    "C5,+33 1 99 00 06 47,2999-01-01\n"
)


def test_the_errors_download_escapes_formulas(client, personas, write_file, run_import):
    run = run_import("people", write_file("p.csv", FILE), group="customer")
    assert run.rejected == 5

    response = login(client, personas.alice).get(
        reverse("imports:errors", args=["alices-bakery", run.pk])
    )
    rows = list(csv.reader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()))

    names = [row[5] for row in rows[1:]]
    assert names == [
        '\'=HYPERLINK("http://evil.example","Dana")',
        "'+cmd",
        "'@SUM(A1:A2)",
        "'=1+1",
        "+33 1 99 00 06 47",
    ]


def test_the_cli_errors_csv_escapes_formulas(personas, write_file, tmp_path, monkeypatch):
    monkeypatch.setattr("rapport.lib.commands.migrate", lambda verbosity=0: None)
    out = tmp_path / "errors.csv"
    path = write_file("p.csv", FILE)
    main(["import", "people", str(path), "--workspace", "alices-bakery", "--group", "customer",
          "--errors-csv", str(out)])  # fmt: skip

    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert [row[3] for row in rows[1:]] == ["'=HYPERLINK(\"http://evil.example\",\"Dana\")",
        "'+cmd", "'@SUM(A1:A2)", "'=1+1", "+33 1 99 00 06 47"]  # fmt: skip
