"""Run a callback once when the transaction commits, however many times it is asked for."""

from collections.abc import Callable, Hashable

from django.db import connection, transaction


def on_commit_once(key: Hashable, callback: Callable[[], None], *, robust: bool = False) -> None:
    """Queue ``callback`` for the commit unless one with the same ``key`` is already queued
    in this transaction. (A rolled-back transaction drops its callbacks, so looking at the
    connection's own list never leaves a stale mark behind.) ``robust``: an error in the
    callback is logged, not raised (as ``transaction.on_commit``)."""
    for _, queued, _ in connection.run_on_commit:
        if getattr(queued, "once_key", None) == key:
            return
    callback.once_key = key
    transaction.on_commit(callback, robust=robust)
