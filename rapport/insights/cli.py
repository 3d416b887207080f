"""``rapport dashboards``: bring the dashboards' figures up to date now."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "dashboards",
        help="bring the dashboards' figures (snapshots, drivers, alerts) up to date now",
        description=(
            "Recompute the dashboards' figures: the periods whose data changed since the last "
            "update and the ones holding today, or every period with --full. `rapport serve` "
            "does this in the background every five minutes; this is for a first build after "
            "a large import, or from a scheduler."
        ),
    )
    parser.add_argument(
        "--workspace", metavar="SLUG", help="only this business (default: every business)"
    )
    parser.add_argument("--full", action="store_true", help="recompute every period")
    parser.set_defaults(handler=dashboards_command)


def dashboards_command(args) -> int:
    from rapport.accounts.models import Workspace
    from rapport.accounts.scope import workspace_from_slug
    from rapport.insights.actions import refresh_snapshots
    from rapport.lib.commands import migrate

    migrate()
    workspaces = (
        [workspace_from_slug(args.workspace)]
        if args.workspace
        else list(Workspace.objects.order_by("slug"))
    )
    for workspace in workspaces:
        report = refresh_snapshots(workspace, full=args.full)
        since = f" from {report.since}" if report.since else ""
        print(
            f"{workspace.slug}: {report.periods:,} periods{since}, {report.snapshots:,} figures, "
            f"{report.alerts:,} alerts in {report.seconds:.1f} s."
        )
    return 0
