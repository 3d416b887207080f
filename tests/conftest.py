"""Fixtures of the project-wide tests."""

from tests.worker_processes import worker_database  # noqa: F401  (tests with real workers)
