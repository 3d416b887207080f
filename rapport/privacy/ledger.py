"""The erasure ledger: erasures outlive a restore.

A backup made before someone was erased still holds them, and restoring it would bring them
back. So every erasure, once committed, appends one line to ``erasures.jsonl`` in the
backup folder, beside the archives, and ``rapport restore`` erases again everyone the
ledger names that the restored database still holds.

A line holds no personal data: the business's number, the person's number and the moment
their record was created, and when they were erased. The creation moment tells the erased
person from a different person who was given the same number later (a database restored
from an older backup hands out its numbers again), so a restore never erases the wrong
person. A line is appended and flushed to disk after the erasure commits; an erasure that
rolls back writes nothing.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from rapport.lib.backup import default_folder

log = logging.getLogger(__name__)

NAME = "erasures.jsonl"


@dataclass(frozen=True)
class Entry:
    workspace_id: int
    person_id: int
    created_at: datetime
    erased_at: datetime


def remember(person) -> None:
    """Append ``person``'s erasure to the ledger once the transaction erasing them commits."""
    line = json.dumps(
        {
            "workspace": person.workspace_id,
            "person": person.pk,
            "created_at": person.created_at.isoformat(),
            "erased_at": timezone.now().isoformat(),
        }
    )
    transaction.on_commit(lambda: _append(line))


def _append(line: str) -> None:
    # The backup folder, so that the ledger travels with the archives.
    path = default_folder() / NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as ledger:
            ledger.write(line + "\n")
            ledger.flush()
            os.fsync(ledger.fileno())
    except OSError as error:
        # The erasure itself stands; only a restore of an older backup would miss it.
        log.error(
            "The erasure was done, but could not be noted in %s (%s): after restoring a "
            "backup made before it, erase the person again.",
            path,
            error.strerror or error,
        )


def read(*folders: Path) -> list[Entry]:
    """The entries of the ledgers in ``folders`` (each read once), oldest first. A line that
    cannot be read is skipped with a warning naming its file and line."""
    entries, seen = [], set()
    for where in folders:
        path = (Path(where) / NAME).resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                entries.append(
                    Entry(
                        int(raw["workspace"]),
                        int(raw["person"]),
                        datetime.fromisoformat(raw["created_at"]),
                        datetime.fromisoformat(raw["erased_at"]),
                    )
                )
            except (ValueError, KeyError, TypeError):
                log.warning("%s, line %d: not an erasure entry; skipped", path, number)
    return sorted(set(entries), key=lambda e: e.erased_at)
