"""An anonymous survey's import keeps nothing of who answered: its rejected rows are stored
with their answers only, and the uploaded file is deleted when the run ends."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rapport.feedback.actions import create_survey
from rapport.imports.actions import ImportFailed, create_run, execute_run, store_upload
from rapport.imports.kinds.responses.rows import ANONYMOUS_TIME
from rapport.imports.models import ImportRun
from rapport.test import login, main

pytestmark = pytest.mark.django_db

EXPORTS = Path(__file__).parent / "fixtures" / "survey_exports"
GOOGLE_CSV = EXPORTS / "google_forms_customer_feedback.csv"
MONKEY_CSV = EXPORTS / "surveymonkey_customer_survey.csv"
# What SurveyMonkey's export says of Ann besides her answers: respondent and collector ids,
# start and end times, IP address, email, first and last name.
ANNS_METADATA = (
    "118052219061",
    "431287019",
    "11/02/2026 09:58:12 AM",
    "11/02/2026 10:01:40 AM",
    "81.2.69.142",
    "ann.lee@example.com",
    "Ann",
    "Lee",
)


@pytest.fixture(autouse=True)
def migrated(monkeypatch):
    monkeypatch.setattr("rapport.lib.commands.migrate", lambda verbosity=0: None)


def edited(write_file, source: Path, name: str, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    return write_file(name, text.replace(old, new, 1))


def monkey_with_a_bad_row(write_file) -> Path:
    return edited(
        write_file,
        MONKEY_CSV,
        "monkey.csv",
        "81.2.69.142,ann.lee@example.com,Ann,Lee,,9,",
        "81.2.69.142,ann.lee@example.com,Ann,Lee,,ten,",
    )


def import_on_the_web(client, personas, path, anonymity: str) -> ImportRun:
    login(client, personas.alice)
    uploaded = client.post(
        reverse("imports:list", args=["alices-bakery"]),
        {"kind": "responses", "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    client.post(uploaded.url, {"anonymity": anonymity})
    return ImportRun.objects.latest("id")


def test_a_rejected_row_of_an_anonymous_survey_keeps_its_answers_but_not_who_gave_them(
    client, personas, write_file
):
    run = import_on_the_web(client, personas, monkey_with_a_bad_row(write_file), "anonymous")

    assert (run.status, run.rejected) == ("done", 1)
    issue = run.issues.get(is_warning=False)
    assert (issue.line, issue.reason) == (3, "'ten' is not a number from 0 to 10")
    assert issue.field.startswith("How likely is it that you would recommend")
    assert "ten" in issue.values and "Longer opening hours on Sunday." in issue.values
    stored = json.dumps(list(run.issues.values_list("field", "reason", "values")))
    for secret in ANNS_METADATA:
        assert secret not in stored

    body = b"".join(client.get(reverse("imports:errors", args=["alices-bakery", run.pk])))
    header, line = list(csv.reader(io.StringIO(body.decode())))[:2]
    assert header[4:8] == ["Respondent ID", "Collector ID", "Start Date", "End Date"]
    assert line[:3] == ["3", issue.field, issue.reason] and "ten" in line
    for secret in ANNS_METADATA:
        assert secret not in line


def test_a_confidential_survey_keeps_the_rejected_rows_cells_and_the_file(
    client, personas, write_file
):
    run = import_on_the_web(client, personas, monkey_with_a_bad_row(write_file), "confidential")

    assert "ann.lee@example.com" in run.issues.get(is_warning=False).values
    assert Path(run.stored_path).exists() and "upload_deleted" not in run.options


def test_the_upload_of_an_anonymous_survey_is_deleted_when_the_run_is_done(
    client, personas, write_file
):
    run = import_on_the_web(client, personas, monkey_with_a_bad_row(write_file), "anonymous")

    assert run.status == "done" and not Path(run.stored_path).exists()
    assert run.options["upload_deleted"] is True
    page = client.get(reverse("imports:run", args=["alices-bakery", run.pk])).content.decode()
    assert "The uploaded file was deleted when the import ended" in page
    assert "only the answers' cells are kept" in page


def test_the_upload_of_an_anonymous_survey_is_deleted_when_the_run_fails(personas):
    survey = create_survey(personas.bakery, blueprint="employee_pulse", anonymity="anonymous")
    path = store_upload(
        personas.bakery,
        SimpleUploadedFile(GOOGLE_CSV.name, GOOGLE_CSV.read_bytes()),
        (".csv",),
    )
    run = create_run(
        personas.bakery,
        "responses",
        path,
        original_filename=GOOGLE_CSV.name,
        member=personas.alice_member,
        options={"survey_id": survey.pk},
    )

    with pytest.raises(ImportFailed, match="no column matches a question"):
        execute_run(run)

    run.refresh_from_db()
    assert run.status == "failed" and run.options["upload_deleted"] is True
    assert not path.exists()


def test_the_cli_leaves_the_persons_own_file_and_hides_a_bad_time(
    personas, write_file, tmp_path, capsys
):
    path = edited(
        write_file,
        GOOGLE_CSV,
        "feedback.csv",
        '"2026/11/07 10:12:09 AM GMT+1"',
        '"2026/13/07 10:12:09 AM GMT+1"',
    )
    errors = tmp_path / "errors.csv"
    args = ["--anonymity", "anonymous", "--errors-csv", str(errors), "--progress", "never"]

    assert main(["import", "responses", str(path), "--workspace", "alices-bakery", *args]) == 0

    run = ImportRun.objects.get()
    issue = run.issues.get()
    assert (issue.line, issue.field, issue.reason) == (7, "Timestamp", ANONYMOUS_TIME)
    assert issue.values[:2] == ["", ""] and issue.values[2] != ""
    # The CLI imports the file where it is: it is the person's own, and so is the errors CSV.
    assert path.exists() and "upload_deleted" not in run.options
    assert "2026/13/07 10:12:09 AM GMT+1" in errors.read_text(encoding="utf-8")
