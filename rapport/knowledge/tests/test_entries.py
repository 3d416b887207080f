"""Saving and removing entries: what is checked, what is audited."""

import pytest

from rapport.accounts.models import AuditEvent
from rapport.knowledge.actions import EntryError, EntryNotFound, delete_entry, save_entry
from rapport.knowledge.models import Entry


def test_a_new_entry_gets_a_key_from_its_first_question_and_is_audited(personas):
    entry = save_entry(
        personas.bakery,
        personas.alice_member,
        questions="Do you deliver?\n\nCan you bring a cake to my office?\n",
        answer="Yes, within 5 km, from 9 to 5.",
    )
    assert entry.key == "do-you-deliver"
    assert entry.question_list == ["Do you deliver?", "Can you bring a cake to my office?"]
    assert entry.updated_by == personas.alice_member
    event = AuditEvent.objects.get(workspace=personas.bakery, object_type="entry")
    assert (event.action, event.actor) == ("create", personas.alice)


def test_a_second_entry_from_a_like_question_gets_its_own_key(personas):
    save_entry(personas.bakery, None, questions=["Do you deliver?"], answer="Yes.")
    again = save_entry(personas.bakery, None, questions=["Do you deliver!"], answer="Yes!")
    assert again.key == "do-you-deliver-2"


def test_saving_the_same_values_again_changes_nothing(personas, faq):
    before = faq["hours"].updated_at
    events = AuditEvent.objects.count()
    entry = save_entry(
        personas.bakery,
        personas.bob_member,
        key="hours",
        questions=faq["hours"].questions,
        answer=faq["hours"].answer,
    )
    assert entry.updated_at == before and AuditEvent.objects.count() == events


def test_an_update_records_what_changed(personas, faq):
    save_entry(
        personas.bakery,
        personas.bob_member,
        key="hours",
        questions=faq["hours"].questions,
        answer="We open at 8 now.",
    )
    event = AuditEvent.objects.filter(action="update", object_type="entry").get()
    assert event.changes == {"answer": ["We open at 7, Sundays at 8.", "We open at 8 now."]}
    assert Entry.objects.get(key="hours").updated_by == personas.bob_member


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"questions": ["", "  "]}, "questions: give at least one example question"),
        ({"answer": "   "}, "answer: write the answer"),
        ({"answer": "x" * 1_048_576}, "answer: 1,048,576 characters; an answer may have at most"),
        ({"language": "english"}, "language: 'english' is not a two-letter code"),
        ({"key": "Opening Hours!"}, "key: 'Opening Hours!': use lower-case letters"),
    ],
)
def test_it_refuses_a_bad_entry_and_says_why(personas, fields, message):
    values = {"questions": ["When do you open?"], "answer": "At 7.", **fields}
    with pytest.raises(EntryError, match=message.replace("(", r"\(")):
        save_entry(personas.bakery, personas.alice_member, **values)
    assert not Entry.objects.exists()


def test_a_question_in_two_entries_is_refused_naming_both(personas, faq):
    with pytest.raises(EntryError) as refused:
        save_entry(
            personas.bakery,
            None,
            key="sunday",
            questions=["are you  OPEN on sunday?"],
            answer="Yes, from 8.",
        )
    assert "'are you  OPEN on sunday?' is in both 'hours' and 'sunday'" in str(refused.value)


def test_html_and_emoji_are_kept_as_written(personas):
    entry = save_entry(
        personas.bakery,
        None,
        key="cakes",
        questions=["Do you make 🎂 birthday cakes?", "<b>custom</b> cakes?"],
        answer="<script>alert(1)</script> Yes 🎉",
    )
    entry.refresh_from_db()
    assert entry.question_list[0] == "Do you make 🎂 birthday cakes?"
    assert entry.answer == "<script>alert(1)</script> Yes 🎉"


def test_it_deletes_an_entry_with_an_audit_and_refuses_an_unknown_key(personas, faq):
    delete_entry(personas.bakery, personas.alice_member, "hours")
    assert not Entry.objects.filter(key="hours").exists()
    assert AuditEvent.objects.filter(action="delete", object_type="entry").count() == 1
    with pytest.raises(EntryNotFound):
        delete_entry(personas.bakery, personas.alice_member, "hours")
    with pytest.raises(EntryNotFound):
        delete_entry(personas.garage, personas.charlie_member, "gluten-free")
