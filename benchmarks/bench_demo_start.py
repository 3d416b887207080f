"""Benchmark: how long `rapport demo` takes before its first page, on a fresh installation.

    python benchmarks/bench_demo_start.py [--as-of YYYY-MM-DD] [--no-write]

Runs `rapport demo --addr 127.0.0.1:<port>` twice, each time in a fresh data directory
(a new SQLite file, so each run migrates and generates the demo): first with
`--read-first`, which reads every message before serving (what `rapport demo` did until
December 2026: the baseline), then as it is now, serving first and leaving the reading to
the background worker. For each it times the seconds from the start of the command until
the login page answers 200, and, for the second, until the background worker has read
every message (the task `analyze_workspace` done, looked up in the SQLite file). Rewrites
the "Demo: time to the first page" section of docs/benchmarks.md unless --no-write.
"""

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_answers import free_port  # noqa: E402
from common import ROOT, write_section  # noqa: E402

LIMIT = 600  # seconds a run may take before it is reported as not ready


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def read_everything(data_dir: Path) -> bool:
    """Whether the background worker has finished reading the demo's messages."""
    try:
        with sqlite3.connect(data_dir / "rapport.sqlite3", timeout=1) as db:
            (done,) = db.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path ="
                " 'rapport.understanding.tasks.analyze_workspace' AND status = 'SUCCESSFUL'"
            ).fetchone()
        return done > 0
    except sqlite3.Error:
        return False


def run(extra: list[str], as_of: str, wait_for_reading: bool) -> dict:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="rapport-demo-start-") as tmp:
        data_dir = Path(tmp)
        env = {
            **os.environ,
            "RAPPORT_DATA_DIR": str(data_dir),
            "RAPPORT_DATABASE_URL": "",
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "rapport.cli", "demo", "--addr", f"127.0.0.1:{port}"]
        command += ["--as-of", as_of, *extra]
        with open(data_dir / "demo.log", "w") as log:
            began = time.perf_counter()
            server = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            result: dict = {"command": " ".join(["rapport demo", *extra])}
            try:
                while time.perf_counter() - began < LIMIT:
                    if server.poll() is not None:
                        result["failed"] = f"exited with {server.returncode}"
                        break
                    if "first_page_s" not in result and answers(f"http://127.0.0.1:{port}/login/"):
                        result["first_page_s"] = time.perf_counter() - began
                        print(
                            f"  {result['command']}: first page after {result['first_page_s']:.1f} s"
                        )
                        if not wait_for_reading:
                            break
                    if "first_page_s" in result and read_everything(data_dir):
                        result["read_s"] = time.perf_counter() - began
                        print(
                            f"  {result['command']}: every message read after {result['read_s']:.1f} s"
                        )
                        break
                    time.sleep(0.5)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
            result["log"] = (data_dir / "demo.log").read_text()[-2000:]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", default="2025-06-30", help="the demo's 'today'")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    load = [os.getloadavg()[0]]
    before = run(["--read-first"], args.as_of, wait_for_reading=False)
    now = run([], args.as_of, wait_for_reading=True)
    load.append(os.getloadavg()[0])

    def cell(r: dict, key: str) -> str:
        if key in r:
            return f"{r[key]:.0f} s"
        return r.get("failed", f"not within {LIMIT} s")

    lines = [
        "## Demo: time to the first page",
        "",
        f"`python benchmarks/bench_demo_start.py`: `rapport demo --as-of {args.as_of}` on a "
        "fresh installation (a new SQLite file: migrate, generate, serve), timed from the "
        "start of the command until the login page answers. The baseline, in the same run, "
        "is `--read-first`: every message read before serving, as `rapport demo` did until "
        f"December 2026. 1-minute load average {load[0]:.1f} before and {load[1]:.1f} after.",
        "",
        "| command | first page | every message read |",
        "|---|---:|---:|",
        f"| `{before['command']}` (baseline) | {cell(before, 'first_page_s')} | before serving |",
        f"| `{now['command']}` | {cell(now, 'first_page_s')} | {cell(now, 'read_s')} |",
    ]
    for r in (before, now):
        if "failed" in r:
            print(r["log"], file=sys.stderr)
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section("demo-start", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
