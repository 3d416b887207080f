"""The REST intake: answers and touchpoints sent with an API token."""

import pytest

from rapport.accounts.models import ApiToken
from rapport.feedback import actions as feedback
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.models import Response
from rapport.people.actions import create_person
from rapport.people.models import Interaction


@pytest.fixture
def token(personas):
    return ApiToken.issue(personas.bob_member, "till script")[1]


def open_survey(workspace, blueprint="customer_nps", **settings):
    survey = feedback.create_survey(workspace, blueprint=blueprint, **settings)
    feedback.set_status(survey, SurveyStatus.OPEN)
    return survey


def post(client, url, payload, token):
    return client.post(
        url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_answers_by_question_key_are_stored_for_a_known_person(client, personas, token):
    survey = open_survey(personas.bakery)
    ann = create_person(personas.bakery, group="customer", name="Ann", email="ann@example.com")

    response = post(
        client,
        f"/api/w/alices-bakery/surveys/{survey.pk}/responses",
        {"answers": {"nps": 9, "reason": "Friendly"}, "person": {"email": "Ann@Example.com"}},
        token,
    )

    assert response.status_code == 201, response.content
    stored = Response.objects.get(pk=response.json()["id"])
    assert stored.person == ann and stored.channel == "api"
    assert {a.question.key: a.value for a in stored.answers.all()} == {
        "nps": 9,
        "reason": "Friendly",
    }


def test_bad_answers_are_named_per_question_and_nothing_is_stored(client, personas, token):
    survey = open_survey(personas.bakery)
    nps = survey.questions.get(key="nps")
    response = post(
        client,
        f"/api/w/alices-bakery/surveys/{survey.pk}/responses",
        {"answers": {str(nps.pk): "eleven", "mood": "good"}},
        token,
    )
    assert response.status_code == 422
    errors = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert errors == {
        "answers.mood": "no such question in this survey",
        f"answers.{nps.pk}": "'eleven' is not a number from 0 to 10",
    }

    response = post(
        client,
        f"/api/w/alices-bakery/surveys/{survey.pk}/responses",
        {"answers": {str(nps.pk): "eleven", "reason": "x" * 5001}},
        token,
    )
    errors = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert errors[f"answers.{nps.pk}"] == "'eleven' is not a number from 0 to 10"
    assert "at most 5,000 are kept" in errors["answers.reason"]
    assert not Response.objects.exists()


def test_an_external_id_makes_a_resend_harmless(client, personas, token):
    survey = open_survey(personas.bakery)
    url = f"/api/w/alices-bakery/surveys/{survey.pk}/responses"
    payload = {"answers": {"nps": 3}, "external_id": "form-77"}

    first = post(client, url, payload, token)
    again = post(client, url, payload, token)

    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == {
        "status": "duplicate",
        "id": first.json()["id"],
        "external_id": "form-77",
    }
    assert Response.objects.count() == 1


def test_the_same_answers_twice_without_an_id_are_a_conflict(client, personas, token):
    survey = open_survey(personas.bakery)
    url = f"/api/w/alices-bakery/surveys/{survey.pk}/responses"
    assert post(client, url, {"answers": {"nps": 5}}, token).status_code == 201
    assert post(client, url, {"answers": {"nps": 5}}, token).status_code == 409


def test_an_anonymous_survey_keeps_no_link_to_the_person(client, personas, token):
    survey = open_survey(personas.bakery, "employee_pulse", anonymity="anonymous")
    bea = create_person(personas.bakery, group="employee", name="Bea", email="bea@example.com")
    response = post(
        client,
        f"/api/w/alices-bakery/surveys/{survey.pk}/responses",
        {"answers": {"went_well": "The new oven"}, "person": {"id": bea.pk}},
        token,
    )
    assert response.status_code == 201
    stored = Response.objects.get()
    assert stored.person is None and stored.submitted_at is None and stored.group == "employee"


def test_a_closed_survey_takes_no_answers(client, personas, token):
    survey = open_survey(personas.bakery)
    feedback.set_status(survey, SurveyStatus.CLOSED)
    response = post(
        client,
        f"/api/w/alices-bakery/surveys/{survey.pk}/responses",
        {"answers": {"nps": 9}},
        token,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "", "reason": "This survey is not taking answers."}
    ]


def test_a_touchpoint_finds_or_creates_its_person_and_is_idempotent(client, personas, token):
    payload = {
        "external_id": "chat-5",
        "occurred_at": "2025-02-03T10:00:00",
        "channel": "chat",
        "text": "Do you have gluten-free bread today?",
        "person": {"email": "zoe@example.com", "name": "Zoé", "group": "customer"},
        "handled_by_me": True,
    }
    first = post(client, "/api/w/alices-bakery/interactions", payload, token)
    again = post(client, "/api/w/alices-bakery/interactions", payload, token)

    assert first.status_code == 201, first.content
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    touch = Interaction.objects.get()
    assert touch.person.name == "Zoé" and touch.handled_by == personas.bob_member
    # No offset given: the business's own clock (UTC here).
    assert touch.occurred_at.isoformat() == "2025-02-03T10:00:00+00:00"
    assert touch.person.last_human_contact_at == touch.occurred_at


def test_a_touchpoint_with_a_problem_says_which_field(client, personas, token):
    response = post(
        client,
        "/api/w/alices-bakery/interactions",
        {
            "occurred_at": "2025-02-03T10:00:00Z",
            "person": {"external_id": "C-404"},
            "handled_by": "nobody@example.com",
        },
        token,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "handled_by", "reason": "no member with email 'nobody@example.com'"}
    ]


def test_a_viewer_and_another_business_cannot_send(client, personas):
    survey = open_survey(personas.bakery)
    viewer = ApiToken.issue(personas.vera_member, "read only")[1]
    charlie = ApiToken.issue(personas.charlie_member, "garage")[1]
    url = f"/api/w/alices-bakery/surveys/{survey.pk}/responses"
    assert post(client, url, {"answers": {"nps": 9}}, viewer).status_code == 404
    assert post(client, url, {"answers": {"nps": 9}}, charlie).status_code == 404
    # Charlie names Alice's survey in his own workspace's address.
    own = f"/api/w/charlies-garage/surveys/{survey.pk}/responses"
    assert post(client, own, {"answers": {"nps": 9}}, charlie).status_code == 404
    touch = {"occurred_at": "2025-02-03T10:00:00Z", "person": {"email": "a@example.com"}}
    assert post(client, "/api/w/alices-bakery/interactions", touch, charlie).status_code == 404
    assert not Response.objects.exists() and not Interaction.objects.exists()


def test_both_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/w/{slug}/surveys/{survey_id}/responses"]
    assert "post" in paths["/api/w/{slug}/interactions"]


def test_a_body_over_the_size_limit_is_a_json_413(client, personas, token):
    payload = {
        "occurred_at": "2025-02-03T10:00:00Z",
        "person": {"email": "a@example.com"},
        "text": "x" * (10 * 1024 * 1024),
    }
    response = post(client, "/api/w/alices-bakery/interactions", payload, token)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The body is larger than 10 MB, the most one request may carry."
    }
    assert not Interaction.objects.exists()


def test_text_that_cannot_be_stored_is_named_not_a_crash(client, personas, token):
    survey = open_survey(personas.bakery)
    response = client.post(
        f"/api/w/alices-bakery/surveys/{survey.pk}/responses",
        b'{"answers": {"nps": 9, "reason": "Fine\\u0000 bread \\ud800"}}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert problem["field"] == "answers.reason" and "\\ud800" in problem["reason"]

    payload = {"answers": {"nps": 9, "reason": "Fine\x00 bread"}}
    url = f"/api/w/alices-bakery/surveys/{survey.pk}/responses"
    assert post(client, url, payload, token).status_code == 201
    assert Response.objects.get().answers.get(question__key="reason").text == "Fine bread"
