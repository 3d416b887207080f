"""What the pages and the CLI do with imports: store an upload, record a run, queue it for
the worker (or resume a stalled one), and run it (the preview is the kind's ``preview``).

The work itself is elsewhere, one module each: ``runs`` (a run's status, counts, issues,
failure and audit), ``mapping`` (columns to fields), ``batches`` (the one batch loop),
``tables`` (reading a table for the table kinds), ``kinds`` (what each kind does, through the
hooks of ``kinds.base.ImportKindBase``) and ``running`` (:func:`execute_run`, which the CLI
and the background task both call).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.imports import tasks
from rapport.imports.choices import ImportStatus
from rapport.imports.kinds import get_kind
from rapport.imports.models import ImportRun
from rapport.imports.running import execute_run
from rapport.imports.runs import ImportFailed, upload_dir
from rapport.imports.tables import TABLE_SUFFIXES
from rapport.lib.tabular import TabularError


def store_upload(workspace: Workspace, uploaded, suffixes=TABLE_SUFFIXES) -> Path:
    """Copy an uploaded file to ``MEDIA_ROOT/imports/<workspace id>/`` chunk by chunk."""
    suffix = Path(uploaded.name).suffix.lower()
    if suffix not in suffixes:
        raise ImportFailed(f"unsupported file type {suffix or '(none)'}: use {_or_list(suffixes)}")
    limit = settings.RAPPORT_MAX_UPLOAD_MB * 1024 * 1024
    if uploaded.size > limit:
        raise ImportFailed(f"the file is larger than the {settings.RAPPORT_MAX_UPLOAD_MB} MB limit")
    directory = upload_dir(workspace)
    directory.mkdir(parents=True, exist_ok=True)
    # The user's file name never becomes a path: no traversal, no clashes.
    path = directory / f"{uuid.uuid4().hex}{suffix}"
    with open(path, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return path


def _or_list(suffixes) -> str:
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]


def create_run(
    workspace: Workspace,
    kind_name: str,
    path,
    *,
    original_filename: str,
    member: Membership | None = None,
    via: str = "web",
    mapping: dict | None = None,
    options: dict | None = None,
) -> ImportRun:
    """Open ``path``, check that it reads as the kind's file, and record a pending run for it."""
    kind = get_kind(kind_name)
    try:
        header, estimate = kind.read_header(path)
    except (TabularError, OSError) as error:
        raise ImportFailed(str(error))
    if mapping is None:
        mapping = kind.initial_mapping(header)
    return ImportRun.objects.create(
        workspace=workspace,
        kind=kind_name,
        original_filename=original_filename[:255],
        stored_path=str(path),
        mapping=mapping,
        options=options or {},
        started_by=member,
        via=via,
        rows_total=estimate,
    )


def start_run(run: ImportRun, mapping: dict[str, str], options: dict) -> ImportRun:
    """Confirm the mapping of a pending run and queue it for the background worker."""
    run.mapping = mapping
    run.options = {**run.options, **options}
    run.status, run.progressed_at = ImportStatus.QUEUED, timezone.now()
    run.save(update_fields=["mapping", "options", "status", "progressed_at"])
    tasks.run_import.enqueue(run.pk)
    return run


def resume_run(run: ImportRun) -> bool:
    """Queue a stalled run again; False when it is not stalled, or someone resumed it first.

    The run starts over from the first row: imports are idempotent, so what the lost worker
    wrote counts as unchanged and nothing is duplicated.
    """
    if not run.is_stalled:
        return False
    # Only the request that still sees the stalled state wins, so one click queues one task.
    claimed = ImportRun.objects.filter(
        pk=run.pk, status=run.status, progressed_at=run.progressed_at
    ).update(status=ImportStatus.QUEUED, progressed_at=timezone.now())
    if not claimed:
        return False
    tasks.run_import.enqueue(run.pk)
    return True


__all__ = [
    "ImportFailed",
    "create_run",
    "execute_run",
    "resume_run",
    "start_run",
    "store_upload",
]
