"""``rapport knowledge``: a business's knowledge base from the terminal: import a file,
export it, list the entries, and what each threshold would have done with its messages."""

import argparse

DESCRIPTION = """\
A business's knowledge base (its FAQ): the answers Rapport may send automatically.

rapport knowledge import --workspace SLUG FILE [--member EMAIL]
    Add or update entries from a CSV, TSV or XLSX file: columns id, question (one a row) or
    questions (one a line or separated by " | "), answer, optional language (docs/knowledge.md).
    Bad rows are printed with their line, column and reason and left out (exit status 1); the
    rest is written in one go. --member: the manager or owner who imports (default: the owner).
rapport knowledge export --workspace SLUG [--out FILE]
    Write every entry as CSV in the import's format (default: to standard output).
rapport knowledge list --workspace SLUG
    Print the entries, their questions and answers.
rapport knowledge threshold --workspace SLUG
    Read the last year's written messages from customers and print, per threshold, the share
    answered automatically, the share of those likely wrong (an estimate from the calibrated
    confidence) and the share sent to a person."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "knowledge",
        help="import, export and list a business's knowledge base; its threshold table",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    def verb(name, help_text, handler):
        sub = verbs.add_parser(
            name, help=help_text, description=help_text[:1].upper() + help_text[1:] + "."
        )
        sub.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
        sub.set_defaults(handler=handler)
        return sub

    sub = verb("import", "add or update entries from a CSV or XLSX file", import_command)
    sub.add_argument("file", metavar="FILE", help="the file (.csv, .tsv, .txt or .xlsx)")
    sub.add_argument("--member", metavar="EMAIL", help="who imports (default: the owner)")
    sub = verb("export", "write the entries as CSV", export_command)
    sub.add_argument("--out", metavar="FILE", help="where to write (default: standard output)")
    verb("list", "print the entries", list_command)
    verb("threshold", "print what each threshold would have done", threshold_command)


def _member(workspace, email):
    from rapport.accounts.choices import Role
    from rapport.lib.commands import CommandError

    members = workspace.memberships.filter(removed_at__isnull=True).select_related("user")
    if email:
        found = members.filter(user__email=email.lower()).first()
        if found is None or not found.can_manage:
            raise CommandError(f"{email} is not a manager or owner of {workspace.slug}")
        return found
    return members.filter(role=Role.OWNER).first()


def _workspace(args):
    from rapport.accounts.scope import workspace_from_slug
    from rapport.lib.commands import migrate

    migrate()
    return workspace_from_slug(args.workspace)


def import_command(args) -> int:
    from pathlib import Path

    from rapport.knowledge.actions import ImportFileError, import_entries
    from rapport.lib.commands import CommandError

    workspace = _workspace(args)
    member = _member(workspace, args.member)
    if not Path(args.file).is_file():
        raise CommandError(f"no such file: {args.file}")
    try:
        result = import_entries(workspace, Path(args.file), member, via="cli")
    except ImportFileError as error:
        raise CommandError(f"{args.file}: {error}") from None
    for problem in result.errors:
        print(f"{args.file}: {problem}")
    print(f"{workspace.name}: {result.summary}.")
    return 1 if result.errors else 0


def export_command(args) -> int:
    import sys
    from pathlib import Path

    from rapport.knowledge.actions import export_rows
    from rapport.lib.csvstream import write_csv_atomically

    workspace = _workspace(args)
    rows = export_rows(workspace, _member(workspace, None), via="cli")
    header = next(rows)
    if not args.out:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(rows)
        return 0
    count = write_csv_atomically(Path(args.out), header, rows)
    print(f"{count} rows written to {args.out}.", file=sys.stderr)
    return 0


def list_command(args) -> int:
    from rapport.knowledge.models import Entry

    workspace = _workspace(args)
    entries = Entry.objects.filter(workspace=workspace).order_by("key")
    print(f"{workspace.name}: {len(entries)} entries.")
    for entry in entries:
        state = "" if entry.active else " (not in use)"
        questions = entry.question_list
        print(f"\n{entry.key} [{entry.language}]{state}: {len(questions)} questions")
        for question in questions:
            print(f"  ? {question}")
        print(f"  = {' '.join(entry.answer.split())[:200]}")
    return 0


def threshold_command(args) -> int:
    from rapport.knowledge.actions import (
        MIN_HISTORY,
        effective_threshold,
        knowledge_settings,
        threshold_view,
    )

    workspace = _workspace(args)
    rows = threshold_view(workspace)
    current = effective_threshold(knowledge_settings(workspace))
    n = rows[0].n
    print(f"{workspace.name}: the last {n} written messages from customers (12 months).")
    if n < MIN_HISTORY:
        print(f"Not enough history yet: at least {MIN_HISTORY} messages are needed.")
        return 0
    print("threshold  answered automatically  of those likely wrong  sent to a person")
    for row in rows:
        mark = " <- now" if abs(row.threshold - current) < 1e-9 else ""
        wrong = f"{row.wrong_estimate:.0%}" if row.wrong_estimate is not None else "-"
        print(
            f"{row.threshold:>9.2f}  {row.answered_share:>12.0%} ({row.answered:>4})"
            f"  {wrong:>21}  {row.to_person_share:>8.0%} ({row.to_person:>4}){mark}"
        )
    print("Likely wrong: an estimate from the calibrated confidence, not a check of each answer.")
    return 0
