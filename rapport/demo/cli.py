"""``rapport demo``: migrate, make sure the Maison Levain demo exists, print the logins, serve."""

import argparse
import time
from datetime import date

from rapport.demo import DEFAULT_SEED, DEMO_PASSWORD

DESCRIPTION = """\
Generate Maison Levain, a bakery with two shops, about 1,500 customers, 25 staff in four
teams, 8 suppliers and 7 community partners, with two years of purchases, deliveries,
absences, events and some 10,000 messages; then serve the web app and print the logins.
The demo is generated once into the workspace "demo" and reused afterwards; the same
--seed and --as-of always give the same data.

The server starts as soon as the data is stored: the background worker then reads the
messages (sentiment, about a minute on two cores), updates the dashboards and finds the
themes, and the dashboards say how many messages are still being read. --read-first reads
them all before serving instead."""


def register(subparsers) -> None:
    """Add the ``demo`` subcommand to the ``rapport`` command."""
    p = subparsers.add_parser(
        "demo",
        help="generate the Maison Levain demo business (once) and serve it",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--addr", default="127.0.0.1:8000", help="address:port to serve on (default: %(default)s)"
    )
    p.add_argument(
        "--no-serve", action="store_true", help="prepare the demo, print the logins and exit"
    )
    p.add_argument(
        "--reset", action="store_true", help="delete the demo workspace and generate it again"
    )
    p.add_argument(
        "--read-first",
        action="store_true",
        help="read every message before serving, instead of in the background once serving",
    )
    # The old name of what is now the default: reading in the background.
    p.add_argument("--no-read", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help=f"random seed used when generating (default: {DEFAULT_SEED})",
    )
    p.add_argument(
        "--as-of",
        default=None,
        metavar="YYYY-MM-DD",
        help="the demo's 'today': history runs for two years up to the day before "
        "(default: today in Europe/Paris)",
    )
    p.set_defaults(handler=demo_command)


def parse_as_of(value: str | None) -> date:
    from rapport.accounts.models import Workspace
    from rapport.demo.generate import DEMO_TIME_ZONE
    from rapport.lib.commands import CommandError

    if value is None:
        return Workspace(time_zone=DEMO_TIME_ZONE).today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2025-06-30, got {value!r}")


def demo_command(args) -> int:
    from rapport.demo.generate import DEMO_LOGINS, prepare_demo
    from rapport.lib.commands import migrate
    from rapport.lib.serving import serve_web
    from rapport.people.models import Interaction, Person, Purchase

    seed = DEFAULT_SEED if args.seed is None else args.seed
    as_of = parse_as_of(args.as_of)
    migrate()
    started = time.perf_counter()
    info = prepare_demo(seed=seed, as_of=as_of, reset=args.reset)
    workspace = info.workspace
    about = f"seed {info.seed}, as of {info.as_of}" if info.seed is not None else "unknown seed"
    if info.created:
        counts = {
            "people": Person.objects.filter(workspace=workspace).count(),
            "interactions": Interaction.objects.filter(workspace=workspace).count(),
            "purchases": Purchase.objects.filter(workspace=workspace).count(),
        }
        summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        print(
            f'Generated the demo workspace "{workspace.name}" ({about}) in '
            f"{time.perf_counter() - started:.1f} s: {summary}."
        )
    else:
        print(
            f'Reusing the existing demo workspace "{workspace.name}" ({about}); '
            "run with --reset to generate it again."
        )
        if args.seed is not None or args.as_of is not None:
            print("Note: --seed and --as-of only apply when the demo is generated (add --reset).")

    if args.read_first:
        analyze_messages(workspace)
        # Sentiment and drivers rest on what was just read.
        from rapport.insights.actions import refresh_snapshots

        report = refresh_snapshots(workspace)
        print(f"Updated the dashboards in {report.seconds:.1f} s.")
    else:
        queue_reading(workspace)
    _queue_themes(workspace)
    host = args.addr if ":" in args.addr else f"127.0.0.1:{args.addr}"
    print(
        f"\nOpen http://{host}/w/{workspace.slug}/insights/ and log in with (password: {DEMO_PASSWORD}):"
    )
    width = max(len(login.email) for login in DEMO_LOGINS)
    for login in DEMO_LOGINS:
        print(f"  {login.email:<{width}}  {login.role:<8} {login.name}, {login.what}")
    if args.no_serve:
        return 0
    print()
    return serve_web(args.addr)


def queue_reading(workspace) -> int:
    """Leave the reading of the demo's messages and survey comments to the background
    worker, then a dashboard update that takes in what it read; say how many wait."""
    from rapport.feedback.arrival import queue_response_analysis
    from rapport.insights.tasks import refresh_all
    from rapport.understanding.actions import pending
    from rapport.understanding.arrival import queue_analysis

    waiting = pending(workspace).count()
    queue_analysis(workspace.pk)
    queue_response_analysis(workspace.pk)
    refresh_all.enqueue()
    if waiting:
        print(
            f"Reading {waiting:,} messages in the background (about a minute): sentiment, and"
            " the dashboards' alerts and drivers that rest on it, fill in as they are read."
        )
    return waiting


def _queue_themes(workspace) -> None:
    """Themes are found by the background worker once serving (minutes of the sentence
    encoder over the demo's messages), queued after the reading so they see its results."""
    from rapport.understanding.models import Theme
    from rapport.understanding.tasks import find_themes

    if not Theme.objects.filter(workspace=workspace).exists():
        find_themes.enqueue(workspace.pk)
        print("What people write about (themes) is being found in the background.")


def analyze_messages(workspace) -> None:
    """Analyze the demo's messages now (first run, or after a model upgrade), with progress.
    Themes are left to the background worker (``_queue_themes``): the sentence encoder is
    the slow part, about a minute per few thousand messages on two cores."""
    import sys

    from rapport.lib.progress import ProgressBar
    from rapport.understanding.actions import analyze_pending, pending

    if pending(workspace).exists():
        started = time.perf_counter()
        bar = ProgressBar(unit="messages") if sys.stderr.isatty() else None
        count = analyze_pending(workspace, progress=bar.update if bar else None)
        if bar:
            bar.done()
        print(f"Read {count:,} messages in {time.perf_counter() - started:.0f} s.")
    from rapport.feedback.analysis import analyze_pending_responses

    started = time.perf_counter()
    bar = ProgressBar(unit="responses") if sys.stderr.isatty() else None
    count = analyze_pending_responses(workspace, progress=bar.update if bar else None)
    if bar and count:
        bar.done()
    if count:
        print(f"Read {count:,} survey responses in {time.perf_counter() - started:.0f} s.")
