"""Background work with one and with two `rapport worker` processes, in the same run.

    python benchmarks/bench_workers.py [--messages 3072] [--businesses 4] [--scale 0.005]
                                       [--database sqlite|postgres] [--no-report]

Two jobs, each timed with ``rapport worker --processes 1 --until-empty`` and then
``--processes 2`` on the same data:

* reanalysis: ``--messages`` unread messages of one business (after a model upgrade every
  message is pending like this); ``analyze_workspace`` splits them into blocks of 1,024 ids
  (rapport/understanding/sharing.py) that the workers share. Between the runs every
  reading is deleted, so the second run reads them all again.
* dashboards: ``--businesses`` businesses built by benchmarks/insights_data.py at
  ``--scale`` of its full size; the clock's ``refresh_all`` queues one full refresh per
  business. Between the runs each business's snapshots are marked never built.

Each figure is the wall time of the whole command (process start included: Django set-up,
the reading model's load) and the span from the first task's start to the last task's end
(the work alone). Every worker process reads text with one thread (RAPPORT_TEXT_THREADS=1),
so two processes use two cores and one uses one. ``--no-report`` prints the section instead
of writing it into docs/benchmarks.md. PostgreSQL is the server at 127.0.0.1:5432 with trust
authentication (RAPPORT_BENCH_POSTGRES_URL overrides it); the benchmark makes its own
database there and drops it.
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, scratch_django, write_section  # noqa: E402

POSTGRES_SERVER = os.environ.get(
    "RAPPORT_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def run_workers(processes: int) -> tuple[float, float]:
    """Run the queue dry with ``processes`` workers: (wall seconds, task span seconds)."""
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    env = {**os.environ, "RAPPORT_TEXT_THREADS": "1", "PYTHONPATH": str(ROOT)}
    began = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "rapport.cli", "worker", "--until-empty", "--interval", "0.1"]
        + ["--processes", str(processes)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    wall = time.perf_counter() - began
    failed = DBTaskResult.objects.failed().count()
    if failed or DBTaskResult.objects.exclude(status="SUCCESSFUL").exists():
        raise SystemExit(f"{failed} task(s) failed or left over: see `rapport worker --status`")
    span = DBTaskResult.objects.aggregate(a=Min("started_at"), b=Max("finished_at"))
    DBTaskResult.objects.all().delete()
    return wall, (span["b"] - span["a"]).total_seconds()


def unread_messages(workspace, count: int) -> None:
    from django.utils import timezone

    from rapport.people.choices import Channel, Direction, Group
    from rapport.people.models import Interaction, Person

    people = Person.objects.bulk_create(
        Person(workspace=workspace, group=Group.CUSTOMER, name=f"Customer {i}") for i in range(200)
    )
    words = ["late", "lovely", "cold", "friendly", "expensive", "fresh", "rude", "quick"]
    start = timezone.now() - dt.timedelta(days=30)
    Interaction.objects.bulk_create(
        (
            Interaction(
                workspace=workspace,
                person=people[i % len(people)],
                occurred_at=start + dt.timedelta(minutes=i),
                channel=Channel.EMAIL,
                direction=Direction.INBOUND,
                text=f"Order {i}: the bread was {words[i % 8]} and the staff {words[(i * 3) % 8]}."
                " Could you call me back about my next order?",
            )
            for i in range(count)
        ),
        batch_size=1000,
    )


def reanalysis(messages: int) -> list[tuple[int, float, float]]:
    from rapport.accounts.actions import create_workspace
    from rapport.accounts.models import User
    from rapport.understanding.models import InteractionReading
    from rapport.understanding.tasks import analyze_workspace

    owner = User.objects.create_user("reader@example.com", "not used in this benchmark")
    workspace = create_workspace("Reading Bakery", "reading", owner=owner)
    unread_messages(workspace, messages)
    rows = []
    for processes in (1, 2):
        InteractionReading.objects.filter(workspace=workspace).delete()
        analyze_workspace.enqueue(workspace.pk)
        wall, span = run_workers(processes)
        assert InteractionReading.objects.filter(workspace=workspace).count() == messages
        rows.append((processes, wall, span))
    return rows


def dashboards(businesses: int, scale: float) -> list[tuple[int, float, float]]:
    from insights_data import build_insights_workspace

    from rapport.accounts.models import User
    from rapport.insights.models import InsightSettings, Snapshot
    from rapport.insights.tasks import refresh_all

    owner = User.objects.create_user("owner@example.com", "not used in this benchmark")
    for n in range(businesses):
        build_insights_workspace(
            owner,
            people=max(int(100_000 * scale), 200),
            interactions=max(int(1_000_000 * scale), 2_000),
            answers=max(int(200_000 * scale), 400),
            seed=11 + n,
            slug=f"chain-{n}",
        )
    rows = []
    for processes in (1, 2):
        Snapshot.objects.all().delete()
        InsightSettings.objects.update(refreshed_at=None)
        refresh_all.enqueue()
        rows.append((processes, *run_workers(processes)))
    return rows


def table(title: str, what: str, rows) -> str:
    one = rows[0]
    lines = [
        f"{title}\n",
        "| worker processes | whole command | work (first task start to last task end) | "
        "work, against one process |",
        "|---:|---:|---:|---:|",
    ]
    for processes, wall, span in rows:
        lines.append(f"| {processes} | {wall:.1f} s | {span:.1f} s | {one[2] / span:.2f}× |")
    return "\n".join(lines) + f"\n\n{what}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3072)
    parser.add_argument("--businesses", type=int, default=4)
    parser.add_argument("--scale", type=float, default=0.005)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    url, admin = None, None
    if args.database == "postgres":
        import psycopg

        name = f"rapport_bench_workers_{os.getpid()}"
        admin = psycopg.connect(POSTGRES_SERVER, autocommit=True)
        admin.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(POSTGRES_SERVER)._replace(path=f"/{name}"))
    try:
        scratch_django(url)
        os.environ["RAPPORT_DATABASE_URL"] = url or os.environ.get("RAPPORT_DATABASE_URL", "")
        if not url:
            from django.conf import settings

            os.environ["RAPPORT_DATABASE_URL"] = (
                f"sqlite:///{settings.DATABASES['default']['NAME']}"
            )
        read = reanalysis(args.messages)
        boards = dashboards(args.businesses, args.scale)
    finally:
        if admin is not None:
            from django.db import connections

            connections.close_all()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    db = "PostgreSQL" if url else "SQLite"
    body = (
        "## Background workers: one and two processes\n\n"
        "`python benchmarks/bench_workers.py"
        f" --messages {args.messages} --businesses {args.businesses} --scale {args.scale}"
        f" --database {args.database}` ({db}; `rapport worker --until-empty`). The machine's "
        "cores were shared with other work while this ran, so the gain of a second process "
        "is a floor, not a ceiling.\n\n"
        + table(
            "### Reanalysis",
            f"{args.messages:,} messages of one business read again; "
            f"{args.messages / read[0][2]:.0f} messages/s with one process, "
            f"{args.messages / read[1][2]:.0f} with two.",
            read,
        )
        + "\n"
        + table(
            "### Dashboards refresh",
            f"{args.businesses} businesses, each {args.scale:g} of the insights benchmark's "
            "size, refreshed in full: one task per business.",
            boards,
        )
    )
    if args.no_report:
        print(body)
    else:
        write_section("workers", body)
        print(body)


if __name__ == "__main__":
    main()
