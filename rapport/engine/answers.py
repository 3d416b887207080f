"""Automatic answers from a business's own knowledge base (its FAQ), offline.

    >>> from rapport.engine.answers import FaqEntry, KnowledgeBase
    >>> kb = KnowledgeBase([FaqEntry(id="hours", questions=["when do you open"],
    ...                              answer="We open at 7, Sundays at 8.")])
    >>> [m] = kb.match(["what time do you open tomorrow?"])
    >>> m.entry_id, m.answer                                    # doctest: +SKIP
    ('hours', True)

Each text is compared with every entry's example questions by sentence embeddings
(all-MiniLM-L6-v2, ``text.encoder``). A small logistic calibrator turns what was seen (the
best cosine similarity to one of the entry's questions, the similarity to the entry's
centroid, the margin over the next entry, the entry's number of examples) into the
probability that the entry answers the text. Its few weights and the default
threshold were fitted on the project's own FAQ examples by ``scripts/fit_faq_calibrator.py``
and live in ``text/assets/faq_calibrator.json``.

A text gets an automatic answer only when that probability reaches the threshold and the
text is routine: ``text.analyze`` finds no need for a person, no anger, frustration,
sadness or fear, and the text is in the entry's language. Otherwise the best entry is still
reported (as a draft for a person) when it more likely fits than not, with the reasons in
plain words. Every text is read on its own, so an answer never depends on what else was
asked at the same time. See docs/answers.md.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["FaqEntry", "KnowledgeBase", "Match", "ThresholdRow", "calibrator_path"]

# Longer texts are letters, not questions: matched on their start, never answered.
MAX_CHARS = 1000
# Only this much of a text as given is cleaned (HTML can hide a short text in a long one).
MAX_RAW = 64 * 1024
# Below this probability no entry is reported at all ("no entry fits").
DRAFT_FLOOR = 0.5
# An automatic answer needs the need-for-a-human score below this: more likely than not that
# no person is needed. needs_human's own flag sits lower (about 0.4), tuned to catch problems
# in an inbox, and is raised by a topic alone ("Do you sell gift vouchers?" scores 0.43);
# a problem phrase, a negative tone or a second reason lifts the score well above 0.5
# ("Can I get a refund?" 0.43; "where is my refund, this is the third time I ask" 0.997).
HUMAN_SCORE = 0.5
# Emotion groups that mean the writer is upset: a person should answer.
UPSET_GROUPS = ("anger", "frustration", "sadness", "fear")
# Need-for-a-human reason codes in plain words.
REASON_WORDS = {
    "fear_or_safety": "safety",
    "health": "health",
    "legal": "legal",
    "money": "money",
    "threat_to_leave": "threat to leave",
    "repeated_contact": "asked before",
    "distress": "distress",
    "anger": "anger",
    "complex_request": "needs judgement",
}
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
}
# Asking for a person, in more of the ways people ask than needs_human's phrases (which
# decide its flag): any of these sends the text to a person, never to the FAQ.
ASKS_FOR_PERSON = re.compile(
    r"\b(speak|speaking|talk|talking|chat|chatting|contact|contacting|reach|reaching|call"
    r"|calling|transfer|transferred|connect|connected|put) (me )?(to |with |through to )?"
    r"(a |an |the |your |some |one of your )?(real |actual |live |human |proper )?"
    r"(person|human|someone|somebody|manager|supervisor|owner|boss|agent|operator"
    r"|representative|rep|staff member|member of staff)\b"
    r"|\b(want|need|get|give me) (a |an )?(real |live |human )?(person|human|agent|operator"
    r"|representative)\b",
    re.I,
)
# A complaint, even one asked about politely ("how do I file a complaint?"), is for a person.
COMPLAINT = re.compile(
    r"\bcomplain(t|ts|ing|ed)?\b"
    r"|\b(file|lodge|make|submit|raise|open|register)\w* (a |an )?(formal |official |customer "
    r"|consumer )?(claim|reclamation|grievance)\b",
    re.I,
)
# The languages whose tone text.analyze can read; other entries are never answered.
READABLE = frozenset({"en"})
FEATURES = ("best", "centroid", "margin", "log_examples")


def calibrator_path() -> Path:
    return Path(str(resources.files("rapport.engine.text") / "assets" / "faq_calibrator.json"))


@dataclass(frozen=True)
class FaqEntry:
    """One answer of the knowledge base and a handful of questions it answers.

    ``language`` is the ISO 639-1 code the entry is written in; texts in another language
    never get it as an automatic answer."""

    id: str
    questions: Sequence[str]
    answer: str
    language: str = "en"


@dataclass(frozen=True)
class Match:
    """What the knowledge base says about one text.

    ``entry_id``: the best entry, or None when nothing fits; ``confidence``: the calibrated
    probability that this entry answers the text (when ``entry_id`` is None, the best
    entry's, below one half; 0 for a text that could not be read); ``answer``: True only when confidence ≥
    the threshold and the text is routine; ``reasons``: why not, in plain words (empty when
    answered); ``similarity``: the best cosine similarity to one of the entry's questions."""

    entry_id: str | None
    confidence: float
    answer: bool
    reasons: tuple[str, ...] = ()
    similarity: float = 0.0


@dataclass(frozen=True)
class ThresholdRow:
    """What one threshold would have done on texts whose right entry is known.

    ``answered``: share of all texts answered automatically; ``wrong``: share of those
    answers that were not the right entry (or answered a text no entry fits); ``to_person``:
    share sent to a person (1 − answered); ``out_of_scope_answered``: share of the texts no
    entry fits that got an automatic answer anyway."""

    threshold: float
    answered: float
    wrong: float
    to_person: float
    out_of_scope_answered: float


@dataclass
class _Reading:
    entry: int | None  # index into the entries
    confidence: float
    similarity: float
    blockers: list[str] = field(default_factory=list)  # why it must go to a person


_calibrator: dict | None = None
_calibrator_lock = threading.Lock()


def load_calibrator(path: Path | None = None) -> dict:
    """The shipped calibrator: feature names, weights, intercept, threshold and figures."""
    global _calibrator
    if path is not None:
        return json.loads(Path(path).read_text())
    with _calibrator_lock:
        if _calibrator is None:
            _calibrator = json.loads(calibrator_path().read_text())
    return _calibrator


class KnowledgeBase:
    """A business's FAQ, ready to match texts against.

    Parameters: ``entries`` (FaqEntry, unique ids, at least one question each; none at all
    is allowed and matches nothing), ``threshold`` (the confidence an automatic answer needs;
    None: the shipped default, chosen on the project's own FAQ examples), ``encoder`` (a
    ``text.encoder.Encoder``; defaults to the shared one), ``analyze`` (whether to check that
    a text is routine with ``text.analyze``; only tests of matching alone turn it off).

    The entries' embeddings are computed on the first match and kept.
    """

    def __init__(
        self,
        entries: Iterable[FaqEntry],
        threshold: float | None = None,
        *,
        encoder: Any = None,
        analyze: bool = True,
    ):
        self.entries: tuple[FaqEntry, ...] = tuple(entries)
        seen: set[str] = set()
        owner: dict[str, str] = {}
        for entry in self.entries:
            if not isinstance(entry, FaqEntry):
                raise TypeError(f"not a FaqEntry: {entry!r}")
            if not isinstance(entry.id, str) or not entry.id.strip():
                raise ValueError(f"an entry id must be a non-empty text, not {entry.id!r}")
            if entry.id in seen:
                raise ValueError(f"duplicate entry id {entry.id!r}")
            seen.add(entry.id)
            if isinstance(entry.questions, str):
                raise TypeError(f"entry {entry.id!r}: questions must be a list of texts")
            questions = [q for q in entry.questions if isinstance(q, str) and q.strip()]
            if not questions:
                raise ValueError(f"entry {entry.id!r} has no example question")
            for q in questions:
                key = " ".join(q.lower().split())
                if key in owner and owner[key] != entry.id:
                    raise ValueError(
                        f"the question {q!r} is in entries {owner[key]!r} and {entry.id!r}"
                    )
                owner[key] = entry.id
        if threshold is None:
            threshold = load_calibrator()["threshold"]
        self.threshold = float(threshold)
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must lie in [0, 1], not {self.threshold}")
        self._encoder = encoder
        self._analyze = analyze
        self._index = None
        self._lock = threading.Lock()

    # --- the entries' side, computed once ---------------------------------------------

    def _built(self):
        with self._lock:
            if self._index is None:
                self._index = self._build()
        return self._index

    def _build(self):
        import numpy as np

        from .text.clean import clean_text

        questions, owners = [], []
        for i, entry in enumerate(self.entries):
            for q in entry.questions:
                if isinstance(q, str) and q.strip():
                    questions.append(clean_text(q[:MAX_CHARS]).text or q.strip())
                    owners.append(i)
        if not questions:
            return None
        vectors = self._encoder_or_default().encode(questions)
        owners_arr = np.asarray(owners)
        centroids = np.vstack([vectors[owners_arr == i].mean(0) for i in range(len(self.entries))])
        centroids /= np.clip(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12, None)
        counts = np.bincount(owners_arr, minlength=len(self.entries))
        return vectors, owners_arr, centroids, counts

    def _encoder_or_default(self):
        if self._encoder is None:
            from .text.encoder import default_encoder

            self._encoder = default_encoder()
        return self._encoder

    # --- reading texts -------------------------------------------------------------------

    def features(self, texts: Sequence[str]):
        """Per cleaned text: the best entry's index and the calibrator's features, as
        (entries, (n, len(FEATURES)) array, best similarities). For the fitting script."""
        import numpy as np

        index = self._built()
        n = len(texts)
        if index is None or n == 0:
            return np.full(n, -1), np.zeros((n, len(FEATURES))), np.zeros(n)
        vectors, owners, centroids, counts = index
        # The MiniLM int8 encoder gives the same vector for a text whatever its neighbours
        # (tests check it), so texts are embedded together.
        queries = self._encoder_or_default().encode(list(texts))
        sims = queries @ vectors.T  # (n, questions)
        n_entries = len(self.entries)
        best_per_entry = np.full((n, n_entries), -1.0, dtype=np.float32)
        for i in range(n_entries):
            best_per_entry[:, i] = sims[:, owners == i].max(1)
        to_centroid = queries @ centroids.T
        ranking = (best_per_entry + to_centroid) / 2
        top = ranking.argmax(1)
        rows = np.arange(n)
        best = best_per_entry[rows, top]
        if n_entries > 1:
            others = best_per_entry.copy()
            others[rows, top] = -1.0
            second = others.max(1)
        else:
            second = np.zeros(n, dtype=np.float32)
        feats = np.column_stack(
            [
                best,
                to_centroid[rows, top],
                best - second,
                np.log(counts[top]),
            ]
        )
        return top, feats, best

    def _readings(self, texts: Sequence[str]) -> list[_Reading]:
        from .text.clean import clean_text

        if isinstance(texts, str | bytes):
            raise TypeError("match() takes a list of texts; wrap a single text in a list")
        texts = list(texts)
        readings: list[_Reading | None] = [None] * len(texts)
        todo: list[int] = []
        cleaned: list[str] = []
        notes: dict[int, list[str]] = {}
        for i, raw in enumerate(texts):
            if isinstance(raw, bytes | bytearray):
                raw = bytes(raw).decode("utf-8", "replace")
            if not isinstance(raw, str):
                readings[i] = _Reading(None, 0.0, 0.0, [f"not a text: {type(raw).__name__}"])
                continue
            text = clean_text(raw[:MAX_RAW]).text
            if not text:
                readings[i] = _Reading(None, 0.0, 0.0, ["empty text"])
                continue
            notes[i] = []
            if len(text) > MAX_CHARS or len(raw) > MAX_RAW:
                notes[i].append("too long for an automatic answer")
                text = text[:MAX_CHARS]
            todo.append(i)
            cleaned.append(text)
        if todo and not self.entries:
            for i in todo:
                readings[i] = _Reading(None, 0.0, 0.0, ["the knowledge base is empty"])
            return readings  # type: ignore[return-value]
        if todo:
            top, feats, best = self.features(cleaned)
            confidence = calibrated(feats)
            for j, i in enumerate(todo):
                readings[i] = _Reading(int(top[j]), float(confidence[j]), float(best[j]), notes[i])
            if self._analyze:
                for j, i in enumerate(todo):
                    readings[i].blockers += self.why_a_person(cleaned[j], int(top[j]))  # type: ignore[union-attr]
        return readings  # type: ignore[return-value]

    def why_a_person(self, text: str, entry: int = 0) -> list[str]:
        """Why this cleaned text must not get an automatic answer from the entry at index
        ``entry``, whatever it matched (the routine check; empty when it may)."""
        want = self.entries[entry].language
        if want not in READABLE:
            return [f"language: {_language(want)} texts cannot be checked for tone yet"]
        language, error, codes, score, upset = _routine(text)
        if language not in ("und", want):
            return [f"language: the entry is written in {_language(want)}"]
        if error:
            return [f"could not read the text: {error}"]
        why = []
        if "asks_for_person" in codes or ASKS_FOR_PERSON.search(text):
            why.append("asks for a person")
        if COMPLAINT.search(text):
            why.append("a complaint")
        words = [REASON_WORDS[c] for c in codes if c in REASON_WORDS]
        if score >= HUMAN_SCORE and (words or not why):
            why.append("needs a human: " + ", ".join(words) if words else "needs a human")
        if upset:
            why.append("upset")
        return why

    def match(self, texts: Sequence[str]) -> list[Match]:
        """One Match per text, in order. Never raises on a bad text: an empty, unreadable
        or foreign text gets ``answer`` False and says why."""
        out = []
        for r in self._readings(texts):
            if r.entry is None:
                out.append(Match(None, 0.0, False, tuple(r.blockers) or ("no entry fits",)))
                continue
            confidence = round(r.confidence, 4)
            if r.confidence < DRAFT_FLOOR:
                out.append(Match(None, confidence, False, ("no entry fits", *r.blockers)))
                continue
            reasons = list(r.blockers)
            if r.confidence < self.threshold:
                reasons.insert(0, "low confidence")
            out.append(
                Match(
                    self.entries[r.entry].id,
                    confidence,
                    not reasons,
                    tuple(reasons),
                    round(r.similarity, 4),
                )
            )
        return out

    def threshold_table(
        self,
        texts: Sequence[str],
        truth: Sequence[str | None],
        thresholds: Sequence[float] | None = None,
    ) -> list[ThresholdRow]:
        """What each threshold would cost, on texts whose right entry is known.

        ``truth`` holds, per text, the id of the entry that answers it, or None when no
        entry does. For each threshold (by default 0.50, 0.55, … 0.95, 0.99) it gives the
        share of texts answered automatically, the share of those answers that were wrong,
        the share sent to a person and the share of no-entry texts answered anyway: the
        owner's "what this threshold costs" view. Texts are read once, whatever the number
        of thresholds; the routine check applies as in :meth:`match`."""
        if len(truth) != len(texts):
            raise ValueError(f"truth has {len(truth)} values for {len(texts)} texts")
        known = {e.id for e in self.entries}
        for t in truth:
            if t is not None and t not in known:
                raise ValueError(f"truth names {t!r}, which is not an entry")
        if thresholds is None:
            thresholds = [round(0.5 + 0.05 * i, 2) for i in range(10)] + [0.99]
        readings = self._readings(texts)
        n = len(texts)
        out_of_scope = sum(t is None for t in truth)
        rows = []
        for threshold in thresholds:
            answered = wrong = stray = 0
            for r, t in zip(readings, truth, strict=True):
                if r.entry is None or r.blockers or r.confidence < threshold:
                    continue
                answered += 1
                if self.entries[r.entry].id != t:
                    wrong += 1
                    stray += t is None
            rows.append(
                ThresholdRow(
                    threshold=float(threshold),
                    answered=answered / n if n else 0.0,
                    wrong=wrong / answered if answered else 0.0,
                    to_person=1 - answered / n if n else 0.0,
                    out_of_scope_answered=stray / out_of_scope if out_of_scope else 0.0,
                )
            )
        return rows


def calibrated(feats):
    """The calibrator's probability for rows of :data:`FEATURES` (a 2-d array)."""
    import numpy as np
    from scipy.special import expit

    spec = load_calibrator()
    weights = np.asarray([spec["weights"][name] for name in FEATURES])
    return expit(feats @ weights + float(spec["intercept"]))


# Remembered: a text is always read alone, so its reading never changes, and the same
# question ("are you open on sunday?") comes again and again.
@functools.lru_cache(maxsize=4096)
def _routine(text: str) -> tuple[str, str | None, tuple[str, ...], float, tuple[str, ...]]:
    """What ``text.analyze`` reads in one cleaned text: its language, an error, the
    need-for-a-human reason codes and score, and the upset emotion groups detected."""
    from .text import analyze

    # One text per call: the emotion model's int8 readings shift with the batch a text is
    # read in, and an answer must not depend on what else was asked at the same time.
    [reading] = analyze([text], pii=False)
    needs = reading.needs_human
    return (
        reading.language,
        reading.error,
        tuple(r.code for r in needs.reasons) if needs else (),
        float(needs.score) if needs else 0.0,
        tuple(g for g in reading.detected_groups if g in UPSET_GROUPS),
    )


def _language(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
