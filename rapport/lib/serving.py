"""Serving the web app with a task worker and a clock beside it (`rapport serve`, `rapport demo`).

The worker (`rapport worker --clock`, rapport/workers/) runs the clock, which queues each app's periodic tasks: an app lists them, by dotted path, in its
``AppConfig.clock_tasks`` (recurring survey rounds, mailboxes, the dashboards' snapshots), so
this module names no app.
"""

import signal
import subprocess
import sys

from rapport.lib.commands import migrate

# How often the clock (rapport/workers/cli.py) queues the periodic tasks.
CLOCK_SECONDS = 5 * 60


def clock_tasks() -> list:
    """Every installed app's periodic tasks (``AppConfig.clock_tasks``), in app order."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    return [
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, "clock_tasks", ())
    ]


def secret_key_warning() -> str:
    """What to say on start while the public development key signs sessions (empty when a
    key of the business's own is set)."""
    from django.conf import settings

    if settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return ""
    return (
        "Warning: RAPPORT_SECRET_KEY is not set, so sessions and anonymous surveys are keyed "
        "with the public development key. Fine on your own computer; set a secret of your own "
        "before anyone else can reach this server (docs/settings.md)."
    )


def serve_web(addr: str) -> int:
    """Serve the web app with a background task worker beside it, until Ctrl-C."""
    from django.core.management import call_command

    if warning := secret_key_warning():
        print(warning, file=sys.stderr)
    migrate()
    # Stopped by a service manager (SIGTERM) rather than Ctrl-C: unwind through `finally` so
    # the worker is stopped too instead of being left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "rapport.cli", "worker", "--clock", "--interval", "0.5"],
    )
    try:
        call_command("runserver", addr, use_reloader=False, use_threading=True)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return 0
