"""Alice's Bakery with customers who write in, built through the real actions."""

import datetime as dt

import pytest
from django.utils import timezone

from rapport.knowledge.actions import save_entry
from rapport.people.actions import record_interaction
from rapport.people.choices import Channel, Direction
from rapport.people.tests.factories import make_customer
from rapport.understanding.models import InteractionReading


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def open_all_week(personas):
    """The bakery is open around the clock unless a test says otherwise, so that clocks are
    plain elapsed time."""
    from rapport.inbox.routing import inbox_settings

    s = inbox_settings(personas.bakery)
    s.hours = {str(d): [["00:00", "00:00"]] for d in range(7)}
    s.save()


def write_in(person, text, *, at=None, thread="", channel=Channel.EMAIL, subject=""):
    """A message from ``person``, stored as the intake stores it."""
    return record_interaction(
        person,
        occurred_at=at or timezone.now(),
        channel=channel,
        direction=Direction.INBOUND,
        text=text,
        subject=subject,
        thread_key=thread,
    )


def read_as(interaction, *, needs_human=False, reasons=(), sentiment=0.0, feelings=None):
    """What the text model would have stored for ``interaction`` (the model itself is
    tested in understanding and engine/text)."""
    return InteractionReading.objects.create(
        workspace_id=interaction.workspace_id,
        interaction=interaction,
        model_version="test",
        sentiment="negative" if sentiment < -0.25 else "neutral",
        sentiment_score=sentiment,
        needs_human=needs_human,
        reasons=[{"code": c, "label": c, "evidence": "", "weight": 1.0} for c in reasons],
        emotion_groups=feelings or {},
    )


def later(minutes=5):
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.fixture
def customer(personas):
    return make_customer(personas.bakery, name="Dana Weiss", email="dana@example.com")


HOURS = "We open at 7 every day, and at 8 on Sundays."


@pytest.fixture
def faq(personas):
    save_entry(
        personas.bakery,
        personas.alice_member,
        key="hours",
        questions=[
            "when do you open",
            "what are your opening hours",
            "are you open on sunday",
            "what time do you open in the morning",
            "until when are you open today",
        ],
        answer=HOURS,
    )
    save_entry(
        personas.bakery,
        personas.alice_member,
        key="gluten-free",
        questions=[
            "do you have gluten free bread",
            "is there anything without gluten",
            "do you bake gluten-free cakes",
            "I am coeliac, what can I eat",
            "gluten free options?",
        ],
        answer="Yes: a gluten-free loaf on Fridays and gluten-free brownies every day.",
    )
