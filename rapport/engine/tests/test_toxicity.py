"""Toxicity: the project's word list, how terms combine, and the emotions that move a score."""

import codecs
from importlib import resources

import pytest

from rapport.engine.text.toxicity import WEIGHTS, Toxicity, compile_lexicon, toxicity


def score(text: str, emotions: dict[str, float] | None = None) -> float:
    [result] = toxicity([text], None if emotions is None else [emotions])
    return result.score


def test_a_neutral_message_scores_zero():
    assert toxicity(["Lovely bread, see you Saturday"]) == [Toxicity(0.0, ())]


def test_an_insult_scores_higher_than_a_neutral_message():
    assert score("You're an idiot and your staff are morons") > 0.8
    assert score("The delivery was two days late") == 0.0


def test_positive_profanity_scores_lower_than_an_insult_at_a_person():
    insult = score("You useless idiot")
    for praise in ("That cake was bloody brilliant", "Fucking amazing service, thank you"):
        assert score(praise) < 0.2 < insult


def test_profanity_aimed_at_someone_scores_more_than_profanity_alone():
    assert score("You're a fucking liar") > score("The coffee was shit") > 0


def test_it_reports_the_terms_as_written():
    [result] = toxicity(["Absolute MUPPETS, the lot of them. F*ck this."])
    assert result.terms == ("MUPPETS", "F*ck")


@pytest.mark.parametrize("written", ["f*ck", "f**k", "sh1t", "fuuuuuck", "@sshole", "1d10t"])
def test_obfuscation_is_caught(written):
    [result] = toxicity([f"what a {written} you are"])
    assert result.terms == (written,) and result.score > 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe branch",
        "Your assessment is due",
        "The yoga class was full",
        "Stuck on the A55 again",
        "Shiitake and cocktails at the Dickens evening",
        "Pass the glass, as usual",
        "Our analysis of the cucumber sales",
        "She got an A** in maths",
    ],
)
def test_words_that_contain_a_term_do_not_match(text):
    assert toxicity([text]) == [Toxicity(0.0, ())]


def test_threats_score_high_even_from_a_calm_writer():
    assert score("I know where you live. Watch your back.") > 0.95
    assert score("I'll find you", {"joy": 0.9, "anger": 0.0}) >= WEIGHTS["threat"]


def test_anger_raises_and_joy_lowers_the_score_of_the_same_words():
    plain = score("you idiot")
    assert score("you idiot", {"anger": 0.9}) > plain > score("you idiot", {"joy": 0.9})


def test_anger_without_toxic_words_stays_low():
    assert score("I am furious, the refund never came", {"anger": 0.95}) < 0.15
    assert score("I am furious, the refund never came", {}) == 0.0


def test_what_is_not_text_scores_zero():
    assert toxicity([None, 42, "idiot"])[:2] == [Toxicity(0.0, ()), Toxicity(0.0, ())]  # type: ignore[list-item]


def test_emotions_must_match_the_texts():
    with pytest.raises(ValueError):
        toxicity(["a", "b"], [{"anger": 0.1}])


def test_slurs_are_matched_though_the_list_writes_them_in_rot13():
    slur = codecs.decode("snttbg", "rot13")
    [result] = toxicity([f"get out, {slur}"])
    assert result.terms == (slur,) and result.score >= WEIGHTS["slur"]


def test_every_line_of_the_word_list_is_well_formed():
    text = resources.files("rapport.engine.text").joinpath("assets", "toxic_terms.txt")
    lexicon = compile_lexicon(text.read_text(encoding="utf-8"))
    assert set(lexicon.categories.values()) == set(WEIGHTS)
    assert len(lexicon.categories) >= 120
    with pytest.raises(ValueError):
        compile_lexicon("rudeness  idiot")
