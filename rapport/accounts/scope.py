"""Workspace scoping: the one way a view, API call, command or task reaches a business's data.

A request names its workspace in the URL (``/w/<slug>/...``). ``workspace_view`` resolves it
to the caller's membership and answers 404 — not 403 — to anyone who is not a member, so a
stranger cannot even learn that a workspace exists.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapport.accounts.choices import Role
from rapport.accounts.models import Membership, Workspace
from rapport.lib.commands import CommandError


def get_membership(user, slug: str) -> Membership:
    if not user.is_authenticated:
        raise Http404("No such workspace")
    try:
        return Membership.objects.select_related("workspace", "user").get(
            user=user, workspace__slug=slug, removed_at__isnull=True
        )
    except Membership.DoesNotExist:
        raise Http404("No such workspace")


def two_factor_missing(membership: Membership) -> bool:
    """True when the business requires two-factor sign-in of owners and this owner has not
    set it up (one query, only in such a business)."""
    if not (membership.workspace.require_two_factor and membership.role == Role.OWNER):
        return False
    return not TOTPDevice.objects.filter(user=membership.user, confirmed=True).exists()


def workspace_view(min_role: str = Role.VIEWER):
    """Decorate a view taking ``slug``; sets ``request.workspace`` and ``request.membership``."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            membership = get_membership(request.user, slug)
            if not membership.can(min_role):
                raise Http404("No such page")
            if two_factor_missing(membership):
                # The business requires it of owners: set it up before anything else.
                messages.info(
                    request,
                    f"{membership.workspace.name} asks its owners to sign in with two factors. "
                    "Set it up to go on.",
                )
                return redirect("two-factor")
            request.workspace = membership.workspace
            request.membership = membership
            request.session["last_workspace"] = slug
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def home_redirect(request):
    """Send a logged-in user to the workspace they last used, or their first one."""
    if not request.user.is_authenticated:
        return redirect("login")
    memberships = Membership.objects.filter(
        user=request.user, removed_at__isnull=True
    ).select_related("workspace")
    # The workspace switcher submits ?ws=<slug>; otherwise go back to the last one used.
    last = request.GET.get("ws") or request.session.get("last_workspace")
    chosen = next((m for m in memberships if m.workspace.slug == last), None) or memberships.first()
    if chosen is None:
        return redirect("no-workspace")
    return redirect("people:directory", slug=chosen.workspace.slug)


def workspace_from_slug(slug: str) -> Workspace:
    """The workspace named ``slug`` for a command-line tool, or a CommandError that says how
    to find the slug."""
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise CommandError(f"no workspace {slug!r} (see the slug in its web address)")
    return workspace
