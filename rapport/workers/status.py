"""What ``rapport worker --status`` shows: the workers alive, and the tasks waiting, running,
waiting to be tried again and failed (with their error in one line)."""

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rapport.workers.models import WorkerBeat
from rapport.workers.running import timings

SHOWN = 20


def last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:200] if lines else ""


def failed_tasks(limit: int = SHOWN):
    return DBTaskResult.objects.failed().order_by("-finished_at")[:limit]


def status_lines(*, now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    dead_after = timings()[1]
    live = WorkerBeat.objects.filter(seen_at__gte=now - dt.timedelta(seconds=dead_after))
    lines = [f"Workers alive: {live.count()}"]
    for beat in live.order_by("host", "pid"):
        lines.append(f"  {beat.worker_id} on {beat.host}, process {beat.pid}")
    counts = dict(
        DBTaskResult.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    later = DBTaskResult.objects.filter(status="READY", run_after__gt=now).count()
    lines.append(
        f"Tasks: {counts.get('READY', 0)} waiting ({later} of them later), "
        f"{counts.get('RUNNING', 0)} running, {counts.get('SUCCESSFUL', 0)} done, "
        f"{counts.get('FAILED', 0)} failed"
    )
    for result in DBTaskResult.objects.running().order_by("started_at"):
        worker = result.worker_ids[-1] if result.worker_ids else "?"
        minutes = (now - result.started_at).total_seconds() / 60 if result.started_at else 0
        lines.append(f"  running {result.task_name} for {minutes:.0f} min on {worker}")
    again = DBTaskResult.objects.filter(status="READY").exclude(traceback="")
    if again.exists():
        lines.append("To be tried again:")
        for result in again.order_by("run_after")[:SHOWN]:
            lines.append(
                f"  {result.task_name} (try {len(result.worker_ids) + 1}) at "
                f"{timezone.localtime(result.run_after):%H:%M:%S}: {last_line(result.traceback)}"
            )
    failed = list(failed_tasks())
    if failed:
        lines.append(f"Failed (latest {len(failed)}):")
        for result in failed:
            lines.append(
                f"  {result.id} {result.task_name} at "
                f"{timezone.localtime(result.finished_at):%Y-%m-%d %H:%M}: "
                f"{last_line(result.traceback)}"
            )
    return lines
