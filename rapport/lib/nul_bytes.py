"""A NUL character (U+0000) cannot be stored in a PostgreSQL text column, and SQLite would
store it silently. The API refuses a request that carries one in its path, query or JSON
body, naming where, before any view reads it (422, the API's usual error body)."""

import json
from collections.abc import Iterator

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse

NUL = "\x00"


def where_nul(value, at: str) -> Iterator[str]:
    """Where in a parsed JSON value a NUL appears (in a key or a string), as dotted paths."""
    if isinstance(value, str):
        if NUL in value:
            yield at
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{at}.{key.replace(NUL, '?')}"
            if NUL in key:
                yield inner
            yield from where_nul(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from where_nul(item, f"{at}.{index}")


def _found(request) -> list[str]:
    found = ["path"] if NUL in request.path else []
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in v for v in values):
            found.append(f"query.{key.replace(NUL, '?')}")
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except (RequestDataTooBig, ValueError):
            return found  # the API's own handlers answer these (413, 400)
        found.extend(where_nul(body, "body"))
    return found


class RefuseNulInApi:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            found = _found(request)
            if found:
                reason = "contains a NUL character (\\u0000), which cannot be stored"
                return JsonResponse(
                    {
                        "detail": f"Nothing was done: {', '.join(found[:5])}: {reason}.",
                        "errors": [{"field": f, "reason": reason} for f in found[:20]],
                    },
                    status=422,
                )
        return self.get_response(request)
