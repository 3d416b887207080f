"""Running an import: the one entry point the CLI and the background worker share.

:func:`execute_run` hands the run to its kind's ``execute`` hook; every kind's rows then go
through the batch loop (``batches``) and its books are kept by ``runs``.
"""

from __future__ import annotations

from collections.abc import Callable

from rapport.imports.batches import BATCH_SIZE
from rapport.imports.choices import ImportStatus
from rapport.imports.kinds import get_kind
from rapport.imports.models import ImportRun
from rapport.imports.runs import ImportFailed, mark_failed_unexpectedly


def execute_run(
    run: ImportRun,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[ImportRun], None] | None = None,
    errors_csv=None,
    actor=None,
) -> ImportRun:
    """Import ``run``'s file into its workspace, batch by batch, and return the finished run.

    With ``dry_run`` every batch is written and rolled back, so the counts are exact and
    nothing stays; ``run`` is then never saved. Raises :class:`ImportFailed` when the file
    or mapping cannot be used at all (the run is marked failed).
    """
    return get_kind(run.kind).execute(
        run,
        dry_run=dry_run,
        batch_size=batch_size,
        progress=progress,
        errors_csv=errors_csv,
        actor=actor,
    )


def run_in_background(run_id: int) -> None:
    """The task body: execute a queued run, marking it failed on any error."""
    run = ImportRun.objects.select_related("workspace", "started_by__user").get(pk=run_id)
    if run.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return
    if run.status == ImportStatus.RUNNING and run.rows_done:
        # Its worker died (rapport worker runs the task again): go on after the rows of the
        # batches it committed, keeping their counts.
        run.resuming_after = run.rows_done
    actor = run.started_by.user if run.started_by_id else None
    try:
        execute_run(run, actor=actor)
    except ImportFailed:
        return
    except Exception as error:
        mark_failed_unexpectedly(run, error)
        raise
