"""Dana, a customer of Alice's Bakery with data of every kind Rapport holds; Eve, another
customer who must stay untouched; and an anonymous answer nobody can link to anyone. Built
through the real actions where there is one."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from rapport.feedback.actions import create_survey, invite, reply, set_status, submit_response
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.models import ResponseReading
from rapport.inbox.models import Conversation
from rapport.outreach.models import OutreachItem
from rapport.people.actions import record_purchase, set_tags, update_person
from rapport.people.choices import EmploymentEventKind
from rapport.people.models import CommunityEvent, Delivery, EmploymentEvent
from rapport.people.tests.factories import make_customer, make_touch
from rapport.predictions.models import Forecast, PredictionRun
from rapport.understanding.models import Correction, InteractionReading


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def read_as(interaction, score, redacted=""):
    """What the text model would have stored (the model is tested in understanding)."""
    return InteractionReading.objects.create(
        workspace_id=interaction.workspace_id,
        interaction=interaction,
        model_version="test",
        sentiment="negative" if score < -0.25 else "positive",
        sentiment_score=score,
        redacted=redacted,
        themes=["t1"],
    )


def forecast(person, risk=0.4):
    run = PredictionRun.objects.create(
        workspace_id=person.workspace_id,
        subject="customers",
        as_of=timezone.now().date(),
        horizon_days=91,
        current=True,
        enough=True,
    )
    return Forecast.objects.create(
        run=run, workspace_id=person.workspace_id, person=person, risk=risk
    )


def with_everything(workspace, member, name, email, surveys):
    """A customer with at least one row of every kind of personal data."""
    person = make_customer(workspace, name=name, email=email, phone="+44 20 7946 0000")
    set_tags(person, ["regular", "=cmd|' /C calc'!A0"])
    update_person(person, notes=f"{name} likes rye bread", via="test")
    touch = make_touch(person, text=f"{name} writes: the rye was stale", days_ago=3)
    read_as(touch, -0.6, redacted="[NAME] writes: the rye was stale")
    Correction.objects.create(
        workspace=workspace,
        interaction=touch,
        field="sentiment",
        model_value="negative",
        value="neutral",
        model_version="test",
        by=member,
    )
    record_purchase(person, purchased_on=dt.date(2026, 1, 5), amount=12)
    EmploymentEvent.objects.create(
        workspace=workspace, person=person, kind=EmploymentEventKind.HIRE, date=dt.date(2025, 3, 1)
    )
    Delivery.objects.create(workspace=workspace, supplier=person, promised_on=dt.date(2026, 2, 1))
    event = CommunityEvent.objects.create(
        workspace=workspace, title="School fair", date=dt.date(2026, 5, 1), partner=person
    )
    event.staff_participants.add(person)
    invite(surveys.nps, [person])
    answered = submit_response(
        surveys.nps,
        {
            surveys.nps.questions.get(key="nps"): 3,
            surveys.nps.questions.get(key="reason"): f"{name}'s reason: stale rye",
        },
        channel="public",
        person=person,
    ).response
    ResponseReading.objects.create(
        workspace=workspace, response=answered, model_version="test", redacted="stale rye"
    )
    reply(answered, member, f"Sorry {name}, we will do better")
    forecast(person)
    OutreachItem.objects.create(
        workspace=workspace,
        kind="no_human_contact",
        subject_id=person.pk,
        week=dt.date(2026, 11, 30),
        state="done",
        done_at=timezone.now() - dt.timedelta(days=30),
        done_by=member,
    )
    return person


@pytest.fixture
def bakery(personas):
    workspace = personas.bakery
    nps = create_survey(workspace, blueprint="customer_nps", title="NPS")
    set_status(nps, SurveyStatus.OPEN)
    pulse = create_survey(workspace, blueprint="community_perception", title="Neighbours")
    set_status(pulse, SurveyStatus.OPEN)
    surveys = SimpleNamespace(nps=nps, anonymous=pulse)
    dana = with_everything(
        workspace, personas.alice_member, "Dana Petit", "dana@example.com", surveys
    )
    eve = with_everything(
        workspace, personas.alice_member, "Eve Moreau", "eve@example.com", surveys
    )
    # Dana answers the anonymous survey too: nothing links it to her.
    anonymous = submit_response(
        pulse,
        {
            pulse.questions.get(key="rating"): 2,
            pulse.questions.get(key="ideas"): "Dana's anonymous idea: longer hours",
        },
        channel="public",
        person=dana,
    ).response
    assert anonymous.person_id is None, "an anonymous survey must keep no person"
    assert Conversation.objects.filter(person=dana).exists(), "Dana's message opened none"
    return SimpleNamespace(
        workspace=workspace, dana=dana, eve=eve, anonymous=anonymous, surveys=surveys
    )
