"""``rapport predictions``: refresh a business's predictions now and print what they say."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "predictions",
        help="refresh and print a business's predictions",
        description=(
            "Fit the customers', employees' (by team) and suppliers' models on the business's "
            "data as of today and store them (the server does this nightly and after each "
            "import), then print the customers most likely to drift away, the teams and the "
            "suppliers, each with the reasons, and last quarter's hold-out (docs/predictions.md)."
        ),
    )
    parser.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    parser.add_argument(
        "--no-refresh", action="store_true", help="print the stored predictions only"
    )
    parser.add_argument(
        "--top", type=int, default=10, metavar="N", help="customers to print (default 10)"
    )
    parser.set_defaults(handler=predictions_command)


def predictions_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.lib.commands import migrate
    from rapport.predictions import actions, holdout
    from rapport.predictions.choices import Subject
    from rapport.predictions.models import Forecast
    from rapport.predictions.panels import AT_RISK

    migrate()
    workspace = workspace_from_slug(args.workspace)
    if not args.no_refresh:
        for run in actions.refresh(workspace):
            print(
                f"{run.get_subject_display()}: {run.seconds:.1f} s, model {run.model_version or '-'}"
            )
    for subject, label in Subject.choices:
        run = actions.current_run(workspace, subject)
        print(f"\n{label}")
        if run is None:
            print("  not made yet")
            continue
        print(f"  as of {run.as_of}; {run.used or run.message}")
        rows = Forecast.objects.filter(run=run).select_related("person", "team")
        if subject == Subject.CUSTOMERS:
            rows = rows.filter(enough=True, risk__gte=AT_RISK).order_by("-expected_value")
            rows = rows[: args.top]
        elif subject == Subject.EMPLOYEES:
            rows = rows.filter(team__isnull=False).order_by("-risk")
        else:
            rows = rows.order_by("-risk")
        for f in rows:
            who = f.team.name if f.team_id else f.person.name
            figure = "-" if f.risk is None or not f.enough else f"{f.risk:.0%}"
            worth = f", worth {f.expected_value:,.0f} next year" if f.expected_value else ""
            print(f"  {who}: {figure}{worth}. {'; '.join(f.reasons[:3])}")
    h = holdout.customers(workspace)
    print("\nLast quarter's customer predictions against what happened")
    if h.enough:
        print(
            f"  {h.n} customers: predicted {h.predicted_buyers:.0f} to buy again, "
            f"{h.actual_buyers} did; AUC {h.auc:.2f}, Brier {h.brier:.3f}"
            + (" (replayed)" if h.run.replayed else "")
        )
    else:
        print(f"  {h.message}")
    return 0
