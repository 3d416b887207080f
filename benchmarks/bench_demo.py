"""Benchmark: generate the Maison Levain demo into a fresh SQLite database.

    python benchmarks/bench_demo.py [--repeat N] [--as-of YYYY-MM-DD] [--seed N] [--no-write]

Reports generation time, rows per table and the database file size, and rewrites the
"Demo generation" section of docs/benchmarks.md (only the text between the
``<!-- bench:demo:start -->`` and ``<!-- bench:demo:end -->`` markers; other scripts own
the other sections).
"""

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import scratch_django, write_section  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="generations to time (default: 3)")
    parser.add_argument(
        "--as-of", default="2025-06-30", help="the demo's 'today' (default: 2025-06-30)"
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone"
    )
    args = parser.parse_args()

    scratch_django()
    from django.db import connection

    from rapport.demo import DEFAULT_SEED
    from rapport.demo.generate import delete_demo, generate_demo
    from rapport.people.models import (
        CommunityEvent,
        Delivery,
        EmploymentEvent,
        Interaction,
        Person,
        Purchase,
    )

    seed = DEFAULT_SEED if args.seed is None else args.seed
    as_of = date.fromisoformat(args.as_of)
    db_path = Path(connection.settings_dict["NAME"])
    timings, delete_timings = [], []
    for attempt in range(args.repeat):
        started = time.perf_counter()
        workspace = generate_demo(seed=seed, as_of=as_of)
        timings.append(time.perf_counter() - started)
        print(f"generation {attempt + 1}/{args.repeat}: {timings[-1]:.2f} s", file=sys.stderr)
        if attempt < args.repeat - 1:
            started = time.perf_counter()
            delete_demo(workspace)
            delete_timings.append(time.perf_counter() - started)

    tables = {
        "people": Person.objects.filter(workspace=workspace),
        "interactions": Interaction.objects.filter(workspace=workspace),
        "purchases": Purchase.objects.filter(workspace=workspace),
        "employment events": EmploymentEvent.objects.filter(workspace=workspace),
        "deliveries": Delivery.objects.filter(workspace=workspace),
        "community events": CommunityEvent.objects.filter(workspace=workspace),
        "person tags": Person.tags.through.objects.filter(person__workspace=workspace),
        "event staff": CommunityEvent.staff_participants.through.objects.filter(
            communityevent__workspace=workspace
        ),
    }
    counts = {name: query.count() for name, query in tables.items()}
    with connection.cursor() as cursor:
        # Fold the write-ahead log into the main file so its size is the whole database.
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    size_mb = db_path.stat().st_size / 1e6

    median = statistics.median(timings)
    lines = [
        "## Demo generation",
        "",
        f"`python benchmarks/bench_demo.py`: seed {seed}, as of {as_of}; a fresh SQLite file; whole generation in one transaction.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| generation time, median of {len(timings)} | {median:.1f} s |",
        f"| generation time, each run | {', '.join(f'{t:.1f} s' for t in timings)} |",
    ]
    if delete_timings:
        lines.append(
            f"| deleting the demo (`--reset`), median | {statistics.median(delete_timings):.1f} s |"
        )
    lines += [
        f"| database file size | {size_mb:.1f} MB |",
        "",
        "| table | rows |",
        "|---|---:|",
        *(f"| {name} | {n:,} |" for name, n in counts.items()),
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section("demo", section)
        print("\nUpdated docs/benchmarks.md (demo)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
