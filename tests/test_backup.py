"""`rapport backup` and `rapport restore`: a business with data, backed up and restored into a
fresh installation (a new data folder, a new empty database) in another process, holds the
same rows in every table and the same uploaded files. On the suite's database (SQLite or
PostgreSQL)."""

import json
import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from rapport.feedback import actions as feedback
from rapport.feedback.choices import SurveyStatus
from rapport.lib.backup import back_up, digest, prune
from rapport.lib.commands import CommandError
from rapport.people.actions import create_person
from rapport.test import Personas, main

ROOT = Path(__file__).resolve().parents[1]


def fresh_database_url(request) -> str:
    """ "" (SQLite in the data folder) or a new empty PostgreSQL database, dropped after."""
    if connection.vendor == "sqlite":
        return ""
    import psycopg

    db = connection.settings_dict
    name = f"rapport_restore_{secrets.token_hex(4)}"
    admin = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"],
             "password": db["PASSWORD"], "dbname": "postgres", "autocommit": True}  # fmt: skip
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    request.addfinalizer(drop)
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def in_fresh_installation(data_dir: Path, database_url: str, *argv: str):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")},
        "RAPPORT_DATA_DIR": str(data_dir),
        "RAPPORT_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


DIGEST = (
    "import json, django; django.setup(); from rapport.lib.backup import digest; "
    "print(json.dumps(digest()))"
)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_installation_holds_the_same_rows(
    tmp_path, settings, request
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    people = Personas()
    bakery = people.bakery
    create_person(bakery, name="Léa Moreau", email="lea@example.com", tags=["regular"])
    survey = feedback.create_survey(bakery, blueprint="customer_nps")
    feedback.set_status(survey, SurveyStatus.OPEN)
    nps, reason = survey.questions.get(key="nps"), survey.questions.get(key="reason")
    for score, text in [(10, "Lovely bread, thank you"), (3, "Cold coffee again"), (9, "")]:
        feedback.submit_response(survey, {nps.pk: str(score), reason.pk: text}, channel="link")
    upload = settings.MEDIA_ROOT / "imports" / str(bakery.pk) / "people.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("name,email\nLéa Moreau,lea@example.com\n")

    assert main(["backup", "--to", str(tmp_path / "backups")]) == 0
    [archive] = (tmp_path / "backups").glob("*.tar.gz")
    before = digest()
    assert before["people_person"][0] >= 1 and before["feedback_response"][0] == 3

    fresh, url = tmp_path / "fresh", fresh_database_url(request)
    done = in_fresh_installation(fresh, url, "-m", "rapport.cli", "restore", str(archive))
    assert done.returncode == 0, done.stderr
    after = json.loads(in_fresh_installation(fresh, url, "-c", DIGEST).stdout)
    assert {table: list(v) for table, v in before.items()} == after
    restored = fresh / "uploads" / "imports" / str(bakery.pk) / "people.csv"
    assert restored.read_text() == upload.read_text()

    # Now it holds data: a second restore is refused unless forced.
    again = in_fresh_installation(fresh, url, "-m", "rapport.cli", "restore", str(archive))
    assert again.returncode == 2 and "already holds data" in again.stderr
    assert "Traceback" not in again.stderr
    forced = in_fresh_installation(
        fresh, url, "-m", "rapport.cli", "restore", "--force", str(archive)
    )
    assert forced.returncode == 0, forced.stderr
    assert json.loads(in_fresh_installation(fresh, url, "-c", DIGEST).stdout) == after


@pytest.mark.django_db(transaction=True)
def test_someone_erased_after_the_backup_is_erased_again_when_it_is_restored(
    tmp_path, settings, request
):
    settings.RAPPORT_BACKUP_DIR = str(tmp_path / "backups")
    bakery = Personas().bakery
    lea = create_person(bakery, name="Léa Moreau", email="lea@example.com")
    create_person(bakery, name="Eve Martin", email="eve@example.com")
    assert main(["backup"]) == 0
    [archive] = (tmp_path / "backups").glob("*.tar.gz")
    erase = ["privacy", "erase", "--workspace", "alices-bakery", "--person", str(lea.pk)]
    assert main([*erase, "--confirm", "Léa Moreau"]) == 0

    fresh, url = tmp_path / "fresh", fresh_database_url(request)
    done = in_fresh_installation(fresh, url, "-m", "rapport.cli", "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "Erased again 1 person erased after this backup was made." in done.stdout
    left = in_fresh_installation(
        fresh, url, "-c", "import django; django.setup(); from rapport.people.models import "
        "Person; print(sorted(Person.objects.values_list('name', flat=True)))",
    )  # fmt: skip
    assert left.stdout.strip() == "['Eve Martin']", left.stderr


@pytest.mark.django_db(transaction=True)  # SQLite's backup reads outside the test's transaction
def test_a_backup_from_a_newer_version_is_refused_before_anything_is_touched(tmp_path):
    made = back_up(tmp_path)
    manifest = {**made.manifest, "migrations": {"feedback": ["9999_from_the_future"]}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(made.path) as source, tarfile.open(newer, "w:gz") as target:
        for member in source.getmembers():
            if member.name != "manifest.json":
                target.addfile(member, source.extractfile(member) if member.isfile() else None)
        target.add(tmp_path / "manifest.json", "manifest.json")
    from rapport.lib.backup import restore

    with pytest.raises(CommandError, match="newer Rapport .* feedback.9999_from_the_future"):
        restore(newer, force=True)


def test_restore_names_a_file_that_is_not_a_backup(db, tmp_path, capsys):
    junk = tmp_path / "notes.tar.gz"
    junk.write_text("not an archive")
    assert main(["restore", str(junk)]) == 2
    assert "is not a Rapport backup" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_the_nightly_backup_runs_once_a_day_and_keeps_the_newest(tmp_path, settings):
    from rapport.accounts.tasks import back_up_nightly

    settings.RAPPORT_BACKUP_DIR, settings.RAPPORT_BACKUP_KEEP = str(tmp_path), 2
    for day in ("20260101", "20260102", "20260103"):
        (tmp_path / f"rapport-backup-{day}-020000.tar.gz").write_text("old")
    made = back_up_nightly.call()
    assert made and Path(made).exists()
    assert back_up_nightly.call() == ""  # today's is there
    kept = sorted(p.name for p in tmp_path.glob("*.tar.gz"))
    assert kept == ["rapport-backup-20260103-020000.tar.gz", Path(made).name]
    assert prune(tmp_path, 1) == [tmp_path / "rapport-backup-20260103-020000.tar.gz"]
