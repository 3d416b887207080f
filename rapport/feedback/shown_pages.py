"""The public survey page as everyone first sees it, kept for a moment in each web process.

A survey link shared on a receipt or a poster is opened by many people at once, and each of
them first gets the same page: the survey's questions with nothing filled in. Building it
reads the survey and its questions and renders the template (most of the cost of showing
it), so each web process keeps the page it built for ``SECONDS`` and sends it again with a
fresh submission key in its slot. The thanks page after an answer is kept the same way, with
the respondent's own reply link in its slot.

So a page may show the survey as it was up to ``SECONDS`` ago in another process (a page
opened a moment before an edit shows the old one anyway). The answers it sends are always
checked against the survey as it is now: the POST reads the survey and its questions afresh
and never uses this. In the process where an owner changes a survey, question or business,
the saved or deleted row drops every kept page at once (``signals.py``); an edit that skips
``save()`` (a bulk update) calls ``forget`` itself.

Only the plain public page and its thanks are kept (``/s/<token>/`` and its website version):
not a personal link, not a page with errors, not a notice.
"""

import secrets
import threading
import time

from django.http import HttpResponse

SECONDS = 2.0
# Pages kept at most per process (an installation with many surveys keeps the busy ones).
MOST = 500
# Put where the submission key or the reply link's token goes when a page is first built;
# random, so no survey's text can contain it.
SLOT = f"submission-{secrets.token_hex(16)}"

_pages: dict[str, tuple[float, list[str]]] = {}
_lock = threading.Lock()


def page(key: str, fill: str) -> HttpResponse | None:
    """The page kept under ``key`` with ``fill`` in its slot, or None when none is fresh."""
    kept = _pages.get(key)
    if kept is None or kept[0] < time.monotonic():
        return None
    return HttpResponse(fill.join(kept[1]))


def keep(key: str, content: str) -> None:
    """Keep ``content``, a page rendered with ``SLOT`` where each response has its own
    value."""
    parts = content.split(SLOT)
    if len(parts) < 2:
        return
    with _lock:
        if len(_pages) >= MOST:
            _pages.clear()
        _pages[key] = (time.monotonic() + SECONDS, parts)


def forget(**_) -> None:
    """Drop every kept page (a survey, question or business changed in this process)."""
    with _lock:
        _pages.clear()
