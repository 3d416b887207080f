"""A clock for `rapport serve`: queue background tasks every few minutes from a thread."""

import logging
import threading
from collections.abc import Callable, Sequence


def start_clock(
    jobs: Sequence[Callable[[], object]], stop: threading.Event, every: float
) -> threading.Thread:
    """Call each of ``jobs`` (e.g. ``some_task.enqueue``) now and every ``every`` seconds
    until ``stop`` is set. A failing job is skipped this time and tried again next time."""

    def loop():
        while not stop.is_set():
            for job in jobs:
                try:
                    job()
                except Exception:  # a clock must keep ticking
                    logging.getLogger("rapport.clock").exception("queueing %r failed", job)
            stop.wait(every)

    thread = threading.Thread(target=loop, name="rapport-clock", daemon=True)
    thread.start()
    return thread
