"""Answers are cleaned one way, and anonymity is enforced by what is stored."""

import datetime as dt

import pytest
from django.db import connection

from rapport.feedback import actions
from rapport.feedback.choices import Anonymity, Channel, FollowUp, SurveyStatus
from rapport.feedback.models import Answer, Invitation, Response
from rapport.people.actions import create_person
from rapport.people.models import Team

MONDAY_NOON = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)  # a Wednesday, in fact


def open_survey(workspace, blueprint, **settings):
    survey = actions.create_survey(workspace, blueprint=blueprint, **settings)
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def first(survey, key):
    return survey.questions.get(key=key)


def test_an_identified_nps_answer_keeps_the_person_time_and_values(personas):
    survey = open_survey(personas.bakery, "customer_nps")
    ann = create_person(personas.bakery, group="customer", name="Ann", email="ann@example.com")
    submitted = actions.submit_response(
        survey,
        {first(survey, "nps"): "9", first(survey, "reason"): "  Lovely bread  "},
        channel=Channel.PUBLIC,
        person=ann,
        now=MONDAY_NOON,
    )
    response = Response.objects.get(pk=submitted.response.pk)
    assert response.person == ann and response.submitted_at == MONDAY_NOON
    assert response.group == "customer"
    assert {a.question.key: a.value for a in response.answers.all()} == {
        "nps": 9,
        "reason": "Lovely bread",
    }


def test_bad_answers_are_all_reported_and_nothing_is_written(personas):
    survey = open_survey(personas.bakery, "post_visit_csat")
    with pytest.raises(actions.SubmissionError) as caught:
        actions.submit_response(
            survey,
            {first(survey, "csat"): "6", first(survey, "stood_out"): "Quality, Parking"},
            channel=Channel.PUBLIC,
        )
    errors = caught.value.errors
    assert errors[first(survey, "csat").pk] == "6 is outside 1–5"
    assert "'Parking' is not one of the choices" in errors[first(survey, "stood_out").pk]
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_required_question_left_blank_is_named(personas):
    survey = open_survey(personas.bakery, "customer_nps")
    with pytest.raises(actions.SubmissionError) as caught:
        actions.submit_response(survey, {first(survey, "reason"): "x"}, channel="public")
    assert caught.value.errors == {first(survey, "nps").pk: "This question needs an answer."}


def test_an_anonymous_answer_through_a_personal_link_keeps_no_link_to_the_person(personas):
    survey = open_survey(personas.bakery, "employee_pulse")
    kitchen = Team.objects.create(workspace=personas.bakery, name="Kitchen")
    bea = create_person(
        personas.bakery, group="employee", name="Bea", email="bea@example.com", team=kitchen
    )
    (invitation,) = actions.invite(survey, [bea], now=MONDAY_NOON)
    questions = actions.questions_for_round(survey, invitation.round)
    text_q = next(q for q in questions if q.key == "better")
    submitted = actions.submit_response(
        survey,
        {text_q: "More help on Saturdays"},
        channel=Channel.PERSONAL,
        invitation=invitation,
        now=MONDAY_NOON,
    )
    row = Response.objects.get(pk=submitted.response.pk)
    assert row.person_id is None and row.submitted_at is None and row.contact_email == ""
    assert row.submitted_on == dt.date(2026, 11, 16)  # the Monday of its week
    assert row.team == kitchen and row.group == "employee"  # report dimensions only
    assert submitted.reply_token and row.reply_token_hash != submitted.reply_token
    invitation.refresh_from_db()
    assert invitation.answered
    # Nothing in the response's row names the person or the link they used.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_response")
        values = " ".join(str(v) for v in cursor.fetchone())
    for secret in (bea.name, bea.email, invitation.token):
        assert secret not in values
    assert not any("response" in f.column for f in Invitation._meta.concrete_fields)
    # The link cannot be used twice.
    with pytest.raises(actions.Duplicate):
        actions.submit_response(
            survey, {text_q: "again"}, channel=Channel.PERSONAL, invitation=invitation
        )


def test_the_same_public_answers_twice_are_a_duplicate(personas):
    survey = open_survey(personas.bakery, "community_perception", anonymity=Anonymity.ANONYMOUS)
    answers = {first(survey, "rating"): 4, first(survey, "ideas"): "A bench outside"}
    actions.submit_response(survey, answers, channel=Channel.PUBLIC, now=MONDAY_NOON)
    with pytest.raises(actions.Duplicate):
        actions.submit_response(survey, answers, channel=Channel.PUBLIC, now=MONDAY_NOON)
    assert Response.objects.count() == 1


def test_the_same_answers_are_kept_again_after_the_window_and_in_another_survey(personas):
    survey = open_survey(personas.bakery, "community_perception", anonymity=Anonymity.ANONYMOUS)
    other = open_survey(personas.bakery, "community_perception", anonymity=Anonymity.ANONYMOUS)
    sent = {"rating": 4, "ideas": "A bench outside"}
    # An anonymous answer keeps only its week, so the window reaches back to its Monday.
    later = MONDAY_NOON + dt.timedelta(days=7 + actions.DUPLICATE_WINDOW_DAYS)
    for target, now in (
        (survey, MONDAY_NOON),
        (other, MONDAY_NOON),  # another survey's answers are no duplicate
        (survey, later),
    ):
        answers = {first(target, key): value for key, value in sent.items()}
        actions.submit_response(target, answers, channel=Channel.PUBLIC, now=now)
    assert Response.objects.filter(survey=survey).count() == 2
    with pytest.raises(actions.Duplicate):  # but within the window, it is one
        actions.submit_response(
            survey,
            {first(survey, key): value for key, value in sent.items()},
            channel=Channel.PUBLIC,
            now=later + dt.timedelta(hours=1),
        )


def test_a_closed_survey_takes_no_answers(personas):
    survey = open_survey(personas.bakery, "customer_nps")
    actions.set_status(survey, SurveyStatus.CLOSED)
    with pytest.raises(actions.SubmissionError, match="not taking answers"):
        actions.submit_response(survey, {first(survey, "nps"): 10}, channel="public")


def test_the_pulse_rotates_topics_and_asks_enps_in_the_first_week_of_a_month(personas):
    survey = actions.create_survey(personas.bakery, blueprint="employee_pulse")
    seen = []
    for week in range(45, 51):
        keys = {q.key for q in actions.questions_for_round(survey, f"2026-W{week:02d}")}
        seen.append(keys)
        assert {"went_well", "better"} <= keys
        assert len(keys - {"went_well", "better", "enps"}) == survey.rotating_per_round
    assert "enps" in seen[0]  # 2026-W45 starts on 2 November
    assert "enps" not in seen[1]
    rotated = set().union(*seen) - {"went_well", "better", "enps"}
    topics = {key.rsplit("_", 1)[0] for key in rotated}
    assert topics == {
        "workload",
        "manager_support",
        "recognition",
        "growth",
        "wellbeing",
        "belonging",
    }


def test_closing_the_loop_times_the_first_acknowledgement_and_needs_what_we_did(personas):
    survey = open_survey(personas.bakery, "customer_nps")
    response = actions.submit_response(
        survey, {first(survey, "nps"): 3}, channel="public", now=MONDAY_NOON
    ).response
    later = MONDAY_NOON + dt.timedelta(hours=5)
    actions.reply(response, personas.bob_member, "Sorry to hear that, tell us more?", now=later)
    assert response.status == FollowUp.ACKNOWLEDGED and response.acknowledged_at == later
    assert response.owner == personas.bob_member
    with pytest.raises(ValueError, match="Say what was done"):
        actions.move(response, FollowUp.DONE)
    actions.move(response, FollowUp.DONE, what_we_did="New oven timer", now=later)
    assert response.done_at == later
    actions.move(response, FollowUp.IN_PROGRESS, now=later + dt.timedelta(days=1))
    assert response.done_at is None and response.acknowledged_at == later


def test_two_colleagues_giving_the_same_answer_through_their_own_links_are_both_kept(personas):
    survey = open_survey(personas.bakery, "employee_pulse")
    people = [
        create_person(personas.bakery, group="employee", name=n, email=f"{n}@example.com")
        for n in ("ann", "bo")
    ]
    links = actions.invite(survey, people, now=MONDAY_NOON)
    for link in links:
        question = next(
            q for q in actions.questions_for_round(survey, link.round) if q.key == "better"
        )
        actions.submit_response(
            survey, {question: "Nothing"}, channel="personal", invitation=link, now=MONDAY_NOON
        )
    assert Response.objects.filter(survey=survey).count() == 2
