"""``rapport worker``: django-tasks-db's worker, plus what several workers on several
machines need.

What django-tasks-db 0.13 does by itself (read from its ``db_worker``): a worker takes the
next READY task inside one transaction — ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL,
``BEGIN EXCLUSIVE`` on SQLite — and marks it RUNNING with its worker id before committing,
so two workers never take the same task. What it does not do: a worker killed mid-task
(SIGKILL, power cut, out of memory) leaves its task RUNNING for ever, and a task that fails
is FAILED for good.

This module adds:

* a heartbeat: each worker writes ``WorkerBeat.seen_at`` six times per
  ``RAPPORT_WORKER_DEAD_AFTER`` (docs/settings.md);
* recovery: a task RUNNING under a worker not seen for ``RAPPORT_WORKER_DEAD_AFTER`` seconds
  goes back to READY to run again, up to ``RAPPORT_TASK_MAX_ATTEMPTS`` runs; after that it
  is FAILED with a plain reason (``rapport worker --status`` lists it);
* retries: a task that fails for a passing reason (the database locked or full, the e-mail
  server unreachable, the work held by another worker) runs again later, waiting
  ``RAPPORT_TASK_RETRY_SECONDS`` × 2ⁿ, up to ``RAPPORT_TASK_MAX_ATTEMPTS`` runs.

The heartbeat (one row per worker) is hand-written: django-tasks has no notion of a worker's
life, and a row in the database the workers already share needs no other service.

Running a task again is safe because every Rapport task is written to be re-run: it works on
what is still pending (messages without a reading, invitations without ``sent_at``, import
batches not yet committed) and each piece is committed in its own transaction.
"""

import contextlib
import datetime as dt
import logging
import os
import smtplib
import socket
import threading
import time

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from rapport.workers.leases import Busy
from rapport.workers.models import WorkerBeat

log = logging.getLogger("rapport.workers")

# Passing failures: worth running the task again later.
PASSING = (OperationalError, smtplib.SMTPException, ConnectionError, TimeoutError, Busy)


INTERRUPTED = {"builtins.SystemExit", "builtins.KeyboardInterrupt"}


class WorkerDied(Exception):
    """Recorded on a task whose worker stopped in the middle of it too many times."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def timings() -> tuple[float, float, float]:
    """Beat, dead-after and first retry wait in seconds (docs/settings.md)."""
    dead_after = settings.RAPPORT_WORKER_DEAD_AFTER
    return dead_after / 6, dead_after, settings.RAPPORT_TASK_RETRY_SECONDS


def max_attempts() -> int:
    return settings.RAPPORT_TASK_MAX_ATTEMPTS


def live_worker_ids(now: dt.datetime, dead_after: float) -> set[str]:
    since = now - dt.timedelta(seconds=dead_after)
    return set(WorkerBeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True))


def recover_orphans(*, now: dt.datetime | None = None, dead_after: float | None = None) -> int:
    """Put back (or fail, after MAX_ATTEMPTS) the tasks RUNNING under a dead worker; returns
    how many. Safe to call from every worker at once: the rows are locked while changed."""
    now = now or timezone.now()
    dead_after = timings()[1] if dead_after is None else dead_after
    started_before = now - dt.timedelta(seconds=dead_after)
    running = DBTaskResult.objects.running().filter(started_at__lt=started_before)
    # Every worker's heartbeat asks: nothing running that long is the usual answer, and it
    # needs no write lock (SQLite's exclusive transaction blocks every writer while held).
    if not running.exists():
        return 0
    live = live_worker_ids(now, dead_after)
    count = 0
    with exclusive_transaction(DBTaskResult.objects.db):
        for result in running.select_for_update(skip_locked=True):
            if result.worker_ids and result.worker_ids[-1] in live:
                continue
            count += 1
            attempts = len(result.worker_ids)
            worker = result.worker_ids[-1] if result.worker_ids else "unknown"
            if attempts >= max_attempts():
                result.status = "FAILED"
                result.finished_at = now
                result.exception_class_path = f"{__name__}.WorkerDied"
                result.traceback = (
                    f"The worker running this task stopped in the middle of it {attempts} "
                    f"times (last: {worker}); it is not tried again. Look at the worker's "
                    "log for why (out of memory?), then queue the work again."
                )
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                log.error("task %s failed for good: its worker died %d times", result.id, attempts)
            else:
                result.status = "READY"
                result.started_at = None
                result.exception_class_path = f"{__name__}.WorkerDied"
                result.traceback = (
                    f"The worker {worker} stopped in the middle of this task; it runs again."
                )
                result.save(
                    update_fields=["status", "started_at", "exception_class_path", "traceback"]
                )
                log.warning("task %s put back: its worker %s stopped", result.id, worker)
    return count


class Worker(DBWorker):
    """django-tasks-db's worker with a heartbeat, recovery of dead workers' tasks and retries
    of passing failures."""

    def __init__(self, *, worker_id: str, interval: float, until_empty: bool = False):
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=until_empty,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.stopping = threading.Event()

    # The heartbeat thread: beat, and look for dead workers' tasks, until the worker stops.
    def beat(self) -> None:
        now = timezone.now()
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now},
            create_defaults={
                "seen_at": now,
                "started_at": now,
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )

    def heartbeat(self) -> None:
        every = timings()[0]
        while not self.stopping.is_set():
            try:
                self.beat()
                recover_orphans()
            except OperationalError as error:  # locked for a moment: beat next time
                log.warning("heartbeat skipped: %s", error)
            except Exception:
                log.exception("heartbeat failed")
            finally:
                connection.close()
            self.stopping.wait(every)

    def run(self) -> None:
        # The heartbeat thread beats, and puts back dead workers' tasks, as it starts.
        thread = threading.Thread(target=self.heartbeat, name="rapport-heartbeat", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self.stopping.set()
            thread.join(timeout=10)
            with contextlib.suppress(OperationalError):  # else it looks dead soon enough
                WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task as django-tasks-db does; a passing failure puts it back for later."""
        super().run_task(db_task_result)
        if db_task_result.status == "FAILED":
            self.maybe_retry(db_task_result)

    def maybe_retry(self, result: DBTaskResult) -> None:
        attempts = len(result.worker_ids)
        path = result.exception_class_path
        passing = {f"{c.__module__}.{c.__qualname__}" for c in PASSING}
        passing_error = path in passing or _is_subclass_path(path)
        # Stopped mid-task (a second Ctrl-C, SIGTERM forced): the task is not at fault.
        interrupted = path in INTERRUPTED
        if not (passing_error or interrupted) or attempts >= max_attempts():
            return
        wait = 0 if interrupted else timings()[2] * 2 ** (attempts - 1)
        with transaction.atomic():
            DBTaskResult.objects.filter(pk=result.pk, status="FAILED").update(
                status="READY",
                run_after=timezone.now() + dt.timedelta(seconds=wait),
                started_at=None,
                finished_at=None,
            )
        log.warning(
            "task %s failed (%s), runs again in %.0f s (attempt %d of %d)",
            result.id,
            path.rsplit(".", 1)[-1],
            wait,
            attempts + 1,
            max_attempts(),
        )


def _is_subclass_path(path: str) -> bool:
    """Whether the exception class at ``path`` is one of the PASSING kinds (e.g. a subclass
    of SMTPException, or a database's own OperationalError)."""
    from django.utils.module_loading import import_string

    try:
        cls = import_string(path)
    except ImportError:
        return False
    return isinstance(cls, type) and issubclass(cls, PASSING)


def run_worker(*, interval: float, until_empty: bool = False, worker_id: str | None = None):
    worker = Worker(
        worker_id=worker_id or os.environ.get("RAPPORT_WORKER_ID") or new_worker_id(),
        interval=interval,
        until_empty=until_empty,
    )
    os.environ["RAPPORT_WORKER_ID"] = worker.worker_id  # leases name this worker
    worker.configure_signals()
    started = time.monotonic()
    worker.run()
    return time.monotonic() - started
