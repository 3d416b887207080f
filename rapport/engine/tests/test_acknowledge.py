"""Suggested acknowledgements name the feeling in plain words and never read as a form
letter (rapport/engine/acknowledge.py)."""

from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.acknowledge import FEELING_ORDER, FORM_LETTER, OPENINGS, STAKES, suggest
from rapport.engine.text.emotions import GROUP_NAMES

REASON_CODES = [code for code, _ in STAKES] + ["anger", "complex_request"]


def test_it_names_the_strongest_feeling_and_what_is_at_stake():
    text = suggest(
        first_name="Claire", feelings=("neutral", "frustration", "fear"), reasons=("money",)
    )
    assert text.startswith("Claire, ")
    assert "worr" in text  # fear comes before frustration
    assert "money" in text


def test_a_repeated_question_is_acknowledged_as_such():
    text = suggest(feelings=("frustration",), reasons=("repeated_contact",))
    assert "frustrating" in text and "more than once" in text


def test_thanks_get_thanks_without_reassurance():
    text = suggest(first_name="Ana", feelings=("gratitude",), reasons=("money",))
    assert text.startswith("Ana, thank you") and "money" not in text


def test_the_same_conversation_keeps_its_wording_and_others_vary():
    one = suggest(feelings=("anger",), seed="conversation-1")
    assert one == suggest(feelings=("anger",), seed="conversation-1")
    assert len({suggest(feelings=("anger",), seed=f"c{i}") for i in range(20)}) > 1


@given(
    st.text(alphabet=st.characters(categories=["L"]), max_size=12),
    st.lists(st.sampled_from(list(GROUP_NAMES)), max_size=4),
    st.lists(st.sampled_from(REASON_CODES), max_size=4),
    st.text(max_size=10),
)
def test_every_suggestion_is_one_plain_sentence(first_name, feelings, reasons, seed):
    text = suggest(first_name=first_name, feelings=feelings, reasons=reasons, seed=seed)
    assert text.endswith(".") and text.count(".") == 1 and "  " not in text
    assert not any(phrase in text.lower() for phrase in FORM_LETTER)


def test_every_feeling_it_names_is_an_emotion_group_the_model_reads():
    assert set(FEELING_ORDER) <= set(GROUP_NAMES) and set(OPENINGS) == set(FEELING_ORDER)
