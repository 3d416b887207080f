"""Serving the web app with a task worker and a clock beside it (`rapport serve`, `rapport demo`).

The web server is gunicorn (threaded workers, several processes), chosen by measurement:
benchmarks/bench_serve.py and docs/benchmarks.md. It runs as a child process in a process
group of its own, so Ctrl-C and SIGTERM reach this process only, which then asks gunicorn to
stop gracefully: requests in flight finish (up to ``GRACE_SECONDS``), then the task worker and
the clock stop. On Linux each child is also asked to stop (SIGTERM) by the kernel when this
process dies without a word (SIGKILL, out of memory), so no server is left behind holding
the port. ``--dev`` keeps Django's development server instead.

The task worker (`rapport worker --clock`, rapport/workers/) runs the clock, which queues
each app's periodic tasks: an app lists them, by dotted path, in its
``AppConfig.clock_tasks`` (recurring survey rounds, mailboxes, the dashboards' snapshots), so
this module names no app.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading

from rapport.lib.commands import CommandError, migrate

# How often the clock (rapport/workers/cli.py) queues the periodic tasks.
CLOCK_SECONDS = 5 * 60
# How long requests in flight may take to finish once the server is asked to stop.
GRACE_SECONDS = 30
# The task worker's CPU priority beside the web server (as `nice`): on a small machine a
# burst of answers is stored first, and reading their comments waits until the burst is over.
WORKER_NICENESS = 10
# Threads per web process: requests mostly wait on the database, a few per process overlap.
THREADS = 4


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


def default_workers() -> int:
    """Web processes for this machine: one per core, at least 2 (one busy process never
    stalls the site), at most 8 (each holds the app in memory)."""
    return max(2, min(os.cpu_count() or 1, 8))


def split_addr(addr: str) -> tuple[str, int]:
    """``"127.0.0.1:8000"``, ``"0.0.0.0:80"`` or ``"8000"`` → (host, port)."""
    host, _, port = addr.rpartition(":")
    try:
        number = int(port)
    except ValueError:
        raise CommandError(f"--addr must look like 127.0.0.1:8000, got {addr!r}")
    if not 0 < number < 65536:
        raise CommandError(f"--addr: port {number} is not between 1 and 65535")
    return host.strip("[]") or "127.0.0.1", number


def check_free(host: str, port: int) -> None:
    """Fail with one line, before anything starts, when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(f"cannot listen on {host}:{port}: {error.strerror}")


def web_command(host: str, port: int, workers: int) -> list[str]:
    """The gunicorn command line serving ``rapport.wsgi`` (static files by whitenoise)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable, "-m", "gunicorn", "rapport.wsgi:application",
        "--bind", bind,
        "--worker-class", "gthread", "--workers", str(workers), "--threads", str(THREADS),
        "--graceful-timeout", str(GRACE_SECONDS),
        "--no-control-socket",
    ]  # fmt: skip


def worker_command() -> list[str]:
    """The task worker and clock that run beside the web server, at a lower CPU priority."""
    return [
        sys.executable, "-m", "rapport.cli", "worker", "--clock", "--interval", "0.5",
        "--nice", str(WORKER_NICENESS),
    ]  # fmt: skip


def _stop_with_parent() -> None:
    """In the child, before it runs (Linux): SIGTERM when the parent dies, however it dies.
    Elsewhere nothing: a service manager (systemd, Docker) stops the whole group there."""
    if sys.platform != "linux":
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def serve_web(addr: str, *, workers: int | None = None, dev: bool = False, worker=True) -> int:
    """Serve the web app (gunicorn, or Django's development server with ``dev``) with a
    background task worker and the clock beside it unless ``worker`` is False, until Ctrl-C
    or SIGTERM; then stop gracefully. Returns the exit status."""
    host, port = split_addr(addr)
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise CommandError(f"--workers must be 1 or more, got {workers}")
    if warning := secret_key_warning():
        print(warning, file=sys.stderr)
    migrate()
    check_free(host, port)
    stopping = threading.Event()
    tasks = None

    def on_stop(*_):
        # Stopped by a service manager (SIGTERM) or Ctrl-C: the worker finishes its task
        # while the web server finishes its requests, and neither is left behind.
        stopping.set()
        if tasks is not None and tasks.poll() is None:
            tasks.terminate()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_stop)
    if worker:
        tasks = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            worker_command(),
            preexec_fn=_stop_with_parent,  # noqa: PLW1509 - no thread of ours runs yet
        )
    try:
        if dev:
            return _serve_dev(host, port)
        return _serve_production(host, port, workers, stopping)
    finally:
        if tasks is not None:
            if tasks.poll() is None:
                tasks.terminate()
            try:
                tasks.wait(timeout=GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                tasks.kill()
                tasks.wait()


def _serve_production(host: str, port: int, workers: int, stopping: threading.Event) -> int:
    print(
        f"Serving on http://{host}:{port}/ with {workers} web processes of {THREADS} threads "
        "(gunicorn); Ctrl-C to stop.",
        flush=True,
    )
    # A process group of its own: Ctrl-C in the terminal reaches this process only, which
    # asks gunicorn for its graceful stop (SIGTERM) rather than its quick one (SIGINT).
    web = subprocess.Popen(  # noqa: S603 - gunicorn with our own arguments
        web_command(host, port, workers),
        process_group=0,
        preexec_fn=_stop_with_parent,  # noqa: PLW1509 - no thread of ours runs yet
    )
    try:
        while web.poll() is None and not stopping.wait(0.2):
            pass
    finally:
        if web.poll() is None:
            web.send_signal(signal.SIGTERM)
        try:
            web.wait(timeout=GRACE_SECONDS + 10)
        except subprocess.TimeoutExpired:
            web.kill()
            web.wait()
    if not stopping.is_set():
        raise CommandError(f"the web server stopped unexpectedly (exit status {web.returncode})")
    return 0 if web.returncode == 0 else 1


def _serve_dev(host: str, port: int) -> int:
    """Django's development server (one process, threaded), for working on Rapport itself."""
    from django.core.management import call_command

    # runserver stops on KeyboardInterrupt; SIGTERM does the same.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
    return 0
