"""Opening a survey tool's export: CSV, TSV, XLSX or JSON, with the tool recognised.

Text and XLSX files go through ``lib/tabular`` (encoding, delimiter, streaming XLSX), with
one difference: every cell of a row is kept, because SurveyMonkey leaves the first header
row empty above a question's second and later columns, so its data rows are wider than
its named header. SurveyMonkey's second header row (``Response``, ``Open-Ended Response``
or an option's label under each column) is read here and never counted as a response.

JSON is read whole (the standard library cannot stream it), but each object's line is
found, so a rejected response is reported at the line where it starts, as for CSV.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rapport.lib.tabular import (
    BadRecord,
    Row,
    Table,
    TabularError,
    _cell_text,
    detect_encoding,
)
from rapport.lib.values import normalise_header

GOOGLE_FORMS = "google_forms"
TYPEFORM = "typeform"
SURVEYMONKEY = "surveymonkey"
TYPEFORM_JSON = "typeform_json"
JSON_LIST = "json"
OTHER = "other"

TOOL_NAMES = {
    GOOGLE_FORMS: "Google Forms",
    TYPEFORM: "Typeform",
    SURVEYMONKEY: "SurveyMonkey",
    TYPEFORM_JSON: "Typeform (JSON)",
    JSON_LIST: "JSON",
    OTHER: "a survey export",
}

# Google Forms names its first column "Timestamp" in the form owner's language.
_GOOGLE_TIMESTAMPS = {
    "timestamp",
    "horodateur",
    "marcatemporal",
    "zeitstempel",
    "carimbodedatahora",
    "informazionicronologiche",
    "tijdstempel",
    "sygnaturaczasowa",
}
SURVEYMONKEY_RESPONSE = "response"
SURVEYMONKEY_OPEN = "openendedresponse"


@dataclass
class Column:
    """One column of the export, with what the tool says about it."""

    position: int
    header: str
    # SurveyMonkey's second header row: "Response", "Open-Ended Response" or an option label.
    sub: str = ""
    # The header of the question this column belongs to (SurveyMonkey spreads a question
    # over several columns and names only the first).
    group: str = ""
    # From JSON: the tool's stable name of the field (Typeform's ref), the kind it states,
    # and the choices its form definition lists.
    key: str = ""
    hint: str = ""
    options: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """How the column is named in messages, ``--map`` and the errors CSV."""
        if not self.sub or normalise_header(self.sub) in (
            SURVEYMONKEY_RESPONSE,
            SURVEYMONKEY_OPEN,
        ):
            return self.group or self.header
        return f"{self.group} [{self.sub}]" if self.group else self.sub


@dataclass
class Export:
    """An opened export: its tool, its columns, and a way to read its records (twice)."""

    path: Path
    tool: str
    columns: list[Column]
    description: str
    estimated_rows: int | None
    # Titles and choices from a Typeform webhook's form definition, when the file has one.
    title: str = ""
    _items: list | None = None

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def tool_name(self) -> str:
        return TOOL_NAMES[self.tool]

    def records(self) -> Iterator[Row | BadRecord]:
        """Every response record, in file order; each call reads the file again."""
        if self._items is not None:
            yield from self._items
            return
        width = len(self.columns)
        with _open_cells(self.path) as table:
            records = table.rows()
            if self.tool == SURVEYMONKEY and any(c.sub for c in self.columns):
                next(records, None)
            for record in records:
                if isinstance(record, BadRecord):
                    yield record
                    continue
                cells = record.values
                if len(cells) > width:
                    if any(cell.strip() for cell in cells[width:]):
                        yield BadRecord(
                            record.line,
                            f"{len(cells)} cells, but the header names {width} columns",
                            cells,
                        )
                        continue
                    cells = cells[:width]
                yield Row(record.line, cells + [""] * (width - len(cells)))


class _CellTable(Table):
    """A table whose rows keep every cell, however many the header names."""

    def rows(self):
        if self.is_spreadsheet:
            return self._all_sheet_rows()
        return self._all_text_rows()

    def _all_sheet_rows(self):
        for values in self._sheet_rows:
            self._row_number += 1
            cells = [_cell_text(value) for value in values]
            if any(cells):
                yield Row(self._row_number, cells)

    def _all_text_rows(self):
        while (record := self._next_text_record()) is not None:
            if isinstance(record, BadRecord) or any(v.strip() for v in record.values):
                yield record


def _open_cells(path) -> _CellTable:
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm"):
        raise TabularError(
            f"unsupported file type {suffix or '(none)'}: use .csv, .tsv, .txt, .xlsx or .json"
        )
    return _CellTable(path)


def _real_header(header: list[str]) -> list[str]:
    # lib/tabular names empty header cells "(column N)"; here an empty cell has a meaning.
    return ["" if name == f"(column {i})" else name for i, name in enumerate(header, start=1)]


def open_export(path) -> Export:
    """Open ``path`` and recognise its tool; raises ``TabularError`` when it cannot be read."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _open_json(path)
    with _open_cells(path) as table:
        header = _real_header(table.header)
        normalised = [normalise_header(name) for name in header]
        tool = _tool_of(header, normalised)
        sub: list[str] = []
        if tool == SURVEYMONKEY:
            first = next(table.rows(), None)
            if isinstance(first, Row) and _is_subheader(first.values, normalised):
                sub = [cell.strip() for cell in first.values]
        description, estimate = table.describe(), table.estimate_rows()
    if sub and estimate:
        estimate = max(0, estimate - 1)
    width = max(len(header), len(sub))
    header += [""] * (width - len(header))
    sub += [""] * (width - len(sub)) if sub else []
    columns, group = [], ""
    for position, name in enumerate(header):
        group = name or group
        column = Column(position, name)
        if sub:
            column.sub, column.group = sub[position], group
        columns.append(column)
    if not sub and any(not c.header for c in columns):
        for column in columns:
            column.header = column.header or f"(column {column.position + 1})"
    _check_names(columns)
    return Export(path, tool, columns, description, estimate)


def _tool_of(header: list[str], normalised: list[str]) -> str:
    if "respondentid" in normalised and "collectorid" in normalised:
        return SURVEYMONKEY
    if header and header[0].strip() == "#" or "submitdateutc" in normalised:
        return TYPEFORM
    if normalised and normalised[0] in _GOOGLE_TIMESTAMPS:
        return GOOGLE_FORMS
    return OTHER


def _is_subheader(cells: list[str], normalised: list[str]) -> bool:
    """SurveyMonkey's second header row: cells under the questions, none under the
    respondent id (every response has one)."""
    respondent = normalised.index("respondentid")
    if respondent < len(cells) and cells[respondent].strip():
        return False
    return any(cell.strip() for cell in cells)


def _check_names(columns: list[Column]) -> None:
    seen: dict[str, int] = {}
    for column in columns:
        key = column.name.casefold()
        if key in seen:
            raise TabularError(
                f"two columns are both named {column.name!r} (columns {seen[key]} and "
                f"{column.position + 1}): rename one"
            )
        seen[key] = column.position + 1


# --- JSON --------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _Scanner:
    """Walks a JSON text far enough to find each response object and the line it starts on."""

    def __init__(self, text: str):
        self.text = text
        self.decoder = json.JSONDecoder()
        self._line, self._at = 1, 0

    def line_of(self, index: int) -> int:
        if index < self._at:
            self._line, self._at = 1, 0
        self._line += self.text.count("\n", self._at, index)
        self._at = index
        return self._line

    def skip(self, i: int) -> int:
        return _WHITESPACE.match(self.text, i).end()

    def expect(self, i: int, char: str) -> int:
        i = self.skip(i)
        if self.text[i : i + 1] != char:
            raise json.JSONDecodeError(f"expected {char!r}", self.text, i)
        return i + 1

    def array(self, i: int) -> tuple[list[tuple[int, object]], int]:
        """The elements of the array at ``i`` with their lines, and the index after it."""
        items = []
        i = self.expect(i, "[")
        i = self.skip(i)
        if self.text[i : i + 1] == "]":
            return items, i + 1
        while True:
            i = self.skip(i)
            start = i
            value, i = self.decoder.raw_decode(self.text, i)
            items.append((self.line_of(start), value))
            i = self.skip(i)
            if self.text[i : i + 1] == ",":
                i += 1
                continue
            return items, self.expect(i, "]")

    def top(self) -> tuple[list[tuple[int, object]], dict]:
        """The response objects, and the other members of a top-level object."""
        i = self.skip(0)
        if self.text[i : i + 1] == "[":
            items, i = self.array(i)
            self._end(i)
            return items, {}
        if self.text[i : i + 1] != "{":
            raise TabularError("the JSON is neither a list of responses nor an object with items")
        found, others = None, {}
        i += 1
        while True:
            i = self.skip(i)
            if self.text[i : i + 1] == "}":
                i += 1
                break
            key, i = self.decoder.raw_decode(self.text, i)
            i = self.expect(i, ":")
            i = self.skip(i)
            if key in ("items", "responses", "data") and self.text[i : i + 1] == "[":
                found, i = self.array(i)
            else:
                others[key], i = self.decoder.raw_decode(self.text, i)
            i = self.skip(i)
            if self.text[i : i + 1] == ",":
                i += 1
        self._end(i)
        if found is None:
            raise TabularError(
                "the JSON object has no list of responses (expected an 'items' list, as in "
                "Typeform's Responses API)"
            )
        return found, others

    def _end(self, i: int) -> None:
        if self.skip(i) != len(self.text):
            raise json.JSONDecodeError("unexpected text after the end", self.text, self.skip(i))


def _open_json(path: Path) -> Export:
    encoding = detect_encoding(path)
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as error:
        raise TabularError(f"the JSON is not valid text ({error.reason})")
    if not text.strip():
        raise TabularError("the file is empty")
    scanner = _Scanner(text)
    try:
        items, others = scanner.top()
    except json.JSONDecodeError as error:
        raise TabularError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        )
    except RecursionError:
        raise TabularError("the JSON is nested too deeply to be a survey export")
    flat = _Flattener()
    try:
        for line, item in items:
            flat.add(line, item)
    except RecursionError:
        raise TabularError("a response in the JSON is nested too deeply to be read")
    for definition in [others.get("definition"), *flat.definitions]:
        flat.define(definition)
    columns = [
        Column(position, name, key=flat.keys.get(name, ""), hint=flat.hints.get(name, ""))
        for position, name in enumerate(flat.order)
    ]
    for column in columns:
        column.header = flat.titles.get(column.header) or _humanise(column.key) or column.header
        column.options = flat.choices.get(column.key, [])
    _check_names(columns)
    records: list[Row | BadRecord] = []
    for line, values in flat.rows:
        if isinstance(values, str):
            records.append(BadRecord(line, values, []))
        else:
            records.append(Row(line, [values.get(name, "") for name in flat.order]))
    tool = TYPEFORM_JSON if flat.typeform else JSON_LIST
    description = f"JSON, {'Typeform responses' if flat.typeform else 'a list of objects'}"
    title = flat.title or (others.get("title") if isinstance(others.get("title"), str) else "")
    return Export(path, tool, columns, description, len(records), title=title, _items=records)


# Typeform answer types: where the value is and what kind of question it implies.
_TYPEFORM_HINTS = {
    "nps": "nps",
    "opinion_scale": "scale",
    "rating": "rating",
    "long_text": "text",
    "short_text": "text",
    "yes_no": "single",
    "legal": "single",
    "dropdown": "single",
}


class _Flattener:
    """Turns JSON responses into rows of cells: a cell is a string or a list of strings."""

    def __init__(self):
        self.order: list[str] = []
        self.keys: dict[str, str] = {}
        self.hints: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self.rows: list[tuple[int, dict | str]] = []
        self.definitions: list = []
        self.typeform = False
        self.title = ""

    def _put(self, row: dict, name: str, value) -> None:
        if name not in row and name not in self.order:
            self.order.append(name)
        row[name] = value

    def add(self, line: int, item) -> None:
        if isinstance(item, dict) and isinstance(item.get("form_response"), dict):
            item = item["form_response"]
        if not isinstance(item, dict):
            self.rows.append((line, f"expected an object with answers, found {_shown(item)}"))
            return
        row: dict = {}
        if isinstance(item.get("answers"), list):
            self.typeform = True
            self._typeform(row, item)
        else:
            self._flat(row, "", item)
        self.rows.append((line, row))

    def _flat(self, row: dict, prefix: str, item: dict) -> None:
        for name, value in item.items():
            name = f"{prefix} [{name}]" if prefix else str(name)
            if isinstance(value, dict):
                self._flat(row, name, value)
            else:
                self._put(row, name, _cell(value))

    def _typeform(self, row: dict, item: dict) -> None:
        self._put(row, "#", _cell(item.get("token") or item.get("response_id") or ""))
        self._put(row, "Submit Date (UTC)", _cell(item.get("submitted_at") or ""))
        hidden = item.get("hidden")
        if isinstance(hidden, dict):
            for name, value in hidden.items():
                self._put(row, str(name), _cell(value))
        if isinstance(item.get("definition"), dict):
            self.definitions.append(item["definition"])
        for answer in item["answers"]:
            if not isinstance(answer, dict):
                continue
            spec = answer.get("field") if isinstance(answer.get("field"), dict) else {}
            name = str(spec.get("ref") or spec.get("id") or "")
            if not name:
                continue
            kind = answer.get("type", "")
            if kind == "email":
                # The respondent typing their address is who answered, not an opinion.
                self._put(row, "email", _cell(answer.get("email")))
                continue
            value = _typeform_value(answer)
            if value is None:
                continue
            self._put(row, name, value)
            self.keys[name] = name
            hint = _TYPEFORM_HINTS.get(spec.get("type", ""), "")
            if kind == "choices":
                hint = "multiple"
            elif kind == "choice" and not hint:
                hint = "single"
            if hint:
                self.hints[name] = hint

    def define(self, definition) -> None:
        """Question titles and choices from a Typeform form definition."""
        if not isinstance(definition, dict):
            return
        if isinstance(definition.get("title"), str) and not self.title:
            self.title = definition["title"]
        for spec in definition.get("fields") or []:
            if not isinstance(spec, dict):
                continue
            name = str(spec.get("ref") or spec.get("id") or "")
            if name and isinstance(spec.get("title"), str) and spec["title"].strip():
                self.titles.setdefault(name, spec["title"].strip())
            labels = [
                c["label"]
                for c in spec.get("choices") or []
                if isinstance(c, dict) and isinstance(c.get("label"), str)
            ]
            if name and labels:
                self.choices.setdefault(name, labels)


def _typeform_value(answer: dict):
    kind = answer.get("type")
    if kind == "choice":
        choice = answer.get("choice") or {}
        return _cell(choice.get("label") or choice.get("other") or "")
    if kind == "choices":
        choices = answer.get("choices") or {}
        labels = list(choices.get("labels") or [])
        if choices.get("other"):
            labels.append(choices["other"])
        return [str(label) for label in labels]
    if kind == "boolean":
        return _cell(answer.get("boolean"))
    if kind in ("payment", None):
        return None
    return _cell(answer.get(kind))


def _cell(value):
    """A JSON value as a cell: text, or a list of texts for several choices."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return [str(_cell(v)) for v in value if v is not None and not isinstance(v, list | dict)]
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _humanise(ref: str) -> str:
    """A question's wording from a Typeform ref like ``visit_satisfaction`` when the file
    has no form definition; refs that are ids (``a1b2c3d4-...``) stay as they are."""
    if not re.fullmatch(r"[a-z][a-z_-]*", ref or ""):
        return ""
    if len(ref) <= 4 and "_" not in ref:
        return ref.upper()  # nps, csat, ces
    text = re.sub(r"[_-]+", " ", ref).strip()
    return text[:1].upper() + text[1:]


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"
