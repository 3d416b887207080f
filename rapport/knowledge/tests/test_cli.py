"""``rapport knowledge``: import, export, list and the threshold table in the terminal."""

import csv

from rapport.knowledge.models import Entry
from rapport.knowledge.tests.test_history import ROUTINE
from rapport.people.tests.factories import make_touch
from rapport.test import main

from .conftest import customers


def test_it_imports_a_file_and_names_each_bad_row(personas, tmp_path, capsys):
    path = tmp_path / "faq.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["id", "question", "answer"],
                ["hours", "When do you open?", "At 7."],
                ["hours", "Open on Sunday?", "At 8."],
            ]
        )
    code = main(["knowledge", "import", "--workspace", "alices-bakery", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{path}: line 3: answer: differs from the answer of 'hours' on line 2" in out
    assert "Alice's Bakery: 1 created, 0 updated, 0 unchanged, 1 problem." in out
    assert Entry.objects.get(workspace=personas.bakery).question_list == ["When do you open?"]


def test_it_refuses_a_missing_file_a_stranger_and_an_unknown_business(personas, capsys):
    assert main(["knowledge", "import", "--workspace", "alices-bakery", "/no/such.csv"]) == 2
    args = ["knowledge", "list", "--workspace", "nobodys-shop"]
    assert main(args) == 2
    stranger = ["--member", "charlie@example.com", "--workspace", "alices-bakery", "x.csv"]
    assert main(["knowledge", "import", *stranger]) == 2
    err = capsys.readouterr().err
    assert "no such file: /no/such.csv" in err
    assert "charlie@example.com is not a manager or owner of alices-bakery" in err


def test_it_exports_lists_and_imports_the_export_again(personas, faq, tmp_path, capsys):
    out = tmp_path / "kb.csv"
    assert main(["knowledge", "export", "--workspace", "alices-bakery", "--out", str(out)]) == 0
    assert out.read_text().splitlines()[0] == "id,question,answer,language"
    assert main(["knowledge", "list", "--workspace", "alices-bakery"]) == 0
    listed = capsys.readouterr().out
    assert "Alice's Bakery: 2 entries." in listed and "  ? Are you open on Sunday?" in listed
    assert main(["knowledge", "import", "--workspace", "alices-bakery", str(out)]) == 0
    assert "0 created, 0 updated, 2 unchanged." in capsys.readouterr().out


def test_it_prints_the_threshold_table(personas, faq, capsys):
    assert main(["knowledge", "threshold", "--workspace", "alices-bakery"]) == 0
    assert "Not enough history yet" in capsys.readouterr().out
    people = customers(personas.bakery, 3)
    for i in range(30):
        make_touch(people[i % 3], days_ago=i + 1, text=ROUTINE[i % len(ROUTINE)])
    assert main(["knowledge", "threshold", "--workspace", "alices-bakery"]) == 0
    out = capsys.readouterr().out
    assert "the last 30 written messages" in out and "0.97" in out and "<- now" in out
    assert "an estimate from the calibrated confidence" in out
