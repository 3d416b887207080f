"""Dashboards at size: a bakery chain with 100,000 people, 1,000,000 interactions,
200,000 survey answers and 500,000 purchases, on SQLite and on PostgreSQL.

    python benchmarks/bench_insights.py [--scale 1] [--database sqlite|postgres|both]
                                        [--no-report] [--keep NAME | --reuse NAME]

For each database, in a fresh process and a scratch database: generate the workspace
(benchmarks/insights_data.py) and time it; time the first full computation of the dashboard
snapshots (``rapport.insights.actions.refresh_snapshots(workspace, full=True)``); add 1,000
interactions and 100 answers dated today and time the incremental refresh
(``refresh_snapshots(workspace)``), and after it, as the baseline, the incremental refresh as
it was until December 2026 (``old_incremental``: the whole quarter holding today recomputed
and rewritten, then every alert); then load the overview page and the customers page 50
times each through Django's test client, logged in as the owner, after one warm-up request.
The baseline is the login page, measured in the same run.

``--scale 0.01`` builds a workspace a hundredth of the size (a quick check of the harness);
only a full-scale run says anything about the target (overview p95 under 300 ms). PostgreSQL
is the server at 127.0.0.1:5432 with trust authentication (``RAPPORT_BENCH_POSTGRES_URL``
overrides it); the benchmark creates its own database there and drops it at the end.
``--no-report`` prints the section instead of writing it into docs/benchmarks.md.

Generating the full-size workspace takes about 25 minutes on SQLite and 10 on PostgreSQL.
``--keep NAME`` keeps it as it stands after the first full refresh: on SQLite a copy of the
data directory in ``NAME`` (a folder), on PostgreSQL a database ``NAME`` on the server.
``--reuse NAME`` then starts from a copy of it (the kept one is left as it was) instead of
generating, and measures the rest; use it on the day it was kept, as its history ends the
day before. With ``--database both``, ``NAME`` is the SQLite folder and the PostgreSQL
database alike.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import scratch_django, write_section  # noqa: E402

PEOPLE = 100_000
INTERACTIONS = 1_000_000
ANSWERS = 200_000
# Half a million, not a million: at a million, generation alone took well over three minutes.
PURCHASES = 500_000
NEW_INTERACTIONS = 1_000
NEW_ANSWERS = 100
REQUESTS = 50
TARGET_P95_MS = 300
SLUG = "insights"
POSTGRES_SERVER = os.environ.get(
    "RAPPORT_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
NOT_YET = "skipped: rapport.insights not installed yet"
DATABASES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size factor (default 1)")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--no-report", action="store_true", help="print, do not write the docs")
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--keep", metavar="NAME", help="keep the generated workspace as NAME")
    kept.add_argument("--reuse", metavar="NAME", help="start from the workspace kept as NAME")
    parser.add_argument("--child", choices=list(DATABASES), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = run_one(args.child, args.scale, keep=args.keep, reuse=args.reuse)
        Path(args.out).write_text(json.dumps(result))
        return

    loads = [os.getloadavg()[0]]
    results = []
    for database in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
        why = postgres_unreachable() if database == "postgres" else None
        if why:
            print(f"== {DATABASES[database]}: {why}", flush=True)
            results.append({"database": database, "skipped": why})
            continue
        print(f"== {DATABASES[database]}, scale {args.scale:g}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "result.json"
            # Each database in its own interpreter: Django is set up once per process.
            command = [sys.executable, __file__, "--scale", str(args.scale), "--child", database]
            command += ["--keep", args.keep] if args.keep else []
            command += ["--reuse", args.reuse] if args.reuse else []
            code = subprocess.call([*command, "--out", str(out)])
            if code == 0:
                results.append(json.loads(out.read_text()))
            else:
                results.append({"database": database, "skipped": f"failed (exit status {code})"})
    loads.append(os.getloadavg()[0])
    body = report(args, results, loads)
    if args.no_report:
        print("\n" + body)
    else:
        write_section("insights", body)
        print("wrote docs/benchmarks.md (insights)")


# --- one database, in a child process -----------------------------------------------------


def postgres_unreachable() -> str | None:
    try:
        _admin(lambda cursor: cursor.execute("SELECT 1"))
    except Exception as error:  # any failure (no driver, no server) skips PostgreSQL only
        u = urlsplit(POSTGRES_SERVER)
        return f"skipped: PostgreSQL not reachable at {u.hostname}:{u.port or 5432} ({error})"
    return None


def _admin(action) -> None:
    """Run ``action(cursor)`` on the server's maintenance database, outside a transaction."""
    import psycopg

    u = urlsplit(POSTGRES_SERVER)
    with psycopg.connect(
        host=u.hostname,
        port=u.port or 5432,
        user=u.username,
        password=u.password or None,
        dbname=u.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=5,
    ) as connection:
        action(connection.cursor())


def run_one(database: str, scale: float, keep: str | None = None, reuse: str | None = None) -> dict:
    url, name, copy_of = None, None, None
    if database == "postgres":
        name = f"rapport_bench_insights_{os.getpid()}"
        template = f' TEMPLATE "{reuse}"' if reuse else ""
        _admin(lambda cursor: cursor.execute(f'CREATE DATABASE "{name}"{template}'))
        url = urlunsplit(urlsplit(POSTGRES_SERVER)._replace(path=f"/{name}"))
    elif reuse:
        copy_of = Path(reuse)
        if not (copy_of / "rapport.sqlite3").is_file():
            raise SystemExit(f"--reuse {reuse}: no rapport.sqlite3 kept there")
    data_dir = None
    try:
        data_dir = scratch_django(url, copy_of=copy_of)

        def kept() -> None:
            from django.db import connection, connections

            if database == "postgres":
                connections.close_all()
                _admin(lambda cursor: cursor.execute(f'CREATE DATABASE "{keep}" TEMPLATE "{name}"'))
            else:
                with connection.cursor() as cursor:  # the write-ahead log into the file
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                Path(keep).mkdir(parents=True, exist_ok=True)
                shutil.copy2(data_dir / "rapport.sqlite3", Path(keep) / "rapport.sqlite3")
            print(f"  kept the workspace as {keep}", flush=True)

        return measure(database, scale, keep=kept if keep else None, reused=bool(reuse))
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            _admin(lambda cursor: cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


def measure(database: str, scale: float, keep=None, reused: bool = False) -> dict:
    from django.db import connection
    from insights_data import build_insights_workspace

    from rapport.accounts.models import User

    result = {"database": database, "steps": [], "version": _server_version(connection)}
    if reused:
        return measure_reused(result)
    owner = User.objects.create_user("owner@bench.example.com", None, name="Bench Owner")

    # CPU time of this process beside wall time: on a busy machine the wall time says more
    # about the neighbours than about the generator (PostgreSQL's own work is not counted).
    cpu = [time.process_time()]

    def progress(what, rows, seconds):
        used = time.process_time() - cpu[-1]
        cpu.append(time.process_time())
        result["steps"].append([what, rows, seconds, used])
        print(f"  {what:40s} {rows:>10,} rows {seconds:8.1f} s  {used:8.1f} s CPU", flush=True)

    began = time.perf_counter()
    workspace = build_insights_workspace(
        owner,
        people=round(PEOPLE * scale),
        interactions=round(INTERACTIONS * scale),
        answers=round(ANSWERS * scale),
        purchases=round(PURCHASES * scale),
        slug=SLUG,
        progress=progress,
    )
    result["generation_s"] = time.perf_counter() - began
    result["generation_cpu_s"] = time.process_time() - cpu[0]
    result["rows"] = count_rows(workspace)
    result["shape"] = shape(workspace)
    print("  shape: " + json.dumps(result["shape"]), flush=True)
    total = sum(result["rows"].values())
    print(
        f"  generated {total:,} rows in {result['generation_s']:.1f} s "
        f"({total / result['generation_s']:,.0f} rows/s; {result['generation_cpu_s']:.1f} s CPU)",
        flush=True,
    )

    planner_statistics()
    refresh, why = refresh_function()
    result["full_refresh"] = _timed_call(refresh, workspace, full=True) if refresh else why
    if keep:
        keep()
    return measure_incremental(result, workspace, owner)


def measure_reused(result: dict) -> dict:
    """The steps after the first full refresh, on a workspace kept by ``--keep``."""
    from rapport.accounts.models import Workspace

    planner_statistics()  # a workspace kept before they were gathered has none
    workspace = Workspace.objects.get(slug=SLUG)
    owner = workspace.memberships.order_by("pk").first().user
    result["reused"] = True
    result["full_refresh"] = "kept by an earlier run (`--reuse`)"
    result["rows"] = count_rows(workspace)
    return measure_incremental(result, workspace, owner)


def measure_incremental(result: dict, workspace, owner) -> dict:
    from insights_data import add_recent_activity

    refresh, why = refresh_function()
    add_recent_activity(workspace, interactions=NEW_INTERACTIONS, answers=NEW_ANSWERS)
    result["incremental_refresh"] = _timed_call(refresh, workspace) if refresh else why
    result["old_incremental"] = _timed_call(old_incremental, workspace) if refresh else why
    for step in ("full_refresh", "incremental_refresh", "old_incremental"):
        print(f"  {step}: {result[step]}", flush=True)

    result["pages"] = measure_pages(owner)
    return result


def planner_statistics() -> None:
    """On PostgreSQL, gather the planner's statistics and mark the pages all rows of which
    every transaction sees (VACUUM ANALYZE), as autovacuum keeps them on a live server: the
    freshly loaded database has none yet (nor has a copy of it), its plans for the refresh's
    joins are chosen blind (the quarter's answers took 0.35 to 0.5 s to select instead of
    0.05 s), and its indexes cannot be read without the rows' pages. SQLite is measured as a
    Rapport database runs: nothing there runs ANALYZE."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _server_version(connection) -> str:
    if connection.vendor != "postgresql":
        import sqlite3

        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


def refresh_function():
    """``refresh_snapshots``, or None and why it cannot be measured yet."""
    from django.apps import apps

    if not apps.is_installed("rapport.insights"):
        return None, NOT_YET
    try:
        from rapport.insights.actions import refresh_snapshots
    except ImportError as error:
        return None, f"skipped: {error}"
    return refresh_snapshots, None


def old_incremental(workspace) -> None:
    """The baseline: the incremental refresh as it was before it learnt to recompute only the
    periods the new rows reach, rebuilt from the same parts. It read the dirty marks, then
    recomputed and rewrote every week, month and the quarter holding today (the quarter of
    the earliest mark; here, today's), their drivers, and every alert."""
    from rapport.engine.periods import QUARTER, WEEK, window_of
    from rapport.insights import actions, compute, sources

    state = actions.settings_of(workspace)
    today = workspace.today()
    actions._first_day(workspace)
    actions._analyzed_since(workspace, state.refreshed_at)
    quarter = window_of(today, QUARTER)
    chunk = actions._chunk(quarter, today)
    people = sources.read_people(workspace)
    last = max(w.end for w in chunk)
    data = sources.read(workspace, quarter.start, last, people=people, today=today)
    results = compute.compute(data, chunk)
    actions._write(workspace, chunk, chunk, results, whole=True)
    actions._write_drivers(workspace, [w for w in chunk if w.every != WEEK], data)
    actions._write_alerts(workspace, today)


def _timed_call(fn, *args, **kwargs) -> float | str:
    began = time.perf_counter()
    try:
        fn(*args, **kwargs)
    except Exception as error:  # reported in the table rather than losing the whole run
        return f"failed: {type(error).__name__}: {error}"[:200]
    return time.perf_counter() - began


def measure_pages(owner) -> dict:
    import logging

    from django.db import connection
    from django.test import Client
    from django.urls import Resolver404, resolve

    member = Client()
    member.force_login(owner)
    # A failing page is reported in the table; its traceback would only bury the output.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    pages = {
        "login": ("/login/", Client()),
        "overview": (f"/w/{SLUG}/insights/", member),
        "customers": (f"/w/{SLUG}/insights/customers/", member),
    }
    results = {}
    for key, (url, client) in pages.items():
        try:
            resolve(url)
        except Resolver404:
            results[key] = NOT_YET
            continue
        queries = []
        try:
            # Count with an execute wrapper: each request clears Django's query log.
            with connection.execute_wrapper(
                lambda run, sql, *rest, seen=queries: seen.append(sql) or run(sql, *rest)
            ):
                response = client.get(url)
            if response.status_code != 200:
                results[key] = f"failed: {url} answered {response.status_code}"
                continue
            samples = []
            for _ in range(REQUESTS):
                began = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - began) * 1000)
        except Exception as error:  # a broken page is reported, the other pages still run
            results[key] = f"failed: {type(error).__name__}: {error}"[:200]
            continue
        samples.sort()
        results[key] = {
            "p50": statistics.median(samples),
            "p95": samples[math.ceil(0.95 * len(samples)) - 1],
            "max": samples[-1],
            "queries": len(queries),
        }
        print(f"  {url:40s} {results[key]}", flush=True)
    return results


def count_rows(workspace) -> dict:
    from rapport.feedback.models import Answer, Invitation, Question, Response, ResponseReading
    from rapport.people.models import (
        CommunityEvent,
        Delivery,
        EmploymentEvent,
        Interaction,
        Person,
        Purchase,
    )
    from rapport.understanding.models import InteractionReading, Theme

    staffed = CommunityEvent.staff_participants.through
    return {
        "people": Person.objects.filter(workspace=workspace).count(),
        "interactions": Interaction.objects.filter(workspace=workspace).count(),
        "interaction readings": InteractionReading.objects.filter(workspace=workspace).count(),
        "purchases": Purchase.objects.filter(workspace=workspace).count(),
        "employment events": EmploymentEvent.objects.filter(workspace=workspace).count(),
        "deliveries": Delivery.objects.filter(workspace=workspace).count(),
        "community events": CommunityEvent.objects.filter(workspace=workspace).count(),
        "event staff links": staffed.objects.filter(communityevent__workspace=workspace).count(),
        "themes": Theme.objects.filter(workspace=workspace).count(),
        "survey questions": Question.objects.filter(survey__workspace=workspace).count(),
        "invitations": Invitation.objects.filter(workspace=workspace).count(),
        "responses": Response.objects.filter(workspace=workspace).count(),
        "answers": Answer.objects.filter(response__workspace=workspace).count(),
        "response readings": ResponseReading.objects.filter(workspace=workspace).count(),
    }


def shape(workspace) -> dict:
    """A few proportions that say whether the data looks like a business."""
    from django.db.models import Count, Q

    from rapport.feedback.models import Response
    from rapport.people.models import Delivery, EmploymentEvent, Interaction, Person

    people = Person.objects.filter(workspace=workspace)
    replies = Interaction.objects.filter(workspace=workspace, direction="outbound").exclude(
        thread_key=""
    )
    delivered = Delivery.objects.filter(workspace=workspace, delivered_on__isnull=False)
    on_time = sum(1 for d in delivered.only("promised_on", "delivered_on") if d.on_time)
    return {
        "groups": dict(people.values_list("group").annotate(n=Count("id")).order_by("group")),
        "segments": dict(
            people.filter(group="customer")
            .values_list("segment")
            .annotate(n=Count("id"))
            .order_by("segment")
        ),
        "employees still on staff": people.filter(group="employee", end_date=None).count(),
        "teams": people.filter(group="employee").values("team").distinct().count(),
        "employment events": dict(
            EmploymentEvent.objects.filter(workspace=workspace)
            .values_list("kind")
            .annotate(n=Count("id"))
            .order_by("kind")
        ),
        "interactions by direction": dict(
            Interaction.objects.filter(workspace=workspace)
            .values_list("direction")
            .annotate(n=Count("id"))
            .order_by("direction")
        ),
        "replies": replies.aggregate(
            by_member=Count("id", filter=Q(handled_by__isnull=False)),
            by_automation=Count("id", filter=Q(handled_by_automation__isnull=False)),
        ),
        "open messages": Interaction.objects.filter(workspace=workspace, is_open=True).count(),
        "deliveries on time": round(on_time / max(1, delivered.count()), 3),
        "responses by survey": dict(
            Response.objects.filter(workspace=workspace)
            .values_list("survey__blueprint")
            .annotate(n=Count("id"))
            .order_by("survey__blueprint")
        ),
        "anonymous responses": Response.objects.filter(
            workspace=workspace, survey__anonymity="anonymous"
        ).count(),
    }


# --- the section ----------------------------------------------------------------------------


def _ms(page) -> str:
    if isinstance(page, str):
        return page
    return (
        f"{page['p50']:.0f} / {page['p95']:.0f} / {page['max']:.0f} ms ({page['queries']} queries)"
    )


def _seconds(value) -> str:
    if isinstance(value, str):
        return value
    return (
        f"{value:.0f} s" if value >= 100 else f"{value:.1f} s" if value >= 1 else f"{value:.2f} s"
    )


def _head(result: dict) -> str:
    name = f"{DATABASES[result['database']]} {result.get('version', '')}".strip()
    return f"{name} ({result['skipped']})" if "skipped" in result else name


def report(args, results: list[dict], loads: list[float]) -> str:
    measured = [r for r in results if "skipped" not in r]
    heads = [_head(r) for r in results]
    command = "python benchmarks/bench_insights.py" + (
        f" --scale {args.scale:g}" if args.scale != 1 else ""
    )
    if args.database != "both":
        command += f" --database {args.database}"
    if args.reuse:
        command += " --reuse NAME"
    lines = [
        "## Dashboards at size",
        "",
        f"`{command}`: one workspace, a chain of bakeries with two years of history ending "
        "yesterday, generated by `benchmarks/insights_data.py` (seed 11) with `bulk_create` in "
        "batches of 5,000 in one transaction; then the first full computation of the "
        "dashboard snapshots, an incremental refresh after 1,000 interactions and 100 answers "
        "dated today (and, as its baseline, the incremental refresh as it was before: the whole "
        "quarter holding today recomputed and rewritten, then every alert), "
        f"and {REQUESTS} requests to each page through Django's test client "
        "(full middleware, login, scoping and templates; no network) after one warm-up "
        "request, logged in as the owner. Each database runs in its own process on a scratch "
        f"database. 1-minute load average {loads[0]:.1f} before and {loads[-1]:.1f} after.",
    ]
    if args.scale != 1:
        lines += [
            "",
            f"**Scale {args.scale:g}**: a smaller workspace than the target's; these figures "
            "check the harness and say nothing about the target.",
        ]
    if measured:
        rows = measured[0]["rows"]
        lines += ["", "| rows | count |", "|---|---:|"]
        lines += [f"| {table} | {count:,} |" for table, count in rows.items()]
        lines += [f"| **total** | **{sum(rows.values()):,}** |"]
    lines += ["", "| step | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(results)]

    def row(label, cell):
        cells = [cell(r) if "skipped" not in r else "" for r in results]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row(
        "generate the workspace: wall (rows/s), CPU of the generating process",
        lambda r: (
            "kept by an earlier run (`--reuse`)"
            if r.get("reused")
            else f"{_seconds(r['generation_s'])} "
            f"({sum(r['rows'].values()) / r['generation_s']:,.0f} rows/s), "
            f"{_seconds(r['generation_cpu_s'])} CPU"
        ),
    )
    row(
        "first full refresh (`refresh_snapshots(full=True)`)", lambda r: _seconds(r["full_refresh"])
    )
    row(
        "incremental refresh (1,000 interactions, 100 answers today)",
        lambda r: _seconds(r["incremental_refresh"]),
    )
    row(
        "baseline: the old incremental refresh (the whole quarter, every alert)",
        lambda r: _seconds(r.get("old_incremental", "not measured")),
    )
    row("login page (baseline): p50 / p95 / max", lambda r: _ms(r["pages"]["login"]))
    row(f"overview `/w/{SLUG}/insights/`: p50 / p95 / max", lambda r: _ms(r["pages"]["overview"]))
    row(
        f"customers `/w/{SLUG}/insights/customers/`: p50 / p95 / max",
        lambda r: _ms(r["pages"]["customers"]),
    )
    verdicts = []
    for r in measured:
        page = r["pages"]["overview"]
        name = DATABASES[r["database"]]
        if isinstance(page, str):
            verdicts.append(f"{name}: not measured")
        else:
            met = "met" if page["p95"] < TARGET_P95_MS else "**not met**"
            verdicts.append(f"{name}: {met} ({page['p95']:.0f} ms)")
    if verdicts and args.scale == 1:
        lines += [
            "",
            f"Target, overview p95 under {TARGET_P95_MS} ms: " + "; ".join(verdicts) + ".",
        ]
    if measured and all(r["steps"] for r in measured):
        lines += ["", "Generation step by step, wall / CPU seconds:", ""]
        lines += ["| step | rows | " + " | ".join(_head(r) for r in measured) + " |"]
        lines += ["|---|---:|" + "---:|" * len(measured)]
        for n, (what, rows_written, *_) in enumerate(measured[0]["steps"]):
            cells = " | ".join(f"{r['steps'][n][2]:.1f} / {r['steps'][n][3]:.1f}" for r in measured)
            lines.append(f"| {what} | {rows_written:,} | {cells} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
