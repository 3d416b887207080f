"""Counting what one client does in a window of time, in the cache every server process and
machine shares (Django's "shared" cache: a table in the database, settings.CACHES), so that
``rapport serve``'s several processes count together instead of each allowing the limit.

Two requests counted at the very same moment may be counted once (Django's database cache has
no atomic increment): a limit here is a brake on floods, not an exact count.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches


def key(scope: str, who: str) -> str:
    """The cache key of ``who``'s count on ``scope``. Addresses and e-mails are personal data:
    the cache holds a keyed hash, never the value."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{who}".encode()).hexdigest()
    return f"rapport:rate:{digest[:32]}"


def within(scope: str, who: str, count: int, seconds: int) -> bool:
    """Count one attempt by ``who`` (an address, an e-mail) on ``scope``; False once more than
    ``count`` were made in the current window of ``seconds``."""
    key_ = key(scope, who)
    cache = caches["shared"]
    cache.add(key_, 0, timeout=seconds)
    try:
        used = cache.incr(key_)
    except ValueError:  # the window ended between add and incr
        cache.add(key_, 1, timeout=seconds)
        used = 1
    return used <= count
