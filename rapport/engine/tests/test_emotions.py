from rapport.engine.text.emotions import (
    EMOTION_GROUPS,
    EMOTION_SENTIMENT,
    EMOTIONS,
    GROUP_NAMES,
    sentiment_of,
)

# The GoEmotions label file, in order (label id i is the i-th name).
GOEMOTIONS = [
    *("admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion"),
    *("curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment"),
    *("excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism"),
    *("pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral"),
]


def test_the_labels_are_the_28_goemotions_names_in_order():
    assert list(EMOTIONS) == GOEMOTIONS


def test_every_emotion_is_in_exactly_one_group():
    members = [e for group in EMOTION_GROUPS.values() for e in group]
    assert sorted(members) == sorted(EMOTIONS)


def test_the_groups_are_the_ones_an_owner_reads():
    assert list(GROUP_NAMES.values()) == [
        "anger",
        "frustration",
        "sadness and disappointment",
        "fear and worry",
        "confusion",
        "joy",
        "gratitude",
        "love and admiration",
        "surprise",
        "neutral",
    ]
    assert set(GROUP_NAMES) == set(EMOTION_GROUPS)


def test_every_emotion_carries_a_sentiment():
    assert set(EMOTION_SENTIMENT) == set(EMOTIONS)


def test_sentiment_follows_the_papers_grouping():
    assert sentiment_of({"gratitude", "joy"}) == "positive"
    assert sentiment_of({"annoyance"}) == "negative"
    assert sentiment_of({"curiosity", "neutral"}) == "neutral"
    assert sentiment_of({"surprise"}) == "neutral"
    assert sentiment_of({"joy", "sadness"}) is None
