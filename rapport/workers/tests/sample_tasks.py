"""Tasks the worker tests run: one that finds the database locked, one that breaks."""

from django.db import OperationalError
from django_tasks import task


@task()
def finds_the_database_locked() -> None:
    raise OperationalError("database is locked")


@task()
def has_a_bug() -> None:
    raise ValueError("a bug, not a passing failure")


@task()
def does_nothing() -> int:
    return 1


@task()
def is_interrupted() -> None:
    raise KeyboardInterrupt  # what a second Ctrl-C does in the middle of a task
