"""Keeping the public answering pages usable when someone abuses them.

Three guards, all cheap and none needing JavaScript:

- a honeypot field that people never see (CSS hides it, ``aria-hidden`` hides it from screen
  readers) but form-filling robots do; a filled one gets the normal thanks page and nothing
  is stored, so the robot learns nothing;
- a rate limit per client address per survey (``RAPPORT_ANSWER_RATE``, "count/seconds"),
  counted in Django's cache;
- a limit on the size of an answer's body, checked from ``Content-Length`` before the body is
  read.

The counts are accounts/ratelimit.py's, in the database, so every server process and machine
counts together.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from rapport.accounts.ratelimit import within
from rapport.feedback.answers import MAX_TEXT
from rapport.lib.clients import client_address

HONEYPOT_FIELD = "website"

# One free-text answer at its longest (MAX_TEXT characters of four UTF-8 bytes each,
# percent-encoded to three characters a byte) is just under 64 KB; every text question
# may use that much, and the other fields fit in what is left.
BODY_PER_TEXT = 64 * 1024
assert MAX_TEXT * 4 * 3 < BODY_PER_TEXT


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(value: str) -> Rate:
    """``"20/600"`` → Rate(20, 600). Raises ImproperlyConfigured naming the setting."""
    try:
        count, seconds = (int(part) for part in str(value).split("/"))
    except ValueError:
        raise ImproperlyConfigured(
            f"RAPPORT_ANSWER_RATE must look like 20/600 (answers/seconds), got {value!r}"
        )
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(f"RAPPORT_ANSWER_RATE must be positive, got {value!r}")
    return Rate(count, seconds)


def answer_rate() -> Rate:
    return parse_rate(settings.RAPPORT_ANSWER_RATE)


def allow(request, scope: str, rate: Rate | None = None) -> bool:
    """Count one attempt by this client on ``scope`` (a survey, a conversation); False once
    the client has used up its allowance for the current window."""
    rate = rate or answer_rate()
    return within(scope, client_address(request), rate.count, rate.seconds)


def is_robot(post) -> bool:
    """True when the honeypot field, hidden from people, was filled in."""
    return bool(post.get(HONEYPOT_FIELD, "").strip())


def body_limit(text_questions: int) -> int:
    """The largest answer body accepted for a form with this many free-text questions."""
    return BODY_PER_TEXT * max(1, text_questions)


def body_too_large(request, limit: int) -> bool:
    """True when the request announces a body larger than ``limit`` bytes.

    Django reads no more than ``Content-Length`` announces, so checking it before touching
    ``request.POST`` means an oversized body is never read into memory."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit
