import sys
from getpass import getpass

from django.db import IntegrityError


def register(subparsers) -> None:
    p = subparsers.add_parser("create-workspace", help="create a business and its owner")
    p.add_argument("name", help='the business name, e.g. "Alice\'s Bakery"')
    p.add_argument("--slug", required=True, help="short name used in URLs and --workspace")
    p.add_argument("--owner-email", required=True)
    p.add_argument("--owner-name", default="")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new owner's password from the first line of standard input (for "
        "scripts and installers with no terminal) instead of asking for it",
    )
    p.set_defaults(handler=create_workspace_command)

    t = subparsers.add_parser(
        "api-token",
        help="issue an API token for a member (for scripts, the REST API and integrations)",
        description=(
            "Issue a bearer token bound to one member of one business: it can do what that "
            "member's role allows, in that business only. It is printed once; only its hash is "
            "kept. The issue is recorded in the audit log. It reads and writes, with no expiry, "
            "unless --read-only or --expires says otherwise. Owners see every token and revoke "
            "them on the business's settings page."
        ),
    )
    t.add_argument("--workspace", metavar="SLUG", required=True, help="the business")
    t.add_argument("--email", required=True, help="the member the token acts as")
    t.add_argument("--name", required=True, help='what it is for, e.g. "till script"')
    t.add_argument(
        "--read-only",
        action="store_true",
        help="the token may only read: every call that changes data answers 403",
    )
    t.add_argument(
        "--expires",
        metavar="YYYY-MM-DD",
        help="the last day it works (in UTC); after it, calls answer 401. Default: never",
    )
    t.set_defaults(handler=api_token_command)


def create_workspace_command(args) -> int:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from rapport.accounts.actions import create_workspace
    from rapport.accounts.models import User, Workspace
    from rapport.lib.commands import CommandError, migrate

    migrate()
    if Workspace.objects.filter(slug=args.slug).exists():
        raise CommandError(f"a workspace with slug {args.slug!r} already exists")
    user = User.objects.filter(email__iexact=args.owner_email).first()
    if user is None:
        password = _new_password(args)
        candidate = User(email=args.owner_email, name=args.owner_name)
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError("the password is not accepted: " + " ".join(error.messages))
        user = User.objects.create_user(args.owner_email, password, name=args.owner_name)
    try:
        create_workspace(args.name, args.slug, owner=user)
    except IntegrityError as error:
        raise CommandError(str(error))
    print(f"Created workspace {args.slug!r} owned by {user.email}")
    return 0


def _new_password(args) -> str:
    """The new owner's password: from standard input's first line with --password-stdin,
    else asked for on the terminal (a clear error where there is none)."""
    from rapport.lib.commands import CommandError

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CommandError(
            "no terminal to ask for the owner's password: give it on standard input with "
            "--password-stdin"
        )
    try:
        return getpass(f"Password for {args.owner_email}: ")
    except EOFError:
        raise CommandError("no password given") from None


def api_token_command(args) -> int:
    import datetime as dt

    from rapport.accounts.actions import TokenError, issue_api_token
    from rapport.accounts.choices import TokenScope
    from rapport.accounts.models import Membership
    from rapport.accounts.scope import workspace_from_slug
    from rapport.lib.commands import CommandError, migrate

    migrate()
    workspace = workspace_from_slug(args.workspace)
    membership = Membership.objects.filter(
        workspace=workspace, user__email__iexact=args.email, removed_at__isnull=True
    ).first()
    if membership is None:
        raise CommandError(f"{args.email} is not a member of {workspace.slug}")
    last_day = None
    if args.expires:
        try:
            last_day = dt.date.fromisoformat(args.expires)
        except ValueError:
            raise CommandError(f"--expires {args.expires!r}: give a date as YYYY-MM-DD") from None
    try:
        token, secret = issue_api_token(
            membership, args.name, read_only=args.read_only, last_day=last_day, via="cli"
        )
    except TokenError as error:
        raise CommandError(f"--{error.field} {error}") from None
    print(secret)
    until = f"until the end of {last_day} (UTC)" if last_day else "with no expiry"
    print(
        f"API token “{token.name}” for {membership.user.email} "
        f"({membership.get_role_display()}) in {workspace.slug}: "
        f"{TokenScope(token.scope).label.lower()}, {until}. "
        "It is shown only now.",
        file=sys.stderr,
    )
    return 0
