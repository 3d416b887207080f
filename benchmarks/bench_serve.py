"""Which WSGI server `rapport serve` runs: public answers stored per second, none lost, per server.

    python benchmarks/bench_serve.py [--seconds 10] [--clients 16] [--database-url URL]
                                     [--only NAME ...] [--client asyncio|threads]

Each server is started as a real child process on a free port, serving `rapport.wsgi` on the
same database, with the task worker (`rapport worker`) beside it as `rapport serve`
runs it: the worker reads each answer's comment as it arrives and shares the cores. Then the
respondents of `bench_answers.py` play against it for the same time: each loads the survey
page and sends its answers, on a fresh connection each time, over and over: by default as
tasks of one asyncio event loop that write each HTTP/1.1 request by hand and read the reply
to its end (``--client threads``: a thread each with http.client, which costs the shared
cores a little more). The per-address rate limit is lifted (every client shares 127.0.0.1).
After each server stops, the responses stored during its run are counted, and each answer
it accepted is looked for by its fingerprint: every one must be there, and nothing else.
The CPU time of the server's processes, of the task worker and of the respondents is read
during the timed run and shown per answer stored.

Django's development server (`runserver`, what `rapport serve` ran before) is the baseline,
measured in the same run; the last row is `rapport serve` as shipped now.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_answers import Tally, free_port, percentile, run_clients, stored_check  # noqa: E402
from common import ROOT, cpu_by_role, open_survey, tree_cpu, write_section  # noqa: E402

PY = sys.executable
WSGI = "rapport.wsgi:application"


def gunicorn(port: int, *, processes: int, threads: int) -> list[str]:
    """gunicorn's command line with threaded workers, as `rapport serve` runs it."""
    workers = ["-k", "gthread", "-w", str(processes), "--threads", str(threads)]
    return [PY, "-m", "gunicorn", *workers, "-b", f"127.0.0.1:{port}", WSGI]


def servers(cores: int) -> dict[str, tuple[str, callable]]:
    """name → (what it is, port → argv). Worker processes follow the cores, as `rapport serve`
    chooses them."""
    procs = max(2, cores)
    return {
        "runserver": (
            "Django's development server, threaded (the baseline)",
            lambda port: [
                PY,
                "-m",
                "rapport.cli",
                "manage",
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ],
        ),
        "waitress": (
            "waitress 3, one process, 8 threads",
            lambda port: [PY, "-m", "waitress", "--threads=8", f"--listen=127.0.0.1:{port}", WSGI],
        ),
        "gunicorn-1": (
            "gunicorn 27, gthread, 1 process x 8 threads",
            lambda port: gunicorn(port, processes=1, threads=8),
        ),
        "gunicorn": (
            f"gunicorn 27, gthread, {procs} processes x 4 threads",
            lambda port: gunicorn(port, processes=procs, threads=4),
        ),
        "granian": (
            f"granian 2 (WSGI), {procs} processes x 4 blocking threads",
            lambda port: [
                PY,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--workers",
                str(procs),
                "--blocking-threads",
                "4",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-log",
                WSGI,
            ],
        ),
        "rapport serve": (
            "`rapport serve` as shipped (its own worker count and task worker)",
            lambda port: [PY, "-m", "rapport.cli", "serve", "--addr", f"127.0.0.1:{port}"],
        ),
    }


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(name, argv, args, path, fields, survey, log_dir) -> dict:
    from rapport.feedback.models import Response

    before = Response.objects.filter(survey=survey).count()
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RAPPORT_ANSWER_RATE": "1000000000/1"}
    log = open(log_dir / f"{name.replace(' ', '-')}.log", "w")  # noqa: SIM115 - closed below
    children = [subprocess.Popen(argv(port), cwd=ROOT, env=env, stdout=log, stderr=log)]
    if name != "rapport serve":  # it starts its own task worker
        from rapport.lib.serving import worker_command

        children.append(
            subprocess.Popen(
                worker_command(),  # as `rapport serve` starts it: at a lower CPU priority
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        )
    warm, tally = Tally(), Tally()
    try:
        # Every server process imports the app on its first requests: warm them all up first.
        run_clients(
            argparse.Namespace(seconds=args.warm_up, clients=args.clients, client=args.client),
            port,
            path,
            fields,
            children[0],
            warm,
        )
        counted = Response.objects.filter(survey=survey).count()
        cpu_before = {child: tree_cpu(child.pid) for child in children}
        elapsed, _, _ = run_clients(args, port, path, fields, children[0], tally)
        roles = {"web": 0.0, "worker": 0.0, "other": 0.0}
        for child, reading in cpu_before.items():
            for role, seconds in cpu_by_role(reading, tree_cpu(child.pid)).items():
                roles[role] += seconds
        stored = Response.objects.filter(survey=survey).count() - counted
    finally:
        for child in children:
            stop(child)
        log.close()
    lost = (
        warm.accepted + tally.accepted - (Response.objects.filter(survey=survey).count() - before)
    )
    # Beside the count, each accepted answer is looked for by its own fingerprint.
    missing = stored_check(survey, warm) + stored_check(survey, tally)
    per_answer = 1000 / max(stored, 1)
    return {
        "name": name,
        "rate": stored / elapsed,
        "sent": tally.sent,
        "accepted": tally.accepted,
        "stored": stored,
        "lost": lost,
        "missing": missing,
        "client_ms": tally.client_cpu * per_answer,
        "web_ms": roles["web"] * per_answer,
        "worker_ms": roles["worker"] * per_answer,
        "errors": sum(tally.errors.values()),
        "error_text": ", ".join(f"{k}: {v}" for k, v in sorted(tally.errors.items())),
        "p50": percentile(tally.post_s, 50),
        "p95": percentile(tally.post_s, 95),
        "max": max(tally.post_s, default=float("nan")) * 1000,
        "exit": children[0].returncode,
    }


def pool(name: str, rows: list[dict]) -> dict:
    """One server's rounds together: the mean rate, the sums, the worst latencies."""
    return {
        "name": name,
        "rate": sum(r["rate"] for r in rows) / len(rows),
        "rates": ", ".join(f"{r['rate']:.0f}" for r in rows),
        **{k: sum(r[k] for r in rows) for k in ("accepted", "stored", "lost", "missing", "errors")},
        **{k: sum(r[k] for r in rows) / len(rows) for k in ("client_ms", "web_ms", "worker_ms")},
        "error_text": "; ".join(r["error_text"] for r in rows if r["error_text"]),
        "p50": max(r["p50"] for r in rows),
        "p95": max(r["p95"] for r in rows),
        "max": max(r["max"] for r in rows),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--warm-up", type=float, default=3, help="seconds, not counted")
    parser.add_argument(
        "--client",
        choices=["asyncio", "threads"],
        default="asyncio",
        help="the respondents: tasks of one asyncio loop writing HTTP/1.1 by hand (default), "
        "or one thread each with http.client",
    )
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--only", nargs="*", help="measure only these servers (and the baseline)")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch the docs")
    args = parser.parse_args()

    from common import scratch_django

    data_dir = scratch_django(args.database_url)
    from django.db import connection

    survey, fields, path = open_survey()
    connection.close()  # the servers write; this process only counts between runs

    cores = os.cpu_count() or 1
    chosen = servers(cores)
    if args.only:
        chosen = {k: v for k, v in chosen.items() if k == "runserver" or k in args.only}
    # Rounds, each in a rotated order, so a noisy neighbour on a shared machine does not
    # land on one server only; a server's figure pools its rounds.
    load_before = os.getloadavg()[0]
    runs: dict[str, list[dict]] = {name: [] for name in chosen}
    names = list(chosen)
    for round_ in range(args.rounds):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            row = measure(name, chosen[name][1], args, path, fields, survey, data_dir)
            connection.close()
            runs[name].append(row)
            print(
                f"{name:14} {row['rate']:7.1f} answers/s  accepted {row['accepted']:,} stored "
                f"{row['stored']:,} lost {row['lost']} not found {row['missing']}  "
                f"CPU ms/answer: web {row['web_ms']:.2f} worker {row['worker_ms']:.2f} "
                f"clients {row['client_ms']:.2f}  errors {row['errors']} "
                f"{row['error_text']}  p50 {row['p50']:.0f} ms p95 {row['p95']:.0f} ms "
                f"max {row['max']:.0f} ms  "
                f"exit {row['exit']}",
                flush=True,
            )
            time.sleep(1)
    rows = [pool(name, rows) for name, rows in runs.items()]
    load_after = os.getloadavg()[0]

    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite, WAL"
    baseline = rows[0]["rate"] or float("nan")
    lines = [
        f"## Web servers: public answers ({database})\n",
        f"`python benchmarks/bench_serve.py --seconds {args.seconds:g} --clients {args.clients} "
        f"--rounds {args.rounds}"
        + (" --database-url postgres://…" if args.database_url else "")
        + "`: each server as a child process on a free port, serving the same survey on the "
        f"same database ({database}) with the task worker beside it (it reads each comment as "
        f"it arrives); {args.clients} respondents in the benchmark's process ("
        + (
            "tasks of one asyncio event loop writing HTTP/1.1 requests by hand"
            if args.client == "asyncio"
            else "one thread each, with http.client"
        )
        + "), each loading the survey page and then sending its answers, every request a "
        "whole HTTP/1.1 request on a new TCP connection (as separate phones make), for "
        f"{args.seconds:g} s per server and round ({args.rounds} rounds, each in a rotated "
        "order, after a warm-up that is checked for losses but not timed). Clients, server and worker share the machine's "
        f"{cores} cores (with whatever else runs there: the 1-minute load average was "
        f"{load_before:.1f} before the run and {load_after:.1f} at its end). The per-address "
        "rate limit is lifted for the run. Every accepted answer (a thank-you page) is then "
        "looked for in the database by its fingerprint (the survey, its answers and its "
        "form's submission key); *lost* counts those not found. CPU is user + system time "
        "per answer stored, read from /proc during the timed run: the server's processes, the "
        "task worker, and the respondents' own process (the worker's work left when the run "
        "ends is not in it).\n",
        "| server | answers stored/s (each round) | × baseline | accepted / stored | lost "
        "| errors | answer p50 / p95 / slowest (worst round) | CPU ms per answer: server "
        "/ worker / respondents |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        what = chosen[row["name"]][0]
        lines.append(
            f"| {what} | {row['rate']:.1f} ({row['rates']}) | {row['rate'] / baseline:.1f} | "
            f"{row['accepted']:,} / {row['stored']:,} | {max(row['lost'], row['missing'])} | "
            f"{row['errors']}" + (f" ({row['error_text']})" if row["error_text"] else "") + " | "
            f"{row['p50']:.0f} ms / {row['p95']:.0f} ms / {row['max']:.0f} ms | "
            f"{row['web_ms']:.1f} / {row['worker_ms']:.1f} / {row['client_ms']:.1f} |"
        )
    section = "serve-postgres" if args.database_url.startswith("postgres") else "serve"
    if not args.no_write:
        write_section(section, "\n".join(lines) + "\n")
        print(f"wrote docs/benchmarks.md ({section})")
    return 0 if all(row["lost"] == 0 and row["missing"] == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
