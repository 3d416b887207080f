import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run as soon as they are queued, so a message is read when its save commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def arrive(django_capture_on_commit_callbacks):
    """Record a message and run what its commit queues (the reading task)."""
    from rapport.people.tests.factories import make_touch

    def record(person, text, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            touch = make_touch(person, text=text, **fields)
        # A real commit empties the connection's callback list; the test's transaction
        # never commits, so empty it here as a commit would.
        connection.run_on_commit.clear()
        return touch

    return record
