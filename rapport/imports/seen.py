"""The in-file duplicate tracker, kept on disk so memory stays flat however long the file.

For each identity seen so far in one run it remembers the first line and how many equal
records came before. A private temporary SQLite database (``sqlite3.connect("")``) holds
the table: SQLite keeps a small page cache in memory and spills the rest to a temporary
file that disappears when the run ends.
"""

import hashlib
import sqlite3

CACHE_KIB = 32 * 1024


def _key(identity: str) -> int:
    # 63 bits of a hash of the identity: fits SQLite's signed 64-bit rowid; a collision
    # among ten million rows has odds of about one in 10^5.
    digest = hashlib.blake2b(identity.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


class SeenIdentities:
    def __init__(self):
        self._db = sqlite3.connect("")
        # Up to 32 MiB of the table in memory (SQLite's default is 2 MiB): the keys are
        # hashes, so with a small cache every look-up in a long file reads the spill file.
        self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self._db.execute(
            "CREATE TABLE seen (key INTEGER PRIMARY KEY, first_line INTEGER, n INTEGER)"
        )
        self._batch: dict[int, tuple[int, int]] = {}
        self._keys: dict[str, int] = {}

    def load(self, identities) -> None:
        """Fetch what is known of a batch's identities: one query per batch."""
        # Each identity hashed once per batch; get() and add() read the hashes back.
        self._keys = {i: _key(i) for i in identities}
        keys = list(set(self._keys.values()))
        self._batch = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, first_line, n FROM seen WHERE key IN ({marks})",  # noqa: S608
                chunk,
            )
            self._batch.update({key: (first, n) for key, first, n in rows})

    def get(self, identity: str, line: int) -> tuple[int, int]:
        """``(first line, count so far)`` for ``identity``; ``(line, 0)`` when new."""
        return self._batch.get(self._key_of(identity), (line, 0))

    def add(self, identity: str, first_line: int, count: int) -> None:
        self._batch[self._key_of(identity)] = (first_line, count)

    def _key_of(self, identity: str) -> int:
        key = self._keys.get(identity)
        return _key(identity) if key is None else key

    def save(self) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO seen (key, first_line, n) VALUES (?, ?, ?)",
            [(key, first, n) for key, (first, n) in self._batch.items()],
        )
        self._batch, self._keys = {}, {}

    def close(self) -> None:
        self._db.close()
