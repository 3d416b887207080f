"""``analyze``: what a text says, as plain data. The public entry point of rapport.engine.text."""

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

from .clean import clean_text
from .emotions import EMOTION_GROUPS, EMOTIONS, SENTIMENTS
from .language import SUPPORTED, UNDETERMINED, detect_language
from .model import TextModel

# Texts are analysed in slices of this many, so memory stays flat on any number of texts.
SLICE = 512


@dataclass(frozen=True, slots=True)
class Sentiment:
    """``label``: negative, neutral or positive; ``score``: P(positive) − P(negative), in
    [-1, 1]; ``confidence``: the model's probability for ``label``."""

    label: str
    score: float
    confidence: float


@dataclass(frozen=True, slots=True, kw_only=True)
class TextAnalysis:
    """The reading of one text.

    ``error`` is set (and the readings are empty) when the text could not be read: not a
    string, nothing left after cleaning, or an internal failure on this text alone.
    ``language_supported`` is False for languages the models were not trained on; such texts
    get no sentiment or emotions rather than a misjudged one. ``emotions`` holds a
    probability for each of the 28 GoEmotions labels; ``emotion_groups`` the owner-level
    groups of ``emotions.EMOTION_GROUPS`` (the highest probability among their members);
    ``detected_*`` those over their tuned thresholds, most probable first. ``windows`` > 1
    means a long text was read in several windows and the readings averaged; ``notes`` says
    what cleaning did. Fields added later (need for a human, toxicity, PII, themes) come with
    defaults, so code written against this version keeps working.
    """

    language: str
    language_supported: bool
    sentiment: Sentiment | None = None
    emotions: dict[str, float] = field(default_factory=dict)
    emotion_groups: dict[str, float] = field(default_factory=dict)
    detected_emotions: tuple[str, ...] = ()
    detected_groups: tuple[str, ...] = ()
    windows: int = 0
    notes: tuple[str, ...] = ()
    error: str | None = None
    model: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict:
        return asdict(self)


_default: TextModel | None = None


def default_model() -> TextModel:
    """The shipped model, loaded once per process on first use."""
    global _default
    if _default is None:
        _default = TextModel()
    return _default


def analyze(texts: Sequence[str], *, model: TextModel | None = None) -> list[TextAnalysis]:
    """Read each text: language, sentiment, emotions. One result per text, in order.

    A text that cannot be read gets a result with ``error`` set; the others are unaffected.
    """
    if isinstance(texts, str | bytes):
        raise TypeError("analyze() takes a sequence of texts; wrap a single text in a list")
    return list(analyze_iter(texts, model=model))


def analyze_iter(texts: Iterable[str], *, model: TextModel | None = None) -> Iterator[TextAnalysis]:
    """Like :func:`analyze`, lazily, for streams of any length (memory stays flat)."""
    model = model or default_model()
    iterator = iter(texts)
    while batch := list(itertools.islice(iterator, SLICE)):
        yield from _analyze_slice(batch, model)


def _failed(error: str, notes=(), language: str = UNDETERMINED) -> TextAnalysis:
    return TextAnalysis(language=language, language_supported=False, error=error, notes=notes)


def _prepare(raw) -> tuple[str | None, TextAnalysis | None]:
    """The cleaned text to run through the model, or the final result when there is none."""
    notes: list[str] = []
    if isinstance(raw, bytes | bytearray):
        raw = bytes(raw).decode("utf-8", "replace")
        notes.append("decoded from bytes")
    if not isinstance(raw, str):
        return None, _failed(f"not a text: {type(raw).__name__}")
    cleaned = clean_text(raw)
    notes += cleaned.notes
    if not cleaned.text:
        return None, _failed("empty text", tuple(notes))
    if cleaned.has_words:
        language, _ = detect_language(cleaned.text)
    else:
        # Only emoji and symbols: spelled out in English by clean_text, so readable.
        language = UNDETERMINED
        notes.append("no words, only symbols")
    if language != UNDETERMINED and language not in SUPPORTED:
        return None, TextAnalysis(
            language=language,
            language_supported=False,
            notes=(*notes, f"language '{language}' is not supported by the models"),
        )
    return cleaned.text, TextAnalysis(
        language=language, language_supported=True, notes=tuple(notes)
    )


def _analyze_slice(batch: list, model: TextModel) -> list[TextAnalysis]:
    results: list[TextAnalysis | None] = [None] * len(batch)
    todo: list[tuple[int, str, TextAnalysis]] = []
    for i, raw in enumerate(batch):
        try:
            text, partial = _prepare(raw)
        except Exception as error:  # one bad text must never fail the batch
            results[i] = _failed(f"could not prepare the text: {error}")
            continue
        if text is None:
            results[i] = partial
        else:
            todo.append((i, text, partial))
    if todo:
        for (i, _, partial), reading in zip(
            todo, _predict(model, [t for _, t, _ in todo]), strict=True
        ):
            results[i] = _complete(partial, reading, model)
    return results  # type: ignore[return-value]


def _predict(model: TextModel, texts: list[str]) -> list:
    """Per text (emotions, sentiment, windows) or an exception; a failing batch is retried
    text by text so that only the culprit fails."""
    try:
        p = model.predict(texts)
        return list(zip(p.emotions, p.sentiment, p.windows, strict=True))
    except Exception:
        if len(texts) == 1:
            raise
    out = []
    for text in texts:
        try:
            out += _predict(model, [text])
        except Exception as error:
            out.append(error)
    return out


def _complete(partial: TextAnalysis, reading, model: TextModel) -> TextAnalysis:
    if isinstance(reading, Exception):
        return _failed(f"the model failed on this text: {reading}", partial.notes, partial.language)
    emotion_p, sentiment_p, windows = reading
    config = model.config
    emotions = {e: round(float(p), 4) for e, p in zip(EMOTIONS, emotion_p, strict=True)}
    groups = {g: max(emotions[e] for e in members) for g, members in EMOTION_GROUPS.items()}
    thresholds, group_thresholds = config["emotion_thresholds"], config["group_thresholds"]
    best = int(sentiment_p.argmax())
    p = dict(zip(SENTIMENTS, (float(x) for x in sentiment_p), strict=True))
    return TextAnalysis(
        language=partial.language,
        language_supported=True,
        sentiment=Sentiment(
            label=SENTIMENTS[best],
            score=round(max(-1.0, min(1.0, p["positive"] - p["negative"])), 4),
            confidence=round(float(sentiment_p[best]), 4),
        ),
        emotions=emotions,
        emotion_groups=groups,
        detected_emotions=tuple(
            sorted(
                (e for e in EMOTIONS if emotions[e] >= thresholds[e]), key=lambda e: -emotions[e]
            )
        ),
        detected_groups=tuple(
            sorted(
                (g for g in groups if groups[g] >= group_thresholds[g]), key=lambda g: -groups[g]
            )
        ),
        windows=int(windows),
        notes=partial.notes,
        model=model.version,
    )
