"""The public contract of rapport.engine.text.analyze, on the shipped model."""

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
