"""``rapport inbox``: the inbox's conversations in the terminal, and its clock for cron."""

from __future__ import annotations

import datetime as dt

from rapport.lib.commands import with_subcommand_help

VIEW_NAMES = "mine, unassigned, needs_person, open, resolved or survey"
SHOWN = 50
# What `tick` reports, by the counts of inbox.tasks.tick.
DONE = {
    "filed": "messages filed",
    "survey_followups": "survey follow-ups filed",
    "processed": "conversations triaged",
    "warned": "SLA warnings",
    "breached": "SLA breaches",
    "resolve_breached": "not resolved in time",
    "waiting": "alerts for waiting too long",
    "resent": "e-mails sent again",
    "emailed": "widget replies e-mailed",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "inbox",
        help="the inbox's conversations: list, show; tick runs its clock once",
        description=(
            "Read the inbox from the terminal: `list` shows a business's conversations (a "
            "saved view, latest first), `show` one conversation with its messages and log. "
            "Replies and assignment are on the web page and the API (docs/inbox-api.md). "
            "`tick` does what the clock of `rapport serve` does every 5 minutes, once."
        ),
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    listing = verbs.add_parser("list", help="a table of conversations, latest message first")
    listing.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    listing.add_argument("--view", metavar="VIEW", default="", help=f"{VIEW_NAMES} (default: all)")
    listing.add_argument("--member", metavar="EMAIL", help="whose conversations --view mine lists")
    listing.add_argument(
        "--limit", type=int, default=SHOWN, metavar="N", help=f"at most N rows (default {SHOWN})"
    )
    listing.set_defaults(handler=list_command)

    show = verbs.add_parser("show", help="one conversation: triage, SLA, messages and log")
    show.add_argument("conversation_id", type=int, metavar="ID", help="its id (see list)")
    show.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    show.set_defaults(handler=show_command)

    tick = verbs.add_parser(
        "tick",
        help="file missed messages, triage and hand off, SLA warnings, resend e-mails (cron)",
        description=(
            "What the clock of `rapport serve` does every 5 minutes, for every business: file "
            "messages not yet in a conversation, triage and answer or hand off what was "
            "read, warn before an SLA breach, mark breaches and long waits, and send again "
            "the e-mails the server refused. Safe to run as often as wanted."
        ),
    )
    tick.set_defaults(handler=tick_command)
    with_subcommand_help(parser, verbs)


def _waited(since: dt.datetime | None, now: dt.datetime) -> str:
    if since is None:
        return "-"
    minutes = max(int((now - since).total_seconds() // 60), 0)
    if minutes >= 24 * 60:
        return f"{minutes // (24 * 60)}d"
    return f"{minutes // 60}h" if minutes >= 60 else f"{minutes}m"


def _member(workspace, email: str | None):
    from rapport.lib.commands import CommandError

    members = workspace.memberships.filter(removed_at__isnull=True).select_related("user")
    if email is None:
        return members.order_by("pk").first()
    found = members.filter(user__email=email.lower()).first()
    if found is None:
        raise CommandError(f"{email} is not a member of {workspace.slug}")
    return found


def list_command(args) -> int:
    from django.utils import timezone

    from rapport.accounts.scope import workspace_from_slug
    from rapport.inbox.listing import NAME_OF_PRIORITY, ListError, filter_conversations
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    if args.view == "mine" and not args.member:
        raise CommandError("--view mine needs --member EMAIL")
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    member = _member(workspace, args.member)
    try:
        found = filter_conversations(workspace, member, view=args.view)
    except ListError as error:
        raise CommandError(f"--{error}") from None
    total = found.count()
    now = timezone.now()
    rows = [
        (
            str(c.pk),
            NAME_OF_PRIORITY[c.priority],
            c.status,
            str(c.owner.user) if c.owner else "-",
            _waited(c.awaiting_since, now),
            c.who,
            c.subject or "(no subject)",
        )
        for c in found[: args.limit]
    ]
    _print_table(("id", "priority", "status", "owner", "waiting", "who", "subject"), rows)
    shown = f"{len(rows)} of {total}" if total > len(rows) else str(total)
    print(f"{shown} conversation{'s' if total != 1 else ''} in {workspace.name}.")
    return 0


def _print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    if not rows:
        return
    widths = [min(max(len(r[i]) for r in [header, *rows]), 40) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell[:40].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def show_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.inbox.listing import NAME_OF_PRIORITY
    from rapport.inbox.models import Conversation
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    c = (
        Conversation.objects.filter(workspace=workspace, pk=args.conversation_id)
        .select_related("owner__user", "person")
        .first()
    )
    if c is None:
        raise CommandError(f"no conversation {args.conversation_id} in {workspace.slug}")
    zone = workspace.zone

    def at(moment: dt.datetime | None) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else "-"

    print(f"#{c.pk} {c.subject or '(no subject)'}")
    print(f"  who: {c.who}" + (f" (person {c.person_id})" if c.person_id else ""))
    print(f"  status: {c.get_status_display()}; priority: {NAME_OF_PRIORITY[c.priority]}")
    print(f"  owner: {c.owner.user if c.owner else 'nobody'}; source: {c.get_source_display()}")
    if c.reasons:
        print(f"  why: {'; '.join(c.reasons)}")
    if c.handoff_reason:
        print(f"  handed to a person: {c.handoff_reason}")
    print(f"  reply due: {at(c.reply_due)}; resolve due: {at(c.resolve_due)}")
    if c.draft_entry:
        print(f"  draft answer: {c.draft_entry} ({c.draft_confidence or 0:.0%})")
    print("\nMessages")
    for m in c.messages.select_related("interaction", "member__user"):
        by = f"{m.get_author_display()}" + (f" {m.member.user}" if m.member else "")
        state = f" [{m.get_delivery_display().lower()}]" if m.delivery else ""
        print(f"  {at(m.at)} {by}{state}: {' '.join(m.text.split())}")
    print("\nLog")
    for e in c.events.select_related("member__user"):
        whom = f" {e.member.user}" if e.member else ""
        print(f"  {at(e.at)} {e.get_kind_display()}{whom}" + (f": {e.detail}" if e.detail else ""))
    return 0


def tick_command(args) -> int:
    from rapport.inbox.tasks import tick
    from rapport.lib.commands import migrate

    migrate()
    done = tick.call()
    print(", ".join(f"{DONE.get(what, what)}: {n}" for what, n in done.items()))
    return 0
