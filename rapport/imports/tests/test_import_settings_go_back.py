"""An import raises its SQLite connection's page cache and checkpoint interval while it runs
(imports/batches.py); the connection goes back to its own settings when the run ends, so a
worker's or a web process's connection is not left holding them."""

import pytest
from django.db import connection

from rapport.imports.batches import IMPORT_PRAGMAS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings"),
]


def pragmas() -> dict:
    with connection.cursor() as cursor:
        found = {}
        for name in IMPORT_PRAGMAS:
            cursor.execute(f"PRAGMA {name}")
            (found[name],) = cursor.fetchone()
    return found


def test_the_settings_hold_during_the_run_and_go_back_after(write_file, run_import, monkeypatch):
    before = pragmas()
    assert before != IMPORT_PRAGMAS
    during = []
    from rapport.imports.kinds.people import PeopleKind

    write = PeopleKind.write

    def watched(self, rows, ctx):
        during.append(pragmas())
        return write(self, rows, ctx)

    monkeypatch.setattr(PeopleKind, "write", watched)
    run = run_import("people", write_file("p.csv", "ID,Name\nC1,Ann\nC2,Bob\n"), group="customer")
    assert run.created == 2
    assert during == [IMPORT_PRAGMAS]
    assert pragmas() == before
