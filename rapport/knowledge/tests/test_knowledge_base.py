"""The engine's knowledge base built from a business's entries and settings."""

import pytest

from rapport.accounts.models import AuditEvent
from rapport.knowledge.actions import (
    EntryError,
    knowledge_base,
    save_entry,
    shipped_threshold,
    update_settings,
)


def test_an_empty_knowledge_base_answers_nothing(personas):
    [m] = knowledge_base(personas.bakery).match(["When do you open?"])
    assert m.entry_id is None and not m.answer
    assert "the knowledge base is empty" in m.reasons


def test_one_entry_answers_its_question(personas):
    save_entry(personas.bakery, None, key="hours", questions=["When do you open?"], answer="At 7.")
    [m] = knowledge_base(personas.bakery).match(["what time do you open?"])
    assert m.entry_id == "hours"


def test_it_answers_a_routine_question_and_not_an_angry_one(personas, faq):
    kb = knowledge_base(personas.bakery)
    assert kb.threshold == shipped_threshold()
    routine, angry = kb.match(
        ["What time do you open on Sunday?", "You were closed on Sunday AGAIN, I want a refund!"]
    )
    assert (routine.entry_id, routine.answer) == ("hours", True)
    assert not angry.answer


def test_it_is_built_once_per_version_of_the_entries(personas, faq):
    first = knowledge_base(personas.bakery)
    assert knowledge_base(personas.bakery) is first
    save_entry(personas.bakery, None, key="hours", questions=["When do you open?"], answer="8.")
    second = knowledge_base(personas.bakery)
    assert second is not first
    assert {e.id: e.questions for e in second.entries}["hours"] == ["When do you open?"]
    update_settings(personas.bakery, personas.alice_member, threshold=0.9)
    assert knowledge_base(personas.bakery).threshold == 0.9


def test_a_switched_off_entry_is_left_out(personas, faq):
    save_entry(
        personas.bakery,
        None,
        key="gluten-free",
        questions=faq["gluten"].questions,
        answer=faq["gluten"].answer,
        active=False,
    )
    assert [e.id for e in knowledge_base(personas.bakery).entries] == ["hours"]


def test_an_entry_in_german_gives_no_automatic_answer_to_an_english_question(personas):
    save_entry(
        personas.bakery,
        None,
        key="oeffnungszeiten",
        questions=["Wann öffnen Sie?", "Wie sind Ihre Öffnungszeiten?"],
        answer="Wir öffnen um 7 Uhr.",
        language="de",
    )
    [m] = knowledge_base(personas.bakery).match(["When do you open?"])
    assert not m.answer


def test_each_business_has_its_own_knowledge_base(personas, faq):
    assert knowledge_base(personas.garage).entries == ()


def test_the_threshold_is_checked_and_audited(personas):
    with pytest.raises(EntryError, match="outside 0.5 to 1"):
        update_settings(personas.bakery, personas.alice_member, threshold=0.3)
    update_settings(personas.bakery, personas.alice_member, threshold=0.9, auto_answer=False)
    event = AuditEvent.objects.get(object_type="knowledgesettings")
    assert event.changes == {"threshold": [None, 0.9], "auto_answer": [True, False]}
    update_settings(personas.bakery, personas.alice_member, threshold=None)
    assert knowledge_base(personas.bakery).threshold == shipped_threshold()
