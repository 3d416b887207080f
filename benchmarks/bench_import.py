"""Import speed: 100,000 interactions into a fresh SQLite database, through the CLI's code.

    python benchmarks/bench_import.py [--rows 100000] [--people 5000] [--grow 0] [--no-docs]
                                      [--baseline DIR]

Generates a customer file and an interactions file (timestamps, channels, members and a bot
as handlers, free text, no message ids so every row is keyed by its content: the slower
path), imports both with ``rapport import`` into a temporary database, then imports the
interactions again (the idempotent re-run must create nothing). Prints rows/s and updates
the "import" section of docs/benchmarks.md (``<!-- bench:import:start -->`` to ``end``).

``--grow N`` then imports N more files of ``--people`` new customers each, keyed by e-mail
only (no id: the path that must find each address ignoring case), into the same database,
and prints rows/s per file with the number of people already stored: the rate must hold
as the table grows.

``--baseline DIR`` first runs the same benchmark from another checkout (say, the commit
before a change, unpacked with ``git archive REV | tar -x -C DIR``) in its own process, so
that the table shows both, measured on the same machine in the same run.
"""

import argparse
import csv
import datetime as dt
import gc
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import scratch_django, write_section  # noqa: E402

CHANNELS = ["email", "phone", "chat", "visit", "review", "ticket"]
WORDS = [
    "thanks",
    "lovely",
    "bread",
    "late",
    "delivery",
    "order",
    "cake",
    "birthday",
    "croissant",
    "refund",
    "great",
    "staff",
    "friendly",
    "slow",
    "queue",
    "gluten",
    "free",
    "allergy",
    "question",
    "opening",
    "hours",
    "sourdough",
]


def more_customers(path: Path, start: int, count: int) -> Path:
    """``count`` new customers numbered from ``start``, with an e-mail and no id."""
    rng = random.Random(start)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Full Name", "Email", "Segment"])
        for i in range(start, start + count):
            writer.writerow(
                [f"Customer {i}", f"c{i}@example.com", rng.choice(["regular", "new", "vip"])]
            )
    return path


def generate(folder: Path, rows: int, people: int) -> tuple[Path, Path]:
    rng = random.Random(42)
    people_csv = folder / "customers.csv"
    with people_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Customer ID", "Full Name", "Email", "Segment"])
        for i in range(people):
            writer.writerow(
                [
                    f"C{i:06d}",
                    f"Customer {i}",
                    f"c{i}@example.com",
                    rng.choice(["regular", "new", "vip"]),
                ]
            )
    interactions_csv = folder / "interactions.csv"
    start = dt.datetime(2023, 1, 1, 8, 0)
    with interactions_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Customer ID", "Created At", "Channel", "Direction", "Agent Email", "Bot", "Message"]
        )
        for i in range(rows):
            when = start + dt.timedelta(minutes=7 * i + rng.randint(0, 6))
            handler = rng.random()
            agent = "owner@example.com" if handler < 0.5 else ""
            bot = "Croissant Bot" if handler > 0.8 else ""
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 20)))
            writer.writerow(
                [
                    f"C{rng.randrange(people):06d}",
                    when.strftime("%Y-%m-%d %H:%M:%S"),
                    rng.choice(CHANNELS),
                    rng.choice(["inbound", "outbound"]),
                    agent,
                    bot,
                    text,
                ]
            )
    return people_csv, interactions_csv


def timed_import(argv: list[str]) -> tuple[float, str]:
    import contextlib
    import io

    from rapport.cli import main

    out = io.StringIO()
    # Each import starts as a `rapport import` of its own would, owing the garbage collector
    # nothing: the earlier imports in this process left cycles (argparse's parsers among
    # them) that its next full collection, 0.1 to 0.2 s, would otherwise walk inside this
    # import's time.
    gc.collect()
    began = time.perf_counter()
    with contextlib.redirect_stdout(out):
        status = main(argv)
    elapsed = time.perf_counter() - began
    if status != 0:
        raise SystemExit(f"import failed with status {status}: {out.getvalue()}")
    return elapsed, out.getvalue().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument(
        "--grow",
        type=int,
        default=0,
        help="then import this many files of --people new customers (by e-mail) each",
    )
    parser.add_argument(
        "--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone"
    )
    parser.add_argument("--baseline", type=Path, help="another checkout to measure first")
    args = parser.parse_args()

    # Shared machines: say how busy this one was, since seconds here are wall-clock.
    load = os.getloadavg()[0]
    baseline = {}
    if args.baseline:
        script = args.baseline / "benchmarks" / "bench_import.py"
        # An older checkout may not know --grow: its growth rows stay empty then.
        grow = ["--grow", str(args.grow)] if args.grow and "--grow" in script.read_text() else []
        out = subprocess.run(
            [sys.executable, str(script)]
            + ["--rows", str(args.rows), "--people", str(args.people), "--no-docs", *grow],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for label, seconds in re.findall(r"^(.+?): [\d,]+ rows in ([\d.]+) s", out, re.M):
            baseline[label] = float(seconds)
        print(out, end="")

    folder = scratch_django()
    try:
        from rapport.accounts.actions import create_workspace
        from rapport.accounts.models import User
        from rapport.people.models import Interaction, Person

        owner = User.objects.create_user("owner@example.com", "benchmark-password", name="Owner")
        create_workspace("Benchmark Bakery", "bench", owner=owner)
        people_csv, interactions_csv = generate(folder, args.rows, args.people)

        base = ["--workspace", "bench", "--progress", "never"]
        people_s, people_out = timed_import(
            ["import", "people", str(people_csv), "--group", "customer", *base]
        )
        first_s, first_out = timed_import(["import", "interactions", str(interactions_csv), *base])
        again_s, again_out = timed_import(["import", "interactions", str(interactions_csv), *base])
        stored = Interaction.objects.count()
        grown = []
        for n in range(args.grow):
            path = more_customers(folder / f"more{n}.csv", (n + 1) * args.people, args.people)
            had = Person.objects.count()
            seconds, out = timed_import(
                ["import", "people", str(path), "--group", "customer", *base]
            )
            grown.append((f"people by e-mail, {had:,} stored before", args.people, seconds, out))
            path.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    results = [
        ("people (customers)", args.people, people_s, people_out),
        ("interactions, first import", args.rows, first_s, first_out),
        ("interactions, re-import (idempotent)", args.rows, again_s, again_out),
        *grown,
    ]
    for label, rows, seconds, out in results:
        print(f"{label}: {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s  [{out}]")
    print(f"interactions stored: {stored:,}")
    if stored != args.rows:
        raise SystemExit("the re-import duplicated rows")

    section = "\n".join(
        [
            "## Imports",
            "",
            "`python benchmarks/bench_import.py`: a generated customer file and "
            f"{args.rows:,} interactions (content-keyed, no message ids) imported with `rapport import` "
            "into a fresh SQLite database (WAL), batches of 1,000 rows"
            + (
                f"; then {args.grow} more files of {args.people:,} new customers each, keyed by "
                "e-mail only, into the same database (`--grow`), to show the rate as the table grows."
                if args.grow
                else "."
            ),
            "",
            *(
                [
                    f"Baseline: the same run from `{args.baseline.name}`, measured first.",
                    "",
                    "| import | rows | seconds | rows/s | baseline seconds | baseline rows/s |",
                    "|---|---:|---:|---:|---:|---:|",
                ]
                if baseline
                else ["| import | rows | seconds | rows/s |", "|---|---:|---:|---:|"]
            ),
            *(
                f"| {label} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} |"
                + (
                    f" {baseline[label]:.1f} | {rows / baseline[label]:,.0f} |"
                    if label in baseline
                    else (" – | – |" if baseline else "")
                )
                for label, rows, seconds, _ in results
            ),
            "",
            f"The re-import left {stored:,} interactions: nothing duplicated. Load average when "
            f"the run began: {load:.1f} on {os.cpu_count()} cores (seconds are wall-clock, so "
            "other work on the machine slows both columns).",
        ]
    )
    if not args.no_docs:
        write_section("import", section)
        print("updated docs/benchmarks.md (import)")


if __name__ == "__main__":
    main()
