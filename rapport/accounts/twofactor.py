"""Two-factor sign-in: a time-based code from an authenticator app (TOTP, RFC 6238) and ten
one-time recovery codes, over django-otp's devices.

A member turns it on from "Two-factor sign-in" (their account page): Rapport shows a QR code
of a new secret, and the member proves their app has it by typing one code; only then is
the device confirmed and asked for at every sign-in. Turning it off asks for a code too. An
owner of a business that requires it (``Workspace.require_two_factor``) is sent to set it up
before any page of that business.
"""

from __future__ import annotations

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, User

RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_on(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The secret being set up: the same one on every visit until it is confirmed, so
    reloading the page does not invalidate what the member has just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def qr_code(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an SVG QR code in a data: address (an image, so the
    page's Content-Security-Policy needs no inline style)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()


@transaction.atomic
def confirm(user: User, code: str) -> list[str] | None:
    """Confirm the pending secret with a code from the app. Returns the new recovery codes
    (shown once), or None when the code is wrong."""
    device = pending_device(user)
    if not _clean(code).isdigit() or not device.verify_token(_clean(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    _audit(user, "turned on")
    return codes


def new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user: User, code: str) -> bool:
    """A code from the app, or an unused recovery code (used up by this call). Wrong codes
    slow the device down (django-otp's throttling: each failure doubles the wait)."""
    code = _clean(code)
    if not code:
        return False
    if code.isdigit():
        device = confirmed_device(user)
        return device is not None and device.verify_token(code)
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device is not None and device.verify_token(code)


def wait_seconds(user: User) -> int:
    """How long the app's codes are refused after several wrong ones (0 when they are not,
    or after only one or two: a typo deserves "not right", not "too many")."""
    from django.utils import timezone

    device = confirmed_device(user) or TOTPDevice.objects.filter(user=user).first()
    if device is None or device.throttling_failure_count < 3:
        return 0
    allowed, data = device.verify_is_allowed()
    until = (data or {}).get("locked_until")
    return 0 if allowed or until is None else max(1, int((until - timezone.now()).total_seconds()))


@transaction.atomic
def turn_off(user: User, code: str) -> bool:
    if not verify(user, code):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(user, "turned off")
    return True


def _audit(user: User, what: str) -> None:
    """Each business the member belongs to sees the change in its audit log."""
    for membership in Membership.objects.filter(user=user, removed_at__isnull=True).select_related(
        "workspace"
    ):
        record_audit(
            membership.workspace,
            AuditAction.UPDATE,
            user,
            actor=user,
            object_type="two-factor sign-in",
            object_repr=str(user),
            changes={"two-factor sign-in": what},
        )
