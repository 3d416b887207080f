"""``rapport reanalyze`` (alias ``reanalyse``): analyze every message that has no reading,
or one from an older model."""

from rapport.lib.progress import add_progress_option, wants_progress


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reanalyze",
        aliases=["reanalyse"],  # the name before issue 15, kept working
        help="read pending messages and survey responses now: new ones, and those read by an "
        "older model",
        description=(
            "Read every message and survey response that has not been read yet, or was read by another model "
            "version (after an upgrade), with a progress bar. Messages of people who have not "
            "consented to analysis are skipped. Safe to interrupt and run again: it resumes."
        ),
    )
    parser.add_argument(
        "--workspace", metavar="SLUG", help="only this business (default: every business)"
    )
    parser.add_argument("--limit", type=int, metavar="N", help="read at most N messages each")
    parser.add_argument(
        "--background",
        action="store_true",
        help="queue the messages for the workers instead (`rapport worker`): a big backlog "
        "is split so several workers share it; survey responses are read here as usual",
    )
    add_progress_option(parser, "progress bar")
    parser.set_defaults(handler=reanalyze_command)

    themes = subparsers.add_parser(
        "themes",
        help="find the themes of what a business's people write, and place every message",
        description=(
            "Group the messages people wrote to a business into themes named by their key "
            "phrases, keep the identity of themes found before, and place every read message "
            "in its themes. Messages read later are placed as they arrive. Needs at least 30 "
            "read messages."
        ),
    )
    themes.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    add_progress_option(themes, "progress bar")
    themes.set_defaults(handler=themes_command)


def reanalyze_command(args) -> int:
    from rapport.accounts.models import Workspace
    from rapport.lib.commands import CommandError, migrate
    from rapport.lib.progress import ProgressBar
    from rapport.lib.queued_tasks import enqueue_unless_waiting
    from rapport.understanding.actions import PENDING_ANALYZERS, analyze_pending, pending
    from rapport.understanding.tasks import analyze_workspace

    migrate()
    workspaces = Workspace.objects.order_by("slug")
    if args.workspace:
        workspaces = workspaces.filter(slug=args.workspace)
        if not workspaces.exists():
            raise CommandError(f"no workspace {args.workspace!r} (see the slug in its web address)")
    if args.limit is not None and args.limit < 1:
        raise CommandError("--limit must be at least 1")
    show = wants_progress(args.progress)
    if args.background and args.limit is not None:
        raise CommandError("--limit reads here; leave it out with --background")
    for workspace in workspaces:
        if args.background:
            count = pending(workspace).count()
            enqueue_unless_waiting(analyze_workspace, workspace.pk)
            print(f"{workspace.slug}: {count:,} message{'s' if count != 1 else ''} queued")
        else:
            bar = ProgressBar(unit="messages") if show else None
            count = analyze_pending(
                workspace, limit=args.limit, progress=bar.update if bar else None
            )
            if bar and count:
                bar.done()
            print(f"{workspace.slug}: {count:,} message{'s' if count != 1 else ''} read")
        for noun, analyzer in PENDING_ANALYZERS.items():
            bar = ProgressBar(unit=noun) if show else None
            count = analyzer(workspace, limit=args.limit, progress=bar.update if bar else None)
            if bar and count:
                bar.done()
            print(f"{workspace.slug}: {count:,} {noun if count != 1 else noun.rstrip('s')} read")
    return 0


def themes_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.lib.commands import migrate
    from rapport.lib.progress import ProgressBar
    from rapport.understanding.actions import discover_workspace_themes

    migrate()
    workspace = workspace_from_slug(args.workspace)
    show = wants_progress(args.progress)
    bar = ProgressBar(unit="messages") if show else None
    found = discover_workspace_themes(workspace, progress=bar.update if bar else None)
    if bar:
        bar.done()
    if found.reason:
        print(f"{workspace.slug}: no themes ({found.reason})")
        return 0
    print(f"{workspace.slug}: {len(found.themes)} themes")
    for theme in found.themes:
        print(f"  {theme.size:>6,}  {theme.name}")
    if found.vanished:
        print(f"  no longer found: {len(found.vanished)} earlier theme(s)")
    return 0
