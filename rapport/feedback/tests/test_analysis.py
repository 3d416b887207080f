"""What respondents write is read on arrival, like messages are, and only with consent."""

import pytest
from django.db import connection, transaction

from rapport.feedback import actions
from rapport.feedback.analysis import analyze_pending_responses, pending_responses
from rapport.feedback.choices import Channel, SurveyStatus
from rapport.feedback.models import ResponseReading
from rapport.people.tests.factories import make_customer
from rapport.understanding import actions as understanding


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run as soon as they are queued, so a response is read when its save commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def arrive(django_capture_on_commit_callbacks):
    """Submit a response and run what its commit queues (the reading task)."""

    def submit(survey, answers: dict, **fields):
        raw = {survey.questions.get(key=key): value for key, value in answers.items()}
        with django_capture_on_commit_callbacks(execute=True):
            submitted = actions.submit_response(
                survey, raw, channel=fields.pop("channel", Channel.PUBLIC), **fields
            )
        # The test's transaction never commits; empty the callback list as a commit would.
        connection.run_on_commit.clear()
        return submitted.response

    return submit


def open_survey(workspace, blueprint, **settings):
    survey = actions.create_survey(workspace, blueprint=blueprint, **settings)
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def test_free_text_answers_are_read_on_arrival_joined_in_question_order(personas, arrive):
    survey = open_survey(personas.bakery, "customer_nps")
    dana = make_customer(personas.bakery, email="dana@example.com")

    # Given out of order: the reading follows the questions' order, not the form's.
    response = arrive(
        survey,
        {
            "improve": "Call me on 020 7946 0958 about the refund.",
            "nps": "3",
            "reason": "The cake was stale and nobody answered my emails.",
        },
        person=dana,
    )

    reading = ResponseReading.objects.get(response=response)
    text = "The cake was stale and nobody answered my emails.\n\nCall me on 020 7946 0958 about the refund."
    assert reading.workspace_id == personas.bakery.pk
    assert reading.model_version == understanding.current_version()
    assert reading.source_field == "answers"
    assert reading.sentiment == "negative"
    spans = {(text[s["start"] : s["end"]], s["kind"]) for s in reading.pii}
    assert ("020 7946 0958", "phone") in spans
    assert reading.redacted == text.replace("020 7946 0958", "[PHONE]")


def test_a_response_with_no_free_text_is_not_read(personas, arrive):
    survey = open_survey(personas.bakery, "customer_nps")

    response = arrive(survey, {"nps": "9"})

    assert not ResponseReading.objects.filter(response=response).exists()
    assert pending_responses(personas.bakery).count() == 0


def test_people_who_did_not_consent_are_not_read_and_anonymous_answers_are(personas, arrive):
    nps = open_survey(personas.bakery, "customer_nps")
    private = make_customer(personas.bakery, name="Private Pat", may_analyse=False)
    pulse = open_survey(personas.bakery, "employee_pulse")

    refused = arrive(nps, {"nps": "2", "reason": "Furious about my order."}, person=private)
    anonymous = arrive(pulse, {"went_well": "The new oven saves us an hour every morning."})

    assert anonymous.person_id is None
    assert ResponseReading.objects.filter(response=anonymous).exists()
    assert not ResponseReading.objects.filter(response=refused).exists()
    assert analyze_pending_responses(personas.bakery) == 0


def test_several_responses_in_one_transaction_queue_one_reading_task(
    personas, django_capture_on_commit_callbacks
):
    survey = open_survey(personas.bakery, "suggestion_box")
    question = survey.questions.get(key="suggestion")

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(3):
            actions.submit_response(survey, {question: f"Idea number {n}"}, channel="public")

    queued = [
        c
        for c in callbacks
        if getattr(c, "once_key", None) == ("analyze responses", personas.bakery.pk)
    ]
    assert len(queued) == 1


def test_a_bare_score_queues_no_reading_and_a_comment_does(
    personas, django_capture_on_commit_callbacks
):
    survey = open_survey(personas.bakery, "customer_nps")
    nps, reason = (survey.questions.get(key=key) for key in ("nps", "reason"))

    def queued(raw) -> bool:
        with django_capture_on_commit_callbacks() as callbacks:
            actions.submit_response(survey, raw, channel="public")
        keys = [getattr(c, "once_key", None) for c in callbacks]
        return ("analyze responses", personas.bakery.pk) in keys

    assert not queued({nps: 9})
    assert not queued({nps: 8, reason: ""})
    assert queued({nps: 3, reason: "Cold coffee again."})


def test_readings_by_another_model_are_redone_in_batches_with_progress(personas):
    survey = open_survey(personas.bakery, "suggestion_box")
    question = survey.questions.get(key="suggestion")
    for n in range(4):
        actions.submit_response(
            survey, {question: f"Please stock oat milk, idea {n}"}, channel="api"
        )
    ticks = []

    assert analyze_pending_responses(personas.bakery, limit=3, progress=lambda *t: ticks.append(t))
    assert ResponseReading.objects.count() == 3 and ticks[-1] == (3, 3)
    assert analyze_pending_responses(personas.bakery) == 1
    kept = ResponseReading.objects.first()
    ResponseReading.objects.exclude(pk=kept.pk).update(model_version="old-model@2020")

    assert analyze_pending_responses(personas.bakery) == 3
    assert set(ResponseReading.objects.values_list("model_version", flat=True)) == {
        understanding.current_version()
    }
    assert ResponseReading.objects.filter(pk=kept.pk).exists()
    assert analyze_pending_responses(personas.garage) == 0


def test_reanalyze_reads_survey_responses_too(personas, capsys):
    from rapport.test import main

    survey = open_survey(personas.bakery, "suggestion_box")
    question = survey.questions.get(key="suggestion")
    actions.submit_response(survey, {question: "More vegan options please"}, channel="api")

    assert main(["reanalyze", "--workspace", "alices-bakery"]) == 0

    assert ResponseReading.objects.count() == 1
    assert "alices-bakery: 1 response read" in capsys.readouterr().out
