"""Real `rapport worker` processes against the test database, for the tests of several
workers and of workers killed mid-task.

The workers are other processes, so they must see the test's rows: the tests use
``transactional_db`` (rows are committed), and on SQLite, whose test database lives in this
process's memory, ``worker_database`` copies it to a file (SQLite's online backup) and points
this process at that file for the test, then back.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def worker_database(transactional_db, tmp_path):
    """The URL of a database that this test and `rapport worker` processes share."""
    conn = connections["default"]
    settings = conn.settings_dict
    if conn.vendor != "sqlite":
        user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        yield f"postgres://{user}@{settings['HOST'] or 'localhost'}{port}/{settings['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    conn.ensure_connection()
    target = sqlite3.connect(path)
    conn.connection.backup(target)
    target.close()
    memory, name = conn.connection, settings["NAME"]
    conn.connection = None  # closing it would drop the in-memory test database
    settings["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        conn.close()
        settings["NAME"] = name
        conn.connection = memory


def start_worker(url: str, tmp_path, *args: str, **env: str) -> subprocess.Popen:
    """Start `rapport worker` (its log goes to a file in ``tmp_path``)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    clean |= {
        "RAPPORT_DATABASE_URL": url,
        "RAPPORT_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "RAPPORT_TEXT_THREADS": "1",
        **env,
    }
    log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "w")  # noqa: SIM115 - the process keeps it
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "rapport.cli", "worker", "--interval", "0.1", *args],
        cwd=ROOT,
        env=clean,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, timeout: float = 60, every: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def logs(tmp_path) -> str:
    return "\n".join(p.read_text() for p in sorted(tmp_path.glob("worker-*.log")))


# Quick to notice a dead worker, so the kill tests take seconds.
FAST = {"RAPPORT_WORKER_DEAD_AFTER": "2", "RAPPORT_TASK_RETRY_SECONDS": "0.5"}


def kill_mid_task(url: str, tmp_path, started, what: str):
    """Start a worker, wait until ``started()`` holds while its task still runs, SIGKILL it
    there; returns the task it left RUNNING."""
    from django_tasks_db.models import DBTaskResult

    worker = start_worker(url, tmp_path, **FAST)
    try:
        wait_for(
            lambda: started() and DBTaskResult.objects.running().exists(),
            timeout=120,
            every=0.02,
            what=what,
        )
    finally:
        worker.kill()
        worker.wait()
    return DBTaskResult.objects.running().get()


def finish_with_another(url: str, tmp_path, killed, done=lambda: True) -> None:
    """Start a second worker, wait until it has finished ``killed``'s task and ``done()``
    holds, and stop it; the task was taken by both workers."""
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.filter(pk=killed.pk, status="SUCCESSFUL")
    again = start_worker(url, tmp_path, **FAST)
    try:
        wait_for(
            lambda: finished.exists() and done(),
            timeout=120,
            what="the task done by the second worker",
        )
    finally:
        stop(again)
    killed.refresh_from_db()
    assert len(killed.worker_ids) == 2, logs(tmp_path)
