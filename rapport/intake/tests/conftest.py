from pathlib import Path

import pytest

MAIL = Path(__file__).resolve().parent / "mail"


@pytest.fixture(autouse=True)
def quiet_tasks(settings):
    """Queued tasks are recorded, not run: these tests check what is queued, not the reading."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mail():
    """``mail("thread_1_root.eml")`` → the path of a fixture message."""
    return lambda name: MAIL / name


@pytest.fixture
def import_mail(personas):
    """Import fixture files into Alice's Bakery as the CLI does; returns the result."""
    from rapport.intake.actions import import_mail_files

    def run(*names, ours=("hello@alices-bakery.example",), **options):
        files = [n if isinstance(n, Path) else MAIL / n for n in names]
        return import_mail_files(personas.bakery, files, ours=ours, **options)

    return run
