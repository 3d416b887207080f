from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from ninja.security import HttpBearer

from rapport.accounts.choices import Role
from rapport.accounts.models import ApiToken, Membership
from rapport.accounts.scope import get_membership


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
        # A write per API call would queue every read behind SQLite's single writer; the
        # last-used time only needs to be right to the minute.
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found


def api_membership(request, slug: str, min_role: str = Role.VIEWER) -> Membership:
    """The caller's membership in workspace ``slug``, or 404 (never reveal other workspaces)."""
    if isinstance(request.auth, ApiToken):
        membership = request.auth.membership
        if membership.workspace.slug != slug:
            raise Http404("No such workspace")
    else:
        membership = get_membership(request.user, slug)
    if not membership.can(min_role):
        raise Http404("No such workspace")
    return membership
