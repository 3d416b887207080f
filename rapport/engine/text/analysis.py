"""``analyze``: what a text says, as plain data. The public entry point of rapport.engine.text."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from . import needs_human as _needs_human
from .clean import clean_text
from .emotions import EMOTION_GROUPS, EMOTIONS, SENTIMENTS
from .language import SUPPORTED, UNDETERMINED, detect_language
from .model import TextModel
from .needs_human import NeedsHuman
from .pii import PiiSpan, find_pii, redact
from .toxicity import Toxicity
from .toxicity import toxicity as score_toxicity

# Texts are analysed in slices of this many, so memory stays flat on any number of texts.
SLICE = 512

MODES = ("full", "lexicon")
# VADER's own cutoffs on its compound score (Hutto & Gilbert 2014, and its README).
VADER_CUTOFF = 0.05


@dataclass(frozen=True, slots=True)
class Sentiment:
    """``label``: negative, neutral or positive; ``score``: P(positive) − P(negative), in
    [-1, 1]; ``confidence``: the model's probability for ``label``. In lexicon mode ``score``
    is VADER's compound and ``confidence`` how far it lies inside its label's band (0 at a
    ±0.05 cutoff, 1 at ±1 or at exactly 0 for neutral), not a probability."""

    label: str
    score: float
    confidence: float


@dataclass(frozen=True, slots=True, kw_only=True)
class TextAnalysis:
    """The reading of one text.

    ``error`` is set (and the readings are empty) when the text could not be read: not a
    string, nothing left after cleaning, or an internal failure on this text alone.
    ``language_supported`` is False for languages the models were not trained on; such texts
    get no sentiment, emotions, need for a human or toxicity rather than a misjudged one,
    but PII is still found. ``emotions`` holds a probability for each of the 28 GoEmotions
    labels (empty in lexicon mode); ``emotion_groups`` the owner-level groups of
    ``emotions.EMOTION_GROUPS`` (the highest probability among their members); ``detected_*``
    those over their tuned thresholds, most probable first. ``windows`` > 1 means a long text
    was read in several windows and the readings averaged; ``notes`` says what cleaning did,
    and names any later step (PII, toxicity, need for a human) that failed on this text.

    ``needs_human``: a calibrated score, a flag and its reasons (see ``needs_human.py``).
    ``toxicity``: a score in [0, 1] and the terms behind it. ``pii``: personal data found,
    as offsets into the text as given (for bytes, into their UTF-8 decoding), so callers can
    highlight them; ``redacted``: that text with the PII replaced, or None when PII was not
    looked for (``pii=False``, not a text, or PII detection failed on it). ``model`` names
    what produced the readings ("<model>@<date>", or "lexicon:vader-<version>").
    Fields added later come with defaults, so code written against this version keeps
    working.
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
    needs_human: NeedsHuman | None = None
    toxicity: Toxicity | None = None
    pii: tuple[PiiSpan, ...] = ()
    redacted: str | None = None

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


def analyze(
    texts: Sequence[str],
    *,
    model: TextModel | None = None,
    mode: str = "full",
    pii: bool = True,
    prior_contacts: Sequence[int | None] | None = None,
) -> list[TextAnalysis]:
    """Read each text: language, sentiment, emotions, need for a human, toxicity, PII.
    One result per text, in order.

    ``mode="full"`` runs the shipped model; ``mode="lexicon"`` uses VADER instead (much
    faster, no emotions, a weaker need-for-a-human score) for large backfills. ``pii=False``
    skips PII detection. ``prior_contacts``, one per text, counts earlier messages from the
    same person still unanswered (two or more count as repeated contact).

    A text that cannot be read gets a result with ``error`` set; the others are unaffected.
    """
    if isinstance(texts, str | bytes):
        raise TypeError("analyze() takes a sequence of texts; wrap a single text in a list")
    if prior_contacts is not None and len(prior_contacts) != len(texts):
        raise ValueError(f"prior_contacts has {len(prior_contacts)} values for {len(texts)} texts")
    return list(analyze_iter(texts, model=model, mode=mode, pii=pii, prior_contacts=prior_contacts))


def analyze_iter(
    texts: Iterable[str],
    *,
    model: TextModel | None = None,
    mode: str = "full",
    pii: bool = True,
    prior_contacts: Iterable[int | None] | None = None,
) -> Iterator[TextAnalysis]:
    """Like :func:`analyze`, lazily, for streams of any length (memory stays flat)."""
    if isinstance(texts, str | bytes):
        raise TypeError("analyze_iter() takes an iterable of texts, not a single text")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    reader = (model or default_model()) if mode == "full" else None
    iterator = iter(texts)
    priors = iter(prior_contacts) if prior_contacts is not None else None

    def next_slice() -> _Slice | None:
        batch = list(itertools.islice(iterator, SLICE))
        if not batch:
            return None
        counts: list[int | None] = [None] * len(batch)
        if priors is not None:
            counts = list(itertools.islice(priors, len(batch)))
            if len(counts) != len(batch):
                raise ValueError("prior_contacts ran out before the texts did")
        return _prepare_slice(batch, counts)

    # The model reads one slice in a second thread while this one finds that slice's PII,
    # prepares the next slice and finishes the one before: onnxruntime lets go of the GIL
    # while it runs (and so does most of spaCy's entity recogniser), so the cores share
    # the work instead of taking turns. Each slice is read exactly as it would be alone.
    with ThreadPoolExecutor(1, thread_name_prefix="rapport-text-model") as pool:
        current = next_slice()
        reading = _start_reading(pool, reader, current)
        while current is not None:
            found_pii = _find_pii(current.originals) if pii else None
            upcoming = next_slice()
            outputs = reading.result() if reading is not None else None
            reading = _start_reading(pool, reader, upcoming)
            yield from _finish_slice(current, reader, outputs, found_pii)
            current = upcoming


# The most characters of one text that are read (about 17,000 words: far more than any
# message; a pasted document is read from its start). The redacted text covers the same part.
MAX_CHARS = 100_000


def _failed(error: str, notes=(), language: str = UNDETERMINED) -> TextAnalysis:
    return TextAnalysis(language=language, language_supported=False, error=error, notes=notes)


def _original(raw) -> tuple[Any, tuple[str, ...]]:
    """The text as given (bytes decoded), which PII offsets refer to; at most
    :data:`MAX_CHARS` of it, said in the notes."""
    notes: tuple[str, ...] = ()
    if isinstance(raw, bytes | bytearray):
        raw, notes = bytes(raw).decode("utf-8", "replace"), ("decoded from bytes",)
    if isinstance(raw, str) and len(raw) > MAX_CHARS:
        notes += (f"only the first {MAX_CHARS:,} of its {len(raw):,} characters were read",)
        raw = raw[:MAX_CHARS]
    return raw, notes


def _prepare(raw, notes: tuple[str, ...] = ()) -> tuple[str | None, TextAnalysis | None]:
    """The cleaned text to read, or the final result when there is none."""
    notes_list = list(notes)
    if not isinstance(raw, str):
        return None, _failed(f"not a text: {type(raw).__name__}")
    cleaned = clean_text(raw)
    notes_list += cleaned.notes
    if not cleaned.text:
        return None, _failed("empty text", tuple(notes_list))
    if cleaned.has_words:
        language, _ = detect_language(cleaned.text)
    else:
        # Only emoji and symbols: spelled out in English by clean_text, so readable.
        language = UNDETERMINED
        notes_list.append("no words, only symbols")
    if language != UNDETERMINED and language not in SUPPORTED:
        return None, TextAnalysis(
            language=language,
            language_supported=False,
            notes=(*notes_list, f"language '{language}' is not supported by the models"),
        )
    return cleaned.text, TextAnalysis(
        language=language, language_supported=True, notes=tuple(notes_list)
    )


@dataclass(slots=True)
class _Slice:
    """A slice of texts between preparing and finishing: each text as given (what PII
    offsets refer to), each result so far, the (index, cleaned text, partial result) of
    those to read, and each text's count of earlier unanswered contacts."""

    originals: list[Any]
    results: list[TextAnalysis]
    todo: list[tuple[int, str, TextAnalysis]]
    priors: list[int | None]


def _prepare_slice(batch: list, priors: list[int | None]) -> _Slice:
    results: list[TextAnalysis] = [_failed("not analysed")] * len(batch)
    originals: list[Any] = [None] * len(batch)
    todo: list[tuple[int, str, TextAnalysis]] = []
    for i, raw in enumerate(batch):
        try:
            originals[i], notes = _original(raw)
            text, partial = _prepare(originals[i], notes)
        except Exception as error:  # one bad text must never fail the batch
            results[i] = _failed(f"could not prepare the text: {error}")
            continue
        if text is None:
            results[i] = partial  # type: ignore[assignment]
        else:
            todo.append((i, text, partial))  # type: ignore[arg-type]
    return _Slice(originals, results, todo, priors)


def _start_reading(pool: ThreadPoolExecutor, model: TextModel | None, piece: _Slice | None):
    """The model's reading of the slice's texts, under way in ``pool`` (None in lexicon
    mode, or when there is nothing to read)."""
    if model is None or piece is None or not piece.todo:
        return None
    return pool.submit(_predict, model, [text for _, text, _ in piece.todo])


def _finish_slice(
    piece: _Slice, model: TextModel | None, outputs: list | None, found_pii: list | None
) -> list[TextAnalysis]:
    """The slice's results: the model's ``outputs`` (full mode) or VADER (lexicon mode),
    need for a human, toxicity and the PII ``found_pii`` (None: PII not looked for)."""
    results = piece.results
    cleaned: dict[int, str] = {}
    if piece.todo:
        if model is None:
            readings = [_lexicon_reading(partial, text) for _, text, partial in piece.todo]
        else:
            readings = [
                _complete(partial, reading, model)
                for (_, _, partial), reading in zip(piece.todo, outputs or [], strict=True)
            ]
        for (i, text, _), result in zip(piece.todo, readings, strict=True):
            results[i] = result
            if result.ok:
                cleaned[i] = text
    mode = "full" if model is not None else "lexicon"
    _add_needs_human(results, cleaned, piece.priors, mode)
    _add_toxicity(results, cleaned, mode)
    if found_pii is not None:
        _add_pii(results, piece.originals, found_pii)
    return results


def _predict(model: TextModel, texts: list[str]) -> list:
    """Per text (emotions, sentiment, windows) or the exception that text raised; a failing
    batch is retried text by text so that only the culprit fails."""
    try:
        p = model.predict(texts)
        return list(zip(p.emotions, p.sentiment, p.windows, strict=True))
    except Exception as error:
        if len(texts) == 1:
            return [error]
    return [reading for text in texts for reading in _predict(model, [text])]


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
        model=model.readings_version,
    )


# --- lexicon mode ------------------------------------------------------------------------

_vader = None
_vader_lock = threading.Lock()


def _load_vader():
    global _vader
    with _vader_lock:
        if _vader is None:
            from importlib.metadata import version

            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            _vader = (SentimentIntensityAnalyzer(), f"lexicon:vader-{version('vaderSentiment')}")
    return _vader


def vader_sentiment(text: str) -> Sentiment:
    """VADER's reading of one text (see :func:`sentiment_from_compound`)."""
    return sentiment_from_compound(float(_load_vader()[0].polarity_scores(text)["compound"]))


def sentiment_from_compound(compound: float) -> Sentiment:
    """A VADER compound score as a Sentiment: the label by VADER's standard cutoffs
    (≥ 0.05 positive, ≤ -0.05 negative, neutral between), ``score`` the compound itself,
    ``confidence`` how far inside its label's band it lies (0 at a cutoff; 1 at ±1, or at
    exactly 0 for neutral)."""
    size = abs(compound)
    if compound >= VADER_CUTOFF:
        label, confidence = "positive", (size - VADER_CUTOFF) / (1 - VADER_CUTOFF)
    elif compound <= -VADER_CUTOFF:
        label, confidence = "negative", (size - VADER_CUTOFF) / (1 - VADER_CUTOFF)
    else:
        label, confidence = "neutral", 1 - size / VADER_CUTOFF
    return Sentiment(label, round(compound, 4), round(max(0.0, min(1.0, confidence)), 4))


def _lexicon_reading(partial: TextAnalysis, text: str) -> TextAnalysis:
    try:
        sentiment = vader_sentiment(text)
    except Exception as error:
        return _failed(f"the lexicon failed on this text: {error}", partial.notes, partial.language)
    return replace(partial, sentiment=sentiment, windows=1, model=_load_vader()[1])


# --- the steps after reading: need for a human, toxicity, PII ----------------------------


def _each(step: Callable[[list], list], items: list) -> list:
    """``step`` over ``items`` at once, or item by item when that fails: one value or the
    exception per item, so only the culprit fails. A missing library fails every item at
    once rather than being retried for each (loading spaCy can take seconds)."""
    try:
        out = list(step(items))
        if len(out) != len(items):
            raise ValueError(f"gave {len(out)} results for {len(items)} texts")
        return out
    except ImportError as error:
        return [error] * len(items)
    except Exception as error:
        if len(items) == 1:
            return [error]
    return [_each(step, [item])[0] for item in items]


def _note_failure(result: TextAnalysis, what: str, error: Exception) -> TextAnalysis:
    return replace(result, notes=(*result.notes, f"{what} failed: {error}"))


def _add_needs_human(results, cleaned: dict[int, str], priors, mode: str) -> None:
    def step(items):
        out = []
        for i in items:
            r = results[i]
            out.append(
                _needs_human.assess(
                    cleaned[i],
                    sentiment_score=r.sentiment.score if r.sentiment else None,
                    emotions=r.emotions or None,
                    prior_contacts=priors[i],
                    mode=mode,
                )
            )
        return out

    indices = list(cleaned)
    for i, value in zip(indices, _each(step, indices), strict=True):
        if isinstance(value, Exception):
            results[i] = _note_failure(results[i], "need-for-a-human", value)
        else:
            results[i] = replace(results[i], needs_human=value)


def _add_toxicity(results, cleaned: dict[int, str], mode: str) -> None:
    indices = list(cleaned)
    if not indices:
        return

    def step(items):
        emotions = [results[i].emotions for i in items] if mode == "full" else None
        return score_toxicity([cleaned[i] for i in items], emotions)

    for i, value in zip(indices, _each(step, indices), strict=True):
        if isinstance(value, Exception):
            results[i] = _note_failure(results[i], "toxicity", value)
        else:
            results[i] = replace(results[i], toxicity=value)


def _find_pii(originals: list) -> list[tuple[int, Any]]:
    """(index, (spans, redacted text) or the exception) for each text with something in it."""
    indices = [i for i, text in enumerate(originals) if isinstance(text, str) and text.strip()]
    if not indices:
        return []

    def step(items):
        texts = [originals[i] for i in items]
        return [
            (tuple(spans), redact(text, spans))
            for text, spans in zip(texts, find_pii(texts), strict=True)
        ]

    return list(zip(indices, _each(step, indices), strict=True))


def _add_pii(results, originals: list, found: list[tuple[int, Any]]) -> None:
    """Each text's PII, ``found`` by :func:`_find_pii`, into its result."""
    for i, text in enumerate(originals):
        if isinstance(text, str) and not text.strip():
            results[i] = replace(results[i], redacted=text)
    for i, value in found:
        if isinstance(value, Exception):
            results[i] = _note_failure(results[i], "PII detection", value)
        else:
            spans, redacted = value
            results[i] = replace(results[i], pii=spans, redacted=redacted)
