"""``rapport reach-out``: a member's reach-out list for this week, in the terminal."""

import datetime as dt


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reach-out",
        help="print a member's reach-out list for this week",
        description=(
            "Print who to get in touch with this week and why: the relationships the member "
            "keeps (and, for managers and owners, those nobody keeps), grouped by kind, with "
            "the numbers behind each item. Nothing is sent; done and snooze are on the web "
            "page and the API (docs/outreach.md)."
        ),
    )
    parser.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    parser.add_argument(
        "--member",
        metavar="EMAIL",
        help="whose list (default: everyone's, as an owner sees it)",
    )
    parser.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="the list of another day (default: today)"
    )
    parser.add_argument(
        "--effect",
        action="store_true",
        help="print what followed the list's items instead: done against snoozed",
    )
    parser.set_defaults(handler=reach_out_command)


def reach_out_command(args) -> int:
    from rapport.accounts.choices import Role
    from rapport.accounts.scope import workspace_from_slug
    from rapport.lib.commands import CommandError, migrate
    from rapport.outreach.actions import reach_out_list

    migrate()
    workspace = workspace_from_slug(args.workspace)
    members = workspace.memberships.filter(removed_at__isnull=True).select_related("user")
    if args.member:
        member = members.filter(user__email=args.member.lower()).first()
        if member is None:
            raise CommandError(f"{args.member} is not a member of {workspace.slug}")
    else:
        member = members.filter(role=Role.OWNER).first()
        if member is None:
            raise CommandError(f"{workspace.slug} has no owner")
    try:
        today = dt.date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        raise CommandError(f"--as-of {args.as_of!r} is not a date like 2025-06-30") from None
    if args.effect:
        return _print_effect(workspace, today)
    listed = reach_out_list(workspace, member, today, everyone=not args.member)
    whose = "everyone's list" if not args.member else f"{member}'s list"
    print(f"{workspace.name}, week of {listed.week:%-d %B %Y}: {whose}, {len(listed)} items.")
    for group in listed.groups:
        print(f"\n{group.label} ({len(group.items)})")
        for item in group.items:
            owner = f" [{item.owner_name}]" if not args.member else ""
            print(f"  - {item.subject}{owner}: {item.prompt.why}")
    return 0


def _print_effect(workspace, today) -> int:
    from rapport.outreach.effect import list_effect

    found = list_effect(workspace, today)
    print(f"{workspace.name}: what followed the reach-out list, over {found.weeks} weeks.")
    print(found.comparison)
    for m in found.measures:
        print(f"\n{m.label} (items marked {m.start:%-d %b} to {m.end:%-d %b %Y})")
        print(f"  done:    {m.done.words()}")
        print(f"  snoozed: {m.snoozed.words()}")
        print(f"  {m.words()}")
    return 0
