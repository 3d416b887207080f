"""Leases: one process at a time works on a piece of work, even across machines.

A lease is a row keyed by what it guards (``"read:12:40"``: workspace 12's messages with ids
in block 40). Taking it is one conditional UPDATE (free when expired or already ours) or one
INSERT, so two processes racing for it on PostgreSQL or SQLite get one winner without
holding a transaction open while they work. A holder that dies simply stops renewing; the
lease expires and the next taker goes on. Hand-written: django-tasks has no notion of a lock,
and a database row needs no extra service (a Redis lock would).
"""

import datetime as dt
import os
import socket
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from rapport.workers.models import Lease, WorkerBeat

# Long enough for a batch of work between renewals; short enough that work a dead process
# held is picked up again within a minute or two.
LEASE_SECONDS = 120


class Busy(Exception):
    """Another process holds the lease; the message says which."""


def me() -> str:
    """This process's name as a holder: the worker's id, or host and process id."""
    return os.environ.get("RAPPORT_WORKER_ID") or f"{socket.gethostname()}:{os.getpid()}"[:64]


def take(key: str, *, seconds: float = LEASE_SECONDS, holder: str | None = None) -> bool:
    """Take or renew the lease on ``key`` for ``seconds``; False when another holds it."""
    holder = holder or me()
    now = timezone.now()
    until = now + dt.timedelta(seconds=seconds)
    # Free: expired, ours, or held by a worker that stopped beating (killed mid-work).
    dead = now - dt.timedelta(seconds=settings.RAPPORT_WORKER_DEAD_AFTER)
    dead_holders = WorkerBeat.objects.filter(seen_at__lt=dead).values("worker_id")
    free = Q(expires_at__lt=now) | Q(holder=holder) | Q(holder__in=dead_holders)
    if Lease.objects.filter(free, key=key).update(holder=holder, expires_at=until):
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(key=key, holder=holder, expires_at=until)
    except IntegrityError:
        return False  # someone else's, and not expired
    return True


def release(key: str, *, holder: str | None = None) -> None:
    Lease.objects.filter(key=key, holder=holder or me()).delete()


@contextmanager
def held(key: str, *, seconds: float = LEASE_SECONDS):
    """Hold ``key`` for the block (raising ``Busy`` when another process does); the block
    calls the yielded ``renew()`` between batches of longer work."""
    holder = me()
    if not take(key, seconds=seconds, holder=holder):
        raise Busy(f"{key} is being worked on by another worker")

    def renew() -> None:
        if not take(key, seconds=seconds, holder=holder):
            raise Busy(f"{key} was taken over by another worker (this one was too slow)")

    try:
        yield renew
    finally:
        release(key, holder=holder)
