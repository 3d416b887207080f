"""What every ``rapport`` subcommand shares: the error it reports as one line, setting Django
up, and migrating the database before it works.

Apps' ``cli.py`` modules import these (and ``accounts.scope.workspace_from_slug``) rather than
``rapport.cli``, which sits above every app and only wires their subcommands together. Nothing
here imports Django at module level, so ``rapport --help`` and library-only commands stay fast.
"""

import os


class CommandError(Exception):
    """A failure to report to the user as one line, with exit status 2."""


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    # In-memory databases (":memory:", the test runner's "file:memorydb...") have no directory.
    if (
        db["ENGINE"].endswith("sqlite3")
        and db["NAME"] != ":memory:"
        and os.path.dirname(db["NAME"])
    ):
        os.makedirs(os.path.dirname(db["NAME"]), exist_ok=True)
    call_command("migrate", interactive=False, verbosity=verbosity)
