"""What each column of a survey export is: metadata, or (part of) a question, and which kind.

One pass over the file gathers a few numbers per column (how many answers, the distinct
values up to a cap, the numeric range, the parts of comma-joined answers). From them:

* metadata columns are recognised by name (``metadata.FIELDS``);
* columns are grouped into questions: SurveyMonkey spreads a question over the columns
  under one heading, Typeform writes one column per option of a multiple-choice question
  (the header is the option, the cell is the option or empty);
* each question's kind is read from its values and its wording: whole numbers 0–10 about
  recommending are NPS (eNPS when about working here), 1–5 are satisfaction, agreement or a
  rating by their words, 1–7 are effort; a few short repeated values are one choice,
  comma-joined ones several choices; anything else is free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapport.feedback.choices import SCALES, QuestionKind
from rapport.imports.kinds.responses.metadata import FIELD_NAMES, FIELDS
from rapport.imports.kinds.responses.reading import (
    OTHER,
    SURVEYMONKEY,
    SURVEYMONKEY_OPEN,
    SURVEYMONKEY_RESPONSE,
    TYPEFORM,
    TYPEFORM_JSON,
    Column,
    Export,
)
from rapport.lib.tabular import BadRecord
from rapport.lib.values import is_blank, normalise_header, numeric_date_order

K = QuestionKind
QUESTION = "question"
IGNORED = "ignored"
# Distinct values remembered per column; a column with more is not a choice question.
VALUE_CAP = 64
MAX_CHOICES = 20
MAX_OPTION_LENGTH = 100

_NUMBER = re.compile(r"^\s*(-?\d{1,4})(?:\.0+)?\s*(?:$|[-–:(]\s*\D.*$)")
_RECOMMEND = re.compile(r"recommend|\brefer|tell (?:a )?friend", re.I)
_WORKPLACE = re.compile(
    r"\b(?:work|working|workplace|employer|job|place to work|colleagues? to join)\b", re.I
)
_SATISFIED = re.compile(r"satisf", re.I)
_AGREE = re.compile(r"\bagree|\bdisagree|statement", re.I)
_EFFORT = re.compile(r"\beas(?:y|ily|e)\b|effort|difficult|\bhard\b", re.I)
_RATE = re.compile(r"\brat(?:e|ing)\b|\bstars?\b|\bscore\b|out of", re.I)
_OTHER = re.compile(r"^other\b|please specify", re.I)

# Scale answers written as words, as SurveyMonkey's matrix questions export them.
SCALE_WORDS = {
    K.CSAT: {
        "very dissatisfied": 1,
        "very unsatisfied": 1,
        "dissatisfied": 2,
        "unsatisfied": 2,
        "somewhat dissatisfied": 2,
        "neither satisfied nor dissatisfied": 3,
        "neutral": 3,
        "somewhat satisfied": 4,
        "satisfied": 4,
        "very satisfied": 5,
    },
    K.LIKERT: {
        "strongly disagree": 1,
        "disagree": 2,
        "somewhat disagree": 2,
        "neither agree nor disagree": 3,
        "neutral": 3,
        "somewhat agree": 4,
        "agree": 4,
        "strongly agree": 5,
    },
}


def words_key(text: str) -> str:
    return " ".join(text.casefold().split())


class ColumnStats:
    """What one pass over the file learned about one column."""

    def __init__(self, label: str = ""):
        self.label = words_key(label)
        self.answered = 0
        self.values: dict[str, int] = {}
        self.overflow = False
        # Answers that are whole numbers 0–10 (a scale), counted by value, and the others.
        self.small: dict[int, int] = {}
        self.off_scale = 0
        self.longest = 0
        self.length = 0
        self.parts: dict[str, int] = {}
        self.parts_overflow = False
        self.part_count = 0
        self.joined = 0
        self.lists = 0
        self.equals_label = True
        self.orders: set[str] = set()

    def add(self, cell) -> None:
        if isinstance(cell, list):
            items = [str(item).strip() for item in cell if str(item).strip()]
            if not items:
                return
            self.answered += 1
            self.lists += 1
            self.off_scale += 1
            self.equals_label = False
            self._parts(items)
            return
        if is_blank(cell):
            return
        text = cell.strip()
        self.answered += 1
        if self.equals_label and words_key(text) != self.label:
            self.equals_label = False
        self.longest = max(self.longest, len(text))
        self.length += len(text)
        if not self.overflow:
            self.values[text] = self.values.get(text, 0) + 1
            self.overflow = len(self.values) > VALUE_CAP
        match = _NUMBER.match(text)
        number = int(match.group(1)) if match else None
        if number is not None and 0 <= number <= 10:
            self.small[number] = self.small.get(number, 0) + 1
        else:
            self.off_scale += 1
        pieces = [piece.strip() for piece in text.split(", ") if piece.strip()]
        if len(pieces) > 1:
            self.joined += 1
        self._parts(pieces)

    def _parts(self, pieces: list[str]) -> None:
        self.part_count += len(pieces)
        if self.parts_overflow:
            return
        for piece in pieces:
            self.parts[piece] = self.parts.get(piece, 0) + 1
        self.parts_overflow = len(self.parts) > VALUE_CAP

    @property
    def slips(self) -> int:
        """How many answers may break a pattern before it is not one: a typo or two in a
        long export must be reported as a bad row, not turn a scale into free text."""
        return max(1, self.answered // 20)

    @property
    def numeric(self) -> bool:
        """Whole numbers 0–10, but for a few slips (reported later as bad rows)."""
        on_scale = sum(self.small.values())
        return on_scale >= 2 and self.off_scale <= self.slips and on_scale > self.off_scale

    @property
    def low(self) -> int | None:
        return min(self.small) if self.small else None

    @property
    def high(self) -> int | None:
        return max(self.small) if self.small else None

    def date_evidence(self, cell) -> None:
        if isinstance(cell, str) and cell.strip():
            order = numeric_date_order(cell.strip().split(" ")[0])
            if order:
                self.orders.add(order)


@dataclass
class Source:
    """Something each row tells: a metadata value or one question's answer.

    ``positions`` are the columns it is read from; for a question spread over option columns,
    ``labels[i]`` is the option that column ``positions[i]`` stands for.
    """

    positions: list[int]
    text: str
    role: str = QUESTION
    labels: list[str] = field(default_factory=list)
    hint: str = ""
    key: str = ""
    kind: str = ""
    options: list[str] = field(default_factory=list)
    scale_max: int = 5
    # Times written in UTC whatever the workspace's zone (Typeform says so in its header).
    utc: bool = False
    # The question it goes to, once the survey is known.
    question: object = None

    @property
    def spread(self) -> bool:
        return bool(self.labels)

    def value(self, cells: list):
        """The raw answer of one row: text, a number from a scale word, or a list of options."""
        if self.labels:
            chosen = []
            for label, position in zip(self.labels, self.positions, strict=True):
                cell = cells[position]
                if isinstance(cell, list):
                    chosen += cell
                elif not is_blank(cell):
                    text = cell.strip()
                    ticked = words_key(text) == words_key(label) or text in ("1", "x", "X", "✓")
                    chosen.append(label if ticked else text)
            return chosen
        cell = cells[self.positions[0]]
        if isinstance(cell, str) and self.kind in SCALE_WORDS and not _NUMBER.match(cell):
            score = SCALE_WORDS[self.kind].get(words_key(cell))
            if score is not None:
                return score
        return cell

    def describe(self) -> str:
        if self.role != QUESTION:
            return self.role
        kind = K(self.kind).label if self.kind in K.values else self.kind
        if self.kind == K.RATING:
            kind = f"Rating (1–{self.scale_max})"
        if self.options:
            shown = ", ".join(self.options[:6]) + (", …" if len(self.options) > 6 else "")
            kind += f": {shown}"
        return kind


@dataclass
class Layout:
    """The export read as metadata sources and question sources."""

    sources: list[Source]
    stats: list[ColumnStats]
    rows: int

    def role(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.role == name), None)

    @property
    def questions(self) -> list[Source]:
        return [s for s in self.sources if s.role == QUESTION]


# --- metadata ----------------------------------------------------------------------------

UNIQUE_ROLES = ("submitted_at", "respondent_id", "email")


def _synonyms() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for spec in FIELDS:
        for rank, synonym in enumerate(spec.normalised_synonyms()):
            table.setdefault(synonym, (spec.name, rank))
    # "#" normalises to nothing; Typeform's token column is named just that.
    table[""] = ("respondent_id", 0)
    return table


def metadata_roles(columns: list[Column], overrides: dict[str, str]) -> dict[int, str]:
    """``{position: role}`` for the metadata and ignored columns.

    A name given with ``--map`` wins; otherwise the header's synonyms. Of several columns
    claiming the time, the id or the email, the best-ranked synonym wins and the others are
    read as questions.
    """
    table = _synonyms()
    patterns = [(spec.name, spec.patterns) for spec in FIELDS if spec.patterns]
    roles: dict[int, str] = {}
    claims: list[tuple[int, int, str]] = []
    for column in columns:
        target = overrides.get(column.name.casefold())
        if target is None and column.sub and overrides.get(column.group.casefold()) == "":
            target = ""  # ignoring a SurveyMonkey question ignores all its columns
        if target is not None:
            if target == "":
                roles[column.position] = IGNORED
            elif target in FIELD_NAMES:
                roles[column.position] = target
            continue
        if column.sub and column.group != column.header:
            continue  # a SurveyMonkey question's second or later column
        name = normalise_header(column.name)
        if not name and column.name.strip() != "#":
            continue
        hit = table.get(name)
        if hit is None:
            hit = next(
                ((role, 99) for role, found in patterns if any(re.search(p, name) for p in found)),
                None,
            )
        if hit is None:
            continue
        role, rank = hit
        if role in UNIQUE_ROLES:
            claims.append((rank, column.position, role))
        else:
            roles[column.position] = role
    taken = set(roles.values())
    for _, position, role in sorted(claims):
        if role not in taken:
            roles[position] = role
            taken.add(role)
    return roles


# --- one pass over the file --------------------------------------------------------------


def gather(export: Export, limit: int | None = None) -> tuple[list[ColumnStats], int]:
    """Read every record (or the first ``limit``) once and count what each column holds."""
    stats = [
        ColumnStats(column.sub if _is_option_label(column.sub) else column.header)
        for column in export.columns
    ]
    rows = 0
    for record in export.records():
        if isinstance(record, BadRecord):
            continue
        rows += 1
        if limit is not None and rows > limit:
            rows -= 1
            break
        for column_stats, cell in zip(stats, record.values, strict=False):
            column_stats.add(cell)
            if rows <= 5000:
                column_stats.date_evidence(cell)
    return stats, rows


def _is_option_label(sub: str) -> bool:
    return bool(sub) and normalise_header(sub) not in (SURVEYMONKEY_RESPONSE, SURVEYMONKEY_OPEN)


# --- questions -------------------------------------------------------------------------


def read_layout(
    export: Export, overrides: dict[str, str] | None = None, limit: int | None = None
) -> Layout:
    """Gather the columns' statistics and turn the export into sources with detected kinds.

    ``limit`` reads only the first rows (the web preview); a run reads them all, so that a
    choice first made on the last row is still one of the question's options."""
    overrides = {name.casefold(): target for name, target in (overrides or {}).items()}
    stats, rows = gather(export, limit)
    roles = metadata_roles(export.columns, overrides)
    sources: list[Source] = []
    for position, role in sorted(roles.items()):
        column = export.columns[position]
        sources.append(
            Source(
                [position],
                column.name,
                role=role,
                utc=role == "submitted_at"
                and ("utc" in column.name.casefold() or export.tool == TYPEFORM_JSON),
            )
        )
    rest = [c for c in export.columns if c.position not in roles]
    if export.tool == SURVEYMONKEY and any(c.sub for c in export.columns):
        questions = _surveymonkey_questions(rest, stats)
    elif export.tool in (TYPEFORM, OTHER):
        questions = _spread_questions(rest, stats, export.tool == TYPEFORM)
    else:
        questions = [_single(c) for c in rest]
    for source in questions:
        forced = _forced_kind(source, export.columns, overrides)
        detect(source, stats, forced)
    sources += questions
    sources.sort(key=lambda source: source.positions[0])
    return Layout(sources, stats, rows)


def _single(column: Column) -> Source:
    return Source(
        [column.position],
        column.name,
        hint=column.hint,
        key=column.key,
        options=list(column.options),
    )


def _surveymonkey_questions(columns: list[Column], stats: list[ColumnStats]) -> list[Source]:
    """Under one heading: option columns make one multiple-choice question; a "Response"
    column, an open-ended one, an "Other (please specify)" or a matrix row each make one."""
    groups: list[list[Column]] = []
    for column in columns:
        if groups and groups[-1][0].group == column.group:
            groups[-1].append(column)
        else:
            groups.append([column])
    sources = []
    for group in groups:
        labelled = [c for c in group if _is_option_label(c.sub) and not _OTHER.search(c.sub)]
        chosen = [c for c in labelled if stats[c.position].answered]
        if chosen and all(stats[c.position].equals_label for c in chosen):
            # Options no one chose belong to the question as much as the chosen ones.
            options = labelled
        else:
            # A matrix (rows answered with the columns' words), or nothing answered at all.
            options = [c for c in chosen if stats[c.position].equals_label]
        for column in group:
            if column in options:
                if column is options[0]:
                    sources.append(
                        Source(
                            [c.position for c in options],
                            column.group,
                            labels=[c.sub for c in options],
                        )
                    )
                continue
            source = _single(column)
            if normalise_header(column.sub) == SURVEYMONKEY_OPEN or _OTHER.search(column.sub):
                source.hint = "text"
            sources.append(source)
    return sources


def _spread_questions(
    columns: list[Column], stats: list[ColumnStats], typeform: bool
) -> list[Source]:
    """Runs of columns whose every answer is the column's own name are one question's
    options (Typeform's multiple choice); a column no one answered inside a run is an option
    no one chose. Elsewhere a run must have two columns, so that a lone "Yes" is not read as
    a question with one option."""
    sources: list[Source] = []
    run: list[Column] = []

    def option(column: Column) -> bool:
        found = stats[column.position]
        return found.answered > 0 and found.equals_label and not found.lists

    def flush() -> None:
        while run and not option(run[-1]):
            trailing = run.pop()
            flush()
            sources.append(_single(trailing))
            return
        if run and (len(run) > 1 or typeform):
            labels = [c.header for c in run]
            sources.append(
                Source([c.position for c in run], " / ".join(labels)[:500], labels=labels)
            )
        else:
            sources.extend(_single(c) for c in run)
        run.clear()

    for column in columns:
        if option(column) or (run and not stats[column.position].answered):
            run.append(column)
            continue
        flush()
        sources.append(_single(column))
    flush()
    return sources


def _forced_kind(source: Source, columns: list[Column], overrides: dict[str, str]) -> str:
    for position in source.positions:
        target = overrides.get(columns[position].name.casefold(), "")
        if target in K.values:
            return target
    return ""


def detect(source: Source, stats: list[ColumnStats], forced: str = "") -> None:
    """Set ``source``'s kind, options and scale from its values, header and the tool's hint."""
    if source.spread:
        source.kind, source.options = K.MULTIPLE, list(source.labels)
        return
    column = stats[source.positions[0]]
    text = source.text
    kind = forced or _kind_from_hint(source.hint, column, text)
    if not kind:
        kind = _scale_kind(column, text) or _word_scale(column, text)
    if not kind:
        kind = _choice_kind(column)
    source.kind = kind
    if kind == K.RATING:
        top = column.high if column.numeric and column.high else 5
        source.scale_max = 5 if top <= 5 else 7 if top <= 7 else 10
    if kind in (K.SINGLE, K.MULTIPLE):
        source.options = source.options or _options(column, kind)


def _kind_from_hint(hint: str, column: ColumnStats, text: str) -> str:
    if hint == "text":
        return K.TEXT
    if hint == "nps":
        return K.ENPS if _WORKPLACE.search(text) else K.NPS
    if hint == "rating":
        return K.RATING
    if hint == "scale":
        return _scale_kind(column, text) or K.RATING
    if hint == "single":
        return K.SINGLE
    if hint == "multiple":
        return K.MULTIPLE
    return ""


def _scale_kind(column: ColumnStats, text: str) -> str:
    if not column.answered or not column.numeric or column.low is None:
        return ""
    low, high = column.low, column.high
    if low >= 0 and high <= 10 and _RECOMMEND.search(text):
        return K.ENPS if _WORKPLACE.search(text) else K.NPS
    if low < 1:
        return ""
    if high <= 7 and _EFFORT.search(text):
        return K.CES
    if high <= 5 and high >= 2:
        if _SATISFIED.search(text):
            return K.CSAT
        if _AGREE.search(text):
            return K.LIKERT
        return K.RATING
    if 5 < high <= 7:
        return K.RATING if _RATE.search(text) else K.CES
    if 7 < high <= 10:
        return K.RATING
    return ""


def _word_scale(column: ColumnStats, text: str) -> str:
    """Satisfaction or agreement written in words ("Very satisfied", "Agree")."""
    if column.overflow or len(column.values) < 2:
        return ""
    for kind in (K.CSAT, K.LIKERT):
        words = SCALE_WORDS[kind]
        said = {words_key(value) for value in column.values if words_key(value) in words}
        unknown = sum(n for value, n in column.values.items() if words_key(value) not in words)
        if len(said) < 2 or unknown > column.slips or unknown >= column.answered - unknown:
            continue
        hint = "satisf" if kind == K.CSAT else "agree"
        if any(hint in value for value in said) or (
            _SATISFIED if kind == K.CSAT else _AGREE
        ).search(text):
            return kind
    return ""


def _choice_kind(column: ColumnStats) -> str:
    if not column.answered:
        return K.TEXT
    if column.lists:
        return K.MULTIPLE
    parts = len(column.parts)
    if (
        column.joined
        and not column.parts_overflow
        and parts <= MAX_CHOICES
        and column.part_count >= 2 * parts
        and max(len(p) for p in column.parts) <= MAX_OPTION_LENGTH
    ):
        return K.MULTIPLE
    distinct = len(column.values)
    if (
        not column.overflow
        and distinct <= MAX_CHOICES
        and column.longest <= MAX_OPTION_LENGTH
        and column.length / column.answered <= 40
        and column.answered >= 2 * distinct
    ):
        return K.SINGLE
    return K.TEXT


def _options(column: ColumnStats, kind: str) -> list[str]:
    if kind == K.MULTIPLE:
        return list(column.parts)[: MAX_CHOICES * 3]
    return list(column.values)[: MAX_CHOICES * 3]


def question_key(text: str, taken: set[str]) -> str:
    """A stable name within the survey, from the question's text."""
    base = re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:70] or "question"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def scale_of(kind: str, scale_max: int) -> tuple[int, int] | None:
    if kind == K.RATING:
        return (1, scale_max)
    return SCALES.get(kind)
