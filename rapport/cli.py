"""The ``rapport`` command. Each subcommand opens the database, calls one action or library
function, and turns its errors into a one-line message (never a traceback).

Subcommands live next to what they drive: ``rapport/<app>/cli.py`` exposes
``register(subparsers)``; ``COMMAND_MODULES`` wires them in.
"""

import argparse
import importlib
import os
import sys

COMMAND_MODULES = [
    "rapport.accounts.cli",
    "rapport.understanding.cli",
    "rapport.feedback.cli",
    "rapport.imports.cli",
    "rapport.intake.cli",
    "rapport.insights.cli",
    "rapport.demo.cli",
    "rapport.analyze_cli",
]


# How often `rapport serve` queues the periodic tasks (survey rounds, reminders, mailboxes).
CLOCK_SECONDS = 5 * 60


class CommandError(Exception):
    """A failure to report to the user as one line, with exit status 2."""


def workspace_from_slug(slug: str):
    """The workspace named ``slug``, or a CommandError that says how to find the slug."""
    from rapport.accounts.models import Workspace

    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise CommandError(f"no workspace {slug!r} (see the slug in its web address)")
    return workspace


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rapport",
        description="Rapport: listen, understand, act on and measure your relationships.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True

    serve = subparsers.add_parser("serve", help="migrate, then run the web app and a task worker")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="address:port to listen on")
    serve.set_defaults(handler=lambda args: serve_web(args.addr))

    manage = subparsers.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=lambda args: run_manage(args.rest))

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(subparsers)
    return parser


def run_manage(rest: list[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rapport manage", *rest])
    return 0


def serve_web(addr: str) -> int:
    """Serve the web app with a background task worker beside it, until Ctrl-C."""
    import signal
    import subprocess
    import threading

    from django.core.management import call_command

    migrate()
    # Stopped by a service manager (SIGTERM) rather than Ctrl-C: unwind through `finally` so
    # the worker is stopped too instead of being left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "rapport.cli", "manage", "db_worker", "--interval", "0.5"],
    )
    # Recurring surveys, reminders, mailboxes and the dashboards' snapshots: queued for the
    # worker every 5 minutes.
    from rapport.feedback.schedule import tick
    from rapport.insights.tasks import refresh_all
    from rapport.intake.tasks import poll_mailboxes
    from rapport.lib.clock import start_clock

    stop = threading.Event()
    start_clock(
        [tick.enqueue, poll_mailboxes.enqueue, refresh_all.enqueue], stop, every=CLOCK_SECONDS
    )
    try:
        call_command("runserver", addr, use_reloader=False, use_threading=True)
    finally:
        stop.set()
        worker.terminate()
        worker.wait(timeout=10)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Library-only commands (`rapport analyze`) set needs_django=False: no settings, no data
    # folder, no database.
    if getattr(args, "needs_django", True):
        setup_django()
    try:
        return args.handler(args) or 0
    except CommandError as error:
        print(f"rapport {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
