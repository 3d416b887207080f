"""`rapport serve` runs gunicorn, stops gracefully, and keeps Django's server for --dev.
Real child processes on free ports."""

import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 10) -> tuple[int, str]:
    return fetch(port, path, timeout)[:2]


def fetch(port: int, path: str, timeout: float = 10) -> tuple[int, str, str]:
    """(status, body, the Server header)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        reply = conn.getresponse()
        return reply.status, reply.read().decode(), reply.getheader("Server", "")
    finally:
        conn.close()


def children(pid: int) -> list[int]:
    """Every process below ``pid``."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            text = Path(f"/proc/{parent}/task/{parent}/children").read_text()
        except OSError:
            continue
        kids = [int(k) for k in text.split()]
        found += kids
        todo += kids
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, django_db_setup, django_db_blocker):
    """One data folder for the module, its database already migrated: a copy of the suite's
    own when that is SQLite (migrating from nothing takes longer than the tests), else the
    first server migrates it."""
    folder = tmp_path_factory.mktemp("serve")
    from django.db import connection

    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            connection.ensure_connection()
            copy = sqlite3.connect(folder / "rapport.sqlite3")
            connection.connection.backup(copy)
            copy.close()
    return folder


@pytest.fixture
def serve(data_dir):
    """Start `rapport serve <args>` on a free port; wait until it answers; stop it after."""
    started, tmp_path = [], data_dir

    def start(*args, settings="tests.serve_site"):
        port = free_port()
        env = {
            **os.environ,
            "RAPPORT_DATA_DIR": str(tmp_path),
            "RAPPORT_DATABASE_URL": "",  # its own SQLite file, whatever the suite runs on
            "DJANGO_SETTINGS_MODULE": settings,
            "PYTHONPATH": str(ROOT),
        }
        log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed with the server
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "rapport.cli", "serve", "--addr", f"127.0.0.1:{port}", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append((server, log))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                get(port, "/login/", timeout=2)
                return server, port
            except OSError:
                time.sleep(0.2)
        raise AssertionError("rapport serve did not answer within 60 s")

    yield start
    for server, log in started:
        if server.poll() is None:
            for pid in children(server.pid):
                os.kill(pid, signal.SIGKILL)
            server.kill()
        server.wait()
        log.close()


def test_serve_answers_pages_and_static_files_with_gunicorn(serve):
    server, port = serve("--workers", "2")
    status, page, software = fetch(port, "/login/")
    assert status == 200 and "<form" in page and software == "gunicorn"
    assert get(port, "/static/rapport/htmx.min.js")[0] == 200
    commands = [Path(f"/proc/{pid}/cmdline").read_text() for pid in children(server.pid)]
    assert any("gunicorn" in c for c in commands), commands
    assert any("rapport.cli\x00worker\x00--clock" in c for c in commands), commands


def test_the_task_worker_yields_the_cpu_to_the_web_server(serve):
    server, port = serve("--workers", "1")
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    # The worker lowers its own priority once it has started (on PostgreSQL, after it has
    # checked the migrations), which can be after the web server first answers.
    deadline = time.monotonic() + 30
    while True:
        niceness = {}
        for pid in children(server.pid):
            command = Path(f"/proc/{pid}/cmdline").read_text()
            kind = "worker" if "rapport.cli\x00worker" in command else "web"
            niceness.setdefault(kind, set()).add(os.getpriority(os.PRIO_PROCESS, pid))
        if niceness.get("worker") == {ours + 10} or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert niceness["web"] == {ours}, niceness
    assert niceness["worker"] == {ours + 10}, niceness


def test_sigterm_lets_a_request_in_flight_finish_then_stops_everything(serve):
    server, port = serve("--workers", "1")
    below = children(server.pid)
    assert len(below) >= 3  # gunicorn's arbiter, its worker, the task worker
    answer = {}
    request = threading.Thread(target=lambda: answer.update(reply=get(port, "/slow/")))
    request.start()
    time.sleep(0.5)  # the request is in the view now
    server.send_signal(signal.SIGTERM)
    request.join(15)
    assert answer.get("reply") == (200, "finished")
    assert server.wait(timeout=30) == 0
    assert not any(alive(pid) for pid in below)


def test_nothing_is_left_behind_when_serve_itself_is_killed(serve):
    server, port = serve("--workers", "1")
    below = children(server.pid)
    assert len(below) >= 3
    server.kill()  # SIGKILL: no chance to stop its children itself
    server.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in below if alive(pid)]
    for pid in left:  # the fixture cannot find them once their parent is gone
        os.kill(pid, signal.SIGKILL)
    assert not left
    with pytest.raises(OSError):
        get(port, "/login/", timeout=2)


def test_dev_serves_with_djangos_development_server_and_no_worker(serve):
    server, port = serve("--dev", "--no-worker")
    status, _, software = fetch(port, "/login/")
    assert status == 200 and software.startswith("WSGIServer")
    commands = [Path(f"/proc/{pid}/cmdline").read_text() for pid in children(server.pid)]
    assert commands == []  # runserver runs in the process itself; no worker beside it
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=15) == 0
