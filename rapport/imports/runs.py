"""A run's bookkeeping: its status, its counts, its issues, its failure and its audit entry.

Every kind keeps its run's books through this module, so a run reads the same on the run
page, in the CLI's summary and in the audit log whatever the file held.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Workspace
from rapport.imports.choices import ImportStatus
from rapport.imports.models import MAX_STORED_ISSUES, ImportIssue, ImportRun
from rapport.lib.csvstream import spreadsheet_safe


class ImportFailed(Exception):
    """The file or its mapping cannot be imported at all; the message says why in one line."""


def upload_dir(workspace: Workspace) -> Path:
    """Where the web's uploads of ``workspace`` are kept."""
    return Path(settings.MEDIA_ROOT) / "imports" / str(workspace.pk)


def stored_upload(run: ImportRun) -> Path | None:
    """``run``'s file when Rapport stored it (a web upload) and it is still there; None for
    a file the CLI read where the person keeps it, which is never Rapport's to delete."""
    if not run.stored_path:
        return None
    path = Path(run.stored_path)
    inside = path.resolve().is_relative_to(upload_dir(run.workspace).resolve())
    return path if inside and path.exists() else None


def delete_upload(run: ImportRun, why: str) -> bool:
    """Delete ``run``'s stored upload and say so on the run (``options[why]``, or
    ``upload_not_deleted`` with the reason when the file system refused)."""
    path = stored_upload(run)
    if path is None:
        return False
    try:
        path.unlink()
    except OSError as error:
        run.options = {**run.options, "upload_not_deleted": error.strerror or str(error)}
        deleted = False
    else:
        run.options = {**run.options, why: True}
        deleted = True
    run.save(update_fields=["options"])
    return deleted


def saver(run: ImportRun, *, dry_run: bool):
    """``save(*fields)`` for ``run``: writes those fields, or nothing for a dry run or an
    unsaved run."""
    if run.pk and not dry_run:
        return lambda *fields: run.save(update_fields=list(fields))
    return lambda *fields: None


def fail(run: ImportRun, save, reason: str) -> ImportRun:
    """Mark ``run`` failed for ``reason`` and raise :class:`ImportFailed` with it."""
    run.status, run.failure, run.finished_at = ImportStatus.FAILED, reason, timezone.now()
    save("status", "failure", "finished_at")
    raise ImportFailed(reason)


def mark_running(run: ImportRun, rows_total: int | None, save, *, dry_run: bool) -> None:
    """Mark ``run`` running from zero: counts reset, earlier issues and deferred work of a
    re-run dropped. A run taken up after its worker died (``run.resuming_after``) keeps its
    counts, issues and the work its committed batches deferred (``Context.deferred``)."""
    if run.resuming_after:
        run.status, run.progressed_at = ImportStatus.RUNNING, timezone.now()
        save("status", "progressed_at", "options")
        return
    run.status, run.started_at = ImportStatus.RUNNING, timezone.now()
    run.progressed_at = run.started_at
    run.rows_total = rows_total
    run.rows_done = run.created = run.updated = run.unchanged = run.rejected = 0
    run.options["deferred"] = []
    if run.pk and not dry_run:
        run.issues.all().delete()
    save(
        "status",
        "started_at",
        "rows_total",
        "rows_done",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "options",
        "progressed_at",
    )


def commit_counts(run: ImportRun, sink: IssueSink, save) -> None:
    """Store the pending issues and the counts (inside the caller's transaction, if any)."""
    sink.flush()
    run.progressed_at = timezone.now()
    # The options too: they hold the work the kind defers to the end (``Context.deferred``).
    save("rows_done", "created", "updated", "unchanged", "rejected", "progressed_at", "options")


def mark_done(run: ImportRun, save, extra: dict) -> None:
    """Mark ``run`` done: its total is the rows read, ``extra`` the counts beside the others."""
    run.rows_total = run.rows_done
    run.status, run.finished_at = ImportStatus.DONE, timezone.now()
    run.options = {**{k: v for k, v in run.options.items() if k != "deferred"}, "extra": extra}
    save("rows_total", "status", "finished_at", "options")


def audit(run: ImportRun, actor) -> None:
    """The audit log's entry for a finished run (none for an unsaved one)."""
    if run.pk is None:
        return
    record_audit(
        run.workspace,
        AuditAction.IMPORT,
        run,
        actor=actor,
        via=run.via,
        # The audit log reads changes as [before, after]; an import's counts have no before.
        changes={
            name: [None, value]
            for name, value in {
                "kind": run.kind,
                "file": run.original_filename,
                "rows": run.rows_done,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
                **run.options.get("extra", {}),
            }.items()
        },
    )


def mark_failed_unexpectedly(run: ImportRun, error: Exception) -> None:
    """What the worker writes when a run ends in an error nobody foresaw."""
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.FAILED,
        failure=f"unexpected error: {error}",
        finished_at=timezone.now(),
    )


class IssueSink:
    """Keeps the first ``MAX_STORED_ISSUES`` issues of a run and streams every rejected row to
    an optional CSV (the CLI's ``--errors-csv``).

    Issues found while writing a batch stay pending until the batch commits: if the batch
    is rolled back they are dropped with it, replaced by one issue for the whole batch.

    With ``keep`` (a set of column positions) the stored issues keep only those cells and
    the others are stored blank; the CSV, written for the person who has the file, keeps
    them all. An anonymous survey's import keeps only the answers this way.
    """

    def __init__(
        self,
        run: ImportRun,
        header: list[str],
        errors_csv=None,
        *,
        persist: bool = True,
        keep: set[int] | None = None,
    ):
        self.run = run
        self.keep = keep
        self.persist = persist and run.pk is not None
        self.stored = run.issues.count() if self.persist else 0
        self.pending: list[ImportIssue] = []
        self.pending_csv: list[list] = []
        self.writer = None
        if errors_csv is not None:
            self.writer = csv.writer(errors_csv)
            self.writer.writerow([spreadsheet_safe(v) for v in ["line", "errors", *header]])

    def add(
        self,
        line: int,
        problems: list[tuple[str, str]],
        values: list[str],
        *,
        last_line=None,
        warning=False,
    ):
        if self.writer is not None and not warning:
            row = [
                line if last_line is None else f"{line}-{last_line}",
                "; ".join(f"{f}: {r}" if f else r for f, r in problems),
                *values,
            ]
            self.pending_csv.append([spreadsheet_safe(cell) for cell in row])
        if self.keep is not None:
            values = [v if i in self.keep else "" for i, v in enumerate(values)]
        for field, reason in problems:
            if self.stored < MAX_STORED_ISSUES:
                self.pending.append(
                    ImportIssue(
                        run=self.run,
                        line=line,
                        last_line=last_line,
                        field=field[:60],
                        reason=reason,
                        values=values,
                        is_warning=warning,
                    )
                )
                self.stored += 1

    def flush(self) -> None:
        """Store the pending issues (inside the caller's transaction, if any)."""
        if self.persist and self.pending:
            ImportIssue.objects.bulk_create(self.pending, batch_size=500)
        self.pending = []

    def commit_csv(self) -> None:
        if self.writer is not None:
            self.writer.writerows(self.pending_csv)
        self.pending_csv = []

    def discard(self) -> None:
        """Forget what a rolled-back batch reported."""
        self.pending, self.pending_csv = [], []
        self.stored = self.run.issues.count() if self.persist else 0


def forget_person(person) -> int:
    """Blank the cells of this business's rejected rows that name ``person`` (a cell that is
    their e-mail, their id in the business's system, or their whole name), so that an
    erasure leaves no copy of them on an import's errors page or in its CSV. The line and
    reason stay. Returns how many rows were blanked."""
    marks = {m.strip().casefold() for m in (person.email, person.external_id, person.name) if m}
    naming = [
        issue
        for issue in ImportIssue.objects.filter(run__workspace_id=person.workspace_id)
        .exclude(values=[])
        .only("id", "values")
        .iterator()
        if any(str(cell).strip().casefold() in marks for cell in issue.values)
    ]
    for issue in naming:
        issue.values = []
    ImportIssue.objects.bulk_update(naming, ["values"], batch_size=500)
    return len(naming)


def forget_uploads(person) -> int:
    """Delete the uploaded files of this business's ended imports (done or failed) once an
    erasure of ``person`` commits: any of them may hold the person's row, and an ended run
    never reads its file again. Returns how many files go. A run still waiting or running
    keeps its file; it may bring the person back, as any later import may."""
    ended = ImportRun.objects.filter(
        workspace_id=person.workspace_id, status__in=[ImportStatus.DONE, ImportStatus.FAILED]
    ).select_related("workspace")
    going = [run for run in ended if stored_upload(run) is not None]

    def delete():
        for run in going:
            delete_upload(run, "upload_erased")

    transaction.on_commit(delete)
    return len(going)
