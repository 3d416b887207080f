"""``rapport worker``: run background task workers (several processes, with recovery and
retries: running.py), optionally the clock, or show what the queue holds."""

import argparse
import os
import signal
import subprocess
import sys
import threading


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="run background task workers (reading messages, imports, e-mails, dashboards)",
        description=(
            "Run the background work: reading messages, imports, e-mails, dashboards and "
            "predictions. Run it on as many machines as you like against one PostgreSQL "
            "database: each task is taken by one worker, a task whose worker died is run "
            "again, and a task that failed for a passing reason (database busy, e-mail server "
            "down) is tried again later. `rapport serve` starts one beside the web server."
        ),
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="worker processes to run on this machine (default: 1; about one per CPU core)",
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="how long an idle worker waits before looking for new tasks (default: 0.5)",
    )
    parser.add_argument(
        "--clock",
        action="store_true",
        help="also queue the periodic tasks every 5 minutes (survey rounds, mailboxes, "
        "dashboards, digests); several clocks on several machines queue each tick once",
    )
    parser.add_argument(
        "--until-empty",
        action="store_true",
        help="stop once no task is waiting (for scripts and benchmarks)",
    )
    parser.add_argument(
        "--status",
        action="store_true",
        help="show the workers alive, the tasks waiting, running and failed, then exit",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        metavar="N",
        help="run at a lower CPU priority (0 to 19, as the nice command): the web server "
        "beside it answers first, and the background work catches up when it is quiet "
        "(`rapport serve` uses 10)",
    )
    # The processes started by --processes: their parent checked the migrations already.
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler=worker_command)


def worker_command(args) -> int:
    from rapport.lib.commands import CommandError

    if not 0 <= args.nice <= 19:
        raise CommandError(f"--nice must be between 0 and 19, got {args.nice}")
    if args.nice:
        # First, so that all the worker does yields to the web server, its check of the
        # migrations included; inherited by the --processes children and the clock's thread.
        os.nice(args.nice)
    # Workers never migrate: on several machines two would race. `rapport serve` (or
    # `rapport manage migrate`) does; until then a worker stops with a clear word, and a
    # service manager starts it again.
    if not args.child and not migrated():
        raise CommandError(
            "the database is not migrated yet: `rapport serve` migrates it on start, or run "
            "`rapport manage migrate`; then start the worker again"
        )
    if args.status:
        from rapport.workers.status import status_lines

        print("\n".join(status_lines()))
        return 0
    if args.processes < 1:
        raise CommandError("--processes must be at least 1")
    if args.interval < 0:
        raise CommandError("--interval must be 0 or more seconds")
    stop = threading.Event()
    if args.clock:
        start_clock(stop)
    try:
        if args.processes == 1:
            from rapport.workers.running import run_worker

            run_worker(interval=args.interval, until_empty=args.until_empty)
            return 0
        return run_processes(args)
    finally:
        stop.set()


def migrated() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def start_clock(stop: threading.Event) -> None:
    from rapport.lib.clock import start_clock as start
    from rapport.lib.serving import CLOCK_SECONDS, clock_tasks
    from rapport.workers.clock import once_per_period

    jobs = [
        once_per_period(task.module_path, CLOCK_SECONDS, task.enqueue) for task in clock_tasks()
    ]
    start(jobs, stop, every=CLOCK_SECONDS)


def run_processes(args) -> int:
    """Run ``args.processes`` single workers as child processes until they all stop; SIGTERM
    or Ctrl-C stops them gracefully (each finishes its task). A child that dies (killed, out
    of memory) is started again; its task is put back by the others' recovery."""
    command = [sys.executable, "-m", "rapport.cli", "worker", "--child"]
    command += ["--interval", str(args.interval)]
    if args.until_empty:
        command.append("--until-empty")
    env = {k: v for k, v in os.environ.items() if k != "RAPPORT_WORKER_ID"}

    def start() -> subprocess.Popen:
        return subprocess.Popen(command, env=env)  # noqa: S603 - our own interpreter and module

    children = [start() for _ in range(args.processes)]
    stopping = threading.Event()

    def forward(signum, _frame):
        stopping.set()
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    codes: dict[int, int] = {}
    while len(codes) < len(children):
        for i, child in enumerate(children):
            if i in codes or (code := child.poll()) is None:
                continue
            if code < 0 and not stopping.is_set() and not args.until_empty:
                print(f"rapport worker: a worker process was killed ({-code}); starting another")
                children[i] = start()
            else:
                codes[i] = code
        stopping.wait(0.5)
    return max(codes.values(), default=0)
