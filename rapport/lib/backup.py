"""Backing up and restoring a whole installation: the database and the uploaded files, in one
archive (`rapport backup`, `rapport restore`, and the nightly backup of the clock).

An archive is a ``.tar.gz`` holding:

- ``manifest.json``: Rapport's version, the database kind, the migrations applied, the time;
- ``database.sqlite3`` (SQLite's online backup: safe while the server runs and writes) or
  ``database.pgdump`` (``pg_dump``'s custom format, one consistent snapshot);
- ``uploads/``: the files under ``MEDIA_ROOT`` (import files kept for their runs).

Restoring refuses a database that already holds data unless forced, and a backup made by a
newer Rapport (migrations this code does not know); a backup made by an older one is
restored, then migrated forward. Nothing here names an app: the data is every installed
model's, and the migrations are Django's recorder's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rapport.lib.commands import CommandError, migrate

MANIFEST = "manifest.json"
FORMAT = 1
# Archives written by the clock are named so that their names sort by time.
PREFIX = "rapport-backup-"


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict


def default_folder() -> Path:
    """Where archives go unless told: RAPPORT_BACKUP_DIR, else RAPPORT_DATA_DIR/backups."""
    from django.conf import settings

    return Path(settings.RAPPORT_BACKUP_DIR or settings.DATA_DIR / "backups")


def _connection():
    from django.db import connection

    return connection


def database_kind() -> str:
    vendor = _connection().vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise CommandError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def applied_migrations() -> dict[str, list[str]]:
    """{app label: [migration names applied]}, sorted."""
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(_connection()).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def rapport_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rapport")
    except PackageNotFoundError:
        return "unknown"


def _pg_env_and_target() -> tuple[dict, list[str]]:
    """libpq's environment (the password stays out of the command line) and the database."""
    db = _connection().settings_dict
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env, ["--dbname", db["NAME"]]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise CommandError(
            f"{name} was not found: install PostgreSQL's client tools (the same major version "
            "as the server or newer, e.g. the postgresql-client package) to back up or restore "
            "a PostgreSQL database"
        )
    return found


def _run(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise CommandError(f"{Path(argv[0]).name} failed: {said[-1] if said else done.returncode}")


def _dump_database(kind: str, folder: Path) -> str:
    """Write the database into ``folder``; return the file's name."""
    if kind == "sqlite":
        target = folder / "database.sqlite3"
        # SQLite's online backup copies a consistent snapshot while others keep reading and
        # writing (WAL). From a connection of its own, so that a transaction open on Django's
        # connection cannot block it; only an in-memory database (tests) has to use Django's.
        name = _connection().settings_dict["NAME"]
        if os.path.isfile(name):
            source = sqlite3.connect(name, timeout=60)
        else:
            _connection().ensure_connection()
            source = _connection().connection
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            if source is not _connection().connection:
                source.close()
        return target.name
    target = folder / "database.pgdump"
    env, database = _pg_env_and_target()
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          "--file", str(target), *database], env)  # fmt: skip
    return target.name


def back_up(to: Path | str) -> Backup:
    """Write one archive of the database and the uploaded files into the folder ``to``."""
    from django.conf import settings

    kind = database_kind()
    folder = Path(to)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    manifest = {
        "format": FORMAT,
        "rapport_version": rapport_version(),
        "database": kind,
        "migrations": applied_migrations(),
        "created_at": now.isoformat(timespec="seconds"),
    }
    path = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}.tar.gz"
    uploads = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="rapport-backup-") as scratch:
        work = Path(scratch)
        manifest["file"] = _dump_database(kind, work)
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        # Written beside, then renamed: a half-written archive never carries the final name.
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, MANIFEST)
            archive.add(work / manifest["file"], manifest["file"])
            if uploads.is_dir():
                archive.add(uploads, "uploads")
        partial.replace(path)
    return Backup(path, manifest)


def read_manifest(path: Path | str) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.loads(member.read())
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file")
    except (tarfile.TarError, KeyError, OSError, ValueError):
        raise CommandError(f"{path} is not a Rapport backup (no readable {MANIFEST} inside)")


def unknown_migrations(manifest: dict) -> list[str]:
    """Migrations the backup's database had applied that this code does not have: it was
    made by a newer Rapport."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in sorted(manifest.get("migrations", {}).items())
        for name in names
        if (app, name) not in known
    ]


def has_data() -> bool:
    """Does the database hold any of Rapport's own rows (migrations alone leave none)?"""
    from django.apps import apps

    connection = _connection()
    tables = set(connection.introspection.table_names())
    return any(
        model._meta.db_table in tables and model._base_manager.exists()
        for config in apps.get_app_configs()
        if config.name.startswith("rapport.")
        for model in config.get_models()
    )


def restore(path: Path | str, *, force: bool = False) -> dict:
    """Replace the database and the uploaded files with those of the archive at ``path``,
    then migrate forward. Returns its manifest. Stop the server and workers first."""
    from django.conf import settings

    manifest = read_manifest(path)
    kind = database_kind()
    if manifest.get("format") != FORMAT:
        raise CommandError(f"{path}: backup format {manifest.get('format')!r} is not known here")
    if manifest.get("database") != kind:
        raise CommandError(
            f"{path} is a {manifest.get('database')} backup; this installation uses {kind} "
            "(RAPPORT_DATABASE_URL)"
        )
    if newer := unknown_migrations(manifest):
        raise CommandError(
            f"{path} was made by a newer Rapport ({manifest.get('rapport_version')}): this "
            f"version does not know {', '.join(newer[:3])}"
            + (f" and {len(newer) - 3} more" if len(newer) > 3 else "")
            + "; restore it with that version or a later one"
        )
    if not force and has_data():
        raise CommandError(
            "this installation's database already holds data; restore into an empty one, or "
            "add --force to replace everything in it with the backup"
        )
    with tempfile.TemporaryDirectory(prefix="rapport-restore-") as scratch:
        work = Path(scratch)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        dumped = work / manifest["file"]
        if not dumped.is_file():
            raise CommandError(f"{path} lacks its database file {manifest['file']}")
        _load_database(kind, dumped)
        uploads = Path(settings.MEDIA_ROOT)
        if uploads.exists():
            shutil.rmtree(uploads)
        if (work / "uploads").is_dir():
            uploads.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "uploads", uploads)
    # A backup of an older version: bring its database up to this code.
    migrate()
    return manifest


def _load_database(kind: str, dumped: Path) -> None:
    connection = _connection()
    if kind == "sqlite":
        connection.ensure_connection()
        # The backup API the other way round: the live database becomes a copy of the file,
        # every page replaced, whatever it held before.
        source = sqlite3.connect(dumped)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    # Whatever tables are there go first, so tables a newer schema added do not linger.
    tables = connection.introspection.table_names()
    if tables:
        with connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")  # noqa: S608 - our names
    connection.close()
    env, database = _pg_env_and_target()
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction",
          *database, str(dumped)], env)  # fmt: skip


def prune(folder: Path | str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives the clock wrote in ``folder``."""
    archives = sorted(Path(folder).glob(f"{PREFIX}*.tar.gz"))
    gone = archives[: max(0, len(archives) - keep)]
    for old in gone:
        old.unlink()
    return gone


def newest(folder: Path | str) -> Path | None:
    archives = sorted(Path(folder).glob(f"{PREFIX}*.tar.gz"))
    return archives[-1] if archives else None


def due(folder: Path | str, every_hours: float = 24, now: datetime | None = None) -> bool:
    """True when ``folder`` has no archive from the last ``every_hours``."""
    last = newest(folder)
    if last is None:
        return True
    stamp = last.name.removeprefix(PREFIX).removesuffix(".tar.gz")
    try:
        made = datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return True
    return ((now or datetime.now(UTC)) - made).total_seconds() >= every_hours * 3600 - 600


def digest() -> dict[str, tuple[int, str]]:
    """{table: (rows, sha256 of its rows in key order)} for every installed model: what a
    restore must give back unchanged."""
    from django.apps import apps

    result = {}
    for model in apps.get_models(include_auto_created=True):
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*fields)
        hashed = hashlib.sha256()
        count = 0
        for row in rows.iterator(chunk_size=2000):
            hashed.update(repr(row).encode())
            count += 1
        result[model._meta.db_table] = (count, hashed.hexdigest())
    return result
