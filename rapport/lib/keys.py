"""Record keys: the sha256 digests stored with imported rows (``import_key``, a message's
thread node, a response's key) so that the same record sent again finds the row it made.

Keys are stored, so their bytes must never change: a key computed differently would miss
the rows of earlier imports and a re-import would add every record again.
``tests/test_record_keys.py`` pins one digest per caller.
"""

import hashlib

SEPARATOR = "\x1f"  # ASCII unit separator: cannot appear in a typed value


def record_key(*parts, errors: str = "replace") -> str:
    """The sha256 hex digest of ``parts`` joined by the unit separator (``None`` as "",
    anything else as ``str()``), encoded as UTF-8; ``errors`` is how an unpaired surrogate
    is encoded ("replace": as "?"; "strict": refused with ``UnicodeEncodeError``)."""
    text = SEPARATOR.join(["" if p is None else str(p) for p in parts])
    return hashlib.sha256(text.encode("utf-8", errors)).hexdigest()
