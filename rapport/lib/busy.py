"""A database that is locked or full answers "try again" in plain words, not a 500.

SQLite lets one writer in at a time; a writer that waits longer than the busy timeout (20 s,
rapport/settings.py) gets "database is locked". A full disk gives "database or disk is full"
(SQLite) or "No space left on device" / "could not extend file" (PostgreSQL). In each case
the request's transaction was rolled back, so nothing of it was half-written and everything
accepted before stays; the person is told to send it again in a minute (503 with
Retry-After), and the JSON API says the same in JSON.
"""

import logging

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

log = logging.getLogger("rapport.database")

RETRY_AFTER_SECONDS = 30
LOCKED = (
    "The server is busy and could not save this just now. Nothing was saved; please send "
    "it again in a minute."
)
FULL = (
    "The server has run out of disk space and could not save this. Nothing was saved; "
    "please try again later. (Whoever runs this server: free some disk space.)"
)


def database_trouble(error: Exception) -> str:
    """ "locked", "full" or "" for an error that is neither."""
    if not isinstance(error, OperationalError):
        return ""
    text = str(error).lower()
    if "is locked" in text or "lock timeout" in text or "deadlock" in text:
        return "locked"
    if "disk is full" in text or "no space left" in text or "could not extend file" in text:
        return "full"
    return ""


def busy_response(request, trouble: str) -> HttpResponse:
    message = LOCKED if trouble == "locked" else FULL
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message}, status=503, headers=headers)
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Please try again</title></head><body><main>"
        f"<h1>Please try again in a minute</h1><p>{escape(message)}</p>"
        "</main></body></html>"
    )
    return HttpResponse(page, status=503, headers=headers)


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        trouble = database_trouble(exception)
        if not trouble:
            return None
        log.error("%s %s: database %s (%s)", request.method, request.path, trouble, exception)
        return busy_response(request, trouble)
