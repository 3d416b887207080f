"""The knowledge base tried on the business's own messages: the threshold view and the
suggested entries."""

import pytest

from rapport.knowledge.actions import (
    MIN_HISTORY,
    refresh_reports,
    save_entry,
    suggestions,
    threshold_view,
)
from rapport.knowledge.tests.conftest import ask_and_reply, customers
from rapport.people.choices import Channel
from rapport.people.tests.factories import make_touch
from rapport.test import login

ROUTINE = [
    "What time do you open on Sunday?",
    "When do you open tomorrow?",
    "Are you open on Sundays?",
    "What are your opening hours on Saturday?",
    "Do you have any gluten-free bread?",
]
OTHER = [
    "The sourdough last week was lovely, thank you!",
    "My order was wrong and nobody called me back, I want my money back.",
    "Can I book the back room for a party of 12?",
    "Do you sell birthday candles?",
    "Is the car park free on weekdays?",
]


@pytest.fixture
def history(personas, faq):
    """40 messages from customers: half routine questions the entries answer."""
    people = customers(personas.bakery, 4)
    for i in range(40):
        text = (ROUTINE if i % 2 == 0 else OTHER)[(i // 2) % 5]
        make_touch(people[i % 4], days_ago=1 + i, text=text, channel=Channel.EMAIL)
    return people


def test_it_shows_what_each_threshold_would_have_done(personas, history):
    rows = threshold_view(personas.bakery)
    assert [r.threshold for r in rows][:3] == [0.5, 0.55, 0.6] and rows[-1].threshold == 0.99
    assert all(r.n == 40 and r.enough for r in rows)
    low = rows[0]
    # The five routine questions are asked four times each; the others are for a person.
    assert 16 <= low.answered <= 20 and low.answered + low.to_person == 40
    assert low.answered_share == low.answered / 40
    assert 0 < low.wrong_estimate < 0.1
    answered = [r.answered for r in rows]
    assert answered == sorted(answered, reverse=True)


def test_it_says_there_is_not_enough_history_below_thirty_messages(personas, faq):
    [person] = customers(personas.bakery, 1)
    for days in range(MIN_HISTORY - 1):
        make_touch(person, days_ago=days + 1, text="When do you open?")
    make_touch(person, days_ago=500, text="When do you open?")
    make_touch(person, days_ago=2, text="When do you open?", channel=Channel.PHONE)
    rows = threshold_view(personas.bakery)
    assert rows[0].n == MIN_HISTORY - 1 and not rows[0].enough
    assert rows[0].answered_share is None and rows[0].wrong_estimate is None


def test_another_business_history_is_not_read(personas, history):
    assert threshold_view(personas.garage)[0].n == 0


DELIVERY = [
    "Hi, I'm Sarah Jones. Can you deliver a cake to my office at 7 Orchard Road?",
    "Do you deliver cakes to offices?",
    "Could you bring a birthday cake to my workplace on Friday?",
    "Is delivery to an office possible?",
]


@pytest.fixture
def answered_by_hand(personas, faq):
    """Four customers asked about delivering to an office and Bob answered each; two asked
    about vegan croissants (too few); one delivery question got no reply; questions the
    knowledge base answers are not suggested."""
    people = customers(personas.bakery, 8)
    bob = personas.bob_member
    for person, question in zip(people, DELIVERY, strict=False):
        ask_and_reply(
            person, question, "Yes, we deliver within 5 km. Call Bob on 01632 960123.", member=bob
        )
    for person in people[4:6]:
        ask_and_reply(person, "Are your croissants vegan?", "Not yet, sorry.", member=bob)
    make_touch(people[6], days_ago=3, text="Can you deliver to my office?")
    for days in (20, 30, 40):
        ask_and_reply(people[7], "When do you open?", "At 7.", member=bob, days_ago=days)


def test_it_suggests_an_entry_from_questions_answered_by_hand(personas, answered_by_hand):
    [suggestion] = suggestions(personas.bakery)
    assert suggestion.size == 4
    assert len(suggestion.questions) == 4
    assert all("Sarah Jones" not in q and "Orchard Road" not in q for q in suggestion.questions)
    assert any("[PERSON]" in q for q in suggestion.questions)
    assert suggestion.answer.startswith("Yes, we deliver within 5 km.")
    assert "01632" not in suggestion.answer


def test_a_reply_in_another_thread_does_not_count(personas, faq):
    people = customers(personas.bakery, 3)
    for person in people:
        ask_and_reply(
            person, "Do you deliver cakes to offices?", "Yes.", member=personas.bob_member
        )
        person.interactions.filter(direction="inbound").update(thread_key="t-question")
    assert suggestions(personas.bakery) == []


def test_the_stored_reports_keep_both_and_when(personas, history, answered_by_hand):
    settings = refresh_reports(personas.bakery)
    assert settings.reports_at is not None and settings.reports_version
    assert settings.report[0]["threshold"] == 0.5 and settings.report[0]["enough"]
    assert settings.suggestions[0]["size"] == 4


def test_the_threshold_page_shows_the_stored_numbers(client, personas, history):
    refresh_reports(personas.bakery)
    page = login(client, personas.alice).get("/w/alices-bakery/knowledge/threshold/")
    text = page.content.decode()
    row = threshold_view(personas.bakery)[0]
    assert f"{round(row.answered_share * 100)}% ({row.answered} of 40)" in text
    assert "an estimate from Rapport's own confidence" in text
    assert "0.97 (yours now)" in text and "have changed since" not in text
    save_entry(personas.bakery, None, questions=["Do you sell candles?"], answer="Yes.")
    stale = client.get("/w/alices-bakery/knowledge/threshold/").content.decode()
    assert "Your entries or settings have changed since." in stale
