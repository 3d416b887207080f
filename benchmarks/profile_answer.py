"""What one public answer costs in the server process: CPU milliseconds and database queries.

    python benchmarks/profile_answer.py [--answers 200] [--profile GET|POST] [--top 25]

In-process and single-threaded, so far less noisy than a load test on a shared machine: a
fresh SQLite database with an open NPS survey; Django's test client loads the public survey
page and sends its answers, as `bench_answers.py` does (a third with a comment, scores from
3 to 10, so some ask for a follow-up). Each GET and POST is timed in CPU time (this process
only) and its queries are counted, the commit's callbacks included. What the answer leaves
for the background task worker is then run on its own and timed apart ("worker"): it does
not hold up the respondent. ``--profile`` prints cProfile's top functions of the GETs or
POSTs. Run the same script against another checkout to compare (see docs/benchmarks.md).
"""

import argparse
import cProfile
import pstats
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_answers import COMMENTS  # noqa: E402
from common import open_survey, scratch_django  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--profile", choices=["GET", "POST"])
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    import os

    os.environ.setdefault("RAPPORT_ANSWER_RATE", "1000000000/1")
    scratch_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rapport.feedback.models import Response

    survey, (nps, reason), path = open_survey()
    client = Client()
    rng = random.Random(7)
    profiler = cProfile.Profile() if args.profile else None
    samples = {"GET": ([], []), "POST": ([], [])}

    def timed(method, fn):
        ms, queries = samples[method]
        with CaptureQueriesContext(connection) as captured:
            if profiler and method == args.profile:
                profiler.enable()
            start = time.process_time()
            reply = fn()
            ms.append((time.process_time() - start) * 1000)
            if profiler and method == args.profile:
                profiler.disable()
        queries.append(len(captured.captured_queries))
        return reply

    for i in range(args.answers + 10):
        page = timed("GET", lambda: client.get(path)).content.decode()
        key = re.search(r'name="submission" value="([^"]+)"', page).group(1)
        data = {"submission": key, nps: str(rng.choice([10, 10, 9, 9, 8, 7, 6, 3]))}
        if rng.random() < 1 / 3:
            data[reason] = rng.choice(COMMENTS)
        reply = timed("POST", lambda data=data: client.post(path, data))
        assert reply.status_code == 200 and b"Thank you" in reply.content, reply.status_code
        if i == 9:  # warm-up done: forget the first ten
            for ms, queries in samples.values():
                ms.clear()
                queries.clear()

    stored = Response.objects.filter(survey=survey).count()
    worker_ms = run_worker()
    print(f"{args.answers} answers measured ({stored} stored in all)")
    for method, (ms, queries) in samples.items():
        print(
            f"{method:5} CPU ms median {statistics.median(ms):6.2f}  mean {statistics.mean(ms):6.2f}"
            f"  queries median {statistics.median(queries):4.0f}  max {max(queries)}"
        )
    total = statistics.mean(samples["GET"][0]) + statistics.mean(samples["POST"][0])
    print(f"answer (GET + POST) CPU ms mean {total:.2f} → {1000 / total:.0f} answers/s per core")
    print(f"worker: {worker_ms / stored:.2f} ms per answer for the queued tasks, off the request")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


def run_worker() -> float:
    """Run every task the answers queued, as the worker would; CPU ms in all."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    if type(backend).__name__ != "DatabaseBackend":
        return 0.0
    from django_tasks_db.models import DBTaskResult

    start = time.process_time()
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    return (time.process_time() - start) * 1000


if __name__ == "__main__":
    sys.exit(main())
