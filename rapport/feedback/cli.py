"""``rapport survey``: list, create, open and close surveys, email personal links and
reminders, and run the clock of recurring surveys (for cron, when ``rapport serve`` is not
the one running it)."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "survey",
        help="list, create, open and close surveys; email personal links and reminders",
        description=(
            "Work with a business's surveys from the command line. Ready templates: "
            "customer_nps, post_visit_csat, employee_pulse, supplier_check, "
            "community_perception, suggestion_box."
        ),
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    listing = verbs.add_parser("list", help="the business's surveys with their links")
    listing.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    listing.set_defaults(handler=list_command)

    create = verbs.add_parser("create", help="a new survey from a ready template")
    create.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    create.add_argument("--template", required=True, help="the ready template's name")
    create.add_argument("--title", help="instead of the template's title")
    create.add_argument("--open", action="store_true", help="open it for answers at once")
    create.set_defaults(handler=create_command)

    for verb, what in (("open", "start taking answers"), ("close", "stop taking answers")):
        p = verbs.add_parser(verb, help=what)
        p.add_argument("survey_id", type=int, metavar="ID")
        p.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
        p.set_defaults(handler=status_command)

    invite = verbs.add_parser("invite", help="make personal links for the audience and email them")
    invite.add_argument("survey_id", type=int, metavar="ID")
    invite.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    invite.set_defaults(handler=invite_command)

    remind = verbs.add_parser("remind", help="email the reminders that are due")
    remind.add_argument("survey_id", type=int, metavar="ID")
    remind.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    remind.set_defaults(handler=remind_command)

    tick = verbs.add_parser(
        "tick",
        help="start due rounds of recurring surveys and send due reminders (for cron)",
        description=(
            "What `rapport serve` does every 5 minutes: for every open recurring survey, make "
            "and email the personal links of the current round; then send reminders that are "
            "due. Safe to run as often as wanted: nothing is sent twice."
        ),
    )
    tick.add_argument("--workspace", metavar="SLUG", help="only this business")
    tick.set_defaults(handler=tick_command)


def _survey(args):
    from rapport.accounts.scope import workspace_from_slug
    from rapport.feedback.models import Survey
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    survey = Survey.objects.filter(workspace=workspace, pk=args.survey_id).first()
    if survey is None:
        raise CommandError(
            f"no survey {args.survey_id} in {workspace.slug} (see `rapport survey list`)"
        )
    return survey


def list_command(args) -> int:
    from django.db.models import Count

    from rapport.accounts.scope import workspace_from_slug
    from rapport.feedback.distribution import public_link
    from rapport.feedback.models import Survey
    from rapport.lib.commands import migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    surveys = Survey.objects.filter(workspace=workspace).annotate(answers=Count("responses"))
    for s in surveys:
        link = public_link(s) if s.public_link else "(public link off)"
        print(f"{s.pk:>4}  {s.get_status_display():<6}  {s.answers:>6} answers  {s.title}  {link}")
    if not surveys:
        print(f"{workspace.slug} has no surveys yet (`rapport survey create`).")
    return 0


def create_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.feedback import actions
    from rapport.feedback.blueprints import BLUEPRINTS
    from rapport.feedback.choices import SurveyStatus
    from rapport.feedback.distribution import public_link
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    if args.template not in BLUEPRINTS:
        raise CommandError(f"no template {args.template!r}; choose one of {', '.join(BLUEPRINTS)}")
    settings = {"title": args.title} if args.title else {}
    survey = actions.create_survey(workspace, blueprint=args.template, **settings)
    if args.open:
        actions.set_status(survey, SurveyStatus.OPEN)
    print(f"Created survey {survey.pk} “{survey.title}” ({survey.get_status_display().lower()})")
    print(f"Public link: {public_link(survey)}")
    return 0


def status_command(args) -> int:
    from rapport.feedback import actions
    from rapport.feedback.choices import SurveyKind, SurveyStatus
    from rapport.lib.commands import CommandError

    survey = _survey(args)
    status = SurveyStatus.OPEN if args.verb == "open" else SurveyStatus.CLOSED
    if status == SurveyStatus.CLOSED and survey.kind == SurveyKind.SUGGESTIONS:
        raise CommandError("the suggestion box is always open; turn off its public link instead")
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise CommandError("the survey has no questions yet")
    actions.set_status(survey, status)
    print(f"Survey {survey.pk} is now {survey.get_status_display().lower()}.")
    return 0


def invite_command(args) -> int:
    from django.db import transaction

    from rapport.feedback import actions, distribution
    from rapport.feedback.choices import SurveyStatus
    from rapport.lib.commands import CommandError

    survey = _survey(args)
    if survey.status != SurveyStatus.OPEN:
        raise CommandError("open the survey first (`rapport survey open`)")
    with transaction.atomic():
        created = actions.invite(survey)
    sent = distribution.send_invitations(survey)
    print(
        f"{len(created)} new personal links; {sent.sent} emailed, {sent.skipped} skipped "
        f"(no email or no contact allowed), {sent.failed} refused by the mail server"
    )
    return 0


def remind_command(args) -> int:
    from rapport.feedback import distribution

    survey = _survey(args)
    sent = distribution.send_reminders(survey)
    print(f"{sent.sent} reminders sent, {sent.failed} refused by the mail server")
    return 0


def tick_command(args) -> int:
    from rapport.accounts.scope import workspace_from_slug
    from rapport.feedback import distribution
    from rapport.lib.commands import migrate

    migrate()
    workspace = workspace_from_slug(args.workspace) if args.workspace else None
    done = distribution.run_schedules(workspace=workspace)
    print(f"{done.invited} personal links made, {done.sent} emailed, {done.reminded} reminders")
    return 0
