"""Signed webhooks: how another system posts answers or touchpoints to ``/hooks/<id>/``.

The sender signs every request with the endpoint's secret::

    X-Rapport-Timestamp: 1738571400                (unix seconds, now)
    X-Rapport-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">

A request is refused when the signature does not match (compared in constant time) or the
timestamp is more than five minutes away from our clock, so a captured request cannot be
replayed later; within those five minutes each item's ``id`` makes a resend harmless.
The body is one JSON object or a list of them. Each item is stored on its own; the reply
names every rejected item by its index, field and reason (see docs/intake.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

from django.utils import timezone

from rapport.intake.choices import WebhookKind
from rapport.intake.intake import (
    ItemResult,
    ItemStatus,
    intake_interaction,
    intake_response,
    read_whole_number,
)
from rapport.intake.models import WebhookEndpoint

TIMESTAMP_HEADER = "X-Rapport-Timestamp"
SIGNATURE_HEADER = "X-Rapport-Signature"
TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 1024 * 1024
MAX_ITEMS = 500
# Unix seconds: digits only, and no more than a clock will show for the next 30,000 years.
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The X-Rapport-Signature value for ``body`` sent at ``timestamp``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


class Refused(Exception):
    """A request refused as a whole: ``status`` and a reason for the sender."""

    def __init__(self, status: int, reason: str):
        self.status = status
        self.reason = reason
        super().__init__(reason)


def verify(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float | None = None
) -> None:
    """Raise ``Refused`` (401) unless ``signature`` signs ``body`` at a fresh ``timestamp``."""
    if not timestamp:
        raise Refused(401, f"missing {TIMESTAMP_HEADER} header (unix seconds)")
    if not signature:
        raise Refused(401, f"missing {SIGNATURE_HEADER} header (sha256=<hex>)")
    if not _UNIX_SECONDS.fullmatch(timestamp.strip()):
        shown = timestamp.strip()[:20] + ("…" if len(timestamp.strip()) > 20 else "")
        raise Refused(
            401, f"{TIMESTAMP_HEADER} must be unix seconds, such as 1738571400, not {shown!r}"
        )
    sent = int(timestamp.strip())
    now = time.time() if now is None else now
    if abs(now - sent) > TOLERANCE_SECONDS:
        raise Refused(
            401,
            f"{TIMESTAMP_HEADER} is {abs(int(now) - sent):,} seconds away from our clock "
            f"(at most {TOLERANCE_SECONDS}): an old request replayed, or a clock that is wrong",
        )
    expected = sign(secret, timestamp.strip(), body)
    if not hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8")):
        raise Refused(401, "the signature does not match this body and timestamp")


def parse_items(body: bytes) -> list:
    """The items of a body: one JSON object, or a list of at most ``MAX_ITEMS``."""
    if len(body) > MAX_BODY_BYTES:
        raise Refused(413, f"the body is larger than {MAX_BODY_BYTES // 1024:,} KB")
    if not body.strip():
        raise Refused(400, "the body is empty: send one JSON object or a list of them")
    try:
        # A number too long to read is left for its item to be rejected, not the body.
        payload = json.loads(body.decode("utf-8"), parse_int=read_whole_number)
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8")
    except json.JSONDecodeError as error:
        raise Refused(
            400,
            f"the body is not JSON: it stops making sense at line {error.lineno}, "
            f"column {error.colno}",
        )
    except RecursionError:
        raise Refused(400, "the body's JSON is nested too deeply")
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise Refused(422, "the list is empty")
    if len(items) > MAX_ITEMS:
        raise Refused(413, f"{len(items):,} items in one request; at most {MAX_ITEMS}")
    return items


@dataclass
class Delivery:
    """The reply to a delivery: its HTTP status and JSON body."""

    status: int
    body: dict


def receive(endpoint: WebhookEndpoint, items: list) -> Delivery:
    """Store each item through the endpoint's kind; 200 when all were taken (new or already
    there), 207 when some were rejected, 422 when all were."""
    results: list[ItemResult] = []
    for index, data in enumerate(items):
        if endpoint.kind == WebhookKind.RESPONSES:
            result = intake_response(endpoint.survey, data, index=index, require_id=True)
        else:
            result = intake_interaction(endpoint.workspace, data, index=index, require_id=True)
        results.append(result)
    now = timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(last_used_at=now)
    return report(results)


def report(results: list[ItemResult]) -> Delivery:
    created = sum(r.status == ItemStatus.CREATED for r in results)
    duplicates = sum(r.status == ItemStatus.DUPLICATE for r in results)
    rejected = sum(r.status == ItemStatus.REJECTED for r in results)
    body = {
        "received": len(results),
        "created": created,
        "duplicates": duplicates,
        "rejected": rejected,
        "results": [
            {"index": r.index, "id": r.id, "status": r.status, "object_id": r.object_id or None}
            for r in results
        ],
        "errors": [
            {"index": r.index, "id": r.id, "field": name, "reason": reason}
            for r in results
            for name, reason in r.errors
        ],
    }
    status = 200 if not rejected else 422 if rejected == len(results) else 207
    return Delivery(status, body)
