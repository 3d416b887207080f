"""The feedback item page (the detail page of a survey follow-up in the inbox), anonymity that
holds for small teams, and the old feedback list leading to the inbox. The list's own tests,
anonymity included, are in rapport/inbox/tests/test_list_page.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rapport.feedback import actions
from rapport.feedback.analysis import analyze_pending_responses
from rapport.feedback.choices import Author, Channel, FollowUp, Schedule, SurveyStatus
from rapport.feedback.inbox_views import sees_as_anonymous, unnamed
from rapport.feedback.models import FollowUpMessage, Response, ResponseReading
from rapport.people.actions import create_person
from rapport.people.models import Team
from rapport.people.tests.factories import make_customer
from rapport.test import login


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_survey(workspace, blueprint, **settings):
    survey = actions.create_survey(workspace, blueprint=blueprint, **settings)
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def answer(survey, answers: dict, *, days_ago=0, **fields) -> Response:
    raw = {survey.questions.get(key=key): value for key, value in answers.items()}
    submitted = actions.submit_response(
        survey,
        raw,
        channel=fields.pop("channel", Channel.PUBLIC),
        now=timezone.now() - timedelta(days=days_ago),
        check_duplicate=False,
        **fields,
    )
    return submitted.response


def inbox_url(slug="alices-bakery"):
    return reverse("feedback:inbox", args=[slug])


def item_url(response, slug="alices-bakery"):
    return reverse("feedback:item", args=[slug, response.pk])


@pytest.fixture
def bakehouse(personas):
    """An employee pulse with a small team: the case where anonymity is easiest to break."""
    team = Team.objects.create(workspace=personas.bakery, name="Bakehouse")
    staff = [
        create_person(personas.bakery, group="employee", name=f"Baker {n}", team=team, via="test")
        for n in range(4)
    ]
    return team, staff, open_survey(personas.bakery, "employee_pulse")


def pulse_answer(survey, person, text, **fields):
    return answer(survey, {"went_well": text}, person=person, **fields)


def days_ago(day) -> int:
    return (timezone.localdate() - day).days


def week_label(day) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"Week of {monday.day} {monday:%b %Y}"


# --- who may see what ------------------------------------------------------------------------


def test_the_old_list_leads_to_the_inboxs_survey_follow_ups(client, personas):
    login(client, personas.alice)
    response = client.get(inbox_url(), {"human": "yes", "status": "open", "theme": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/w/alices-bakery/inbox/?view=survey&human=yes&status=open"
    assert login(client, personas.vera).get(inbox_url()).status_code == 404
    assert login(client, personas.charlie).get(inbox_url()).status_code == 404


def test_an_anonymous_answer_alone_in_its_week_has_no_page_until_its_round_is_big_enough(
    client, personas
):
    personas.bakery.min_comment_group_size = 3
    personas.bakery.save()
    survey = open_survey(personas.bakery, "community_perception", schedule=Schedule.MONTHLY)
    today = timezone.localdate()
    month = (today.replace(day=1) - timedelta(days=40)).replace(day=1)
    first, third, fourth = (month + timedelta(days=n) for n in (7, 14, 21))

    def neighbour(day, text):
        return answer(survey, {"rating": "3", "ideas": text}, days_ago=days_ago(day))

    for n in range(3):
        neighbour(first, f"Idea {n}")
    lone = neighbour(third, "The 5am deliveries wake me up.")
    login(client, personas.alice)
    assert client.get(item_url(lone)).status_code == 404
    for n in range(2):
        neighbour(fourth, f"Later {n}")
    item_page = client.get(item_url(lone)).content.decode()
    # The thin weeks hold three answers together: shown with the month, never the week.
    assert "The 5am deliveries wake me up." in item_page
    assert week_label(third) not in item_page and f"{month:%B %Y}" in item_page


def test_one_rule_says_who_is_seen_as_anonymous_on_pages_and_in_queries(personas, bakehouse):
    _, staff, anonymous_pulse = bakehouse
    confidential = open_survey(personas.bakery, "supplier_check")
    identified = open_survey(personas.bakery, "customer_nps")
    box = open_survey(personas.bakery, "suggestion_box")
    pulse_answer(anonymous_pulse, staff[0], "Tired")
    answer(confidential, {"nps": "5"}, person=staff[1])
    answer(confidential, {"nps": "6"}, contact_email="mill@example.com")
    answer(identified, {"nps": "9"}, person=staff[2])
    answer(box, {"suggestion": "Plants"})
    answer(box, {"suggestion": "Music"}, contact_email="sam@example.com")
    everything = list(Response.objects.select_related("survey"))

    for member in (personas.alice_member, personas.bob_member):
        by_query = set(Response.objects.filter(unnamed(member)).values_list("pk", flat=True))
        by_page = {r.pk for r in everything if sees_as_anonymous(r, member)}
        assert by_query == by_page
    assert len(by_page) == 4 and len(by_query) == 4  # Bob: the anonymous two, both confidential


# --- the item page -----------------------------------------------------------------------------


def test_the_item_page_shows_answers_reading_and_conversation(client, personas):
    dana = make_customer(personas.bakery, name="Dana Hart", email="dana@example.com")
    survey = open_survey(personas.bakery, "customer_nps")
    item = answer(
        survey,
        {"nps": "2", "reason": "Thanks a lot for charging me twice. I want a refund now."},
        person=dana,
    )
    analyze_pending_responses(personas.bakery)
    actions.reply(item, personas.bob_member, "So sorry, we are refunding you today.")
    actions.respondent_reply(item, "Thank you.")

    html = login(client, personas.bob).get(item_url(item)).content.decode()

    assert "How likely are you to recommend us" in html and "2 (of 0–10)" in html
    assert "What Rapport read in it" in html and "Does it need a human?" in html
    reading = ResponseReading.objects.get(response=item)
    assert f'<span class="sentiment {reading.sentiment}">' in html
    assert reading.reasons and all(r["label"] in html for r in reading.reasons)
    assert "So sorry, we are refunding you today." in html and "Thank you." in html
    assert "Bob Okafor" in html and "The respondent" in html
    assert "They did not allow contact" in html  # the reply hint: no email was allowed


def test_the_item_page_changes_status_owner_and_what_we_did(client, personas):
    box = open_survey(personas.bakery, "suggestion_box")
    item = answer(box, {"suggestion": "Paper bags instead of plastic."})
    login(client, personas.bob)
    url = reverse("feedback:item-update", args=["alices-bakery", item.pk])

    page = client.post(
        url, {"status": "done", "owner": personas.bob_member.pk, "what_we_did": ""}, follow=True
    )
    assert "Not saved: Say what was done before closing the loop." in page.content.decode()
    item.refresh_from_db()
    assert item.status == FollowUp.NEW and item.owner is None  # nothing half-saved

    client.post(
        url,
        {"status": "done", "owner": personas.alice_member.pk, "what_we_did": "Switched to paper."},
    )

    item.refresh_from_db()
    assert item.status == FollowUp.DONE and item.what_we_did == "Switched to paper."
    assert item.owner == personas.alice_member and item.done_at is not None
    page = client.get(item_url(item)).content.decode()
    assert "posted in their private conversation" in page


def test_a_reply_from_the_item_page_goes_into_the_conversation(client, personas):
    box = open_survey(personas.bakery, "suggestion_box")
    item = answer(box, {"suggestion": "Gluten-free loaves."})
    login(client, personas.bob)

    client.post(
        reverse("feedback:item-reply", args=["alices-bakery", item.pk]),
        {"text": "  We will try a recipe next month.  "},
    )
    page = client.post(
        reverse("feedback:item-reply", args=["alices-bakery", item.pk]), {"text": " "}, follow=True
    )

    [message] = FollowUpMessage.objects.filter(response=item)
    assert message.author == Author.BUSINESS and message.member == personas.bob_member
    assert message.text == "We will try a recipe next month."
    assert "Not sent: The reply is empty." in page.content.decode()
    item.refresh_from_db()
    assert item.status == FollowUp.ACKNOWLEDGED
