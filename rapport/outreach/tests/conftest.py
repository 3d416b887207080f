"""Alice's Bakery with something to reach out about, built through the real actions."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from rapport.feedback.actions import create_survey, set_status, submit_response
from rapport.feedback.choices import SurveyStatus
from rapport.people.actions import create_person, record_purchase
from rapport.people.choices import Direction, Group, PartyKind
from rapport.people.models import Delivery, Team
from rapport.people.tests.factories import make_customer, make_touch
from rapport.understanding.models import InteractionReading


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def read_as(interaction, score):
    """What the text model would have stored for ``interaction``: only its sentiment matters
    to the list (the model itself is tested in understanding and engine/text)."""
    return InteractionReading.objects.create(
        workspace_id=interaction.workspace_id,
        interaction=interaction,
        model_version="test",
        sentiment="negative" if score < -0.25 else "positive",
        sentiment_score=score,
    )


def make_regular(workspace, name, *, weeks=40, stopped_days_ago=0, **fields):
    """A customer who bought once a week for ``weeks`` weeks, until ``stopped_days_ago``."""
    person = make_customer(workspace, name=name, **fields)
    last = timezone.now().date() - timedelta(days=stopped_days_ago)
    for week in range(weeks):
        record_purchase(person, purchased_on=last - timedelta(weeks=week), amount=6)
    return person


def make_bakehouse(personas, *, unhappy=("Ines", "Jon")):
    """Three bakers writing 1:1 notes over two months; the messages of those named in
    ``unhappy`` cool, down to a negative one last week."""
    bakery = personas.bakery
    team = Team.objects.create(workspace=bakery, name="Bakehouse")
    bakers = {}
    for name in ("Ines", "Jon", "Kai"):
        bakers[name] = create_person(
            bakery,
            group=Group.EMPLOYEE,
            name=f"{name} Baker",
            team=team,
            start_date=date(2019, 1, 1),
            via="test",
        )
        scores = (0.6, 0.4, 0.2, -0.6) if name in unhappy else (0.4, 0.5, 0.4, 0.4)
        for days, score in zip((60, 40, 20, 5), scores, strict=True):
            touch = make_touch(
                bakers[name], days_ago=days, member=personas.alice_member, text="A 1:1 note."
            )
            read_as(touch, score)
    return team, bakers


@pytest.fixture
def bakery_week(personas):
    """Dana (Bob keeps her) has not heard from anyone for 100 days; Eli (nobody keeps him)
    gave a 2 out of 10 nobody acknowledged; Fay, a weekly regular Bob keeps, stopped coming
    five weeks ago; the mill (nobody keeps it) went from always on time to late half the
    time."""
    bakery = personas.bakery
    dana = make_customer(bakery, name="Dana Petit", owner=personas.bob_member)
    make_touch(dana, days_ago=100, member=personas.alice_member)
    eli = make_customer(bakery, name="Eli Moreau")
    survey = create_survey(bakery, blueprint="customer_nps", title="Customer NPS")
    set_status(survey, SurveyStatus.OPEN)
    submit_response(survey, {survey.questions.get(key="nps"): 2}, channel="email", person=eli)
    fay = make_regular(bakery, "Fay Leroy", stopped_days_ago=35, owner=personas.bob_member)
    make_touch(fay, days_ago=3, member=personas.bob_member, direction=Direction.OUTBOUND)
    mill = create_person(
        bakery, group=Group.SUPPLIER, kind=PartyKind.ORGANISATION, name="Mill", via="test"
    )
    make_touch(mill, days_ago=2, member=personas.alice_member)
    today = timezone.now().date()
    for week in range(60):
        promised = today - timedelta(weeks=week, days=1)
        late = week < 13 and week % 2 == 0
        Delivery.objects.create(
            workspace=bakery,
            supplier=mill,
            promised_on=promised,
            delivered_on=promised + timedelta(days=2 if late else 0),
        )
    return {"dana": dana, "eli": eli, "fay": fay, "mill": mill}
