"""Streaming CSV downloads: rows are written as they are produced, never held whole. Also
how the file commands (``rapport analyze``, ``rapport faq``) write their result files."""

import csv
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class _Echo:
    """A file-like object whose write returns the text, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_line_writer():
    """A csv.writer whose ``writerow`` returns the encoded line instead of writing it."""
    return csv.writer(_Echo())


# Phone numbers and negative amounts start with + or - but cannot call a function.
PLAIN_NUMBER = re.compile(r"[+-]?[\d\s().\-/]+")


# What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A CSV cell that a spreadsheet shows as text and never runs as a formula: exported
    names and notes may come from untrusted imports, and "=HYPERLINK(...)" in a name must
    stay a name."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


# Excel reads a CSV without a byte-order mark in the machine's legacy code page and garbles
# every accent ("Zoë" becomes "ZoÃ«"); csv readers opened with utf-8-sig skip the mark.
UTF8_BOM = "\ufeff"


def csv_download_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The lines of a CSV download, produced as they are needed: a UTF-8 byte-order mark
    and the header, then each row, every cell (the header's too) made spreadsheet_safe."""
    writer = csv_line_writer()
    yield UTF8_BOM + writer.writerow([spreadsheet_safe(name) for name in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def columns_beside(header: Sequence[str], added: Sequence[str]) -> list[str]:
    """``added`` column names for a file that already has ``header``: a name the file already
    uses gets a ``rapport_`` prefix."""
    taken = {name.casefold() for name in header}
    return [f"rapport_{name}" if name.casefold() in taken else name for name in added]


@contextmanager
def atomic_file(out: Path, mode: str = "wb", **open_args) -> Iterator[IO]:
    """A file written beside ``out`` and renamed into place only when whole (flushed and
    synced), so that an interrupted or failed write never leaves half a file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
        mode, dir=out.parent, prefix=f".{out.name}.", delete=False, **open_args
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, out)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_csv_atomically(
    out: Path,
    header: Sequence[str],
    rows: Iterable[Sequence],
    on_row: Callable[[int], object] | None = None,
) -> int:
    """Write ``rows`` under ``header`` to ``out`` through :func:`atomic_file`, so that an
    interrupted run never leaves half a file. ``on_row(n)`` is called after each row;
    returns the number of rows."""
    done = 0
    with atomic_file(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            done += 1
            if on_row:
                on_row(done)
    return done
