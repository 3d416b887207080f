"""Helpers for import tests: write a file, import it through the same engine as the CLI."""

import os
from pathlib import Path

import pytest

from rapport.imports.actions import create_run, execute_run


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 makes each persona cost a noticeable fraction of a second; these tests never
    # check a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def write_file(tmp_path):
    """``write_file("people.csv", text_or_bytes, encoding="utf-8")`` → its path."""

    def write(name: str, content, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write


@pytest.fixture
def run_import(personas):
    """Import a file into Alice's Bakery, as the CLI would; returns the finished run."""

    def run(kind: str, path, workspace=None, *, mapping=None, batch_size=1000, **options):
        workspace = workspace or personas.bakery
        run = create_run(
            workspace,
            kind,
            path,
            original_filename=Path(path).name,
            via="cli",
            mapping=mapping,
            options=options,
        )
        return execute_run(run, batch_size=batch_size)

    return run


def shared_data() -> Path:
    """The staged public data sets (``../shared/data`` beside the repository)."""
    configured = os.environ.get("RAPPORT_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


def data_file(*parts) -> Path:
    path = shared_data().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data set not available: {path}")
    return path
