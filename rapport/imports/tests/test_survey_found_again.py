"""Importing an export of the same questions again finds the survey an earlier import made;
another anonymity or title than that survey's is refused before anything is written."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rapport.feedback.models import Response, Survey
from rapport.imports.models import ImportRun
from rapport.test import login, main

pytestmark = pytest.mark.django_db

EXPORTS = Path(__file__).parent / "fixtures" / "survey_exports"
GOOGLE_CSV = EXPORTS / "google_forms_customer_feedback.csv"
# A later answer that chose a new option: finding the survey again would add it.
LATER = (
    '"2026/11/20 9:00:00 AM GMT+1","","9","5","Gluten-free bread","Walking past",'
    '"5","5","5","Finally gluten-free!"'
)


@pytest.fixture(autouse=True)
def migrated(monkeypatch):
    monkeypatch.setattr("rapport.lib.commands.migrate", lambda verbosity=0: None)


@pytest.fixture
def longer_export(write_file):
    lines = GOOGLE_CSV.read_text(encoding="utf-8").splitlines()
    return write_file("Google forms customer feedback.csv", "\n".join([*lines, LATER]) + "\n")


def import_responses(path, *extra: str) -> int:
    return main(
        ["import", "responses", str(path), "--workspace", "alices-bakery", "--progress", "never"]
        + list(extra)
    )


def options_of_what_was_bought() -> list[str]:
    return Survey.objects.get().questions.get(text="What did you buy?").options


def test_another_anonymity_is_refused_before_anything_is_written(personas, longer_export, capsys):
    assert import_responses(GOOGLE_CSV, "--anonymity", "identified") == 0
    survey = Survey.objects.get()
    options = options_of_what_was_bought()
    capsys.readouterr()

    assert import_responses(longer_export, "--anonymity", "anonymous") == 2

    err = capsys.readouterr().err
    assert (
        f"survey {survey.pk} “{survey.title}” (an earlier import of these questions made it) "
        "exists as identified; it cannot take anonymous answers —" in err
    )
    assert "import with anonymity identified to add them to it" in err
    run = ImportRun.objects.latest("id")
    assert run.status == "failed" and "cannot take anonymous answers" in run.failure
    assert Survey.objects.get().anonymity == "identified"
    assert options_of_what_was_bought() == options
    assert Response.objects.count() == 12


def test_another_title_is_refused_and_the_same_or_none_adds_to_the_survey(
    personas, longer_export, capsys
):
    assert import_responses(GOOGLE_CSV, "--title", "Shop feedback") == 0
    capsys.readouterr()

    assert import_responses(longer_export, "--title", "Shop feedback 2027") == 2
    assert "but the title given is “Shop feedback 2027”" in capsys.readouterr().err
    assert Response.objects.count() == 12 and Survey.objects.get().title == "Shop feedback"

    assert import_responses(longer_export, "--title", "shop  Feedback") == 0
    assert import_responses(longer_export, "--anonymity", "confidential") == 0
    run = ImportRun.objects.latest("id")
    assert (run.created, run.unchanged) == (0, 13)
    assert Survey.objects.count() == 1 and Response.objects.count() == 13


def test_the_web_check_page_offers_the_found_surveys_anonymity(client, personas):
    assert import_responses(GOOGLE_CSV, "--anonymity", "anonymous") == 0
    login(client, personas.alice)
    uploaded = client.post(
        reverse("imports:list", args=["alices-bakery"]),
        {"kind": "responses", "file": SimpleUploadedFile(GOOGLE_CSV.name, GOOGLE_CSV.read_bytes())},
    )

    page = client.get(uploaded.url)
    assert page.context["form"]["anonymity"].value() == "anonymous"
    assert "It keeps its title and its anonymity (anonymous)" in page.content.decode()

    refused = client.post(uploaded.url, {"anonymity": "confidential"})
    assert refused.status_code == 200
    assert "exists as anonymous; it cannot take confidential answers" in refused.content.decode()
    assert ImportRun.objects.latest("id").status == "pending"

    client.post(uploaded.url, {"anonymity": "anonymous"})
    run = ImportRun.objects.latest("id")
    assert (run.status, run.unchanged) == ("done", 12) and Response.objects.count() == 12
