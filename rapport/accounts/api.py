"""What every route of the JSON API shares: the bearer-token check, the caller's membership
in the workspace of the URL, the error body, the documented status codes and paging."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from django.http import Http404
from django.utils import timezone
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import AfterValidator

from rapport.accounts.choices import Role
from rapport.accounts.models import ApiToken, Membership
from rapport.accounts.scope import get_membership
from rapport.lib.nul_bytes import where_in_request

# The most records one page may hold, on every listing of the API.
MAX_PAGE = 500


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("membership__workspace", "membership__user")
            .filter(
                token_hash=ApiToken.hash(token),
                membership__user__is_active=True,
                membership__removed_at__isnull=True,
            )
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.has_expired(now):
            raise AuthenticationError(
                message=f"This API token expired on {found.expires_at:%Y-%m-%d %H:%M} UTC. "
                "Ask an owner for a new one (rapport api-token)."
            )
        # A write per API call would queue every read behind SQLite's single writer; the
        # last-used time only needs to be right to the minute.
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found


def api_membership(
    request,
    slug: str,
    min_role: str = Role.VIEWER,
    *,
    writes: bool | None = None,
    cleans_nul: bool = False,
) -> Membership:
    """The caller's membership in workspace ``slug``, or 404 (never reveal other workspaces).

    ``writes`` says whether the call changes anything; by default every method but GET
    does. A token that may only read answers 403 to a call that writes.

    A NUL character in the path, query or JSON body answers 422 naming where (PostgreSQL
    cannot store one, and a search for one finds nothing); ``cleans_nul``: the route takes
    its body's NULs out itself (the intake, which takes other systems' text as it comes).
    """
    nul = where_in_request(request, body=not cleans_nul)
    if nul:
        reason = "contains a NUL character (\\u0000), which cannot be stored"
        raise ValidationError(
            [{"loc": tuple(where.split(".")), "type": "nul", "msg": reason} for where in nul]
        )
    if isinstance(request.auth, ApiToken):
        membership = request.auth.membership
        if membership.workspace.slug != slug:
            raise Http404("No such workspace")
    else:
        membership = get_membership(request.user, slug)
    if not membership.can(min_role):
        raise Http404("No such workspace")
    if writes is None:
        writes = request.method not in ("GET", "HEAD")
    if writes and isinstance(request.auth, ApiToken) and not request.auth.may_write:
        raise HttpError(
            403, f"The API token “{request.auth.name}” may only read; this call changes data."
        )
    return membership


class FieldProblem(Schema):
    field: str = Field(..., description="Where: e.g. query.offset, body.answers.nps.")
    reason: str


class Problem(Schema):
    """The body of every answer that is not a success."""

    detail: str = Field(..., description="What went wrong, in plain words.")
    errors: list[FieldProblem] = Field(
        [], description="Each value that could not be used, and why (for 422)."
    )


# Every operation may answer these: no or a bad token (401), a token that may only read
# (403), no such business or record for this member (404), input that cannot be used (422).
COMMON = (401, 403, 404, 422)


def answers(ok: dict[int, Any] | Any, *more: int) -> dict[int, Any]:
    """The documented answers of one operation: its successes (``{201: X}``, or one schema
    for 200) and the error codes every operation shares, plus ``more`` of its own (e.g.
    409 for a change its state does not allow, 413 for a body over the size limit)."""
    found = dict(ok) if isinstance(ok, dict) else {200: ok}
    for code in (*COMMON, *more):
        found.setdefault(code, Problem)
    return found


class Page(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE, description=f"How many, 1 to {MAX_PAGE}.")
    offset: int = Field(0, ge=0, le=10**9, description="How many to skip, from 0.")


def page_of(queryset, page: Page) -> list:
    return list(queryset[page.offset : page.offset + page.limit])


def _in_utc(value: datetime) -> datetime:
    # PostgreSQL takes offsets up to ±15:59 only; ISO 8601 allows up to ±23:59.
    if value.tzinfo is None:
        return value  # the business's own time zone is meant: each route says so
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None


# A time sent to the API: with an offset, kept as the same instant in UTC.
Moment = Annotated[datetime, AfterValidator(_in_utc)]


def validation_problem(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """pydantic's errors, as an owner would read them: ``offset: must be 0 or more``."""
    problems = []
    for error in errors:
        field = ".".join(str(part) for part in error.get("loc", ()))
        problems.append({"field": field, "reason": _reason(error)})
    detail = "; ".join(f"{p['field']}: {p['reason']}" for p in problems) or "invalid request"
    return {"detail": "Nothing was done: " + detail, "errors": problems}


def _reason(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "greater_than_equal":
        return f"must be {ctx['ge']} or more"
    if kind == "less_than_equal":
        return f"must be {ctx['le']} or less"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']}"
    if kind == "less_than":
        return f"must be less than {ctx['lt']}"
    return str(error.get("msg", "cannot be used"))
