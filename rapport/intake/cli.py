"""``rapport import-mail``, ``rapport mailbox ...`` and ``rapport webhook ...``."""

from __future__ import annotations

import argparse
import sys

from rapport.lib.commands import with_subcommand_help
from rapport.lib.progress import ProgressBar, add_progress_option, wants_progress

GROUPS = ["customer", "employee", "supplier", "community"]
SHOWN_PROBLEMS = 20


def _ours(value: str | None) -> list[str]:
    return [a.strip() for a in (value or "").split(",") if a.strip()]


def register(subparsers) -> None:
    mail = subparsers.add_parser(
        "import-mail",
        help="import e-mail (.eml files, .mbox archives, folders of them) into the timeline",
        description=(
            "Import e-mail into a workspace's timeline: each message becomes an e-mail "
            "touchpoint of the person on the other side, found by address or created. Mail "
            "from the business (--ours, and every member's login address) is outbound and, "
            "from a member, handled by that member. Replies join their conversation's thread "
            "even across files. Bad messages are reported with their file, number and reason; "
            "the others are kept; importing the same mail again adds nothing."
        ),
    )
    mail.add_argument("files", nargs="+", metavar="FILE", help=".eml or .mbox file, or folder")
    mail.add_argument(
        "--workspace", required=True, metavar="SLUG", help="the business to import into"
    )
    mail.add_argument(
        "--group",
        choices=GROUPS,
        default="customer",
        help="the group of people created for unknown addresses (default: customer)",
    )
    mail.add_argument(
        "--ours",
        metavar="ADDRESS,...",
        help="the business's own addresses besides its members' (e.g. "
        "hello@bakery.example); @bakery.example means the whole domain",
    )
    mail.add_argument("--batch-size", type=int, default=500, help=argparse.SUPPRESS)
    add_progress_option(mail, "progress bar")
    mail.set_defaults(handler=import_mail_command)

    box = subparsers.add_parser(
        "mailbox",
        help="IMAP mailboxes read for new mail: add, list, poll, remove",
        description=(
            "Read an IMAP folder for new mail: `add` saves the mailbox, `poll` imports what "
            "arrived since the last poll (run it from cron, or with --every), `list` shows "
            "each mailbox's last poll and problem. Mail is never marked read or deleted."
        ),
    )
    actions = box.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    add = actions.add_parser("add", help="save a mailbox (asks for its password)")
    add.add_argument("--workspace", required=True, metavar="SLUG", help="the business")
    add.add_argument("--host", required=True, help="the IMAP server, e.g. imap.example.com")
    add.add_argument("--port", type=int, help="default 993, or 143 with --no-ssl")
    add.add_argument(
        "--no-ssl",
        action="store_true",
        help="connect in plain text and upgrade with STARTTLS; a server without STARTTLS is "
        "refused unless it is this machine",
    )
    add.add_argument("--user", required=True, help="the login")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input instead of asking",
    )
    add.add_argument("--folder", default="INBOX", help="the folder to read (default: INBOX)")
    add.add_argument("--ours", metavar="ADDRESS,...", help="as for import-mail")
    add.add_argument("--group", choices=GROUPS, default="customer", help="as for import-mail")
    add.add_argument("--no-check", action="store_true", help="save without trying to log in first")
    add.set_defaults(handler=mailbox_add_command)

    listing = actions.add_parser("list", help="the mailboxes, their last poll and problem")
    listing.add_argument("--workspace", metavar="SLUG", help="only this business")
    listing.set_defaults(handler=mailbox_list_command)

    poll = actions.add_parser("poll", help="import the new mail of every mailbox, or of one")
    poll.add_argument("id", nargs="?", type=int, help="only this mailbox (see `list`)")
    poll.add_argument("--workspace", metavar="SLUG", help="only this business's mailboxes")
    poll.add_argument(
        "--every",
        type=int,
        metavar="SECONDS",
        help="keep polling, waiting SECONDS between rounds, until interrupted",
    )
    add_progress_option(poll, "progress line")
    poll.set_defaults(handler=mailbox_poll_command)

    remove = actions.add_parser("remove", help="stop reading a mailbox and forget its login")
    remove.add_argument("id", type=int, help="the mailbox (see `list`)")
    remove.add_argument("--workspace", required=True, metavar="SLUG", help="the business")
    remove.set_defaults(handler=mailbox_remove_command)
    with_subcommand_help(box, actions)

    hook = subparsers.add_parser(
        "webhook",
        help="signed webhook endpoints: add, list, revoke",
        description=(
            "Endpoints where another system posts answers to one survey, or touchpoints, "
            "signed with a secret (docs/intake.md shows how to sign). The secret is printed "
            "once, by `add`."
        ),
    )
    hook_actions = hook.add_subparsers(dest="action", metavar="ACTION")
    hook_actions.required = True

    hadd = hook_actions.add_parser("add", help="make an endpoint and print its secret once")
    hadd.add_argument("--workspace", required=True, metavar="SLUG", help="the business")
    hadd.add_argument("--name", required=True, help="who sends to it, e.g. 'Shop kiosk'")
    hadd.add_argument(
        "--kind",
        required=True,
        choices=["responses", "interactions"],
        help="answers to one survey (with --survey), or touchpoints for the timeline",
    )
    hadd.add_argument("--survey", type=int, metavar="ID", help="the survey, for --kind responses")
    hadd.set_defaults(handler=webhook_add_command)

    hlist = hook_actions.add_parser("list", help="the endpoints and their last delivery")
    hlist.add_argument("--workspace", required=True, metavar="SLUG", help="the business")
    hlist.set_defaults(handler=webhook_list_command)

    hrevoke = hook_actions.add_parser("revoke", help="stop accepting deliveries at an endpoint")
    hrevoke.add_argument("id", help="the endpoint's id (see `list`)")
    hrevoke.add_argument("--workspace", required=True, metavar="SLUG", help="the business")
    hrevoke.set_defaults(handler=webhook_revoke_command)
    with_subcommand_help(hook, hook_actions)


# --- import-mail --------------------------------------------------------------------------


class MailProgress(ProgressBar):
    def __init__(self, total: int | None):
        super().__init__(unit="messages")
        self.total = total

    def show(self, result) -> None:
        self.update(result.read, self.total, f"{result.rejected:,} rejected")


def print_problems(result, stream=None) -> None:
    stream = stream or sys.stderr
    for problem in result.problems[:SHOWN_PROBLEMS]:
        print(f"  {problem}", file=stream)
    more = result.rejected - min(len(result.problems), SHOWN_PROBLEMS)
    if more > 0:
        print(f"  … and {more:,} more", file=stream)


def import_mail_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.intake.actions import import_mail_files
    from rapport.intake.mail import count_messages, expand_paths
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    try:
        files = expand_paths(args.files)
    except FileNotFoundError as missing:
        raise CommandError(f"no such file or folder: {missing}")
    if not files:
        raise CommandError("no .eml or .mbox files found in " + ", ".join(args.files))
    if args.batch_size < 1:
        raise CommandError("--batch-size must be at least 1")
    bar = None
    if wants_progress(args.progress):
        try:
            total = count_messages(files)
        except OSError:
            total = None  # the import names the file it cannot read
        bar = MailProgress(total)
    try:
        result = import_mail_files(
            workspace,
            files,
            group=args.group,
            ours=_ours(args.ours),
            batch_size=args.batch_size,
            progress=bar.show if bar else None,
        )
    except OSError as error:
        raise CommandError(f"cannot read {error.filename or 'a file'}: {error.strerror or error}")
    finally:
        if bar:
            bar.done()
    print(result.summary())
    if result.problems:
        print("Rejected:", file=sys.stderr)
        print_problems(result)
    return 0


# --- mailbox ------------------------------------------------------------------------------


def _password(args) -> str:
    from getpass import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass(f"Password for {args.user} at {args.host}: ")


def mailbox_add_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.intake.actions import add_mailbox
    from rapport.intake.imap import MailboxError, connect
    from rapport.intake.models import Mailbox
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    password = _password(args)
    if not password:
        raise CommandError("the password is empty")
    ssl = not args.no_ssl
    probe = Mailbox(
        workspace=workspace,
        host=args.host,
        port=args.port or (993 if ssl else 143),
        ssl=ssl,
        username=args.user,
        password=password,
        folder=args.folder,
    )
    if not args.no_check:
        import imaplib

        try:
            conn = connect(probe)
            typ, data = conn.select('"' + args.folder.replace('"', '\\"') + '"', readonly=True)
            conn.logout()
        except MailboxError as error:
            raise CommandError(str(error))
        except (imaplib.IMAP4.error, OSError) as error:
            raise CommandError(f"cannot read {probe}: {error}")
        if typ != "OK":
            raise CommandError(f"no folder {args.folder!r} in {args.user}@{args.host}")
    try:
        mailbox = add_mailbox(
            workspace,
            host=args.host,
            port=args.port,
            ssl=ssl,
            username=args.user,
            password=password,
            folder=args.folder,
            own_addresses=_ours(args.ours),
            group=args.group,
        )
    except ValueError as error:
        raise CommandError(str(error))
    print(
        f"Mailbox {mailbox.pk} added: {mailbox}. Run `rapport mailbox poll {mailbox.pk}` to read it."
    )
    return 0


def mailbox_list_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.intake.models import Mailbox
    from rapport.lib.commands import migrate

    migrate()
    mailboxes = Mailbox.objects.select_related("workspace").order_by("workspace__slug", "pk")
    if args.workspace:
        mailboxes = mailboxes.filter(workspace=workspace_from_slug(args.workspace))
    shown = 0
    for m in mailboxes:
        shown += 1
        polled = f"{m.last_polled_at:%Y-%m-%d %H:%M}" if m.last_polled_at else "never"
        state = "" if m.active else " (paused)"
        print(
            f"{m.pk:>4}  {m.workspace.slug}  {m}{state}  last read {polled}, "
            f"last UID {m.last_uid}, new senders → {m.group}"
        )
        if m.last_error:
            print(f"      problem: {m.last_error[:300]}")
    if not shown:
        print("No mailboxes. Add one with `rapport mailbox add`.")
    return 0


def mailbox_poll_command(args) -> int:
    import time

    from rapport.accounts.scope import workspace_from_slug
    from rapport.intake.imap import MailboxError, poll
    from rapport.intake.models import Mailbox
    from rapport.lib.commands import CommandError, migrate

    migrate()
    mailboxes = Mailbox.objects.filter(active=True).select_related("workspace").order_by("pk")
    if args.workspace:
        mailboxes = mailboxes.filter(workspace=workspace_from_slug(args.workspace))
    if args.id is not None:
        mailboxes = mailboxes.filter(pk=args.id)
        if not mailboxes.exists():
            raise CommandError(f"no active mailbox {args.id} (see `rapport mailbox list`)")
    if args.every is not None and args.every < 1:
        raise CommandError("--every must be at least 1 second")
    failed = 0
    while True:
        failed = 0
        for mailbox in mailboxes.all():
            bar = MailProgress(None) if wants_progress(args.progress) else None
            try:
                result = poll(mailbox, progress=bar.show if bar else None)
            except MailboxError as error:
                failed += 1
                print(f"{mailbox}: {error}", file=sys.stderr)
                continue
            finally:
                if bar:
                    bar.done()
            print(f"{mailbox}: {result.summary()}")
            if result.problems:
                print_problems(result)
        if args.every is None:
            break
        time.sleep(args.every)
    if failed and args.id is not None:
        raise CommandError("the mailbox could not be read (see above)")
    return 1 if failed else 0


def mailbox_remove_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.intake.actions import remove_mailbox
    from rapport.intake.models import Mailbox
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    mailbox = Mailbox.objects.filter(workspace=workspace, pk=args.id).first()
    if mailbox is None:
        raise CommandError(f"no mailbox {args.id} in {workspace.slug}")
    remove_mailbox(mailbox)
    print(f"Removed mailbox {args.id} ({mailbox}); what it imported stays on the timeline.")
    return 0


# --- webhook ------------------------------------------------------------------------------


def webhook_add_command(args) -> int:
    from django.conf import settings

    from rapport.accounts.scope import workspace_from_slug
    from rapport.feedback.models import Survey
    from rapport.intake.actions import create_webhook
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    survey = None
    if args.kind == "responses":
        if args.survey is None:
            raise CommandError("--kind responses needs --survey ID")
        survey = Survey.objects.filter(workspace=workspace, pk=args.survey).first()
        if survey is None:
            raise CommandError(f"no survey {args.survey} in {workspace.slug}")
    try:
        endpoint = create_webhook(
            workspace, name=args.name, kind=args.kind, survey=survey, via="cli"
        )
    except ValueError as error:
        raise CommandError(str(error))
    print(
        f"Webhook {endpoint.pk} ({endpoint.name}) receives {endpoint.get_kind_display().lower()}."
    )
    print(f"  address: {settings.RAPPORT_PUBLIC_URL}{endpoint.path}")
    print(f"  secret:  {endpoint.secret}")
    print("Keep the secret now: it is not shown again. docs/intake.md shows how to sign requests.")
    return 0


def webhook_list_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.intake.models import WebhookEndpoint
    from rapport.lib.commands import migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    endpoints = WebhookEndpoint.objects.filter(workspace=workspace).select_related("survey")
    if not endpoints:
        print("No webhooks. Add one with `rapport webhook add`.")
    for e in endpoints:
        what = e.get_kind_display() + (f": {e.survey.title}" if e.survey else "")
        used = f"{e.last_used_at:%Y-%m-%d %H:%M}" if e.last_used_at else "never"
        state = "active" if e.active else f"revoked {e.revoked_at:%Y-%m-%d}"
        print(f"{e.pk}  {e.name}  [{state}]  {what}  last delivery {used}")
    return 0


def webhook_revoke_command(args) -> int:
    import uuid

    from rapport.accounts.scope import workspace_from_slug
    from rapport.intake.actions import revoke_webhook
    from rapport.intake.models import WebhookEndpoint
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    try:
        pk = uuid.UUID(args.id)
    except ValueError:
        raise CommandError(f"{args.id!r} is not a webhook id (see `rapport webhook list`)")
    endpoint = WebhookEndpoint.objects.filter(workspace=workspace, pk=pk).first()
    if endpoint is None:
        raise CommandError(f"no webhook {args.id} in {workspace.slug}")
    revoke_webhook(endpoint, via="cli")
    print(f"Revoked webhook {endpoint.pk} ({endpoint.name}).")
    return 0
