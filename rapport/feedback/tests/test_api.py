"""Surveys over the API: the list, one survey with its questions, and its results, which
keep the anonymity rule of the results page."""

import datetime as dt
import uuid

import pytest

from rapport.accounts.models import ApiToken
from rapport.feedback import actions as feedback
from rapport.feedback.choices import Anonymity, Channel, QuestionKind, SurveyStatus
from rapport.people.actions import create_person
from rapport.people.choices import Group


@pytest.fixture
def auth(personas):
    _, token = ApiToken.issue(personas.vera_member, "report script")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def survey(ws, *, comment=False, anonymity=Anonymity.CONFIDENTIAL, title="After your visit"):
    questions = [{"kind": QuestionKind.NPS, "text": "Would you recommend us?", "key": "score"}]
    if comment:
        questions.append({"kind": QuestionKind.TEXT, "text": "Anything else?", "key": "comment"})
    found = feedback.create_survey(
        ws, title=title, audience_group=Group.CUSTOMER, anonymity=anonymity, questions=questions
    )
    feedback.set_status(found, SurveyStatus.OPEN)
    return found


def answered_by(ws, poll, scores, comment=""):
    at = dt.datetime.combine(ws.today() - dt.timedelta(days=3), dt.time(12), tzinfo=ws.zone)
    questions = {q.key: q for q in poll.questions.all()}
    for i, score in enumerate(scores):
        who = create_person(ws, group=Group.CUSTOMER, name=f"Customer Number{i}", via="test")
        raw = {questions["score"]: score}
        if comment:
            raw[questions["comment"]] = f"{comment} {i}"
        feedback.submit_response(
            poll, raw, channel=Channel.PERSONAL, person=who, now=at, submission_key=uuid.uuid4().hex
        )


def test_a_viewer_lists_surveys_and_reads_one_with_its_questions(client, personas, auth):
    poll = survey(personas.bakery, comment=True, title="After your visit")

    listed = client.get("/api/w/alices-bakery/surveys", {"status": "open"}, **auth)
    one = client.get(f"/api/w/alices-bakery/surveys/{poll.pk}", **auth)

    assert listed.status_code == 200
    assert [(s["id"], s["title"]) for s in listed.json()] == [(poll.pk, "After your visit")]
    assert one.status_code == 200
    assert [(q["key"], q["kind"]) for q in one.json()["questions"]] == [
        ("score", "nps"),
        ("comment", "text"),
    ]


def test_results_of_too_few_respondents_are_hidden_with_the_reason(client, personas, auth):
    poll = survey(personas.bakery, anonymity=Anonymity.ANONYMOUS)
    answered_by(personas.bakery, poll, [10, 2, 3])

    body = client.get(f"/api/w/alices-bakery/surveys/{poll.pk}/results", **auth).json()

    assert body["respondents"] == {
        "shown": False,
        "n": None,
        "k": 5,
        "label": "fewer than 5",
        "reason": "Fewer than 5 people answered in this group. Groups of fewer than 5 are "
        "never shown, so that no one's answers can be recognised.",
    }
    assert body["questions"] == [] and body["named"] == []


def test_results_show_the_score_and_withhold_comments_of_a_small_group(client, personas, auth):
    poll = survey(personas.bakery, anonymity=Anonymity.ANONYMOUS, comment=True)
    answered_by(personas.bakery, poll, [10, 10, 9, 8, 2, 3], comment="Secret remark")

    response = client.get(f"/api/w/alices-bakery/surveys/{poll.pk}/results", **auth)

    assert response.status_code == 200
    body = response.json()
    assert body["respondents"]["n"] == 6
    score = body["questions"][0]["score"]
    # 3 promoters, 1 passive, 2 detractors of 6.
    assert (score["measure"], round(score["value"], 1), score["n"]) == ("NPS", 16.7, 6)
    comments = body["questions"][1]
    assert comments["comments"] == [] and not comments["answered"]["shown"]
    assert "Secret remark" not in response.content.decode()
    assert body["named"] == []


def test_results_of_another_business_survey_are_404(client, personas, auth):
    theirs = survey(personas.garage)
    response = client.get(f"/api/w/alices-bakery/surveys/{theirs.pk}/results", **auth)
    assert response.status_code == 404


def staff_auth(membership):
    _, token = ApiToken.issue(membership, "follow-up script")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_an_anonymous_item_carries_no_name_and_only_its_week(client, personas):
    poll = survey(personas.bakery, anonymity=Anonymity.ANONYMOUS, comment=True)
    # Eight answers in one week: as many as the business asks before an anonymous item is
    # dated by its week (min_comment_group_size); fewer would be held back.
    answered_by(personas.bakery, poll, [2, 9, 10, 8, 7, 6, 9, 10], comment="Cold bread")

    response = client.get(
        "/api/w/alices-bakery/feedback/items", {"limit": 3}, **staff_auth(personas.bob_member)
    )

    assert response.status_code == 200, response.content
    items = response.json()
    assert len(items) == 3
    for item in items:
        assert item["who"] == "Anonymous" and item["person_id"] is None and item["unnamed"]
        assert item["period"] in ("week", "round") and item["team"] == item["segment"] == ""
    assert "Customer Number" not in response.content.decode()
    one = client.get(
        f"/api/w/alices-bakery/feedback/items/{items[0]['id']}", **staff_auth(personas.bob_member)
    ).json()
    assert (
        one["id"] == items[0]["id"] and one["answers"][0]["question"] == "Would you recommend us?"
    )


def test_a_confidential_item_is_named_to_a_manager_only(client, personas):
    poll = survey(personas.bakery, anonymity=Anonymity.CONFIDENTIAL)
    answered_by(personas.bakery, poll, [3])

    as_staff = client.get(
        "/api/w/alices-bakery/feedback/items", **staff_auth(personas.bob_member)
    ).json()
    as_owner = client.get(
        "/api/w/alices-bakery/feedback/items", **staff_auth(personas.alice_member)
    ).json()

    assert as_staff[0]["who"] == "Confidential respondent" and as_staff[0]["person_id"] is None
    assert as_owner[0]["who"] == "Customer Number0" and as_owner[0]["person_id"] is not None


def test_a_viewer_gets_no_items(client, personas, auth):
    assert client.get("/api/w/alices-bakery/feedback/items", **auth).status_code == 404


def test_anonymous_items_too_few_to_date_are_held_back(client, personas):
    poll = survey(personas.bakery, anonymity=Anonymity.ANONYMOUS)
    answered_by(personas.bakery, poll, [2, 9, 10])
    held = poll.responses.first()
    auth = staff_auth(personas.alice_member)

    assert client.get("/api/w/alices-bakery/feedback/items", **auth).json() == []
    assert client.get(f"/api/w/alices-bakery/feedback/items/{held.pk}", **auth).status_code == 404
