"""What every ``rapport`` subcommand shares: the error it reports as one line, setting Django
up, migrating the database before it works, and a command's help that shows its verbs' options.

Apps' ``cli.py`` modules import these (and ``accounts.scope.workspace_from_slug``) rather than
``rapport.cli``, which sits above every app and only wires their subcommands together. Nothing
here imports Django at module level, so ``rapport --help`` and library-only commands stay fast.
"""

import argparse
import os
import textwrap


class CommandError(Exception):
    """A failure to report to the user as one line, with exit status 2."""


def with_subcommand_help(parser, subparsers_action) -> None:
    """Show every subcommand's options under the command's own --help (and docs/cli.md)."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = textwrap.fill(parser.description or "", 88)
    parts = []
    for name, sub in subparsers_action.choices.items():
        usage = sub.format_help().rstrip()
        parts.append(f"--- {parser.prog} {name} ---\n{usage}")
    parser.epilog = "\n\n".join(parts)


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
    if verbosity == 0 and not _unapplied_migrations():
        # Every command migrates first; with nothing to apply Django's migrate still renders
        # every model's state and re-checks content types and permissions, a fifth of a
        # second of CPU per `rapport import`.
        return
    call_command("migrate", interactive=False, verbosity=verbosity)


def _unapplied_migrations() -> list:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())
