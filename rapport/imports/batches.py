"""The batch loop: the one road every import's rows travel, whatever the kind.

The guarantees, in the order the code keeps them:

* every record in the file ends up counted exactly once: created, updated, unchanged or
  rejected (with its line and reason);
* each batch is written inside its own ``transaction.atomic()`` together with the run's
  counters, so a crash leaves whole batches and counters that agree with them;
* a batch the database refuses is reported with its line range and the run goes on;
* every record carries a deterministic identity, so running the same file again creates
  nothing.

A kind brings its :class:`Steps`: how one record is read, which repeated records are
refused, what a record's import key is, and how a batch is written.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

from django.db import DatabaseError, connection, transaction

from rapport.imports.models import ImportRun
from rapport.imports.runs import IssueSink, commit_counts
from rapport.imports.seen import SeenIdentities
from rapport.lib.tabular import BadRecord

BATCH_SIZE = 1000
# Python's cycle collector runs on its own every few hundred allocations, and every so often
# walks every object the process holds; a batch allocates hundreds of thousands, so during
# an import those full walks cost about a sixth of the CPU. The loop runs it itself instead:
# the young objects after every batch, everything every FULL_COLLECTION_EVERY batches.
FULL_COLLECTION_EVERY = 50


class Item(Protocol):
    """A record that read cleanly: its line, its cells, its identity and (once the loop has
    placed it among its equals) its import key."""

    line: int
    values: list[str]
    identity: str
    key: str


@dataclass
class Written:
    """What writing one batch did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    # (line, [(field, reason)], values, is_warning), in the order they are reported.
    issues: list = field(default_factory=list)


class Steps(Protocol):
    """What a kind does to its records in the loop."""

    def read(self, record) -> tuple[Item | None, list[tuple[str, str]], list[tuple[str, str]]]:
        """``(item, problems, warnings)`` for one record; ``item`` is None when refused."""

    def rejects_duplicate(self, item) -> bool:
        """Whether a second record with the same identity is refused (the first one wins)."""

    def key(self, identity: str, count: int) -> str:
        """The import key of the ``count``-th record (from 0) with ``identity``."""

    def write(self, items: list) -> Written:
        """Write one batch, inside the loop's transaction."""

    def kept(self, written: Written) -> None:
        """Called once a batch's writes are kept (not refused by the database)."""


def duplicate_reason(first_line: int) -> str:
    # Streaming cannot know a later row exists, and "last wins" would make a re-import flip
    # the record back and forth.
    return f"duplicate of line {first_line}: the first row wins"


def cell_text(cell) -> str:
    """A cell as text: a JSON export's list of choices reads ``a; b``."""
    if isinstance(cell, list):
        return "; ".join(str(c) for c in cell)
    return "" if cell is None else str(cell).strip()


def plain_cells(cells: list) -> list[str]:
    """A record's cells as reported: list cells joined, the others as they are."""
    return [cell_text(cell) if isinstance(cell, list) else cell for cell in cells]


def import_batches(
    run: ImportRun,
    records: Iterable,
    steps: Steps,
    sink: IssueSink,
    *,
    save,
    dry_run: bool,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[ImportRun], None] | None = None,
) -> None:
    """Read ``records`` batch by batch, counting each on ``run`` and writing each batch in
    its own transaction (rolled back with ``dry_run``).

    A run taken up after its worker died goes on after the ``run.resuming_after`` records
    its committed batches hold: those are read again only to know their identities (so
    later duplicates and import keys come out as in one run), not counted or written."""
    records = iter(records)
    pragmas = _import_pragmas()
    seen = SeenIdentities()
    skip = run.resuming_after
    collecting = gc.isenabled()
    gc.disable()
    try:
        for number, batch in enumerate(iter(lambda: list(islice(records, batch_size)), []), 1):
            if skip > 0:
                done, batch = batch[:skip], batch[skip:]
                _read_batch(done, steps, seen, _Unreported(), _Uncounted())
                skip -= len(done)
            if batch:
                items = _read_batch(batch, steps, seen, sink, run)
                _write_batch(items, batch, steps, sink, run, save, dry_run)
                if progress is not None:
                    progress(run)
            # Collected once the batch is let go: records still held would survive into the
            # oldest generation and hasten the next full collection, in this run or the
            # next one of a worker's process.
            batch = items = done = None
            gc.collect(1 if number % FULL_COLLECTION_EVERY else 2)
    finally:
        if collecting:
            gc.enable()
        seen.close()
        _restore_pragmas(pragmas)


# While an import runs, its SQLite connection keeps more pages in memory and lets its
# write-ahead log grow further before copying it into the database. A batch changes pages
# all over the tables' indexes and most of them again in the next batch: with SQLite's
# defaults (a 2 MiB cache, a checkpoint every 1,000 pages) each batch read them back from
# the file and every batch or two copied them all into it again, so an import of 30,000
# interactions wrote 360 MB. Memory and log size only: what is written, and when it is
# durable, stay the same; the settings go back when the run ends.
IMPORT_PRAGMAS = {"cache_size": -64 * 1024, "wal_autocheckpoint": 10_000}


def _import_pragmas() -> dict | None:
    """Set IMPORT_PRAGMAS on this connection for the run; returns what to restore."""
    if connection.vendor != "sqlite":
        return None
    before = {}
    with connection.cursor() as cursor:
        for name, value in IMPORT_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            (before[name],) = cursor.fetchone()
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    return before


def _restore_pragmas(before: dict | None) -> None:
    if not before:
        return
    try:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")
    except DatabaseError:
        pass  # a connection that broke mid-run is closed, and its settings with it


class _Unreported:
    """Where the issues of records read again on a resumed run go: they were reported."""

    def add(self, *args, **kwargs) -> None:
        pass


class _Uncounted:
    """Stands for the run while records already counted are read again."""

    rejected = 0


def _read_batch(batch, steps: Steps, seen: SeenIdentities, sink: IssueSink, run) -> list:
    """Read every record of a batch; refused ones go to ``sink`` and are counted."""
    read = []
    for record in batch:
        if isinstance(record, BadRecord):
            sink.add(record.line, [("", record.reason)], plain_cells(record.values))
            run.rejected += 1
            continue
        item, problems, warnings = steps.read(record)
        if warnings:
            sink.add(record.line, warnings, plain_cells(record.values), warning=True)
        if item is None:
            sink.add(record.line, problems, plain_cells(record.values))
            run.rejected += 1
            continue
        read.append(item)
    seen.load(item.identity for item in read)
    items = []
    for item in read:
        first_line, count = seen.get(item.identity, item.line)
        if count and steps.rejects_duplicate(item):
            sink.add(item.line, [("", duplicate_reason(first_line))], item.values)
            run.rejected += 1
            continue
        seen.add(item.identity, first_line, count + 1)
        # Identical records (two equal sales on one day, two equal responses) stay distinct
        # by their position among equals, which is the same on every import of the file.
        item.key = steps.key(item.identity, count)
        items.append(item)
    seen.save()
    return items


def _write_batch(items, batch, steps: Steps, sink: IssueSink, run, save, dry_run) -> None:
    run.rows_done += len(batch)
    # What reading refused is kept whatever happens to the batch's writes.
    sink.commit_csv()
    if not items:
        commit_counts(run, sink, save)
        return
    sink.flush()
    before = (run.created, run.updated, run.unchanged, run.rejected)
    try:
        with transaction.atomic():
            written = steps.write(items)
            run.created += written.created
            run.updated += written.updated
            run.unchanged += written.unchanged
            run.rejected += written.rejected
            for line, problems, values, warning in written.issues:
                sink.add(line, problems, values, warning=warning)
            commit_counts(run, sink, save)
            if dry_run:
                transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - one failed batch must not end the run
        sink.discard()
        run.created, run.updated, run.unchanged, run.rejected = before
        first, last = items[0].line, items[-1].line
        run.rejected += len(items)
        reason = f"the database refused this batch; nothing of lines {first}-{last} was written ({error})"
        sink.add(first, [("", reason)], [], last_line=last)
        commit_counts(run, sink, save)
    else:
        steps.kept(written)
    sink.commit_csv()
