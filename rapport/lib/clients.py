"""Who is asking: the client's address, the one rule that rate limits and the login lockout
share."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address. Directly, REMOTE_ADDR. Behind the business's reverse proxy
    (``RAPPORT_BEHIND_PROXY``), REMOTE_ADDR is the proxy's for everyone, so the address the
    proxy appended last to X-Forwarded-For: anything before it is whatever the client sent,
    and trusting that would let one client pose as many."""
    if settings.BEHIND_PROXY:
        appended = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if appended:
            return appended
    return request.META.get("REMOTE_ADDR", "") or "unknown"
