"""``rapport privacy``: export or erase one person's data, and the retention rules."""

from pathlib import Path


def register(subparsers) -> None:
    from rapport.lib.commands import with_subcommand_help

    parser = subparsers.add_parser(
        "privacy",
        help="export or erase a person's data; apply the retention rules",
        description=(
            "Personal-data rights: hand a person everything Rapport holds about them, erase "
            "them, and keep each kind of data only as long as the business's retention rules "
            "say. Every command is recorded in the audit log (docs/privacy.md)."
        ),
    )
    commands = parser.add_subparsers(dest="privacy_command", metavar="COMMAND")
    commands.required = True

    export = commands.add_parser(
        "export",
        help="write everything held about one person to a ZIP archive",
        description=(
            "Write one ZIP archive with everything Rapport holds about the person: "
            "person.json (complete), one CSV file per kind of data, and a README.txt that "
            "says what each file holds. The file is written whole or not at all."
        ),
    )
    _who(export)
    export.add_argument("--to", metavar="FILE", required=True, help="the archive to write")
    export.set_defaults(handler=export_command)

    erase = commands.add_parser(
        "erase",
        help="erase one person and everything linked to them",
        description=(
            "Erase the person: their record, timeline, readings, purchases, identified survey "
            "answers, conversations, predictions and reach-out items, in one transaction. "
            "Anonymous survey answers stay (they were never linked). Cannot be undone."
        ),
    )
    _who(erase)
    erase.add_argument(
        "--confirm",
        metavar="NAME",
        required=True,
        help="the person's name, typed out, to confirm",
    )
    erase.set_defaults(handler=erase_command)

    keep = commands.add_parser(
        "retention",
        help="show or apply the business's retention rules",
        description=(
            "Show each retention rule and how many records it would change today; with "
            "--apply, apply them now (the clock of `rapport serve` applies them daily)."
        ),
    )
    keep.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    keep.add_argument(
        "--set",
        metavar="RULE=MONTHS",
        action="append",
        default=[],
        help=(
            "set a rule first: message_text, closed_conversation, survey_text or audit_log, "
            "a number of months or 'keep' (repeatable)"
        ),
    )
    keep.add_argument("--apply", action="store_true", help="apply the rules now")
    keep.set_defaults(handler=retention_command)
    with_subcommand_help(parser, commands)


def _who(parser) -> None:
    parser.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", metavar="ID", type=int, help="the person's id (on their page)")
    who.add_argument("--email", metavar="E", help="the person's e-mail address")


def _person(args):
    from rapport.accounts.scope import workspace_from_slug
    from rapport.lib.commands import CommandError, migrate
    from rapport.privacy.actions import PrivacyError, find_person

    migrate()
    workspace = workspace_from_slug(args.workspace)
    try:
        return find_person(workspace, person_id=args.person, email=args.email or "")
    except PrivacyError as error:
        raise CommandError(str(error)) from None


def export_command(args) -> int:
    from rapport.lib.commands import CommandError
    from rapport.privacy.actions import export_person_to

    person = _person(args)
    out = Path(args.to)
    if out.is_dir():
        raise CommandError(f"--to {out} is a folder: name the archive's file")
    try:
        counts = export_person_to(person, out, via="cli")
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror}") from None
    total = sum(counts.values())
    print(
        f"Wrote {out}: {total} records about {person.name} in {sum(1 for n in counts.values() if n)} kinds."
    )
    return 0


def erase_command(args) -> int:
    from rapport.lib.commands import CommandError
    from rapport.privacy.actions import PrivacyError, erase_person

    person = _person(args)
    name = person.name
    try:
        counts = erase_person(person, typed=args.confirm, via="cli")
    except PrivacyError as error:
        raise CommandError(str(error)) from None
    print(f"Erased {name}.")
    for kind, n in counts.items():
        print(f"  {kind}: {n}")
    return 0


def _months(spec: str):
    from rapport.lib.commands import CommandError

    rule, sep, value = spec.partition("=")
    field = f"{rule.strip()}_months"
    if not sep:
        raise CommandError(f"--set {spec!r}: write RULE=MONTHS, like message_text=24")
    if value.strip().lower() == "keep":
        return field, None
    try:
        return field, int(value)
    except ValueError:
        raise CommandError(f"--set {spec!r}: {value!r} is not a number of months") from None


def retention_command(args) -> int:
    from django.utils import timezone

    from rapport.accounts.scope import workspace_from_slug
    from rapport.lib.commands import CommandError, migrate
    from rapport.privacy import retention
    from rapport.privacy.actions import (
        PrivacyError,
        apply_retention,
        retention_rules,
        set_retention_rules,
    )

    migrate()
    workspace = workspace_from_slug(args.workspace)
    if args.set:
        try:
            set_retention_rules(workspace, via="cli", **dict(_months(s) for s in args.set))
        except PrivacyError as error:
            raise CommandError(str(error)) from None
    rules = retention_rules(workspace)
    print(f"Retention rules of {workspace.name}:")
    for line in retention.plan(workspace, rules, timezone.now()):
        if line.months is None:
            print(f"  {line.rule.label}: kept")
        else:
            print(
                f"  {line.rule.label}: {line.months} months (before {line.before:%d %b %Y}); "
                f"{line.count} to go now"
            )
    if args.apply:
        done = apply_retention(workspace, via="cli")
        if not done:
            print("No rule is set: nothing applied.")
        else:
            print(f"Applied: {sum(done.values())} records changed.")
    elif rules.any_set:
        print("Nothing changed; add --apply to apply the rules now.")
    return 0
