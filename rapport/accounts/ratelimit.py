"""Counting what one client does in a window of time, in the database, so that every server
process and machine counts together (``rapport serve`` runs one process per core; a limit
kept in each process's memory would allow it once per process).

One row per client and thing (``RateCount``), bumped with one atomic UPDATE, so two attempts
at the same moment are both counted. Rows whose window has ended are pruned by the clock
(``tasks.prune_rate_counts``). Used by the answering pages, the chat widget and password
reset links.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from rapport.accounts.models import RateCount

_BUMP = (
    'UPDATE {table} SET "count" = "count" + 1 WHERE "key" = %s AND "window_ends" > %s '
    'RETURNING "count"'
)


def key(scope: str, who: str) -> str:
    """The row's key for ``who``'s attempts on ``scope``. Addresses and e-mails are personal
    data: the table holds a keyed hash, never the value."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{who}".encode()).hexdigest()
    return digest[:40]


def within(scope: str, who: str, count: int, seconds: int) -> bool:
    """Count one attempt by ``who`` (an address, an e-mail) on ``scope``; False once more than
    ``count`` were made in the current window of ``seconds``."""
    row = key(scope, who)
    now = timezone.now()
    # Every public answer passes here, so the usual case is one statement in its own
    # transaction: bump the count and read it back.
    used = _bump(row, now)
    if used is None:
        with transaction.atomic():
            # The first attempt of a new window, unless another process started it a moment
            # ago (two at the very same moment may both start it).
            used = _bump(row, now)
            if used is None:
                RateCount.objects.update_or_create(
                    key=row, defaults={"window_ends": now + timedelta(seconds=seconds), "count": 1}
                )
                used = 1
    return used <= count


def _bump(row: str, now) -> int | None:
    """Add one to ``row``'s count in its current window and return it; None when it has no
    current window (RETURNING: PostgreSQL, SQLite 3.35 and later)."""
    connection = connections[router.db_for_write(RateCount)]
    with connection.cursor() as cursor:
        cursor.execute(
            _BUMP.format(table=connection.ops.quote_name(RateCount._meta.db_table)),
            [row, connection.ops.adapt_datetimefield_value(now)],
        )
        found = cursor.fetchone()
    return None if found is None else found[0]


def prune() -> int:
    """Delete the rows whose window has ended; returns how many."""
    deleted, _ = RateCount.objects.filter(window_ends__lte=timezone.now()).delete()
    return deleted
