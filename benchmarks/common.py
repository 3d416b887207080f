"""Shared plumbing for benchmark scripts: a scratch Django set-up, the machine's description,
and writing one section of docs/benchmarks.md without touching the others."""

import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
TITLE = (
    "# Benchmarks\n\n"
    "Each section is written by one script in `benchmarks/` (`make bench` runs them all). "
    "Machines here are shared and noisy, so each figure is compared with a baseline measured "
    "in the same run.\n"
)


def scratch_django(database_url: str | None = None, copy_of: Path | None = None) -> Path:
    """Point Rapport at a fresh temporary data directory, set Django up and migrate.
    copy_of: a data directory kept by an earlier run, copied in first (its SQLite database)."""
    sys.path.insert(0, str(ROOT))
    data_dir = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    if copy_of is not None:
        shutil.copytree(copy_of, data_dir, dirs_exist_ok=True)
    os.environ["RAPPORT_DATA_DIR"] = str(data_dir)
    os.environ["RAPPORT_DATABASE_URL"] = database_url or ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    import django

    django.setup()
    from rapport.lib.commands import migrate

    migrate()
    return data_dir


def open_survey():
    """A new business with an open customer NPS survey, after scratch_django: the survey, its
    two answer fields (score, reason) and its public link's path."""
    from rapport.accounts.actions import create_workspace
    from rapport.accounts.models import User
    from rapport.feedback import actions
    from rapport.feedback.choices import SurveyStatus

    owner = User.objects.create_user("owner@example.com", "bench-password-123", name="Owner")
    workspace = create_workspace("Bench Bakery", "bench", owner=owner)
    survey = actions.create_survey(workspace, blueprint="customer_nps")
    actions.set_status(survey, SurveyStatus.OPEN)
    fields = (
        f"q{survey.questions.get(key='nps').pk}",
        f"q{survey.questions.get(key='reason').pk}",
    )
    return survey, fields, f"/s/{survey.public_token}/"


@contextmanager
def rapport_serve(port: int, log_path: Path, env: dict | None = None):
    """`rapport serve` on 127.0.0.1:``port`` (the web server and its task worker) as a child
    process writing to ``log_path``, stopped with SIGTERM (so its worker stops too) when the
    block ends."""
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "rapport.cli", "serve", "--addr", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield server
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=90)
            except subprocess.TimeoutExpired:
                server.kill()


def machine() -> str:
    """The machine in one phrase: cores, CPU model, Python, SQLite, system."""
    import sqlite3

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()}"
    )


def timed(fn, repeat: int = 20) -> float:
    """Median wall time of ``fn()`` in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def write_section(name: str, body: str) -> None:
    """Replace the text between this section's markers in docs/benchmarks.md."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    stamp = f"_Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}._\n\n"
    body = body.strip()
    # The stamp goes under the section's heading, when it has one.
    heading = ""
    if body.startswith("#"):
        heading, _, body = body.partition("\n")
        heading, body = heading + "\n\n", body.lstrip("\n")
    block = f"{start}\n{heading}{stamp}{body}\n{end}"
    text = REPORT.read_text() if REPORT.exists() else TITLE
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text)


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds: user + system) of a live process, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> dict[int, tuple[str, float]]:
    """Every live process under ``root`` (itself included): pid → (command line, CPU
    seconds so far). Linux only; empty elsewhere."""
    if not Path("/proc").is_dir():
        return {}
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            parents[int(entry.name)], cpu[int(entry.name)] = stat
    inside, found = {root}, True
    while found:
        found = False
        for pid, parent in parents.items():
            if parent in inside and pid not in inside:
                inside.add(pid)
                found = True
    out = {}
    for pid in inside & cpu.keys():
        try:
            line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        out[pid] = (line, cpu[pid])
    return out


def cpu_by_role(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds spent between two ``tree_cpu`` readings, by role: "web" (the gunicorn or
    other server processes), "worker" (the task worker) and "other" (the parent waiting)."""
    roles = {"web": 0.0, "worker": 0.0, "other": 0.0}
    for pid, (line, seconds) in after.items():
        spent = seconds - before.get(pid, (line, 0.0))[1]
        if "rapport.cli worker" in line:
            roles["worker"] += spent
        elif "rapport.cli serve" in line:
            roles["other"] += spent
        else:
            roles["web"] += spent
    return roles
