from django.db import transaction

from rapport.accounts.choices import Role
from rapport.accounts.models import Membership, User, Workspace


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
