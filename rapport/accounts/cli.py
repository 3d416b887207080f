from getpass import getpass

from django.db import IntegrityError


def register(subparsers) -> None:
    p = subparsers.add_parser("create-workspace", help="create a business and its owner")
    p.add_argument("name", help='the business name, e.g. "Alice\'s Bakery"')
    p.add_argument("--slug", required=True, help="short name used in URLs and --workspace")
    p.add_argument("--owner-email", required=True)
    p.add_argument("--owner-name", default="")
    p.set_defaults(handler=create_workspace_command)


def create_workspace_command(args) -> int:
    from rapport.accounts.actions import create_workspace
    from rapport.accounts.models import User, Workspace
    from rapport.cli import CommandError, migrate

    migrate()
    if Workspace.objects.filter(slug=args.slug).exists():
        raise CommandError(f"a workspace with slug {args.slug!r} already exists")
    user = User.objects.filter(email__iexact=args.owner_email).first()
    if user is None:
        password = getpass(f"Password for {args.owner_email}: ")
        if len(password) < 10:
            raise CommandError("the password must have at least 10 characters")
        user = User.objects.create_user(args.owner_email, password, name=args.owner_name)
    try:
        create_workspace(args.name, args.slug, owner=user)
    except IntegrityError as error:
        raise CommandError(str(error))
    print(f"Created workspace {args.slug!r} owned by {user.email}")
    return 0
