"""How abusive a text is, from a word list the project wrote, with reasons you can read.

    >>> from rapport.engine.text.toxicity import toxicity
    >>> [calm, rude] = toxicity(["Lovely bread, thanks", "You useless idiot"])
    >>> calm.score, rude.terms
    (0.0, ('useless', 'idiot'))

No labelled toxicity data may ship with Rapport, so the score is not learnt: it counts
terms from ``assets/toxic_terms.txt`` (insults, slurs, threats, hostile phrases, profanity;
the file says how it is written) and, when given, the emotions ``analyze()`` read.

The formula, for one text:

1. Each term found gets its category's weight ``w`` (``WEIGHTS``: threat 0.95, slur 0.9,
   insult 0.7, hostility 0.5, profanity 0.35), then
   - aimed at someone (``you``, ``your``, ``he's``, ``what a``, ``bunch of`` ... in the three
     words before it): ``w + 0.2`` for insults, hostility and profanity ("you idiot");
   - profanity next to a word of praise ("bloody brilliant", "fucking amazing",
     "good as hell"): ``w × 0.3``.
2. The words combine as independent evidence: ``L = 1 − Π(1 − w)``.
3. With emotions (the 28 GoEmotions probabilities): ``h = max(anger, disgust)`` and
   ``p = max(joy, admiration, amusement, excitement, gratitude, love)``, and
   ``score = clip(L × (1 + 0.5 × (h − p)), 0, 1)``: an angry insult scores higher, a
   delighted swear word lower. Threats and slurs never score under their own weight,
   whatever the emotions. A text with no term scores ``0.15 × h`` at most: anger alone
   is a complaint, not abuse.

Matching is on whole words, case-blind, and sees through repeated letters ("fuuuck"),
digits and symbols for letters ("sh1t", "@ss", "1d10t") and masks after the first letter
("f*ck", "f**k"). "Scunthorpe", "assessment" and "class" do not match.

Limits: a word list misses new and coded insults, sarcasm and abuse without swear words
("people like you shouldn't run a shop"), and can flag a quotation or a word used of
oneself. English only. A text that is not a ``str`` scores 0 with no terms.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

WEIGHTS: dict[str, float] = {
    "threat": 0.95,
    "slur": 0.9,
    "insult": 0.7,
    "hostility": 0.5,
    "profanity": 0.35,
}
AIMED_BONUS = 0.2
PRAISE_FACTOR = 0.3
EMOTION_FACTOR = 0.5
ANGER_ONLY = 0.15
HOSTILE_EMOTIONS = ("anger", "disgust")
WARM_EMOTIONS = ("joy", "admiration", "amusement", "excitement", "gratitude", "love")

# Letters and what may stand for them ("sh1t", "@ss", "$hit").
_LOOKALIKES = {
    "a": "a@4",
    "b": "b8",
    "e": "e3",
    "g": "g9",
    "i": "i1!|",
    "l": "l1|",
    "o": "o0",
    "s": "s5$",
    "t": "t7+",
    "z": "z2",
}
_MASKS = "*#"
_AIMED = re.compile(
    r"(?:\b(?:you|your|youre|you're|you’re|ur|u|yous|he's|she's|they're|he’s|she’s|they’re"
    r"|he is|she is|they are|what a|such a|bunch of|you lot|you bunch|your staff)"
    r"\b\W*(?:\w+\W+){0,2})$",
    re.IGNORECASE,
)
_PRAISE = {
    "amazing", "brilliant", "good", "great", "delicious", "fantastic", "awesome", "lovely",
    "love", "loved", "best", "incredible", "perfect", "gorgeous", "tasty", "excellent",
    "beautiful", "nice", "cool", "fab", "fabulous", "stunning", "superb", "wonderful",
    "yummy", "legendary", "outstanding", "ace", "genius", "impressed", "impressive",
}  # fmt: skip
_NEGATIONS = {"not", "no", "never", "isn't", "wasn't", "aren't", "isn’t", "wasn’t", "aren’t"}
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True, slots=True)
class Toxicity:
    """``score`` in 0..1 and the offending words as written, in order of appearance."""

    score: float
    terms: tuple[str, ...]


def toxicity(
    texts: Sequence[str], emotions: Sequence[dict[str, float]] | None = None
) -> list[Toxicity]:
    """One Toxicity per text. ``emotions``, when given, holds one dict of GoEmotions
    probabilities per text (``TextAnalysis.emotions``); an empty dict means none."""
    texts = list(texts)
    if emotions is not None and len(emotions) != len(texts):
        raise ValueError(f"{len(emotions)} emotion dicts for {len(texts)} texts")
    lexicon = _lexicon()
    results = []
    for index, text in enumerate(texts):
        feelings = emotions[index] if emotions is not None else None
        if not isinstance(text, str):
            results.append(Toxicity(0.0, ()))
            continue
        results.append(_score(text, lexicon, feelings))
    return results


def _score(text: str, lexicon: _Lexicon, emotions: dict[str, float] | None) -> Toxicity:
    weights: list[float] = []
    floor = 0.0
    terms: list[str] = []
    for match in lexicon.pattern.finditer(text):
        if sum(c.isalpha() for c in match.group()) < 2:
            continue  # "A55" is a road, "a**" a grade
        category = lexicon.categories[match.lastgroup]
        weight = WEIGHTS[category]
        if category == "profanity" and _next_to_praise(text, match.start(), match.end()):
            weight *= PRAISE_FACTOR
        elif category in ("insult", "hostility", "profanity") and _is_aimed(text, match.start()):
            weight = min(weight + AIMED_BONUS, 0.95)
        if category in ("threat", "slur"):
            floor = max(floor, weight)
        weights.append(weight)
        terms.append(match.group())
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    lexical = 1.0 - remaining
    score = lexical
    if emotions:
        hostile = max(emotions.get(name, 0.0) for name in HOSTILE_EMOTIONS)
        warm = max(emotions.get(name, 0.0) for name in WARM_EMOTIONS)
        if weights:
            score = lexical * (1.0 + EMOTION_FACTOR * (hostile - warm))
        else:
            score = ANGER_ONLY * hostile
    score = min(1.0, max(0.0, score, floor))
    return Toxicity(round(score, 4), tuple(terms))


def _is_aimed(text: str, start: int) -> bool:
    return bool(_AIMED.search(text[max(0, start - 40) : start]))


def _next_to_praise(text: str, start: int, end: int) -> bool:
    before = [w.lower() for w in _WORDS.findall(text[max(0, start - 30) : start])][-2:]
    after = [w.lower() for w in _WORDS.findall(text[end : end + 30])][:2]
    if (before and before[-1] in _NEGATIONS) or (after and after[0] in _NEGATIONS):
        return False  # "not fucking good enough"
    if any(word in _PRAISE for word in after):
        return True  # "fucking amazing", "bloody good job"
    return len(before) == 2 and before[1] == "as" and before[0] in _PRAISE  # "good as hell"


# --- the word list --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern
    categories: dict[str, str]  # group name -> category


_LEXICON: _Lexicon | None = None
_LEXICON_LOCK = threading.Lock()


def _lexicon() -> _Lexicon:
    global _LEXICON
    if _LEXICON is None:
        with _LEXICON_LOCK:
            if _LEXICON is None:
                text = (
                    resources.files("rapport.engine.text")
                    .joinpath("assets", "toxic_terms.txt")
                    .read_text(encoding="utf-8")
                )
                _LEXICON = compile_lexicon(text)
    return _LEXICON


def compile_lexicon(text: str) -> _Lexicon:
    """One regular expression for every term of a word list written like toxic_terms.txt."""
    alternatives = []
    categories = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        category, _, term = line.partition(" ")
        term = term.strip()
        if category not in WEIGHTS or not term:
            raise ValueError(f"toxic terms line {number}: {line!r}")
        if term.startswith("rot13:"):
            term = codecs.decode(term[len("rot13:") :], "rot13")
        name = f"t{len(alternatives)}"
        categories[name] = category
        alternatives.append(f"(?P<{name}>{_term_pattern(term.lower())})")
    # Longer terms first, so that "fuck off" wins over "fuck" where both match.
    order = sorted(range(len(alternatives)), key=lambda i: -len(alternatives[i]))
    body = "|".join(alternatives[i] for i in order)
    pattern = re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE)
    return _Lexicon(pattern, categories)


def _term_pattern(term: str) -> str:
    stem, endings = term, []
    ending = re.fullmatch(r"(.+)\{([a-z,]+)\}", term)
    if ending:
        stem, endings = ending.group(1), ending.group(2).split(",")
    words = [_word_pattern(word) for word in stem.split(" ")]
    pattern = r"[\W_]+".join(words)
    if endings:
        suffixes = "|".join(_letters(e, first=False) for e in sorted(endings, key=len)[::-1])
        pattern += f"(?:{suffixes})?"
    return pattern


def _word_pattern(word: str) -> str:
    parts = word.split("'")
    return "['’]?".join(_letters(part, first=index == 0) for index, part in enumerate(parts))


def _letters(word: str, *, first: bool) -> str:
    """Each run of one letter as a class that repeats: "ass" -> a+ then s at least twice."""
    out = []
    for position, run in enumerate(re.finditer(r"(.)\1*", word)):
        letter = run.group(1)
        if not letter.isalpha():
            out.append(re.escape(run.group()))
            continue
        chars = _LOOKALIKES.get(letter, letter)
        if not (first and position == 0):
            chars += _MASKS
        klass = "[" + re.escape(chars) + "]"
        count = len(run.group())
        out.append(f"{klass}+" if count == 1 else f"{klass}{{{count},}}")
    return "".join(out)
