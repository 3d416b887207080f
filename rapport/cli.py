"""The ``rapport`` command. Each subcommand opens the database, calls one action or library
function, and turns its errors into a one-line message (never a traceback).

Subcommands live next to what they drive: ``rapport/<app>/cli.py`` exposes
``register(subparsers)``; ``COMMAND_MODULES`` wires them in. What the subcommands share
(``CommandError``, ``migrate``) is in ``rapport/lib/commands.py``; finding a workspace by its
slug is ``accounts.scope.workspace_from_slug``. No app imports this module.
"""

import argparse
import importlib
import sys

from rapport.lib.commands import CommandError, setup_django
from rapport.lib.serving import serve_web

COMMAND_MODULES = [
    "rapport.accounts.cli",
    "rapport.understanding.cli",
    "rapport.feedback.cli",
    "rapport.imports.cli",
    "rapport.intake.cli",
    "rapport.insights.cli",
    "rapport.knowledge.cli",
    "rapport.inbox.cli",
    "rapport.predictions.cli",
    "rapport.outreach.cli",
    "rapport.privacy.cli",
    "rapport.demo.cli",
    "rapport.workers.cli",
    "rapport.analyze_cli",
    "rapport.faq_cli",
    "rapport.backup_cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rapport",
        description="Rapport: listen, understand, act on and measure your relationships.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True

    serve = subparsers.add_parser(
        "serve",
        help="migrate, then run the web app and a task worker",
        description="Migrate the database, then serve the web app with gunicorn (several "
        "processes) and run the background task worker and the clock beside it, until Ctrl-C "
        "or SIGTERM: requests in flight finish before it stops.",
    )
    serve.add_argument("--addr", default="127.0.0.1:8000", help="address:port to listen on")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="web processes (default: one per core, at least 2, at most 8)",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="serve the web only: no task worker and no clock (they run on another machine)",
    )
    serve.add_argument(
        "--dev",
        action="store_true",
        help="Django's development server instead (one process; for working on Rapport)",
    )
    serve.set_defaults(
        handler=lambda args: serve_web(
            args.addr, workers=args.workers, dev=args.dev, worker=not args.no_worker
        )
    )

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
