import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from rapport.accounts.choices import ROLE_RANK, AuditAction, AutomationKind, Role, TokenScope


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. What they may see is decided by their memberships."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    def __str__(self):
        return self.name or self.email


@cache
def _known_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_time_zone(value) -> None:
    """A time zone is an IANA name that ``ZoneInfo`` reads ("Europe/Paris", "UTC")."""
    try:
        known = isinstance(value, str) and value in _known_time_zones() and ZoneInfo(value)
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        known = False
    if not known:
        raise ValidationError(
            "Unknown time zone; use a name like Europe/Paris.", code="unknown_time_zone"
        )


def zone_named(name: str) -> ZoneInfo:
    """The time zone ``name``; UTC when it is empty or unknown (the one fallback)."""
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        return ZoneInfo("UTC")


class Workspace(models.Model):
    """One business. Every record in Rapport belongs to exactly one workspace."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    currency = models.CharField(max_length=3, default="EUR")
    # Per-business choices live here, not in server settings.
    min_group_size = models.PositiveSmallIntegerField(
        default=5, help_text="Smallest group whose answers are shown in aggregate."
    )
    min_comment_group_size = models.PositiveSmallIntegerField(
        default=8, help_text="Smallest group whose comments are shown."
    )
    human_contact_alert_days = models.PositiveSmallIntegerField(
        default=60, help_text="Days without a human touch before a key relationship is flagged."
    )
    require_two_factor = models.BooleanField(
        default=False,
        help_text="Owners must sign in with a code from an authenticator app as well.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        """The business's time zone; UTC when ``time_zone`` is empty or unknown."""
        return zone_named(self.time_zone)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The date it is now (or at ``now``, an aware datetime) in the business's time zone:
        the one "today" of every page, survey round, import and dashboard."""
        return (now or timezone.now()).astimezone(self.zone).date()


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(default=timezone.now)
    # A removed member loses all access but the row stays, so the timeline still says who
    # handled each interaction and who kept each relationship.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user"),
        ]
        ordering = ["user__name", "user__email"]

    def __str__(self):
        return str(self.user) if self.removed_at is None else f"{self.user} (former member)"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    def can(self, role: str) -> bool:
        """True if this member still has access and a role of at least ``role``."""
        return self.is_active and ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def can_edit(self) -> bool:
        return self.can(Role.STAFF)

    @property
    def can_manage(self) -> bool:
        return self.can(Role.MANAGER)


class Automation(models.Model):
    """A named bot or automated flow that handles interactions on the business's behalf."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="automations")
    name = models.CharField(max_length=100)
    kind = models.CharField(
        max_length=20, choices=AutomationKind.choices, default=AutomationKind.OTHER
    )
    started_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_automation_name"),
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class AuditEvent(models.Model):
    """Who changed, imported, exported or deleted personal data, and what changed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the actor is not a logged-in user: "cli", "demo", "api", "import".
    via = models.CharField(max_length=20, default="web")
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["workspace", "object_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_type} {self.object_repr}"

    def change_list(self) -> list[tuple[str, list | None, str]]:
        """Each change as ``(field, [before, after], "")``, or ``(field, None, text)`` for a
        value stored in another shape (a count, a dict of filters): changes are plain JSON,
        written by many callers and kept for years, so the log must show any of them."""
        changes = self.changes if isinstance(self.changes, dict) else {"": self.changes}
        return [
            (field, value, "")
            if isinstance(value, list) and len(value) == 2
            else (field, None, _as_text(value))
            for field, value in changes.items()
        ]


def _as_text(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_as_text(v)}" for key, v in value.items())
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    return "—" if value is None else str(value)


class ApiToken(models.Model):
    """A bearer token for scripts, bound to one membership and so to one workspace.

    Only a SHA-256 of the token is stored; the token itself is shown once, at creation. It
    can do what its member's role allows, less what its scope leaves out (a read-only token
    changes nothing), until it expires.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.WRITE)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def has_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @staticmethod
    def hash(token: str) -> str:
        import hashlib

        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(
        cls,
        membership: Membership,
        name: str,
        *,
        scope: str = TokenScope.WRITE,
        expires_at=None,
    ) -> tuple["ApiToken", str]:
        import secrets

        token = "rpt_" + secrets.token_urlsafe(32)
        return cls.objects.create(
            membership=membership,
            name=name,
            token_hash=cls.hash(token),
            scope=scope,
            expires_at=expires_at,
        ), token


class RateCount(models.Model):
    """How often one client did one thing in the current window (accounts/ratelimit.py): an
    installation-wide counter, like a session. The key is a keyed hash, never an address or
    an e-mail."""

    key = models.CharField(max_length=40, primary_key=True)
    window_ends = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.count} until {self.window_ends:%Y-%m-%d %H:%M}"
