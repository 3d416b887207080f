"""A NUL character (U+0000) cannot be stored in a PostgreSQL text column, and SQLite would
store it silently: where one is in a request (the API refuses it, accounts.api)."""

import json
from collections.abc import Iterator

from django.core.exceptions import RequestDataTooBig

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


def where_in_request(request, *, body: bool = True) -> list[str]:
    """Where a NUL is in ``request``: "path", "query.<name>", "body.<dotted path>"."""
    found = ["path"] if NUL in request.path else []
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in v for v in values):
            found.append(f"query.{key.replace(NUL, '?')}")
    if body and request.content_type == "application/json":
        try:
            raw = request.body
        except RequestDataTooBig:
            return found  # the API's own handler answers it (413)
        # In valid JSON a NUL can only be written as the escape \u0000 (a raw one is refused
        # by the parser), so a body without it is not parsed a second time here.
        if b"\\u0000" not in raw:
            return found
        try:
            parsed = json.loads(raw)
        except ValueError:
            return found  # the API's own handler answers it (400)
        found.extend(where_nul(parsed, "body"))
    return found
