"""Survey responses from Google Forms, Typeform and SurveyMonkey exports (CSV, XLSX, JSON).

The fixtures in ``fixtures/survey_exports`` follow each tool's real layout; docs/imports.md
describes them.
"""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from rapport.feedback.actions import create_survey
from rapport.feedback.choices import Anonymity, Channel, QuestionKind, SurveyStatus
from rapport.feedback.models import Answer, Response, Survey
from rapport.imports.kinds.responses.columns import ColumnStats, Source, detect
from rapport.imports.kinds.responses.rows import parse_submitted
from rapport.imports.models import ImportRun
from rapport.people.actions import create_person
from rapport.test import login, main

pytestmark = pytest.mark.django_db

EXPORTS = Path(__file__).parent / "fixtures" / "survey_exports"
GOOGLE_CSV = EXPORTS / "google_forms_customer_feedback.csv"
GOOGLE_XLSX = EXPORTS / "google_forms_customer_feedback.xlsx"
TYPEFORM_CSV = EXPORTS / "typeform_staff_pulse.csv"
TYPEFORM_JSON = EXPORTS / "typeform_responses_api.json"
MONKEY_CSV = EXPORTS / "surveymonkey_customer_survey.csv"
MONKEY_XLSX = EXPORTS / "surveymonkey_customer_survey.xlsx"
PLAIN_JSON = EXPORTS / "catering_feedback.json"
NPS_TEXT = "How likely are you to recommend Alice's Bakery to a friend or colleague?"
K = QuestionKind


@pytest.fixture(autouse=True)
def migrated(monkeypatch):
    monkeypatch.setattr("rapport.lib.commands.migrate", lambda verbosity=0: None)


def import_responses(path, *extra: str, workspace="alices-bakery") -> int:
    return main(
        ["import", "responses", str(path), "--workspace", workspace, "--progress", "never", *extra]
    )


def last_run() -> ImportRun:
    return ImportRun.objects.latest("id")


def the_survey() -> Survey:
    return Survey.objects.get(pk=last_run().options["survey_id"])


def kinds(survey) -> dict[str, str]:
    return {q.text: q.kind for q in survey.questions.all()}


def answers_of(response) -> dict:
    return {a.question.text: a.value for a in response.answers.select_related("question")}


def edited(write_file, source: Path, name: str, replace: list[tuple[str, str]]) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new, 1)
    return write_file(name, text)


# --- Google Forms ------------------------------------------------------------------------


def test_a_google_forms_csv_creates_a_closed_survey_with_the_questions_it_recognises(
    personas, capsys
):
    assert import_responses(GOOGLE_CSV) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "12 rows: 12 created, 0 updated, 0 unchanged, 0 rejected (1 survey created)"
    survey = the_survey()
    assert out[1] == f"Google Forms: created survey {survey.pk} “Google forms customer feedback”"
    assert (survey.status, survey.anonymity) == (SurveyStatus.CLOSED, Anonymity.CONFIDENTIAL)
    assert kinds(survey) == {
        NPS_TEXT: K.NPS,
        "How satisfied were you with your visit today?": K.CSAT,
        "What did you buy?": K.MULTIPLE,
        "How did you hear about us?": K.SINGLE,
        "Rate our products [Bread]": K.RATING,
        "Rate our products [Pastries]": K.RATING,
        "Rate our products [Coffee]": K.RATING,
        "Anything else you would like to tell us?": K.TEXT,
    }
    bought = survey.questions.get(text="What did you buy?")
    assert bought.options == ["Sourdough loaf", "Croissants", "Coffee", "Sandwiches", "Cakes"]
    assert survey.questions.get(text="Rate our products [Bread]").scale_max == 5
    assert Response.objects.filter(survey=survey, channel=Channel.IMPORT).count() == 12


def test_each_google_forms_row_keeps_its_own_time_and_answers(personas):
    import_responses(GOOGLE_CSV)
    first = Response.objects.filter(survey=the_survey()).order_by("submitted_at").first()
    # "2026/11/02 8:14:03 AM GMT+1" is 07:14:03 UTC.
    assert first.submitted_at == dt.datetime(2026, 11, 2, 7, 14, 3, tzinfo=dt.UTC)
    assert first.submitted_on == dt.date(2026, 11, 2)
    assert answers_of(first) == {
        NPS_TEXT: 9,
        "How satisfied were you with your visit today?": 5,
        "What did you buy?": ["Sourdough loaf", "Croissants"],
        "How did you hear about us?": ["Walking past"],
        "Rate our products [Bread]": 5,
        "Rate our products [Pastries]": 4,
        "Anything else you would like to tell us?": (
            "The sourdough is the best in town, but the Saturday queue was out of the door."
        ),
    }


def test_importing_the_same_file_again_adds_nothing(personas, capsys):
    import_responses(GOOGLE_CSV)
    capsys.readouterr()
    assert import_responses(GOOGLE_CSV) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "12 rows: 0 created, 0 updated, 12 unchanged, 0 rejected"
    assert out[1].startswith("Google Forms: added to survey")
    assert Survey.objects.filter(workspace=personas.bakery).count() == 1
    assert Response.objects.count() == 12 and Answer.objects.count() == 87


def test_a_known_email_links_the_person_and_an_unknown_one_links_no_one(personas, capsys):
    ann = create_person(
        personas.bakery, group="customer", name="Ann Lee", email="Ann.Lee@example.com"
    )
    import_responses(GOOGLE_CSV)
    assert "(1 survey created, 2 linked to people)" in capsys.readouterr().out
    linked = Response.objects.filter(person=ann)
    assert linked.count() == 2 and {r.group for r in linked} == {"customer"}
    # Only known people are linked: the file's other addresses are not kept anywhere.
    others = Response.objects.exclude(person=ann)
    assert all(r.person_id is None and r.contact_email == "" for r in others)
    assert not Response.objects.filter(external_id__contains="@").exists()


def test_an_email_in_another_workspace_links_no_one(personas):
    create_person(personas.garage, group="customer", name="Ann", email="ann.lee@example.com")
    import_responses(GOOGLE_CSV)
    assert not Response.objects.filter(person__isnull=False).exists()


def test_a_bad_row_is_reported_by_line_and_question_and_the_good_rows_are_kept(
    personas, write_file, tmp_path
):
    path = edited(
        write_file,
        GOOGLE_CSV,
        "feedback.csv",
        [
            ('"carla.m@example.net","6","3"', '"carla.m@example.net","11","3"'),
            ('"2026/11/07 10:12:09 AM GMT+1"', '"2026/13/07 10:12:09 AM GMT+1"'),
        ],
    )
    errors = tmp_path / "errors.csv"
    assert import_responses(path, "--errors-csv", str(errors)) == 0
    run = last_run()
    assert (run.created, run.rejected) == (10, 2)
    issues = [(i.line, i.field, i.reason) for i in run.issues.order_by("line")]
    assert issues[0] == (4, NPS_TEXT[:60], "11 is outside 0–10")
    assert issues[1][:2] == (7, "Timestamp") and "2026/13/07" in issues[1][2]
    rows = list(csv.reader(errors.open(encoding="utf-8-sig")))
    by_line = {r[0]: r for r in rows[1:]}
    assert sorted(by_line) == ["4", "7"]
    assert by_line["4"][1] == f"{NPS_TEXT}: 11 is outside 0–10"
    assert by_line["4"][2:5] == ["2026/11/03 12:05:27 PM GMT+1", "carla.m@example.net", "11"]

    # Fixed and imported again: the two rows come in, the ten others are unchanged.
    assert import_responses(GOOGLE_CSV) == 0
    assert (last_run().created, last_run().unchanged) == (2, 10)
    assert Response.objects.count() == 12


def test_a_timestamp_in_the_future_is_rejected(personas, write_file):
    path = edited(
        write_file,
        GOOGLE_CSV,
        "feedback.csv",
        [('"2026/11/18 10:02:11 AM GMT+1"', '"2099/11/18 10:02:11 AM GMT+1"')],
    )
    import_responses(path)
    issue = last_run().issues.get()
    assert (issue.line, issue.field) == (13, "Timestamp") and "in the future" in issue.reason


def test_the_xlsx_download_of_the_response_sheet_reads_the_same(personas):
    assert import_responses(GOOGLE_XLSX) == 0
    survey = the_survey()
    assert kinds(survey)[NPS_TEXT] == K.NPS and len(kinds(survey)) == 8
    assert survey.responses.count() == 12
    # The sheet holds local times without a zone: they are read in the workspace's zone.
    first = survey.responses.order_by("submitted_at").first()
    assert first.submitted_at == dt.datetime(2026, 11, 2, 8, 14, 3, tzinfo=dt.UTC)


def test_a_sheet_in_us_format_reads_month_first(personas, write_file):
    path = write_file(
        "sheet.csv",
        "Timestamp,How likely are you to recommend us?\n"
        "11/18/2026 10:02:11,9\n11/05/2026 16:00:00,7\n",
    )
    import_responses(path)
    times = sorted(r.submitted_at for r in Response.objects.all())
    assert times == [
        dt.datetime(2026, 11, 5, 16, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 18, 10, 2, 11, tzinfo=dt.UTC),
    ]


# --- Typeform ----------------------------------------------------------------------------


def test_typeform_option_columns_become_one_multiple_choice_question(personas):
    assert import_responses(TYPEFORM_CSV) == 0
    survey = the_survey()
    options = ["Flexible hours", "Training", "Team lunches", "Staff discount"]
    perks = survey.questions.get(kind=K.MULTIPLE)
    assert perks.options == options and perks.text == " / ".join(options)
    assert kinds(survey) == {
        "How likely are you to recommend Alice's Bakery as a place to work?": K.ENPS,
        "How easy was it to get what you needed to do your job this month?": K.CES,
        perks.text: K.MULTIPLE,
        "Which shift do you work most often?": K.SINGLE,
        "What one thing would make your work better?": K.TEXT,
    }
    # eNPS makes it an employee survey.
    assert survey.audience_group == "employee"
    response = survey.responses.get(external_id="7c8e4d9b6e1f4a3b5d0c2e4f6a8b9c0d")
    # "Submit Date (UTC)" is UTC whatever the workspace's zone.
    assert response.submitted_at == dt.datetime(2026, 11, 18, 9, 6, 38, tzinfo=dt.UTC)
    assert perks.pk not in {a.question_id for a in response.answers.all()}
    chose = survey.responses.get(external_id="6b7d3c8a5d0e4f2a4c9b1d3e5f7a8b9c")
    assert chose.answers.get(question=perks).choices == options


def test_typeform_times_stay_utc_in_a_workspace_elsewhere(personas):
    personas.bakery.time_zone = "Europe/Paris"
    personas.bakery.save()
    import_responses(TYPEFORM_CSV)
    response = Response.objects.get(external_id="7c8e4d9b6e1f4a3b5d0c2e4f6a8b9c0d")
    assert response.submitted_at == dt.datetime(2026, 11, 18, 9, 6, 38, tzinfo=dt.UTC)


def test_a_repeated_respondent_id_is_rejected_as_a_duplicate(personas, write_file):
    lines = TYPEFORM_CSV.read_text().splitlines()
    path = write_file("pulse.csv", "\n".join([*lines, lines[2]]) + "\n")
    import_responses(path)
    run = last_run()
    assert (run.created, run.rejected) == (8, 1)
    assert run.issues.get().reason == "duplicate of line 3: the first row wins"


def test_the_typeform_responses_api_json_reads_refs_and_field_types(personas):
    emma = create_person(personas.bakery, group="customer", name="Emma", email="emma.w@example.com")
    assert import_responses(TYPEFORM_JSON) == 0
    survey = the_survey()
    assert kinds(survey) == {
        "NPS": K.NPS,
        "Visit satisfaction": K.CSAT,
        "Bought": K.MULTIPLE,
        "Visit again": K.SINGLE,
        "Comments": K.TEXT,
    }
    assert [q.key for q in survey.questions.all()] == [
        "nps",
        "visit_satisfaction",
        "bought",
        "visit_again",
        "comments",
    ]
    # An answer of type email says who answered; it is not stored as an answer.
    response = survey.responses.get(person=emma)
    assert answers_of(response) == {
        "NPS": 10,
        "Visit satisfaction": 5,
        "Bought": ["Cakes", "Coffee"],
        "Visit again": ["Yes"],
    }
    assert response.submitted_at == dt.datetime(2026, 11, 12, 16, 21, 55, tzinfo=dt.UTC)


def test_a_typeform_webhook_log_uses_the_form_definition_for_wording_and_choices(
    personas, write_file
):
    definition = {
        "title": "Café feedback",
        "fields": [
            {"id": "a1", "ref": "nps", "type": "nps", "title": "Would you recommend us?"},
            {
                "id": "b2",
                "ref": "drink",
                "type": "multiple_choice",
                "title": "What did you drink?",
                "choices": [{"label": "Tea"}, {"label": "Coffee"}, {"label": "Cocoa"}],
            },
        ],
    }
    events = [
        {
            "event_type": "form_response",
            "form_response": {
                "token": f"t{i}",
                "submitted_at": f"2026-11-1{i}T10:00:00Z",
                "definition": definition,
                "answers": [
                    {"field": {"ref": "nps", "type": "nps"}, "type": "number", "number": 8 + i},
                    {
                        "field": {"ref": "drink", "type": "multiple_choice"},
                        "type": "choice",
                        "choice": {"label": "Tea"},
                    },
                ],
            },
        }
        for i in range(2)
    ]
    import_responses(write_file("webhooks.json", json.dumps(events, indent=2)))
    survey = the_survey()
    assert survey.title == "Café feedback"
    assert kinds(survey) == {"Would you recommend us?": K.NPS, "What did you drink?": K.SINGLE}
    assert survey.questions.get(key="drink").options == ["Tea", "Coffee", "Cocoa"]


def test_a_json_object_that_is_not_a_response_is_reported_at_its_line(personas, write_file):
    text = PLAIN_JSON.read_text().rstrip().rstrip("]") + ',\n  "oops"\n]\n'
    import_responses(write_file("catering.json", text))
    run = last_run()
    assert (run.created, run.rejected) == (3, 1)
    issue = run.issues.get()
    assert issue.line == text.splitlines().index('  "oops"') + 1
    assert "expected an object with answers" in issue.reason


def test_a_plain_json_list_keeps_lists_as_several_choices(personas):
    assert import_responses(PLAIN_JSON) == 0
    survey = the_survey()
    assert kinds(survey) == {
        "How likely are you to recommend our catering to a colleague?": K.NPS,
        "What did you enjoy?": K.MULTIPLE,
        "Comments": K.TEXT,
    }
    late = survey.responses.get(submitted_on=dt.date(2026, 11, 12))
    assert late.submitted_at == dt.datetime(2026, 11, 12, 12, 30, tzinfo=dt.UTC)
    assert answers_of(late)["What did you enjoy?"] == ["Cakes"]


def test_broken_json_is_one_line_and_exit_2(personas, write_file, capsys):
    assert import_responses(write_file("broken.json", '[{"a": 1},\n {"b": }]')) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid JSON" in err and "line 2" in err


def test_json_nested_beyond_reason_is_one_line_and_exit_2(personas, write_file, capsys):
    deep = "[" * 100_000 + "]" * 100_000
    assert import_responses(write_file("deep.json", f'[{{"a": {deep}}}]')) == 2
    assert import_responses(write_file("deeper.json", deep)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and err.count("nested too deeply") == 2


# --- SurveyMonkey ------------------------------------------------------------------------

MONKEY_KINDS = {
    "How likely is it that you would recommend Alice's Bakery to a friend or colleague?": K.NPS,
    "Overall, how satisfied or dissatisfied are you with Alice's Bakery?": K.CSAT,
    "Which of the following did you buy? (Select all that apply)": K.MULTIPLE,
    "Which of the following did you buy? (Select all that apply) [Other (please specify)]": (
        K.TEXT
    ),
    "How satisfied are you with each of the following? [Freshness]": K.CSAT,
    "How satisfied are you with each of the following? [Price]": K.CSAT,
    "How satisfied are you with each of the following? [Friendliness]": K.CSAT,
    "How would you rate our online ordering?": K.RATING,
    "What could we do better?": K.TEXT,
}


@pytest.mark.parametrize("path", [MONKEY_CSV, MONKEY_XLSX], ids=["csv", "xlsx"])
def test_surveymonkey_two_header_rows_become_questions(personas, path):
    assert import_responses(path) == 0
    survey = the_survey()
    assert kinds(survey) == MONKEY_KINDS
    bought = survey.questions.get(kind=K.MULTIPLE)
    assert bought.options == ["Bread", "Cakes", "Coffee"]
    assert survey.responses.count() == 7
    # The second header row is not a response; the first response is on line 3.
    ann = survey.responses.get(external_id="118052219061")
    assert ann.submitted_at == dt.datetime(2026, 11, 2, 10, 1, 40, tzinfo=dt.UTC)
    answers = answers_of(ann)
    assert (
        answers["Overall, how satisfied or dissatisfied are you with Alice's Bakery?"] == 5
    )  # "Very satisfied"
    assert answers["How satisfied are you with each of the following? [Price]"] == 4
    assert answers["Which of the following did you buy? (Select all that apply)"] == [
        "Bread",
        "Coffee",
    ]


def test_an_ip_address_is_never_stored(personas):
    import_responses(MONKEY_CSV)
    stored = json.dumps(
        [list(Answer.objects.values_list("text", "choices"))]
        + [list(Response.objects.values_list("external_id", "contact_email", "segment"))]
    )
    assert "81.2.69" not in stored
    assert "81.2.69" not in json.dumps(last_run().options)


def test_surveymonkey_rows_are_numbered_from_line_3(personas, write_file):
    path = edited(
        write_file,
        MONKEY_CSV,
        "monkey.csv",
        [
            (
                "81.2.69.142,ann.lee@example.com,Ann,Lee,,9,",
                "81.2.69.142,ann.lee@example.com,Ann,Lee,,ten,",
            )
        ],
    )
    import_responses(path)
    issue = last_run().issues.get()
    assert issue.line == 3 and issue.reason == "'ten' is not a number from 0 to 10"


def test_an_unanswered_matrix_row_stays_a_row_and_an_unchosen_option_stays_an_option():
    from rapport.imports.kinds.responses.columns import _surveymonkey_questions
    from rapport.imports.kinds.responses.reading import Column

    columns = [
        Column(0, "Rate us", "Freshness", "Rate us"),
        Column(1, "", "Parking", "Rate us"),
        Column(2, "Bought?", "Bread", "Bought?"),
        Column(3, "", "Cakes", "Bought?"),
        Column(4, "", "Other (please specify)", "Bought?"),
    ]
    stats = [ColumnStats(c.sub) for c in columns]
    stats[0].add("Very satisfied")
    stats[2].add("Bread")
    stats[4].add("Vouchers")
    found = [(s.positions, s.text, s.labels) for s in _surveymonkey_questions(columns, stats)]
    assert found == [
        ([0], "Rate us [Freshness]", []),
        ([1], "Rate us [Parking]", []),
        ([2, 3], "Bought?", ["Bread", "Cakes"]),
        ([4], "Bought? [Other (please specify)]", []),
    ]


# --- an existing survey --------------------------------------------------------------------


def _survey_with_two_questions(workspace):
    return create_survey(
        workspace,
        title="Customer NPS",
        questions=[
            {"kind": K.NPS, "text": NPS_TEXT, "key": "nps"},
            {"kind": K.TEXT, "text": "Why?", "key": "reason"},
        ],
    )


def test_with_survey_columns_are_matched_to_its_questions_and_the_others_reported(personas, capsys):
    survey = _survey_with_two_questions(personas.bakery)
    assert import_responses(GOOGLE_CSV, "--survey", str(survey.pk)) == 0
    out = capsys.readouterr().out
    assert f"added to survey {survey.pk} “Customer NPS”" in out
    assert Survey.objects.count() == 1 and survey.responses.count() == 12
    assert set(Answer.objects.values_list("question__key", flat=True)) == {"nps"}
    unmatched = last_run().issues.filter(is_warning=True)
    assert {i.field for i in unmatched} >= {"What did you buy?", "Rate our products [Bread]"}
    assert all("no question of survey “Customer NPS” matches" in i.reason for i in unmatched)


def test_map_sends_a_column_to_a_question_of_the_survey(personas):
    survey = _survey_with_two_questions(personas.bakery)
    import_responses(
        GOOGLE_CSV,
        "--survey",
        str(survey.pk),
        "--map",
        "Anything else you would like to tell us?=reason",
    )
    reasons = Answer.objects.filter(question__key="reason")
    assert reasons.count() == 11
    assert reasons.filter(text="Lovely staff, always a smile.").exists()


def test_a_survey_of_another_workspace_cannot_be_named(personas, capsys):
    theirs = _survey_with_two_questions(personas.garage)
    assert import_responses(GOOGLE_CSV, "--survey", str(theirs.pk)) == 2
    assert f"no survey {theirs.pk} in workspace 'alices-bakery'" in capsys.readouterr().err
    assert not Response.objects.exists()


def test_a_survey_with_no_matching_question_fails_with_the_reason(personas, capsys):
    survey = create_survey(
        personas.bakery, title="Other", questions=[{"kind": K.TEXT, "text": "Hello?"}]
    )
    assert import_responses(GOOGLE_CSV, "--survey", str(survey.pk)) == 2
    assert "no column matches a question of survey" in capsys.readouterr().err
    assert last_run().status == "failed" and not Response.objects.exists()


# --- anonymity, identity, re-exports ------------------------------------------------------


def test_an_anonymous_survey_links_no_one_and_keeps_only_the_week(personas):
    create_person(personas.bakery, group="customer", name="Ann", email="ann.lee@example.com")
    import_responses(GOOGLE_CSV, "--anonymity", "anonymous")
    survey = the_survey()
    assert survey.is_anonymous
    responses = list(survey.responses.all())
    assert all(r.person_id is None and r.submitted_at is None for r in responses)
    assert all(r.external_id == "" for r in responses)
    assert {r.submitted_on.weekday() for r in responses} == {0}
    # Imported again: still twelve.
    import_responses(GOOGLE_CSV, "--anonymity", "anonymous")
    assert last_run().unchanged == 12 and Response.objects.count() == 12


def test_two_identical_rows_without_an_id_are_two_responses_on_every_import(personas, write_file):
    lines = GOOGLE_CSV.read_text().splitlines()
    path = write_file("twice.csv", "\n".join([*lines, lines[1]]) + "\n")
    import_responses(path)
    assert last_run().created == 13
    import_responses(path)
    assert (last_run().created, last_run().unchanged) == (0, 13)


def test_a_longer_export_adds_its_new_choices_to_the_imported_survey(personas, write_file):
    import_responses(GOOGLE_CSV)
    lines = GOOGLE_CSV.read_text().splitlines()
    later = (
        '"2026/11/20 9:00:00 AM GMT+1","","9","5","Gluten-free bread","Walking past",'
        '"5","5","5","Finally gluten-free!"'
    )
    longer = write_file("Google forms customer feedback.csv", "\n".join([*lines, later]) + "\n")
    import_responses(longer)
    run = last_run()
    assert (run.created, run.unchanged, run.rejected) == (1, 12, 0)
    bought = Survey.objects.get().questions.get(text="What did you buy?")
    assert bought.options[-1] == "Gluten-free bread"
    assert (
        run.issues.get(is_warning=True).reason == "choices added to the question: Gluten-free bread"
    )


def test_a_dry_run_counts_but_leaves_no_survey(personas, capsys):
    assert import_responses(GOOGLE_CSV, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would have 12 rows: 12 created" in out and "would go to a new survey" in out
    assert not Survey.objects.exists() and not ImportRun.objects.exists()


def test_show_mapping_lists_each_column_and_stops(personas, capsys):
    assert import_responses(MONKEY_CSV, "--show-mapping") == 0
    out = capsys.readouterr().out
    assert out.startswith("SurveyMonkey export (utf-8, comma-separated), 7 rows")
    assert "IP Address" in out and "->  ip_address" in out
    assert "Which of the following did you buy? (Select all that apply) (3 columns)" in out
    assert "Several choices: Bread, Cakes, Coffee" in out
    assert not Survey.objects.exists()


def test_map_can_ignore_a_column_and_force_a_kind(personas):
    import_responses(
        GOOGLE_CSV,
        "--map",
        "How did you hear about us?=",
        "--map",
        "What did you buy?=text",
    )
    assert kinds(the_survey())["What did you buy?"] == K.TEXT
    assert "How did you hear about us?" not in kinds(the_survey())


def test_an_unknown_map_target_is_one_line(personas, capsys):
    assert import_responses(GOOGLE_CSV, "--map", "What did you buy?=banana") == 2
    assert "'banana' is neither a metadata field" in capsys.readouterr().err


# --- recognising kinds and times -----------------------------------------------------------


def _detected(header: str, values: list) -> tuple[str, list[str], int]:
    stats = ColumnStats(header)
    for value in values:
        stats.add(value)
    source = Source([0], header)
    detect(source, [stats])
    return source.kind, source.options, source.scale_max


@pytest.mark.parametrize(
    ("header", "values", "kind"),
    [
        ("How likely are you to recommend us to a friend?", ["0", "7", "10", "9"], K.NPS),
        ("How likely are you to recommend us as a place to work?", ["3", "9"], K.ENPS),
        ("Would you recommend working here?", ["6", "10", "8"], K.ENPS),
        ("How satisfied were you?", ["1", "5", "4"], K.CSAT),
        ("I feel heard. (disagree – agree)", ["2", "4", "5"], K.LIKERT),
        ("How easy was it to book?", ["1", "6", "7"], K.CES),
        ("The food", ["3", "4", "5"], K.RATING),
        ("Overall", ["Very satisfied", "Dissatisfied", "Satisfied"], K.CSAT),
        ("My manager listens", ["Strongly agree", "Agree", "Disagree"], K.LIKERT),
        ("Branch", ["North", "South", "North", "South", "North"], K.SINGLE),
        ("Age", ["34", "51", "27", "34"], K.TEXT),
        ("Toppings", ["Ham, Cheese", "Cheese", "Ham", "Cheese, Olives", "Olives"], K.MULTIPLE),
        ("Comment", ["Great, thanks", "Slow service today", "Loved it, will be back"], K.TEXT),
        ("Never answered", [], K.TEXT),
    ],
)
def test_a_columns_kind_is_recognised_from_its_values_and_wording(header, values, kind):
    assert _detected(header, values)[0] == kind


def test_a_rating_out_of_ten_keeps_its_top():
    assert _detected("Rate the food", ["2", "8", "9"]) == (K.RATING, [], 10)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026/11/18 10:02:11 AM GMT+1", "dmy", dt.datetime(2026, 11, 18, 9, 2, 11)),
        ("2026/11/18 4:02:11 PM GMT-5", "dmy", dt.datetime(2026, 11, 18, 21, 2, 11)),
        ("2026/11/18 10:02:11 AM GMT+5:30", "dmy", dt.datetime(2026, 11, 18, 4, 32, 11)),
        ("11/18/2026 10:02:11 AM", "mdy", dt.datetime(2026, 11, 18, 10, 2, 11)),
        ("18/11/2026 10:02:11", "dmy", dt.datetime(2026, 11, 18, 10, 2, 11)),
        ("2026-11-18T09:02:11Z", "dmy", dt.datetime(2026, 11, 18, 9, 2, 11)),
    ],
)
def test_submission_times_are_read_with_their_zone(text, order, expected):
    assert parse_submitted(text, dt.UTC, order) == expected.replace(tzinfo=dt.UTC)


# --- the web ---------------------------------------------------------------------------------


def _upload(client, path, name=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("imports:list", args=["alices-bakery"]),
        {"kind": "responses", "file": SimpleUploadedFile(name or path.name, path.read_bytes())},
    )


def test_bob_uploads_a_typeform_json_checks_the_questions_and_imports_it(client, personas):
    login(client, personas.bob)
    response = _upload(client, TYPEFORM_JSON)
    run = ImportRun.objects.get(workspace=personas.bakery)
    assert response.status_code == 302 and run.kind == "responses"

    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Typeform (JSON) export" in html and "As detected: Net Promoter (0–10)" in html
    assert "Visit satisfaction" in html

    started = client.post(response.url, {"title": "Web feedback", "anonymity": "confidential"})
    assert started.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.created, run.rejected) == ("done", 5, 0)
    assert run.started_by == personas.bob_member
    survey = Survey.objects.get(workspace=personas.bakery)
    assert survey.title == "Web feedback" and survey.created_by == personas.bob_member

    results = client.get(response.url).content.decode()
    assert "Survey created" in results and "Web feedback" in results


def test_the_web_errors_csv_names_surveymonkey_columns_by_question(client, personas, write_file):
    path = edited(
        write_file,
        MONKEY_CSV,
        "monkey.csv",
        [
            (
                "81.2.69.142,ann.lee@example.com,Ann,Lee,,9,",
                "81.2.69.142,ann.lee@example.com,Ann,Lee,,ten,",
            )
        ],
    )
    login(client, personas.alice)
    run_url = _upload(client, path).url
    client.post(run_url, {"anonymity": "confidential"})
    run = ImportRun.objects.get()
    body = b"".join(client.get(reverse("imports:errors", args=["alices-bakery", run.pk])))
    header, line = list(csv.reader(io.StringIO(body.decode())))[:2]
    assert header[4:8] == ["Respondent ID", "Collector ID", "Start Date", "End Date"]
    assert "Which of the following did you buy? (Select all that apply) [Bread]" in header
    assert line[:3] == [
        "3",
        "How likely is it that you would recommend Alice's Bakery to a friend or colleague?"[:60],
        "'ten' is not a number from 0 to 10",
    ]


def test_the_web_form_can_ignore_a_column(client, personas):
    login(client, personas.alice)
    run_url = _upload(client, GOOGLE_CSV).url
    page = client.get(run_url)
    form = page.context["form"]
    field = next(name for name, s in form.source_fields if s.text == "How did you hear about us?")
    client.post(run_url, {field: "ignore", "anonymity": "confidential"})
    assert "How did you hear about us?" not in kinds(Survey.objects.get())


def test_alice_adds_an_export_to_an_existing_survey_from_the_web(client, personas):
    survey = _survey_with_two_questions(personas.bakery)
    login(client, personas.alice)
    run_url = _upload(client, GOOGLE_CSV).url
    assert (
        f'<option value="{survey.pk}">Customer NPS</option>' in client.get(run_url).content.decode()
    )
    client.post(run_url, {"survey": str(survey.pk), "anonymity": "confidential"})
    run = ImportRun.objects.get()
    assert (run.status, run.created, run.options["survey_id"]) == ("done", 12, survey.pk)
    assert Survey.objects.count() == 1
    assert run.issues.filter(is_warning=True, field="What did you buy?").exists()


def test_a_survey_of_another_business_cannot_be_chosen_on_the_web(client, personas):
    theirs = _survey_with_two_questions(personas.garage)
    login(client, personas.alice)
    run_url = _upload(client, GOOGLE_CSV).url
    page = client.post(run_url, {"survey": str(theirs.pk), "anonymity": "confidential"})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    assert ImportRun.objects.get().status == "pending" and not Response.objects.exists()


def test_charlie_cannot_see_alices_pending_survey_import(client, personas):
    login(client, personas.alice)
    run_url = _upload(client, GOOGLE_CSV).url
    login(client, personas.charlie)
    assert client.get(run_url).status_code == 404


def test_json_is_refused_for_other_kinds(client, personas):
    login(client, personas.alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        reverse("imports:list", args=["alices-bakery"]),
        {"kind": "people", "file": SimpleUploadedFile("p.json", b"[]")},
    )
    assert "Only survey responses can be imported from JSON." in page.content.decode()
    assert not ImportRun.objects.exists()


def test_vera_the_viewer_cannot_import_responses(client, personas):
    login(client, personas.vera)
    assert _upload(client, GOOGLE_CSV).status_code == 404
    assert not ImportRun.objects.exists()
