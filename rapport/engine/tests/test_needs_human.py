"""Needs a human: the hard cases of the label guide, the reasons, the shipped weights."""

import importlib.util
import json
from pathlib import Path

import pytest

from rapport.engine.text import REASONS, analyze, needs_human
from rapport.engine.text.analysis import default_model, sentiment_from_compound
from rapport.engine.text.evaluation import roc_auc
from rapport.engine.text.needs_human import LABELS, MATERIAL, load_model, weights_path

WATER = (
    "Water is coming through the ceiling under the bathroom where your plumber worked "
    "yesterday. Please send someone now."
)
SARCASM = "Thanks a lot for charging me twice."
ADDRESS = "Please update my address to 7 Orchard Road."
LEAVING = "If this happens one more time I'm taking my business elsewhere."

# Measured on the dev templates (template % 5 == 0, 416 rows since the business messages'
# part 2): 0.890 in full mode, 0.821 in lexicon mode. The floors sit a little below, so a regression fails.
DEV_AUC_FLOOR = {"full": 0.85, "lexicon": 0.82}
GENERATOR = Path(__file__).resolve().parents[3] / "scripts" / "make_business_messages.py"


def build_rows():
    """The business messages as their generator makes them: unlike the CSV
    (``rapport.engine.datasets.load_business_messages``), each row says which template it
    came from, and the dev split is by template."""
    spec = importlib.util.spec_from_file_location("make_business_messages", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_rows()


def needs(text, **options):
    [result] = analyze([text], pii=False, **options)
    return result.needs_human


def codes(verdict):
    return [reason.code for reason in verdict.reasons]


def test_calm_words_about_a_safety_problem_are_flagged():
    verdict = needs(WATER)
    assert verdict.flagged
    assert codes(verdict)[0] == "fear_or_safety"
    assert "water is coming through" in verdict.reasons[0].evidence


@pytest.mark.xfail(
    strict=True,
    reason="known failure of the 2026-12-05 model: it reads this sarcasm as gratitude "
    "(positive, 0.97), so the money phrase alone leaves the score under the threshold",
)
def test_sarcasm_about_a_double_charge_is_flagged_as_money():
    verdict = needs(SARCASM)
    assert verdict.flagged
    assert codes(verdict)[0] == "money"


def test_a_polite_routine_request_is_not_flagged():
    verdict = needs(ADDRESS)
    assert not verdict.flagged
    assert verdict.reasons == ()
    assert verdict.score < 0.2


def test_a_question_about_a_policy_is_not_a_money_problem():
    assert not needs("What is your refund policy?").flagged


def test_a_threat_to_leave_is_flagged_with_its_reason():
    verdict = needs(LEAVING)
    assert verdict.flagged
    assert codes(verdict)[0] == "threat_to_leave"
    assert "taking my business elsewhere" in verdict.reasons[0].evidence


def test_unanswered_earlier_messages_count_as_repeated_contact():
    [first, third] = analyze(["Any news on my order?"] * 2, pii=False, prior_contacts=[0, 3])
    assert "repeated_contact" not in codes(first.needs_human)
    assert not first.needs_human.flagged
    assert codes(third.needs_human) == ["repeated_contact"]
    assert third.needs_human.flagged
    assert "3 earlier messages unanswered" in third.needs_human.reasons[0].evidence


def test_prior_contacts_must_match_the_texts():
    with pytest.raises(ValueError):
        analyze(["one", "two"], prior_contacts=[1])


def test_every_reason_explains_itself_strongest_first():
    [result] = analyze(["I've had enough, you useless lot. Cancel my membership."], pii=False)
    verdict = result.needs_human
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.flagged == (verdict.score >= load_model("full").threshold)
    assert {"threat_to_leave", "anger"} <= set(codes(verdict))
    weights = [reason.weight for reason in verdict.reasons]
    assert weights == sorted(weights, reverse=True)
    for reason in verdict.reasons:
        assert reason.code in REASONS and reason.label == LABELS[reason.code]
        assert reason.weight >= MATERIAL and reason.evidence


def test_the_weights_were_fitted_on_the_shipped_model():
    # Retrained the model? Rerun scripts/fit_needs_human.py: the emotion weights depend on it.
    spec = json.loads(weights_path().read_text(encoding="utf-8"))
    assert spec["modes"]["full"]["model"] == default_model().version
    for mode in spec["modes"].values():
        assert len(mode["features"]) == len(mode["weights"])


@pytest.mark.parametrize("mode", ["full", "lexicon"])
def test_held_out_templates_are_ranked_well(mode):
    dev = [row for row in build_rows() if row["template"] % 5 == 0]
    results = analyze([row["text"] for row in dev], mode=mode, pii=False)
    scores = [r.needs_human.score for r in results]
    assert roc_auc([row["needs_human"] for row in dev], scores) >= DEV_AUC_FLOOR[mode]


def test_lexicon_mode_uses_vaders_cutoffs():
    assert sentiment_from_compound(0.05).label == "positive"
    assert sentiment_from_compound(0.0499).label == "neutral"
    assert sentiment_from_compound(-0.0499).label == "neutral"
    assert sentiment_from_compound(-0.05).label == "negative"
    assert sentiment_from_compound(0.0).confidence == 1.0
    assert sentiment_from_compound(-1.0).confidence == 1.0
    assert sentiment_from_compound(0.05).confidence == 0.0


def test_lexicon_mode_reads_sarcasm_as_praise_but_still_flags_the_charge():
    [result] = analyze([SARCASM], mode="lexicon", pii=False)
    assert result.model.startswith("lexicon:vader-")
    assert result.emotions == {} and result.detected_emotions == ()
    # VADER sees "thanks" and nothing of the sarcasm: compound 0.4404, positive.
    assert result.sentiment.label == "positive"
    assert result.sentiment.score == pytest.approx(0.4404)
    assert result.needs_human.flagged and codes(result.needs_human)[0] == "money"


def test_lexicon_mode_flags_the_hard_cases_too():
    water, address, leaving = analyze([WATER, ADDRESS, LEAVING], mode="lexicon", pii=False)
    assert water.needs_human.flagged and codes(water.needs_human)[0] == "fear_or_safety"
    assert not address.needs_human.flagged
    assert leaving.needs_human.flagged and codes(leaving.needs_human)[0] == "threat_to_leave"


def test_asking_for_a_person_flags_whatever_the_tone_and_says_so():
    texts = [
        "I want to speak to a real person now",
        "Hi, could I talk to your manager please?",
        "I would like to make a complaint about my order",
        "Our manager will talk to the team tomorrow about the rota",
    ]
    asked, polite, formal, internal = (a.needs_human for a in analyze(texts, pii=False))

    for result in (asked, polite, formal):
        assert result.flagged
        assert result.reasons[0].code == "asks_for_person"
        assert result.reasons[0].evidence
    assert '"talk to your manager"' in polite.reasons[0].evidence
    assert "asks_for_person" not in [r.code for r in internal.reasons]


def test_asking_for_a_person_is_heard_in_any_form_of_the_verb():
    texts = [
        "I want assistance speaking with an operator",
        "help talking to an agent",
        "I need assistance filing a complaint",
        "can you help me contact an agent",
        "I'm making a complaint about the delivery",
    ]
    for text, result in zip(texts, analyze(texts, pii=False), strict=True):
        assert [r.code for r in result.needs_human.reasons][:1] == ["asks_for_person"], text


def test_a_message_that_only_informs_is_not_asking_again():
    # A supplier's delivery note after several others with no reply asked nothing: it is not
    # repeated contact (the demo's need-a-human list was half such notes). A question after
    # the same silence is.
    note = "Received 39 sacks (25 kg) of T65 wheat flour (MIL-241206). Stored and signed off."
    chase = "Any news on the invoice for delivery MIL-241206?"
    assert not needs_human.asks_something(note)
    assert needs_human.asks_something(chase)
    assert needs_human.asks_something("My order never arrived.")  # a stated problem asks too
    [quiet, chased] = analyze([note, chase], prior_contacts=[4, 4], pii=False)
    assert "repeated_contact" not in {r.code for r in quiet.needs_human.reasons}
    assert "repeated_contact" in {r.code for r in chased.needs_human.reasons}
