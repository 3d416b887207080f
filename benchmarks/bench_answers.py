"""Sustained public answers per second on the embedded default (SQLite), with none lost.

    python benchmarks/bench_answers.py [--seconds 30] [--clients 8]

The server is the real one: `rapport serve` (gunicorn, several processes, with the task worker
beside it) on a fresh SQLite database in a temporary data folder, with an open survey. This
process then plays the respondents over loopback (tasks of one asyncio event loop; each
request is a whole HTTP/1.1 request on a new TCP connection, as separate phones make): each
client loads the survey page and sends its answers, again and again until the time is up. A third of the
answers carry a comment; the rest are a bare score, so many respondents send identical
answers, which must all be kept. The per-address rate limit is lifted for the run through
`RAPPORT_ANSWER_RATE` (every client shares 127.0.0.1).

At the end the server is stopped and the responses in the database are counted, and each
answer the server accepted (a 2xx thanks page) is looked for by its fingerprint: every one
must be there, and nothing else.
"""

import argparse
import asyncio
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
        # Each accepted answer as sent: (its submission key, {field: value}), to be found
        # stored one by one afterwards (stored_check).
        self.kept: list[tuple[str, dict]] = []
        # CPU seconds (user + system) the clients' own process spent while they ran.
        self.client_cpu = 0.0

    def error(self, what: str):
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def _answers(rng, fields, key: str) -> dict:
    nps, reason = fields
    answers = {"submission": key, nps: str(rng.choice([10, 10, 9, 9, 8, 7, 6, 3]))}
    if rng.random() < 1 / 3:
        answers[reason] = rng.choice(COMMENTS)
    return answers


def _thanked(status: int, page: str) -> bool:
    return 200 <= status < 300 and "Thank you" in page and "already have" not in page


def _got_page(tally, status, page, took) -> str | None:
    """Count a survey page; its submission key, or None (an error counted) when it has none."""
    with tally.lock:
        tally.pages += 1
        tally.get_s.append(took)
    key = re.search(r'name="submission" value="([^"]+)"', page)
    if status != 200 or not key:
        tally.error(f"GET {status}")
        return None
    with tally.lock:
        tally.sent += 1
    return key.group(1)


def _got_reply(tally, status, page, took, answers) -> None:
    if _thanked(status, page):
        with tally.lock:
            tally.accepted += 1
            tally.post_s.append(took)
            tally.kept.append((answers["submission"], answers))
    else:
        tally.error(f"POST {status}")


def respondent(port, path, fields, deadline, tally, seed):
    """One respondent in a thread, with http.client (the older, heavier client)."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        try:
            key = _got_page(tally, *request(port, "GET", path))
            if key is None:
                continue
            answers = _answers(rng, fields, key)
            _got_reply(tally, *request(port, "POST", path, urlencode(answers)), answers)
        except OSError as error:
            tally.error(type(error).__name__)


async def fetch(port: int, method: str, path: str, body: bytes = b"") -> tuple[int, str, float]:
    """One HTTP/1.1 request on a fresh TCP connection (``Connection: close``), written and
    read by hand: (status, body text, seconds). A reply cut short raises ConnectionError."""
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        if body:
            head += (
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n"
            )
        writer.write(head.encode() + b"\r\n" + body)
        reply = await reader.read(-1)  # until the server closes the connection
    finally:
        writer.close()
    took = time.perf_counter() - start
    header, _, content = reply.partition(b"\r\n\r\n")
    length = re.search(rb"\r\ncontent-length: *(\d+)", header, re.I)
    if not header.startswith(b"HTTP/1.") or (length and int(length.group(1)) != len(content)):
        raise ConnectionError("reply cut short")
    return int(header[9:12]), content.decode("utf-8", "replace"), took


async def respondent_async(port, path, fields, deadline, tally, seed):
    """One respondent as an asyncio task: the same requests as ``respondent``."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        try:
            key = _got_page(tally, *await fetch(port, "GET", path))
            if key is None:
                continue
            answers = _answers(rng, fields, key)
            body = urlencode(answers).encode()
            _got_reply(tally, *await fetch(port, "POST", path, body), answers)
        except OSError as error:
            tally.error(type(error).__name__)


async def _all_async(args, port, path, fields, deadline, tally):
    await asyncio.gather(
        *(respondent_async(port, path, fields, deadline, tally, i) for i in range(args.clients))
    )


def run_clients(args, port, path, fields, server, tally):
    """Play the respondents until the time is up; returns (seconds, load before, load after).
    ``args.client``: "asyncio" (every respondent a task of one event loop in this process)
    or "threads" (one thread each, http.client). Either way each request is a whole HTTP
    request on a new TCP connection, as separate phones make."""
    wait_until_up(port, path, server)
    kind = getattr(args, "client", "asyncio")
    print(f"server is up on port {port}; {args.clients} {kind} clients for {args.seconds:g} s")
    load_before = os.getloadavg()[0]
    cpu = time.process_time()
    start = time.monotonic()
    deadline = start + args.seconds
    if kind == "asyncio":
        asyncio.run(_all_async(args, port, path, fields, deadline, tally))
    else:
        clients = [
            threading.Thread(target=respondent, args=(port, path, fields, deadline, tally, i))
            for i in range(args.clients)
        ]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
    elapsed = time.monotonic() - start
    tally.client_cpu += time.process_time() - cpu
    return elapsed, load_before, os.getloadavg()[0]


def stored_check(survey, tally) -> int:
    """How many accepted answers are not stored, each looked for by its fingerprint (the
    survey, the answers as the server cleans them, and the form's submission key)."""
    from rapport.feedback import actions
    from rapport.feedback.models import Response

    questions = list(survey.questions.all())
    stored = set(Response.objects.filter(survey=survey).values_list("fingerprint", flat=True))
    missing = 0
    for key, answers in tally.kept:
        raw = {q: answers.get(f"q{q.pk}", "") for q in questions}
        clean, errors = actions.clean_answers(questions, raw)
        if errors or actions.fingerprint(survey, clean, f":{key}") not in stored:
            missing += 1
    return missing


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
    lost = max(tally.accepted - stored, stored_check(survey, tally))
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
        f"{args.clients} clients in another process on loopback (tasks of one asyncio event "
        "loop, each request a whole HTTP/1.1 request on a new TCP connection; they took "
        f"{tally.client_cpu * 1000 / max(stored, 1):.2f} ms of CPU per answer stored), each "
        "loading the survey page and then sending its answers, over and over for "
        f"{elapsed:.0f} s; each accepted answer is then looked for by its fingerprint. A third of the "
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
