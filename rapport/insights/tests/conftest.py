import pytest

from tests.worker_processes import worker_database  # noqa: F401  (tests with real workers)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The personas' passwords are hashed with a fast hasher: these tests are about metrics."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
