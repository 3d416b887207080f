"""Personal links by email, one reminder, and the rounds of a recurring pulse."""

import datetime as dt

from django.core import mail

from rapport.feedback import actions, distribution
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.models import Invitation, Survey
from rapport.people.actions import create_person
from rapport.test import main

MONDAY = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)


def staff(workspace, *names, **fields):
    return [
        create_person(
            workspace,
            group="employee",
            name=name,
            email=f"{name.lower()}@example.com" if name != "NoMail" else "",
            **fields,
        )
        for name in names
    ]


def open_pulse(workspace):
    survey = actions.create_survey(workspace, blueprint="employee_pulse")
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def test_personal_links_are_emailed_once_and_say_the_survey_is_anonymous(personas, settings):
    settings.RAPPORT_PUBLIC_URL = "https://feedback.example.com"
    staff(personas.bakery, "Bea", "Cem", "NoMail")
    (refused,) = staff(personas.bakery, "Dan", may_contact=False)
    survey = open_pulse(personas.bakery)
    created = actions.invite(survey, now=MONDAY)
    assert {i.person.name for i in created} == {"Bea", "Cem"}  # no email / no contact: none
    sent = distribution.send_invitations(survey, now=MONDAY)
    assert sent.sent == 2 and len(mail.outbox) == 2
    bea_mail = next(m for m in mail.outbox if m.to == ["bea@example.com"])
    token = Invitation.objects.get(person__name="Bea").token
    assert f"https://feedback.example.com/a/{token}/" in bea_mail.body
    assert "anonymous" in bea_mail.body and "Weekly pulse" in bea_mail.subject
    assert distribution.send_invitations(survey, now=MONDAY).sent == 0  # never twice
    assert refused.invitations.count() == 0


def test_one_reminder_goes_to_those_who_have_not_answered_after_the_delay(personas):
    bea, cem = staff(personas.bakery, "Bea", "Cem")
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    survey.audience_group = "employee"
    survey.save()
    actions.set_status(survey, SurveyStatus.OPEN)
    actions.invite(survey, now=MONDAY)
    distribution.send_invitations(survey, now=MONDAY)
    bea_link = Invitation.objects.get(person=bea)
    actions.submit_response(
        survey,
        {survey.questions.get(key="nps"): 9},
        channel="personal",
        invitation=bea_link,
        now=MONDAY,
    )
    mail.outbox.clear()
    assert distribution.send_reminders(survey, now=MONDAY + dt.timedelta(days=1)).sent == 0
    later = MONDAY + dt.timedelta(days=survey.remind_after_days, hours=1)
    assert distribution.send_reminders(survey, now=later).sent == 1
    assert mail.outbox[0].to == ["cem@example.com"] and "Reminder" in mail.outbox[0].subject
    assert distribution.send_reminders(survey, now=later + dt.timedelta(days=5)).sent == 0


def test_the_clock_starts_each_weekly_round_once(personas):
    staff(personas.bakery, "Bea", "Cem")
    survey = open_pulse(personas.bakery)
    first = distribution.run_schedules(now=MONDAY)
    again = distribution.run_schedules(now=MONDAY + dt.timedelta(hours=2))
    next_week = distribution.run_schedules(now=MONDAY + dt.timedelta(days=7))
    assert (first.invited, first.sent) == (2, 2)
    assert (again.invited, again.sent) == (0, 0)
    assert next_week.invited == 2
    rounds = set(Invitation.objects.filter(survey=survey).values_list("round", flat=True))
    assert rounds == {"2026-W47", "2026-W48"}


def test_the_survey_command_creates_opens_and_lists(personas, capsys):
    assert (
        main(
            [
                "survey",
                "create",
                "--workspace",
                "alices-bakery",
                "--template",
                "customer_nps",
                "--open",
            ]
        )
        == 0
    )
    survey = Survey.objects.get(workspace=personas.bakery)
    assert survey.status == SurveyStatus.OPEN and survey.questions.count() == 3
    assert main(["survey", "list", "--workspace", "alices-bakery"]) == 0
    assert f"/s/{survey.public_token}/" in capsys.readouterr().out
    assert main(["survey", "create", "--workspace", "alices-bakery", "--template", "nope"]) == 2
    assert "choose one of customer_nps" in capsys.readouterr().err
    assert main(["survey", "close", "999", "--workspace", "alices-bakery"]) == 2
