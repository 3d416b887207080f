"""Entries from CSV and XLSX files: good rows kept, bad rows named, a re-run changes nothing."""

import csv
import io

import pytest
from openpyxl import Workbook

from rapport.accounts.models import AuditEvent
from rapport.knowledge.actions import ImportFileError, export_entries, import_entries
from rapport.knowledge.models import Entry

ROWS = [
    ["id", "question", "answer", "language"],
    ["hours", "When do you open?", "We open at 7.", "en"],  # line 2
    ["hours", "Are you open on Sunday?", "", ""],  # line 3
    ["gluten-free", "Do you have gluten-free bread?", "On Fridays.", ""],  # line 4
    ["", "Orphan question?", "An answer.", ""],  # line 5: no id
    ["hours", "What are your hours?", "We open at 8.", ""],  # line 6: another answer
    ["wifi", "Do you have wifi?", "", "english"],  # line 7: not a language code
    ["parking", "", "", ""],  # line 8: nothing
    ["cakes", "When do you open?", "Custom cakes take 3 days.", ""],  # line 9: hours' question
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_it_keeps_the_good_rows_and_names_the_bad_ones(personas, tmp_path):
    result = import_entries(
        personas.bakery, write_csv(tmp_path / "faq.csv", ROWS), personas.alice_member
    )
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert [str(e) for e in result.errors] == [
        "line 5: id: empty; row left out",
        "line 6: answer: differs from the answer of 'hours' on line 2; row left out",
        "line 7: answer: write the answer; entry 'wifi' left out",
        "line 7: language: 'english' is not a two-letter code like en, fr or de; "
        "entry 'wifi' left out",
        "line 8: question: empty; row left out",
        "line 9: questions: 'When do you open?' is in both 'hours' and 'cakes': keep it in "
        "one; entry 'cakes' left out",
    ]
    hours = Entry.objects.get(workspace=personas.bakery, key="hours")
    assert hours.question_list == ["When do you open?", "Are you open on Sunday?"]
    assert hours.answer == "We open at 7."
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_running_the_same_file_again_changes_nothing(personas, tmp_path):
    path = write_csv(tmp_path / "faq.csv", ROWS)
    import_entries(personas.bakery, path, personas.alice_member)
    stamps = list(Entry.objects.values_list("key", "updated_at"))
    again = import_entries(personas.bakery, path, personas.alice_member)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Entry.objects.values_list("key", "updated_at")) == stamps


def test_it_reads_an_xlsx_with_all_questions_in_one_cell(personas, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Key", "Questions", "Answer"])
    sheet.append(["hours", "When do you open? | Are you open on Sunday?", "At 7."])
    sheet.append(["delivery", "Do you deliver?\nCan you bring a cake to my office?", "Yes."])
    book.save(tmp_path / "faq.xlsx")
    result = import_entries(personas.bakery, tmp_path / "faq.xlsx", personas.bob_member)
    assert (result.created, result.errors) == (2, [])
    assert Entry.objects.get(key="delivery").question_list == [
        "Do you deliver?",
        "Can you bring a cake to my office?",
    ]


def test_a_file_updates_an_entry_and_moves_a_question_between_entries(personas, faq, tmp_path):
    path = write_csv(
        tmp_path / "faq.csv",
        [
            ["id", "question", "answer"],
            ["hours", "When do you open?", "We open at 7, Sundays at 8."],
            ["sunday", "Are you open on Sunday?", "Yes, from 8."],
        ],
    )
    result = import_entries(personas.bakery, path, personas.alice_member)
    assert (result.created, result.updated, result.errors) == (1, 1, [])
    assert Entry.objects.get(key="hours").question_list == ["When do you open?"]


def test_an_exported_file_imports_into_another_business_unchanged(personas, faq, tmp_path):
    out = io.StringIO()
    assert export_entries(personas.bakery, out, personas.alice_member) == 5
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue())
    result = import_entries(personas.garage, path, personas.charlie_member)
    assert (result.created, result.errors) == (2, [])
    again = import_entries(personas.bakery, path, personas.alice_member)
    assert again.unchanged == 2


def test_it_refuses_a_file_without_the_columns_it_needs(personas, tmp_path):
    path = write_csv(tmp_path / "faq.csv", [["name", "text"], ["a", "b"]])
    with pytest.raises(ImportFileError, match="no column id, question .or questions., answer"):
        import_entries(personas.bakery, path, personas.alice_member)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ImportFileError, match="empty"):
        import_entries(personas.bakery, tmp_path / "empty.csv", personas.alice_member)
    assert not Entry.objects.exists()
