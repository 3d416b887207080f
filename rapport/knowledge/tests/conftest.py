"""Alice's Bakery with a small knowledge base, and a history of customers' messages, built
through the real actions."""

import pytest

from rapport.knowledge.actions import save_entry
from rapport.people.choices import Direction
from rapport.people.tests.factories import make_customer, make_touch

HOURS = ["When do you open?", "What are your opening hours?", "Are you open on Sunday?"]
GLUTEN = ["Do you have gluten-free bread?", "Any gluten free options?"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def faq(personas):
    """Two entries: opening hours and gluten-free bread."""
    bakery, alice = personas.bakery, personas.alice_member
    return {
        "hours": save_entry(
            bakery, alice, key="hours", questions=HOURS, answer="We open at 7, Sundays at 8."
        ),
        "gluten": save_entry(
            bakery,
            alice,
            key="gluten-free",
            questions=GLUTEN,
            answer="Yes: a gluten-free loaf every Friday.",
        ),
    }


def ask_and_reply(person, question, reply, *, member, days_ago=10, thread_key=""):
    """A customer's question and a member's reply a day later."""
    asked = make_touch(person, days_ago=days_ago, text=question, thread_key=thread_key)
    make_touch(
        person,
        days_ago=days_ago - 1,
        text=reply,
        member=member,
        direction=Direction.OUTBOUND,
        thread_key=thread_key,
    )
    return asked


def customers(workspace, n):
    return [make_customer(workspace, name=f"Customer {i}") for i in range(n)]
