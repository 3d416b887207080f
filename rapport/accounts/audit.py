from rapport.accounts.choices import AuditAction
from rapport.accounts.models import AuditEvent, Workspace


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff_fields(before: dict, after: dict) -> dict:
    """``{"field": [old, new]}`` for every field whose value changed."""
    return {
        field: [_plain(before.get(field)), _plain(after.get(field))]
        for field in after
        if before.get(field) != after.get(field)
    }


def record_audit(
    workspace: Workspace,
    action: AuditAction | str,
    obj=None,
    *,
    actor=None,
    via: str = "web",
    changes: dict | None = None,
    object_type: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        workspace=workspace,
        actor=actor if actor is not None and actor.is_authenticated else None,
        via=via,
        action=action,
        object_type=object_type or (obj._meta.model_name if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk else "",
        object_repr=(object_repr if object_repr is not None else str(obj or ""))[:200],
        changes=changes or {},
    )
