"""Sustained public answers per second on the embedded default (SQLite), with none lost.

    python benchmarks/bench_answers.py [--seconds 30] [--clients 8]

The server is the real one: `rapport serve` (gunicorn, several processes, with the task worker
beside it) on a fresh SQLite database in a temporary data folder, with an open survey. This
process then plays the respondents over loopback: each client loads the survey page, as a
phone does, and sends its answers, again and again until the time is up. A third of the
answers carry a comment; the rest are a bare score, so many respondents send identical
answers, which must all be kept. The per-address rate limit is lifted for the run through
`RAPPORT_ANSWER_RATE` (every client shares 127.0.0.1).

At the end the server is stopped and the responses in the database are counted: every
answer the server accepted (a 2xx thanks page) must be there, and nothing else.
"""

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import open_survey, rapport_serve, scratch_django, write_section  # noqa: E402

COMMENTS = [
    "The sourdough was perfect this morning.",
    "Queue was long at 8, but the staff were lovely.",
    "Could you keep some croissants for late risers?",
    "Coffee was cold and nobody noticed.",
    "Best bakery in the neighbourhood, thank you!",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None):
    """One request on a fresh connection, as separate phones make. Returns (status, text, s)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        text = reply.read().decode("utf-8", "replace")
        return reply.status, text, time.perf_counter() - start
    finally:
        conn.close()


def wait_until_up(port, path, server, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"rapport serve exited with {server.returncode}")
        try:
            if request(port, "GET", path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("rapport serve did not answer in time")


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = self.accepted = self.pages = 0
        self.post_s, self.get_s = [], []
        self.errors: dict[str, int] = {}

    def error(self, what: str):
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def respondent(port, path, fields, deadline, tally, seed):
    rng = random.Random(seed)
    nps, reason = fields
    while time.monotonic() < deadline:
        try:
            status, page, took = request(port, "GET", path)
        except OSError as error:
            tally.error(type(error).__name__)
            continue
        with tally.lock:
            tally.pages += 1
            tally.get_s.append(took)
        key = re.search(r'name="submission" value="([^"]+)"', page)
        if status != 200 or not key:
            tally.error(f"GET {status}")
            continue
        answers = {"submission": key.group(1), nps: str(rng.choice([10, 10, 9, 9, 8, 7, 6, 3]))}
        if rng.random() < 1 / 3:
            answers[reason] = rng.choice(COMMENTS)
        with tally.lock:
            tally.sent += 1
        try:
            status, page, took = request(port, "POST", path, urlencode(answers))
        except OSError as error:
            tally.error(type(error).__name__)
            continue
        if 200 <= status < 300 and "Thank you" in page and "already have" not in page:
            with tally.lock:
                tally.accepted += 1
                tally.post_s.append(took)
        else:
            tally.error(f"POST {status}")


def run_clients(args, port, path, fields, server, tally):
    """Play the respondents until the time is up; returns (seconds, load before, load after)."""
    wait_until_up(port, path, server)
    print(f"rapport serve is up on port {port}; {args.clients} clients for {args.seconds:g} s")
    load_before = os.getloadavg()[0]
    start = time.monotonic()
    deadline = start + args.seconds
    clients = [
        threading.Thread(target=respondent, args=(port, path, fields, deadline, tally, i))
        for i in range(args.clients)
    ]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    return time.monotonic() - start, load_before, os.getloadavg()[0]


def percentile(samples, q):
    if not samples:
        return float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    data_dir = scratch_django()
    from rapport.feedback.models import Response

    survey, fields, path = open_survey()

    port = free_port()
    log_path = data_dir / "serve.log"
    tally = Tally()
    with rapport_serve(port, log_path, {"RAPPORT_ANSWER_RATE": "1000000000/1"}) as server:
        elapsed, load_before, load_after = run_clients(args, port, path, fields, server, tally)

    stored = Response.objects.filter(survey=survey).count()
    lost = tally.accepted - stored
    errors = sum(tally.errors.values())
    rate = stored / elapsed
    error_text = ", ".join(f"{k}: {v}" for k, v in sorted(tally.errors.items())) or "none"
    print(
        f"sent {tally.sent}, accepted {tally.accepted}, stored {stored} ({rate:.1f}/s), "
        f"lost {lost}, errors {error_text}; data in {data_dir}, server log {log_path}"
    )
    p50, p95 = percentile(tally.post_s, 50), percentile(tally.post_s, 95)
    g50, g95 = percentile(tally.get_s, 50), percentile(tally.get_s, 95)
    verdict = "none lost" if lost == 0 else f"**{lost} lost**"
    body = (
        "## Public answers (SQLite)\n\n"
        "`python benchmarks/bench_answers.py`: `rapport serve` (gunicorn, several processes, with "
        "the task worker beside it, as shipped) on a fresh SQLite database (WAL); "
        f"{args.clients} clients in another process on loopback, each loading the survey page "
        f"and then sending its answers, over and over for {elapsed:.0f} s. A third of the "
        "answers carry a comment, the rest are a bare score (so many are identical and must "
        "all be kept). The per-address rate limit is lifted for the run. Clients, server and "
        "the worker (reading each answer's text as it arrives) share the machine's cores; "
        f"the 1-minute load average was {load_before:.1f} before the run and "
        f"{load_after:.1f} at its end.\n\n"
        "| measure | value |\n|---|---:|\n"
        f"| answers stored per second | {rate:.1f} |\n"
        f"| answers sent / accepted (2xx) / stored | {tally.sent:,} / {tally.accepted:,} / "
        f"{stored:,} |\n"
        f"| lost (accepted, not stored) | {lost} ({verdict}) |\n"
        f"| errors | {errors} ({error_text}) |\n"
        f"| answer (POST) latency p50 / p95 | {p50:.0f} ms / {p95:.0f} ms |\n"
        f"| survey page (GET) latency p50 / p95 | {g50:.0f} ms / {g95:.0f} ms |\n"
        f"| survey pages served | {tally.pages:,} |\n"
    )
    write_section("answers", body)
    print("wrote docs/benchmarks.md (answers)")
    return 0 if lost == 0 and stored == tally.accepted else 1


if __name__ == "__main__":
    sys.exit(main())
