"""Signing in: the password page, the code page of two-factor sign-in, the lockout after
too many wrong passwords, and the password reset by e-mail.

The lockout is django-axes, counting failures in the database (``axes.AccessAttempt``) so
that every web process shares one count: ``RAPPORT_LOGIN_FAILURE_LIMIT`` wrong passwords for
one account lock that account for ``RAPPORT_LOGIN_LOCKOUT_MINUTES``, whatever the address;
one address is locked after ``ADDRESS_FACTOR`` times as many (an office shares one). The
page that says so reads the same whether the account exists or not. Each lockout of a
member's account is written to their businesses' audit logs, and an owner can lift it from
the members list.
"""

from __future__ import annotations

import ipaddress
import time

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from rapport.accounts import twofactor
from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, User
from rapport.accounts.ratelimit import within
from rapport.lib.clients import client_address

# One address may fail this many times the account limit before it is locked.
ADDRESS_FACTOR = 3
# How long the code page waits for a code after the right password.
PENDING_SECONDS = 300
PENDING = "signin_pending"
# Password reset links: (count, seconds) per e-mail address asked for, and per client.
RESETS_PER_EMAIL = (3, 3600)
RESETS_PER_CLIENT = (10, 3600)


# --- the lockout (django-axes hooks, named in settings.AXES_*) ----------------------------


def attempted_email(request, credentials=None) -> str:
    """The account a sign-in tried, as stored: e-mail addresses are kept lowercase."""
    data = credentials or getattr(request, "POST", {}) or {}
    return str(data.get("username") or "").strip().lower()[:255]


def attempt_address(request) -> str | None:
    """The client's address (``lib.clients``: behind the proxy, the one it appended), or
    None when it is not an address at all."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class SignInHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits instead of one: the account's, and a
    larger one for an address. Axes counts the failures per lockout parameter in the order
    of ``AXES_LOCKOUT_PARAMETERS`` (username, then address)."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(by_account, by_address // ADDRESS_FACTOR)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request, credentials=None, *args):
    """The page after too many wrong passwords: 429, the same words for any e-mail."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": lockout_minutes()},
        status=429,
    )


@receiver(user_locked_out)
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    user = User.objects.filter(email__iexact=username or "").first()
    if user is None:
        return
    for membership in Membership.objects.filter(user=user, removed_at__isnull=True).select_related(
        "workspace"
    ):
        record_audit(
            membership.workspace,
            AuditAction.LOCK,
            user,
            via="sign-in",
            object_type="sign-in",
            object_repr=str(user),
            changes={
                "locked for": f"{lockout_minutes()} minutes",
                "after": f"{settings.AXES_FAILURE_LIMIT} wrong passwords",
            },
        )


def locked_emails(emails) -> set[str]:
    """Which of these accounts are locked out now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=[e.lower() for e in emails])
        .filter(attempt_time__gte=since)
        .values("username")
        .annotate(n=Sum("failures_since_start"))
    )
    return {row["username"] for row in rows if row["n"] >= settings.AXES_FAILURE_LIMIT}


def unlock(membership: Membership, *, actor) -> bool:
    """Lift a member's lockout (an owner's action); audited. False when none was on."""
    removed = axes_reset(username=membership.user.email.lower())
    if removed:
        record_audit(
            membership.workspace,
            AuditAction.UNLOCK,
            membership.user,
            actor=actor,
            object_type="sign-in",
            object_repr=str(membership.user),
        )
    return bool(removed)


# --- the pages ------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """The password page. With two-factor sign-in on, the right password leads to the code
    page instead of signing in: the member is signed in only once the code is right."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.is_on(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("signin-code")


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


@never_cache
@sensitive_post_parameters("code")
def signin_code(request):
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(request, "Please sign in again.")
        return redirect("login")
    error = ""
    if request.method == "POST":
        if twofactor.verify(user, request.POST.get("code", "")):
            request.session.pop(PENDING, None)
            auth_login(request, user, backend=pending["backend"])
            return redirect(pending.get("next") or settings.LOGIN_REDIRECT_URL)
        error = _code_error(user)
    return render(request, "accounts/signin_code.html", {"error": error}, status=200)


class ResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The next page says the same whether the address has an account
    or not; the e-mail goes out through the configured e-mail backend (RAPPORT_SMTP_*)."""

    template_name = "accounts/reset_form.html"
    email_template_name = "accounts/reset_email.txt"
    subject_template_name = "accounts/reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")

    def form_valid(self, form):
        """Send the link, unless this address or this client asked too often this hour: then
        the same page, and no e-mail, so nobody can fill a member's mailbox with links."""
        address = form.cleaned_data["email"].strip().lower()
        if within("reset-client", client_address(self.request), *RESETS_PER_CLIENT) and within(
            "reset-email", address, *RESETS_PER_EMAIL
        ):
            return super().form_valid(form)
        return redirect(self.get_success_url())


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link (one use: the token is tied to the old
    password). Setting it also lifts a lockout of the account."""

    template_name = "accounts/reset_confirm.html"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.email.lower())
        return response


def _code_error(user, text="That code is not right, or it has expired.") -> str:
    wait = twofactor.wait_seconds(user)
    if wait:
        seconds = "1 second" if wait == 1 else f"{wait} seconds"
        return f"Too many wrong codes: wait {seconds}, then type the code your app shows."
    return f"{text} Type the code your app shows now."


@login_required
@never_cache
@sensitive_post_parameters("code")
def two_factor(request):
    """Turn two-factor sign-in on (QR code, then one code to confirm) or off (a code)."""
    user = request.user
    error = ""
    if request.method == "POST":
        step = request.POST.get("step")
        code = request.POST.get("code", "")
        if step == "confirm" and not twofactor.is_on(user):
            codes = twofactor.confirm(user, code)
            if codes is not None:
                return render(request, "accounts/two_factor_codes.html", {"codes": codes})
            error = _code_error(user, "That code is not right.")
        elif step == "off" and twofactor.is_on(user):
            if twofactor.turn_off(user, code):
                messages.success(request, "Two-factor sign-in is off.")
                return redirect("two-factor")
            error = _code_error(user, "That code is not right.") + " Or type a recovery code."
        elif step == "codes" and twofactor.is_on(user):
            if twofactor.verify(user, code):
                codes = twofactor.new_recovery_codes(user)
                return render(request, "accounts/two_factor_codes.html", {"codes": codes})
            error = _code_error(user, "That code is not right.")
    context = {"error": error, "on": twofactor.is_on(user)}
    if context["on"]:
        context["codes_left"] = twofactor.recovery_codes_left(user)
    else:
        device = twofactor.pending_device(user)
        context["qr"] = twofactor.qr_code(device)
        context["secret"] = twofactor.secret_text(device)
        context["required"] = Membership.objects.filter(
            user=user, removed_at__isnull=True, role="owner", workspace__require_two_factor=True
        ).exists()
    return render(request, "accounts/two_factor.html", context)
