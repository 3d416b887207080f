"""The public contract of rapport.engine.text.analyze, on the shipped model."""

import pytest

from rapport.engine.text import EMOTION_GROUPS, EMOTIONS, TextAnalysis, analyze

TEXTS = [
    "Thank you so much, the cake for my daughter's birthday was perfect!",
    "I am furious. You charged me twice and nobody answers the phone.",
    "What time do you open on Sundays?",
]


def test_there_is_one_result_per_text_in_order():
    results = analyze(TEXTS)
    assert len(results) == 3
    assert all(isinstance(r, TextAnalysis) and r.ok for r in results)


def test_each_result_has_sentiment_emotions_and_groups():
    for result in analyze(TEXTS):
        assert result.language == "en" and result.language_supported
        assert result.sentiment.label in {"negative", "neutral", "positive"}
        assert -1.0 <= result.sentiment.score <= 1.0
        assert 0.0 <= result.sentiment.confidence <= 1.0
        assert list(result.emotions) == list(EMOTIONS)
        assert all(0.0 <= p <= 1.0 for p in result.emotions.values())
        assert list(result.emotion_groups) == list(EMOTION_GROUPS)
        assert set(result.detected_emotions) <= set(EMOTIONS)
        assert result.windows == 1
        assert result.model


def test_clear_texts_are_read_the_right_way():
    thanks, angry, question = analyze(TEXTS)
    assert thanks.sentiment.label == "positive" and thanks.sentiment.score > 0.5
    assert "gratitude" in thanks.detected_emotions
    assert angry.sentiment.label == "negative" and angry.sentiment.score < -0.5
    assert {"anger", "frustration"} & set(angry.detected_groups)
    assert question.sentiment.label == "neutral"


def test_results_turn_into_plain_data():
    data = analyze(TEXTS[:1])[0].to_dict()
    assert data["sentiment"]["label"] == "positive"
    assert len(data["emotions"]) == 28


def test_no_texts_give_no_results():
    assert analyze([]) == []


def test_each_result_says_whether_it_needs_a_human_and_how_toxic_it_is():
    thanks, angry, question = analyze(TEXTS, pii=False)
    for result in (thanks, angry, question):
        assert 0.0 <= result.needs_human.score <= 1.0
        assert 0.0 <= result.toxicity.score <= 1.0
    assert angry.needs_human.flagged and not thanks.needs_human.flagged
    assert {"money", "anger"} & {reason.code for reason in angry.needs_human.reasons}


def test_personal_data_is_found_in_the_text_as_given_and_redacted():
    text = "<p>Please write to <b>ines.home@example.com</b> about order 7196.</p>"
    [result] = analyze([text])
    [span] = [s for s in result.pii if s.kind == "email"]
    assert text[span.start : span.end] == "ines.home@example.com"
    assert result.redacted == text.replace("ines.home@example.com", "[EMAIL]")


def test_pii_can_be_skipped():
    [result] = analyze(["Write to ines.home@example.com"], pii=False)
    assert result.pii == () and result.redacted is None


def test_lexicon_mode_gives_sentiment_without_emotions():
    thanks, angry, question = analyze(TEXTS, mode="lexicon", pii=False)
    assert thanks.sentiment.label == "positive" and angry.sentiment.label == "negative"
    assert question.sentiment.label == "neutral"
    for result in (thanks, angry, question):
        assert result.ok and result.emotions == {} and result.emotion_groups == {}
        assert result.model.startswith("lexicon:vader-")
        assert result.needs_human is not None and result.toxicity is not None


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        analyze(TEXTS, mode="fast")


def test_new_readings_turn_into_plain_data():
    data = analyze(["You useless idiot, write to ines.home@example.com"])[0].to_dict()
    assert data["needs_human"]["reasons"][0]["code"] == "anger"
    assert data["toxicity"]["terms"]
    assert data["pii"][0]["kind"] == "email"
    assert "[EMAIL]" in data["redacted"]


def test_importing_the_package_loads_no_model_library():
    import subprocess
    import sys

    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "import rapport.engine.text\n"
        "print(time.perf_counter() - t)\n"
        "heavy = ('presidio', 'spacy', 'vaderSentiment', 'onnxruntime', 'tokenizers')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    seconds, loaded = result.stdout.splitlines()
    assert loaded == "[]"
    assert float(seconds) < 1.0
