"""Where the dashboards' incremental refresh spends its time, on a workspace kept by
`bench_insights.py --keep NAME`.

    python benchmarks/profile_refresh.py --reuse NAME [--database sqlite|postgres]
                                         [--profile] [--top 30]

As `bench_insights.py --reuse` does: a copy of the kept workspace (NAME: the SQLite folder or
the PostgreSQL database, its planner statistics gathered), 1,000 interactions and 100 answers dated today, then one
incremental refresh (``refresh_snapshots``), timed in wall and CPU time (this process only:
PostgreSQL's own work shows in the wall time alone). Each step of the refresh is timed apart
(reading the people, reading the rows, computing, writing the snapshots and the drivers);
``--profile`` runs it under cProfile instead and prints its top functions by cumulative and
by own time (the profiler slows small functions most: compare steps, not absolute figures).
Run the same script against another checkout to compare, alternating the two on a shared
machine, and use it on the day the workspace was kept (its history ends the day before).
"""

import argparse
import cProfile
import functools
import os
import pstats
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_insights  # noqa: E402
from common import scratch_django  # noqa: E402

# The steps timed apart: (module, function).
STEPS = (
    ("sources", "read_people"),
    ("sources", "read"),
    ("compute", "compute"),
    ("actions", "_write"),
    ("actions", "_write_drivers"),
    ("actions", "_write_alerts"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", metavar="NAME", required=True)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", action="store_true", help="run under cProfile")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    name = data_dir = None
    if args.database == "postgres":
        why = bench_insights.postgres_unreachable()
        if why:
            raise SystemExit(why)
        name = f"rapport_profile_refresh_{os.getpid()}"
        bench_insights._admin(
            lambda cursor: cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{args.reuse}"')
        )
        server = urlsplit(bench_insights.POSTGRES_SERVER)
        data_dir = scratch_django(urlunsplit(server._replace(path=f"/{name}")))
    else:
        if not (Path(args.reuse) / "rapport.sqlite3").is_file():
            raise SystemExit(f"--reuse {args.reuse}: no rapport.sqlite3 kept there")
        data_dir = scratch_django(None, copy_of=Path(args.reuse))
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if name:
            bench_insights._admin(
                lambda cursor: cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args) -> int:
    from insights_data import add_recent_activity

    from rapport.accounts.models import Workspace
    from rapport.insights import actions, compute, sources
    from rapport.insights.actions import refresh_snapshots

    bench_insights.planner_statistics()
    workspace = Workspace.objects.get(slug=bench_insights.SLUG)
    add_recent_activity(
        workspace,
        interactions=bench_insights.NEW_INTERACTIONS,
        answers=bench_insights.NEW_ANSWERS,
    )
    modules = {"sources": sources, "compute": compute, "actions": actions}
    spent: dict[str, list[float]] = {}
    if not args.profile:
        for module, function in STEPS:
            _time_calls(modules[module], function, spent)
    profile = cProfile.Profile() if args.profile else None
    began, cpu = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    report = refresh_snapshots(workspace)
    if profile:
        profile.disable()
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(
        f"incremental refresh on {args.database}: {wall:.2f} s wall, {cpu:.2f} s CPU; "
        f"{report.periods} periods, {report.snapshots} snapshots written; "
        f"1-minute load average {os.getloadavg()[0]:.1f}"
    )
    for step, (seconds, used, calls) in spent.items():
        print(f"  {step:24s} {seconds:6.2f} s wall {used:6.2f} s CPU  ({calls:g} calls)")
    if profile:
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


def _time_calls(module, function: str, spent: dict) -> None:
    """Wrap ``module.function`` so that each call adds its wall and CPU time to ``spent``
    (the refresh looks the functions up on their modules when it runs)."""
    original = getattr(module, function)
    total = spent.setdefault(f"{module.__name__.rsplit('.', 1)[-1]}.{function}", [0.0, 0.0, 0])

    @functools.wraps(original)
    def timed(*args, **kwargs):
        began, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            total[0] += time.perf_counter() - began
            total[1] += time.process_time() - cpu
            total[2] += 1

    setattr(module, function, timed)


if __name__ == "__main__":
    sys.exit(main())
