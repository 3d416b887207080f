"""Read CSV, TSV, whitespace-separated text and XLSX files as a stream of rows.

Exports from point-of-sale, HR and supplier systems arrive in every encoding and dialect, so
this module guesses both, and never holds the whole file in memory: rows come one at a time
with the physical line they started on (the header is line 1), so an error can point at
the exact line a person would see in a text editor.

A malformed record (an unterminated or stray quote, a row with the wrong number of cells)
does not stop the reading: it comes back as a :class:`BadRecord` and the rows after it are
read normally. No Django here.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
import sys
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from rapport.lib.csvstream import FORMULA_STARTS

SAMPLE_BYTES = 64 * 1024
SCAN_CHUNK = 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
WHITESPACE = "whitespace"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
# The longest cell read, in characters. Python's csv module stops at 128 KB and calls a longer
# cell a broken quote; a long cell is legitimate (a pasted e-mail, a note), so the limit is
# high and the kinds judge each field's own length ("longer than 200 characters"). A cell
# over this limit is reported as too long, with its line and column.
MAX_CELL_CHARS = 10_000_000
# What our CSV exports put before a cell that a spreadsheet would run as a formula
# (lib/csvstream.spreadsheet_safe): read back, the apostrophe is dropped.
_FORMULA_ESCAPES = tuple("'" + start for start in FORMULA_STARTS)


class TabularError(Exception):
    """The file cannot be read as a table at all (empty, no header, duplicate columns...)."""


@dataclass(frozen=True)
class Row:
    """One data record: ``line`` is the physical line (or sheet row) it starts on."""

    line: int
    values: list[str]


# What openpyxl raises on a damaged workbook: a broken zip or compressed part, a part that is
# not XML (or XML it did not expect), a file cut short.
DAMAGED_WORKBOOK = (
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    EOFError,
    KeyError,
    IndexError,
    OSError,
    TypeError,
    ValueError,
)


def _damage(error: BaseException) -> str:
    return f"{error.__class__.__name__}: {error}"[:200]


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read as a row; the reader carries on after it."""

    line: int
    reason: str
    values: list[str]


# --- encodings -------------------------------------------------------------------------


def detect_encoding(path: str | os.PathLike) -> str:
    """Guess the text encoding of ``path``: a Python codec name.

    Order: byte-order mark (UTF-8, UTF-16 LE/BE), UTF-16 without BOM (NUL-byte pattern),
    strict UTF-8 over the whole file (read in chunks, so big files cost time, not memory),
    then Windows-1252, and Latin-1 as the encoding that never fails.

    Raises :class:`TabularError` for binary files (images, PDFs, NUL bytes) and for text in
    a multi-byte or Cyrillic encoding, which the 8-bit fallbacks would silently garble.
    """
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    guessed_utf16 = _utf16_without_bom(head)
    if guessed_utf16:
        return guessed_utf16
    binary = _binary_kind(head)
    if binary:
        raise TabularError(
            f"this is not a text table: it looks like {binary}; "
            "save the data as CSV (UTF-8), TSV or XLSX"
        )
    bad_at = _first_undecodable(path, "utf-8")
    if bad_at is None:
        return "utf-8"
    with open(path, "rb") as handle:
        handle.seek(max(0, bad_at - 2048))
        around = handle.read(4096)
    if _looks_multibyte(around):
        raise TabularError(
            "the file is not UTF-8 and its accented bytes come in runs, as in Shift-JIS, GBK, "
            "EUC-KR or Cyrillic encodings, which would be read as gibberish: "
            "save it as CSV UTF-8 and import that"
        )
    if _first_undecodable(path, "cp1252") is None:
        return "cp1252"
    return "latin-1"


# Signatures of files people rename to .csv by mistake; NUL bytes catch the rest.
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an XLSX workbook (if it is a workbook, name it .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls or other Office file (save it as .xlsx or CSV)"),
)


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data (it has NUL bytes)"
    return None


def _looks_multibyte(sample: bytes) -> bool:
    """True when most bytes above ASCII stand next to another one.

    Windows-1252 and Latin-1 text puts an accented letter between plain ones (Hélène, café);
    Shift-JIS, GBK, EUC and Cyrillic text is made of runs of high bytes, which those
    encodings would turn into gibberish without any error.
    """
    # A UTF-8 file with a few stray bytes is not one: its accents are valid UTF-8 pairs.
    text = sample.decode("utf-8", errors="surrogateescape")
    if sum(1 for char in text if "\udc80" <= char <= "\udcff") < 4:
        return False
    high = [i for i, byte in enumerate(sample) if byte >= 0x80]
    if len(high) < 8:
        return False
    positions = set(high)
    paired = sum(1 for i in high if i - 1 in positions or i + 1 in positions)
    return paired > 0.6 * len(high)


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    # Mostly-ASCII text in UTF-16 has a NUL in every other byte.
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _first_undecodable(path, encoding: str) -> int | None:
    """The offset of the first byte ``encoding`` cannot decode, or None when all of it can."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(SCAN_CHUNK):
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as error:
                return offset + max(0, error.start)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset
    return None


# --- dialect ---------------------------------------------------------------------------


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter from the first lines of a file.

    The winner is the candidate that appears in the header and splits most sample lines into
    the same number of cells as the header. With none of ``, ; TAB |`` in the header, a
    header with several words separated by spaces means a whitespace-aligned file (CDNOW).
    """
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise TabularError("the file is empty")
    header, body = lines[0], lines[1:20]
    best, best_score = None, (-1, -1)
    for delimiter in DELIMITERS:
        width = len(_split_simple(header, delimiter))
        if width < 2:
            continue
        consistent = sum(1 for line in body if len(_split_simple(line, delimiter)) == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    if best is not None:
        return best
    if len(header.split()) > 1:
        return WHITESPACE
    # One column: any delimiter reads it the same way.
    return ","


def _split_simple(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return line.split(delimiter)


# --- reading ---------------------------------------------------------------------------


class _Lines:
    """An iterator over a file's lines that counts them and lets lines be pushed back.

    The CSV reader pulls lines from here, so after a malformed multi-line record we can give
    back every line but the first and have them read again as ordinary rows.
    """

    def __init__(self, handle):
        self._handle = handle
        self._pushed: deque[tuple[int, str]] = deque()
        self.number = 0
        self.taken: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self._pushed:
            self.number, text = self._pushed.popleft()
        else:
            text = self._handle.readline()
            if not text:
                raise StopIteration
            self.number += 1
        self.taken.append((self.number, text))
        return text

    def mark(self) -> None:
        self.taken = []

    def push_back(self, lines: list[tuple[int, str]]) -> None:
        self._pushed.extendleft(reversed(lines))


class Table:
    """An open tabular file: ``header`` is known on creation; iterate ``rows()`` once.

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self, path: str | os.PathLike, *, encoding: str | None = None, delimiter: str | None = None
    ):
        self.path = Path(path)
        self.size = self.path.stat().st_size
        self.is_spreadsheet = self.path.suffix.lower() in SPREADSHEET_SUFFIXES
        self.encoding = None
        self.delimiter = None
        self._bytes_per_row = None
        if self.is_spreadsheet:
            self._open_spreadsheet()
        else:
            self._open_text(encoding, delimiter)
        _check_header(self.header)

    # -- text files --

    def _open_text(self, encoding, delimiter):
        self.encoding = encoding or detect_encoding(self.path)
        with open(self.path, encoding=self.encoding, newline="", errors="replace") as probe:
            sample = [probe.readline() for _ in range(50)]
        sample = [line for line in sample if line]
        if not any(line.strip() for line in sample):
            raise TabularError("the file is empty (no header line)")
        self.delimiter = delimiter or sniff_delimiter(sample)
        self._handle = open(self.path, encoding=self.encoding, newline="")  # noqa: SIM115 - closed by close()
        self._lines = _Lines(self._handle)
        if self.delimiter != WHITESPACE:
            csv.field_size_limit(MAX_CELL_CHARS)  # the module's setting, for every reader
            self._reader = csv.reader(self._lines, delimiter=self.delimiter, strict=True)
        first = self._next_text_record()
        while isinstance(first, BadRecord) or (
            first is not None and not any(v.strip() for v in first.values)
        ):
            if isinstance(first, BadRecord):
                raise TabularError(f"line {first.line}: the header cannot be read ({first.reason})")
            first = self._next_text_record()
        if first is None:
            raise TabularError("the file is empty (no header line)")
        self.header_line = first.line
        self.header = [value.strip() for value in first.values]
        # Some exports end every line with a delimiter: a nameless last column with no data.
        while len(self.header) > 1 and self.header[-1] == "":
            self.header.pop()
        body = [line for line in sample[self.header_line :] if line.strip()]
        if body:
            self._bytes_per_row = max(
                1, sum(len(line.encode(self.encoding, "replace")) for line in body) / len(body)
            )

    def _next_text_record(self) -> Row | BadRecord | None:
        lines = self._lines
        lines.mark()
        if self.delimiter == WHITESPACE:
            try:
                text = next(lines)
            except StopIteration:
                return None
            return Row(lines.number, text.split())
        try:
            values = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as error:
            taken = lines.taken
            start = taken[0][0] if taken else lines.number
            if "field larger than field limit" in str(error):
                return BadRecord(start, self._too_long(taken), [])
            # The first line holds the broken quote; the lines the reader swallowed after it
            # are read again as rows of their own.
            lines.push_back(taken[1:])
            first_text = taken[0][1] if taken else ""
            return BadRecord(
                start,
                f"malformed CSV ({error}): check the quotes on this line",
                [first_text.rstrip("\r\n")],
            )
        start = lines.taken[0][0] if lines.taken else lines.number
        return Row(start, values)

    def _too_long(self, taken: list[tuple[int, str]]) -> str:
        """Why a record with a cell over MAX_CELL_CHARS is refused, naming its column when
        the lines read so far hold the whole record."""
        where = "a cell"
        csv.field_size_limit(sys.maxsize)
        try:
            record = next(csv.reader([text for _, text in taken], delimiter=self.delimiter))
            index = next(i for i, value in enumerate(record) if len(value) > MAX_CELL_CHARS)
            header = getattr(self, "header", [])
            if index < len(header) and header[index]:
                where = f"the cell in column {header[index]!r}"
        except (csv.Error, StopIteration):
            pass
        finally:
            csv.field_size_limit(MAX_CELL_CHARS)
        return f"{where} is longer than {MAX_CELL_CHARS:,} characters, the most a cell may hold"

    def _text_rows(self) -> Iterator[Row | BadRecord]:
        width = len(self.header)
        while True:
            record = self._next_text_record()
            if record is None:
                return
            if isinstance(record, BadRecord):
                yield record
                continue
            values = record.values
            if not values or not any(v.strip() for v in values):
                continue
            if len(values) > width and not any(v.strip() for v in values[width:]):
                values = values[:width]
            if len(values) != width:
                yield BadRecord(
                    record.line,
                    f"expected {width} cells like the header, found {len(values)}",
                    values,
                )
                continue
            yield Row(record.line, _unescaped(values))

    # -- spreadsheets --

    def _open_spreadsheet(self):
        from openpyxl import load_workbook

        try:
            self._workbook = load_workbook(self.path, read_only=True, data_only=True)
            sheet = self._workbook.worksheets[0]
            self._sheet_rows = sheet.iter_rows(values_only=True)
            self._max_row = sheet.max_row
            self._row_number = 0
            for values in self._sheet_rows:
                self._row_number += 1
                cells = [_cell_text(value) for value in values]
                if any(cells):
                    self.header_line = self._row_number
                    while cells and cells[-1] == "":
                        cells.pop()
                    self.header = cells
                    return
        except DAMAGED_WORKBOOK as error:
            raise TabularError(f"not a readable XLSX workbook ({_damage(error)})") from None
        raise TabularError("the first sheet is empty (no header row)")

    def _sheet_rows_iter(self) -> Iterator[Row | BadRecord]:
        rows = self._sheet_rows
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except DAMAGED_WORKBOOK as error:
                # A workbook damaged part-way (a cut download, a broken part): the rows read
                # so far stand; what follows cannot be read, and the run says where.
                yield BadRecord(
                    self._row_number + 1,
                    f"the workbook is damaged from this row on ({_damage(error)}); "
                    "the rows after it were not read",
                    [],
                )
                return
            yield from self._sheet_row(values)

    def _sheet_row(self, values) -> Iterator[Row | BadRecord]:
        self._row_number += 1
        cells = [_cell_text(value) for value in values]
        if not any(cells):
            return
        width = len(self.header)
        if any(cells[width:]):
            yield BadRecord(
                self._row_number,
                f"cells beyond the last named column ({len(cells)} cells, {width} columns)",
                cells,
            )
            return
        cells = cells[:width] + [""] * (width - len(cells))
        yield Row(self._row_number, _unescaped(cells))

    # -- public --

    def rows(self) -> Iterator[Row | BadRecord]:
        """Every data record after the header, in file order."""
        if self.is_spreadsheet:
            return self._sheet_rows_iter()
        return self._text_rows()

    def estimate_rows(self) -> int | None:
        """A row count guessed from the file size; exact once the rows have been read."""
        if self.is_spreadsheet:
            return max(0, (self._max_row or 0) - self.header_line) or None
        if not self._bytes_per_row:
            return 0
        return max(1, round(self.size / self._bytes_per_row) - self.header_line)

    def describe(self) -> str:
        """Encoding and delimiter in words, for previews and logs."""
        if self.is_spreadsheet:
            return "XLSX workbook, first sheet"
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", WHITESPACE: "whitespace"}
        return f"{self.encoding}, {names.get(self.delimiter, repr(self.delimiter))}-separated"

    def close(self) -> None:
        if self.is_spreadsheet:
            self._workbook.close()
        else:
            self._handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_table(path: str | os.PathLike, **options) -> Table:
    """Open ``path`` (CSV, TSV, TXT or XLSX) for streaming; raises :class:`TabularError`."""
    suffix = Path(path).suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES + TEXT_SUFFIXES:
        raise TabularError(
            f"unsupported file type {suffix or '(none)'}: use .csv, .tsv, .txt or .xlsx"
        )
    return Table(path, **options)


_LOOKS_LIKE_DATA = re.compile(r"^[-+]?[\d.,/: -]+$")


def _unescaped(values: list[str]) -> list[str]:
    """Cells without the apostrophe our exports put before a would-be formula."""
    return [v[1:] if v.startswith(_FORMULA_ESCAPES) else v for v in values]


def _check_header(header: list[str]) -> None:
    if not header:
        raise TabularError("the file has no header line")
    named = [name for name in header if name]
    if named and all(_LOOKS_LIKE_DATA.match(name) for name in named):
        raise TabularError("the first line looks like data, not column names: add a header line")
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if not name:
            continue
        key = name.casefold()
        if key in seen:
            raise TabularError(
                f"duplicate column name {name!r} (columns {seen[key]} and {position}): rename one"
            )
        seen[key] = position
    for position, name in enumerate(header, start=1):
        if not name:
            header[position - 1] = f"(column {position})"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()
