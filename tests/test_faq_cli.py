"""`rapport faq`: a knowledge base tried on real questions, with no database."""

import csv

from rapport.cli import main

FAQ = """id,question,answer
hours,When do you open?,"We open at 7, Sundays at 8."
hours,Are you open on Sunday?,
gift,Do you sell gift cards?,"Yes, from 10 to 100 euros."
gift,Can I buy a voucher?,Something else
,orphan question,
cakes,Can you make a birthday cake?,
"""
QUESTIONS = """text,truth
what time do you open tomorrow?,hours
do you have gift vouchers,gift
=HYPERLINK("http://example.com"),
I want to speak to the owner,
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_answers_what_the_knowledge_base_covers_and_reports_bad_rows(tmp_path, capsys):
    faq, questions = write(tmp_path, "faq.csv", FAQ), write(tmp_path, "q.csv", QUESTIONS)
    assert main(["faq", faq, questions, "--text-column", "text", "--truth-column", "truth"]) == 0
    out, err = capsys.readouterr()
    assert "line 6: id: empty; row left out" in err
    assert "line 5: answer: differs from the answer of 'gift' on line 4; the first is kept" in err
    assert "entry 'cakes': answer: none on any row; entry left out" in err
    assert "4 questions, 2 entries" in out and "threshold  answered" in out
    with open(tmp_path / "q-faq.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["entry_id"] for r in rows[:2]] == ["hours", "gift"]
    assert [r["answered_automatically"] for r in rows] == ["yes", "yes", "no", "no"]
    assert "asks for a person" in rows[3]["reasons"]
    assert rows[2]["text"].startswith("'=")  # a formula in a cell is written as text


def test_a_knowledge_base_without_its_columns_is_refused_in_one_line(tmp_path, capsys):
    faq = write(tmp_path, "faq.csv", "id,text,reply\nhours,When?,We open at 7\n")
    questions = write(tmp_path, "q.csv", QUESTIONS)
    assert main(["faq", faq, questions, "--text-column", "text"]) == 2
    assert "no column question, answer (the knowledge base needs id, question and answer)" in (
        capsys.readouterr().err
    )


def test_a_truth_column_naming_unknown_entries_writes_nothing(tmp_path, capsys):
    faq = write(tmp_path, "faq.csv", FAQ)
    questions = write(tmp_path, "q.csv", "text,truth\nwhen do you open,opening\n")
    out = tmp_path / "result.csv"
    code = main(
        [
            "faq",
            faq,
            questions,
            "--text-column",
            "text",
            "--truth-column",
            "truth",
            "--out",
            str(out),
        ]
    )
    assert code == 2 and not out.exists()
    assert "names entries the knowledge base does not have: opening" in capsys.readouterr().err


def test_a_threshold_outside_zero_to_one_is_refused(tmp_path, capsys):
    faq, questions = write(tmp_path, "faq.csv", FAQ), write(tmp_path, "q.csv", QUESTIONS)
    assert main(["faq", faq, questions, "--text-column", "text", "--threshold", "1.5"]) == 2
    assert "--threshold must be between 0 and 1" in capsys.readouterr().err
