"""``rapport faq FAQ_FILE QUESTIONS_FILE --text-column COL``: try a knowledge base on questions
people really asked, before letting it answer anyone. No database: the library alone
(``rapport.engine.answers``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = """\
Read a knowledge base (a CSV, TSV or XLSX file with the columns id, question and answer, and
optionally language: one row per example question, the answer on any row of its entry) and a
file of questions, and write a CSV with every question's best entry, its confidence, whether
it would be answered automatically, and why not. With --truth-column (the entry that really
answers each question, empty when none does), also print what each threshold would cost:
the share answered automatically, the share of those answers that were wrong, and the share
sent to a person. Bad rows are reported with their line and reason and left out; the rest
are used. Needs no database."""

FAQ_COLUMNS = ("id", "question", "answer")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "faq",
        help="try a knowledge base of answers on real questions (no database needed)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("faq_file", metavar="FAQ_FILE", help="the knowledge base (.csv/.xlsx)")
    parser.add_argument("questions_file", metavar="QUESTIONS_FILE", help="the questions")
    parser.add_argument(
        "--text-column", required=True, metavar="COL", help="QUESTIONS_FILE's column of texts"
    )
    parser.add_argument(
        "--truth-column",
        metavar="COL",
        help="QUESTIONS_FILE's column naming the entry that answers each question (empty: "
        "none does); prints what each threshold would cost",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        metavar="P",
        help="the confidence an automatic answer needs, 0 to 1 (default: the shipped one)",
    )
    parser.add_argument(
        "--out",
        metavar="OUT.csv",
        help="where to write the result (default: QUESTIONS_FILE's name with -faq.csv)",
    )
    parser.set_defaults(handler=faq_command, needs_django=False)


def read_knowledge_base(path: str) -> tuple[list, list[str]]:
    """The entries of a knowledge-base file and the problems found, one line each
    (``line N: field: reason``). Bad rows are left out; an entry is kept when it has at
    least one question and an answer."""
    from rapport.engine.answers import FaqEntry
    from rapport.lib.commands import CommandError
    from rapport.lib.tabular import BadRecord, TabularError, open_table

    problems: list[str] = []
    questions: dict[str, list[str]] = {}
    answers: dict[str, tuple[int, str]] = {}
    languages: dict[str, str] = {}
    try:
        with open_table(path) as table:
            columns = {name.strip().casefold(): i for i, name in enumerate(table.header)}
            missing = [c for c in FAQ_COLUMNS if c not in columns]
            if missing:
                raise CommandError(
                    f"{path}: no column {', '.join(missing)} "
                    f"(the knowledge base needs id, question and answer)"
                )
            for row in table.rows():
                if isinstance(row, BadRecord):
                    problems.append(f"line {row.line}: {row.reason}")
                    continue

                def cell(name, row=row):
                    i = columns.get(name)
                    return row.values[i].strip() if i is not None else ""

                entry_id, question, answer = cell("id"), cell("question"), cell("answer")
                if not entry_id:
                    problems.append(f"line {row.line}: id: empty; row left out")
                    continue
                if answer:
                    if entry_id in answers and answers[entry_id][1] != answer:
                        first = answers[entry_id][0]
                        problems.append(
                            f"line {row.line}: answer: differs from the answer of {entry_id!r} "
                            f"on line {first}; the first is kept"
                        )
                    else:
                        answers.setdefault(entry_id, (row.line, answer))
                if cell("language"):
                    languages.setdefault(entry_id, cell("language").lower())
                if question:
                    questions.setdefault(entry_id, []).append(question)
                elif not answer:
                    problems.append(f"line {row.line}: question: empty; row left out")
                else:
                    questions.setdefault(entry_id, [])
    except (TabularError, OSError) as error:
        raise CommandError(f"{path}: {error}")
    entries = []
    for entry_id in dict.fromkeys([*questions, *answers]):
        if entry_id not in answers:
            problems.append(f"entry {entry_id!r}: answer: none on any row; entry left out")
        elif not questions.get(entry_id):
            problems.append(f"entry {entry_id!r}: question: none on any row; entry left out")
        else:
            entries.append(
                FaqEntry(
                    id=entry_id,
                    questions=questions[entry_id],
                    answer=answers[entry_id][1],
                    language=languages.get(entry_id, "en"),
                )
            )
    return entries, problems


def faq_command(args) -> int:
    from rapport.engine.answers import KnowledgeBase
    from rapport.lib.commands import CommandError
    from rapport.lib.csvstream import columns_beside, spreadsheet_safe, write_csv_atomically
    from rapport.lib.tabular import BadRecord, TabularError, open_table

    if args.threshold is not None and not 0 <= args.threshold <= 1:
        raise CommandError("--threshold must be between 0 and 1")
    for path in (args.faq_file, args.questions_file):
        if not Path(path).is_file():
            raise CommandError(f"no such file: {path}")
    entries, problems = read_knowledge_base(args.faq_file)
    for problem in problems:
        print(f"{args.faq_file}: {problem}", file=sys.stderr)
    if not entries:
        raise CommandError(f"{args.faq_file}: no usable entry, so nothing could be answered")
    kb = KnowledgeBase(entries, threshold=args.threshold)

    try:
        with open_table(args.questions_file) as table:
            header = list(table.header)
            folded = [name.strip().casefold() for name in header]
            wanted = [args.text_column] + ([args.truth_column] if args.truth_column else [])
            for name in wanted:
                if name.strip().casefold() not in folded:
                    raise CommandError(
                        f"{args.questions_file}: no column {name!r} (columns: {', '.join(header)})"
                    )
            text_at = folded.index(args.text_column.strip().casefold())
            truth_at = (
                folded.index(args.truth_column.strip().casefold()) if args.truth_column else None
            )
            rows = []
            for row in table.rows():
                if isinstance(row, BadRecord):
                    print(f"{args.questions_file}: line {row.line}: {row.reason}", file=sys.stderr)
                    continue
                rows.append(row.values)
    except (TabularError, OSError) as error:
        raise CommandError(f"{args.questions_file}: {error}")

    texts = [values[text_at] for values in rows]
    truth = None
    if truth_at is not None:
        known = {e.id for e in entries}
        truth = [values[truth_at].strip() or None for values in rows]
        unknown = sorted({t for t in truth if t is not None and t not in known})
        if unknown:
            raise CommandError(
                f"{args.questions_file}: {args.truth_column} names entries the knowledge "
                f"base does not have: {', '.join(unknown)}"
            )
    matches = kb.match(texts)
    out = Path(
        args.out or Path(args.questions_file).with_name(Path(args.questions_file).stem + "-faq.csv")
    )
    added = columns_beside(header, ["entry_id", "confidence", "answered_automatically", "reasons"])
    try:
        write_csv_atomically(
            out,
            [spreadsheet_safe(name) for name in header + added],
            (
                [spreadsheet_safe(v) for v in values]
                + [
                    m.entry_id or "",
                    f"{m.confidence:.3f}",
                    "yes" if m.answer else "no",
                    spreadsheet_safe("; ".join(m.reasons)),
                ]
                for values, m in zip(rows, matches, strict=True)
            ),
        )
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror or error}")
    answered = sum(m.answer for m in matches)
    print(
        f"{len(texts)} questions, {len(entries)} entries, threshold {kb.threshold:.2f}: "
        f"{answered} answered automatically, {len(texts) - answered} to a person. "
        f"Written to {out}"
    )
    if truth is not None:
        print("threshold  answered  wrong among answered  to a person")
        for r in kb.threshold_table(texts, truth):
            print(f"{r.threshold:9.2f}  {r.answered:8.0%}  {r.wrong:20.0%}  {r.to_person:11.0%}")
    return 0
