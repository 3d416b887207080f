"""``rapport analyze FILE --text-column COL``: read a file of texts, write them back with what
rapport.engine.text makes of them. No database, no settings: the library alone.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from rapport.lib.progress import add_progress_option

# Rows are read and analysed this many at a time, so memory stays flat on any file.
CHUNK = 512
MAX_EMOTIONS = 3

DESCRIPTION = """\
Read a CSV, TSV, TXT or XLSX file and write a CSV with every original column plus what each
text says: language, sentiment, emotions, whether it needs a person (score, flag, reasons),
toxicity and personal data (kinds found, and the text with them replaced). Needs no database.
Encoding and delimiter are guessed. A row that cannot be read keeps its cells and gets the
reason in the error column; the rest are read. The output appears only when complete."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="analyse the texts of a CSV/TSV/XLSX file into a new CSV (no database needed)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="the .csv, .tsv, .txt or .xlsx file to read")
    parser.add_argument(
        "--text-column", required=True, metavar="COL", help="the column that holds the texts"
    )
    parser.add_argument(
        "--out",
        metavar="OUT.csv",
        help="where to write the result (default: FILE's name with -analyzed.csv)",
    )
    parser.add_argument(
        "--mode",
        choices=["full", "lexicon"],
        default="full",
        help="full: the shipped model, with emotions (default); lexicon: VADER, many times "
        "faster, no emotions, a weaker need-for-a-person score",
    )
    parser.add_argument(
        "--no-pii",
        action="store_true",
        help="do not look for personal data (no pii_kinds and redacted_text columns)",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="read only the first N rows")
    parser.add_argument(
        "--encoding", metavar="NAME", help="the file's text encoding (default: guessed)"
    )
    add_progress_option(parser, "progress line")
    parser.set_defaults(handler=analyze_command, needs_django=False)


def output_columns(header: list[str], pii: bool) -> list[str]:
    """The columns added after the original ones; a name the file already uses gets a
    ``rapport_`` prefix."""
    added = [
        "language",
        "language_supported",
        "sentiment",
        "sentiment_score",
        "sentiment_confidence",
        "top_emotions",
        "emotion_groups",
        "needs_human_score",
        "needs_human_flagged",
        "needs_human_reasons",
        "toxicity",
        "toxicity_terms",
        *(["pii_kinds", "redacted_text"] if pii else []),
        "error",
    ]
    from rapport.lib.csvstream import columns_beside

    return columns_beside(header, added)


def cells(result, pii: bool) -> list:
    """The added cells of one analysed text, in ``output_columns`` order."""
    from rapport.lib.csvstream import spreadsheet_safe

    sentiment, verdict, toxic = result.sentiment, result.needs_human, result.toxicity
    emotions = "; ".join(
        f"{e} {result.emotions[e]:.2f}" for e in result.detected_emotions[:MAX_EMOTIONS]
    )
    reasons = " | ".join(f"{r.code}: {r.evidence}" for r in verdict.reasons) if verdict else ""
    failures = [note for note in result.notes if " failed: " in note]
    row = [
        result.language,
        "yes" if result.language_supported else "no",
        sentiment.label if sentiment else "",
        f"{sentiment.score:.4f}" if sentiment else "",
        f"{sentiment.confidence:.4f}" if sentiment else "",
        emotions,
        "; ".join(result.detected_groups),
        f"{verdict.score:.4f}" if verdict else "",
        ("yes" if verdict.flagged else "no") if verdict else "",
        reasons,
        f"{toxic.score:.4f}" if toxic else "",
        "; ".join(toxic.terms) if toxic else "",
    ]
    if pii:
        kinds = sorted({span.kind for span in result.pii})
        redacted = spreadsheet_safe(result.redacted) if result.redacted is not None else ""
        row += ["; ".join(kinds), redacted]
    row.append("; ".join(filter(None, [result.error, *failures])))
    return row


def analyze_command(args) -> int:
    from rapport.lib.commands import CommandError
    from rapport.lib.csvstream import write_csv_atomically
    from rapport.lib.progress import ProgressBar, wants_progress
    from rapport.lib.tabular import BadRecord, TabularError, open_table

    source = Path(args.file)
    if not source.is_file():
        raise CommandError(f"no such file: {source}")
    if args.limit is not None and args.limit < 1:
        raise CommandError("--limit must be at least 1")
    out = Path(args.out) if args.out else source.with_name(source.stem + "-analyzed.csv")
    if out.resolve() == source.resolve():
        raise CommandError("--out must not be the file being read")
    try:
        table = open_table(source, encoding=args.encoding)
    except (TabularError, LookupError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {source}: {error}")
    except OSError as error:
        raise CommandError(f"cannot open {source}: {error.strerror or error}")
    with table:
        folded = [name.casefold() for name in table.header]
        if args.text_column.casefold() not in folded:
            raise CommandError(
                f"no column {args.text_column!r} in {source.name}; its columns are: "
                + ", ".join(repr(name) for name in table.header)
            )
        column = folded.index(args.text_column.casefold())
        pii = not args.no_pii
        total = table.estimate_rows()
        if args.limit:
            total = min(total, args.limit) if total else args.limit
        show = wants_progress(args.progress)
        bar = ProgressBar() if show else None
        records = table.rows()
        if args.limit:
            records = itertools.islice(records, args.limit)
        flagged = 0

        def counted(rows):
            nonlocal flagged
            for row, is_flagged in rows:
                flagged += is_flagged
                yield row

        try:
            done = write_csv_atomically(
                out,
                [*table.header, *output_columns(table.header, pii)],
                counted(
                    _analyzed_rows(records, column, len(table.header), args.mode, pii, BadRecord)
                ),
                on_row=(lambda n: bar.update(n, max(total or 0, n) or None)) if bar else None,
            )
        except OSError as error:
            raise CommandError(f"cannot write {out}: {error.strerror or error}")
        finally:
            if bar:
                bar.done()
    print(f"Analysed {done:,} rows ({flagged:,} need a person) into {out}")
    return 0


def _analyzed_rows(records, column: int, width: int, mode: str, pii: bool, bad_record):
    """Each output row, with whether it was flagged, read a chunk at a time."""
    from rapport.engine.text import analyze

    blanks = len(output_columns([], pii)) - 1
    while chunk := list(itertools.islice(records, CHUNK)):
        good = [r for r in chunk if not isinstance(r, bad_record)]
        results = iter(analyze([r.values[column] for r in good], mode=mode, pii=pii))
        for record in chunk:
            values = (list(record.values) + [""] * width)[:width]
            if isinstance(record, bad_record):
                yield [*values, *[""] * blanks, f"line {record.line}: {record.reason}"], False
                continue
            result = next(results)
            flagged = bool(result.needs_human and result.needs_human.flagged)
            yield [*values, *cells(result, pii)], flagged
