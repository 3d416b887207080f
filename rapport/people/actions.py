"""Changes to relationships. Anything that writes more than one row, or must be audited,
goes through a function here; views, the API, imports and the demo all call these."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from rapport.accounts.audit import diff_fields, record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Workspace
from rapport.lib.bulk import among
from rapport.people.models import Interaction, Person, Purchase, Tag


def _personal_snapshot(person: Person) -> dict:
    return {field: getattr(person, field) for field in Person.PERSONAL_FIELDS}


@transaction.atomic
def create_person(
    workspace: Workspace, *, actor=None, via="web", tags: Iterable[str] = (), **fields
) -> Person:
    person = Person.objects.create(workspace=workspace, **fields)
    if tags:
        set_tags(person, tags)
    record_audit(
        workspace,
        AuditAction.CREATE,
        person,
        actor=actor,
        via=via,
        changes=diff_fields(
            {}, {k: v for k, v in _personal_snapshot(person).items() if v not in ("", None)}
        ),
    )
    return person


@transaction.atomic
def update_person(
    person: Person, *, actor=None, via="web", tags: Iterable[str] | None = None, **fields
) -> dict:
    """Apply ``fields`` to ``person``; record what changed in personal data. Returns the diff."""
    before = _personal_snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.updated_at = timezone.now()
    person.save()
    changes = diff_fields(before, _personal_snapshot(person))
    if tags is not None:
        old = sorted(person.tags.values_list("name", flat=True))
        new = set_tags(person, tags)
        if old != new:
            changes["tags"] = [", ".join(old), ", ".join(new)]
    if changes:
        record_audit(
            person.workspace, AuditAction.UPDATE, person, actor=actor, via=via, changes=changes
        )
    return changes


def set_tags(person: Person, names: Iterable[str]) -> list[str]:
    clean = sorted({n.strip() for n in names if n and n.strip()})
    tags = [Tag.objects.get_or_create(workspace_id=person.workspace_id, name=n)[0] for n in clean]
    person.tags.set(tags)
    return clean


@transaction.atomic
def delete_person(person: Person, *, actor=None, via="web") -> None:
    record_audit(person.workspace, AuditAction.DELETE, person, actor=actor, via=via)
    person.delete()


def record_interaction(person: Person, **fields) -> Interaction:
    """Add one touchpoint to ``person``'s timeline and keep their contact dates current."""
    interaction = Interaction.objects.create(
        workspace_id=person.workspace_id, person=person, **fields
    )
    refresh_contact_dates([person.pk])
    return interaction


def record_purchase(person: Person, **fields) -> Purchase:
    purchase = Purchase.objects.create(workspace_id=person.workspace_id, person=person, **fields)
    refresh_purchase_dates([person.pk])
    return purchase


def refresh_contact_dates(person_ids: Iterable[int]) -> None:
    """Recompute ``last_contact_at`` and ``last_human_contact_at`` from the timeline.

    A human contact is any interaction handled by a named member. Bulk writers (imports, the
    demo) call this once per batch instead of once per row.
    """
    ids = sorted(set(person_ids))
    # One UPDATE with correlated subqueries per chunk: the database walks the
    # (person, -occurred_at) index; a bulk_update of the same values cost ~10x more in Python.
    timeline = Interaction.objects.filter(person=OuterRef("pk")).order_by("-occurred_at")
    latest = timeline.values("occurred_at")[:1]
    latest_human = timeline.filter(handled_by__isnull=False).values("occurred_at")[:1]
    for start in range(0, len(ids), 500):
        Person.objects.filter(pk__in=among(ids[start : start + 500])).update(
            last_contact_at=Subquery(latest), last_human_contact_at=Subquery(latest_human)
        )


def refresh_purchase_dates(person_ids: Iterable[int]) -> None:
    """Recompute ``first_purchase_on`` and ``last_purchase_on`` from purchases, the same way
    as ``refresh_contact_dates``: one UPDATE per chunk over the (person, date) index."""
    ids = sorted(set(person_ids))
    purchases = Purchase.objects.filter(person=OuterRef("pk"))
    first = purchases.order_by("purchased_on").values("purchased_on")[:1]
    last = purchases.order_by("-purchased_on").values("purchased_on")[:1]
    for start in range(0, len(ids), 500):
        Person.objects.filter(pk__in=among(ids[start : start + 500])).update(
            first_purchase_on=Subquery(first), last_purchase_on=Subquery(last)
        )
