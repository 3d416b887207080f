"""The emotion vocabulary: the 28 GoEmotions labels, the groups an owner reads, and the
sentiment each emotion carries. Defined here once; the models, the training script and the
benchmarks all read these tables.
"""

# The GoEmotions labels, in the dataset's order (emotions.txt): label id i is EMOTIONS[i].
EMOTIONS: tuple[str, ...] = (
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
)

# Groups an owner understands. Keys are stable identifiers (they are stored with results);
# GROUP_NAMES gives the words shown to people. Every emotion belongs to exactly one group.
EMOTION_GROUPS: dict[str, tuple[str, ...]] = {
    "anger": ("anger", "disgust"),
    "frustration": ("annoyance", "disapproval"),
    "sadness": ("sadness", "disappointment", "grief", "remorse", "embarrassment"),
    "fear": ("fear", "nervousness"),
    "confusion": ("confusion", "curiosity"),
    "joy": ("joy", "amusement", "excitement", "optimism", "relief", "pride", "desire"),
    "gratitude": ("gratitude",),
    "love": ("love", "admiration", "approval", "caring"),
    "surprise": ("surprise", "realization"),
    "neutral": ("neutral",),
}

GROUP_NAMES: dict[str, str] = {
    "anger": "anger",
    "frustration": "frustration",
    "sadness": "sadness and disappointment",
    "fear": "fear and worry",
    "confusion": "confusion",
    "joy": "joy",
    "gratitude": "gratitude",
    "love": "love and admiration",
    "surprise": "surprise",
    "neutral": "neutral",
}

GROUP_OF: dict[str, str] = {e: g for g, members in EMOTION_GROUPS.items() for e in members}

# The GoEmotions paper's sentiment grouping (Demszky et al. 2020, section 3.3).
EMOTION_SENTIMENT: dict[str, str] = {
    **dict.fromkeys(
        (
            "admiration",
            "amusement",
            "approval",
            "caring",
            "desire",
            "excitement",
            "gratitude",
            "joy",
            "love",
            "optimism",
            "pride",
            "relief",
        ),
        "positive",
    ),
    **dict.fromkeys(
        (
            "anger",
            "annoyance",
            "disappointment",
            "disapproval",
            "disgust",
            "embarrassment",
            "fear",
            "grief",
            "nervousness",
            "remorse",
            "sadness",
        ),
        "negative",
    ),
    **dict.fromkeys(("confusion", "curiosity", "realization", "surprise"), "ambiguous"),
    "neutral": "neutral",
}

SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")


def sentiment_of(emotions: set[str] | frozenset[str]) -> str | None:
    """The 3-class sentiment of a text annotated with these emotions, or None when mixed.

    Positive emotions only → positive; negative only → negative; only ambiguous
    (confusion, curiosity, realization, surprise) or neutral → neutral: a question or a
    surprised remark is not a complaint. Both positive and negative → None (left out of
    sentiment training rather than forced into a class).
    """
    kinds = {EMOTION_SENTIMENT[e] for e in emotions}
    if "positive" in kinds and "negative" in kinds:
        return None
    if "positive" in kinds:
        return "positive"
    if "negative" in kinds:
        return "negative"
    return "neutral"


assert len(EMOTIONS) == 28 and set(GROUP_OF) == set(EMOTIONS) == set(EMOTION_SENTIMENT)
