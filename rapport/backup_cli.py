"""``rapport backup`` and ``rapport restore``: the whole installation (database and uploaded
files) into one archive and back (rapport/lib/backup.py)."""

from pathlib import Path


def register(subparsers) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="back up the database and uploaded files into one archive (safe while serving)",
        description="Write one .tar.gz archive holding the database (SQLite's online backup, "
        "or pg_dump for PostgreSQL), the uploaded files and a manifest (version, database, "
        "migrations, time). Safe while the server and workers run.",
    )
    backup.add_argument(
        "--to",
        metavar="DIR",
        default=None,
        help="folder to write the archive in (default: RAPPORT_BACKUP_DIR, else "
        "RAPPORT_DATA_DIR/backups)",
    )
    backup.set_defaults(handler=backup_command)

    restore = subparsers.add_parser(
        "restore",
        help="restore a backup archive into this installation (stop the server first)",
        description="Replace this installation's database and uploaded files with a backup's, "
        "then run the migrations a backup from an older version needs. Refuses a database "
        "that already holds data unless --force, and a backup made by a newer version. Stop "
        "the server and workers first.",
    )
    restore.add_argument("file", help="the .tar.gz archive `rapport backup` wrote")
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace a database that already holds data (everything in it is lost)",
    )
    restore.set_defaults(handler=restore_command)


def backup_command(args) -> int:
    from rapport.lib.backup import back_up, default_folder

    made = back_up(Path(args.to) if args.to else default_folder())
    size = made.path.stat().st_size / 1_000_000
    print(f"Backed up the {made.manifest['database']} database and uploads to {made.path} "
          f"({size:.1f} MB).")  # fmt: skip
    return 0


def restore_command(args) -> int:
    from rapport.lib.backup import default_folder, restore
    from rapport.privacy.actions import erase_again

    manifest = restore(args.file, force=args.force)
    print(
        f"Restored the backup of {manifest['created_at']} (Rapport {manifest['rapport_version']})"
        " and brought its database up to this version."
    )
    # People erased after the backup was made are in it again: erase them again, from the
    # ledgers beside this archive and in this installation's backup folder.
    if erased := erase_again(Path(args.file).resolve().parent, default_folder()):
        people = "person" if erased == 1 else "people"
        print(f"Erased again {erased} {people} erased after this backup was made.")
    return 0
