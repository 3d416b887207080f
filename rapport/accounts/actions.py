import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, Role, TokenScope
from rapport.accounts.models import ApiToken, Membership, User, Workspace


@transaction.atomic
def create_workspace(name: str, slug: str, *, owner: User | None = None, **fields) -> Workspace:
    workspace = Workspace.objects.create(name=name, slug=slug, **fields)
    if owner is not None:
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def add_member(workspace: Workspace, user: User, role: str = Role.STAFF) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    return membership


class MemberError(Exception):
    """A membership change that would leave the business in a bad state."""


def generate_password() -> str:
    # Four groups of four: easy to read out or copy, ~80 bits of entropy.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


@transaction.atomic
def invite_member(
    workspace: Workspace, email: str, *, name: str = "", role: str = Role.STAFF, actor=None
) -> tuple[Membership, str | None]:
    """Give ``email`` a role in ``workspace``, creating the user if needed.

    Returns the membership and, for a new user, a one-time password to hand over in person
    (Rapport sends no email yet); ``None`` when the user already existed.
    """
    email = email.strip().lower()
    if role not in Role.values:
        raise MemberError(f"unknown role {role!r}")
    existing = Membership.objects.filter(workspace=workspace, user__email__iexact=email).first()
    if existing is not None and existing.is_active:
        raise MemberError(f"{email} is already a member of {workspace.name}")
    user = User.objects.filter(email__iexact=email).first()
    password = None
    if user is None:
        password = generate_password()
        user = User.objects.create_user(email, password, name=name.strip())
    if existing is not None:
        # Coming back: the same membership row, so their past work stays theirs.
        existing.role, existing.removed_at = role, None
        existing.save(update_fields=["role", "removed_at"])
        membership = existing
    else:
        membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    record_audit(
        workspace,
        AuditAction.CREATE,
        membership,
        actor=actor,
        object_repr=f"member {email}",
        changes={"role": [None, role]},
    )
    return membership, password


def _other_owners(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            workspace_id=membership.workspace_id, role=Role.OWNER, removed_at__isnull=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(membership: Membership, role: str, *, actor=None) -> None:
    if role not in Role.values:
        raise MemberError(f"unknown role {role!r}")
    if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(membership):
        raise MemberError("a business needs at least one owner: make someone else owner first")
    if membership.role == role:
        return
    record_audit(
        membership.workspace,
        AuditAction.UPDATE,
        membership,
        actor=actor,
        object_repr=f"member {membership.user.email}",
        changes={"role": [membership.role, role]},
    )
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove_member(membership: Membership, *, actor=None) -> None:
    """Take away a member's access and their API tokens. The membership row stays, marked
    removed, so the timeline still names who handled what, and the relationships they kept
    show a former member as owner until someone takes them over."""
    if membership.role == Role.OWNER and not _other_owners(membership):
        raise MemberError("the last owner cannot be removed")
    record_audit(
        membership.workspace,
        AuditAction.DELETE,
        membership,
        actor=actor,
        object_repr=f"member {membership.user.email}",
    )
    membership.removed_at = timezone.now()
    membership.save(update_fields=["removed_at"])
    membership.api_tokens.all().delete()


class TokenError(ValueError):
    """A token cannot be issued as asked: ``field`` ("name" or "expires") and why."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field


def issue_api_token(
    membership: Membership,
    name: str,
    *,
    read_only: bool = False,
    last_day: dt.date | None = None,
    actor=None,
    via: str = "web",
) -> tuple[ApiToken, str]:
    """Issue a token acting as ``membership``: read only or read and write, working until
    the end of ``last_day`` (UTC) or with no expiry. Audited; returns the token and its
    secret, which is shown only once and never stored (only its hash is)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("name", "must be 1 to 100 characters")
    expires_at = None
    if last_day is not None:
        expires_at = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), dt.UTC)
        if expires_at <= timezone.now():
            raise TokenError("expires", f"{last_day}: that day is already over")
    scope = TokenScope.READ if read_only else TokenScope.WRITE
    token, secret = ApiToken.issue(membership, name, scope=scope, expires_at=expires_at)
    record_audit(
        membership.workspace,
        AuditAction.CREATE,
        token,
        actor=actor,
        via=via,
        object_repr=f"API token “{name}” for {membership.user.email}",
        changes={"scope": scope, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return token, secret


def revoke_api_token(token: ApiToken, *, actor=None, via: str = "web") -> None:
    """Revoke a token: it stops working at once. The audit log keeps who revoked which."""
    membership = token.membership
    record_audit(
        membership.workspace,
        AuditAction.DELETE,
        token,
        actor=actor,
        via=via,
        object_repr=f"API token “{token.name}” for {membership.user.email}",
    )
    token.delete()
