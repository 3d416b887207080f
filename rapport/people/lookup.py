"""Finding people by e-mail: one business at a time, ignoring case.

An address typed as ``Ann@Example.com`` in the app must match ``ann@example.com`` in a
file, a mailbox or an API call, and never a person of another business. Mail import, the
intake API and the imports (people, interactions, purchases…, survey responses) all find
people this way; each decides itself what to do when two people share an address.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import In

from rapport.accounts.models import Workspace
from rapport.lib.bulk import among
from rapport.people.models import Person


def ignoring_case(queryset, field: str, values: set[str], workspace: Workspace) -> Q:
    """A condition matching the people of ``queryset`` (within ``workspace``) whose
    ``field`` is any of ``values``, ignoring case.

    The plain ``IN`` goes through the field's index; only the values it misses are looked
    for as ``LOWER(field)``, among the workspace's people through the index on that
    (``person_email_any_case``, ``person_name_any_case``), and the people found join the
    condition by key. Asked as ``IN … OR LOWER(…) IN …`` in the caller's query, SQLite
    read every person of the workspace or group instead, each time a value was new.
    """
    if not values:
        return Q(pk__in=[])
    exact = queryset.filter(**{f"{field}__in": among(values)}).values_list(field, flat=True)
    missing = {v.lower() for v in values} - {v.lower() for v in exact}
    condition = Q(**{f"{field}__in": among(values)})
    if missing:
        anywhere = Person.objects.filter(workspace=workspace).order_by()
        # "kind" is read only because no index holds it: given an index on (workspace,
        # field, …) that holds every column asked for, SQLite reads all of it rather than
        # use LOWER's index.
        found = anywhere.filter(Q(In(Lower(field), sorted(missing)))).values_list("pk", "kind")
        keys = sorted(pk for pk, _ in found)
        if keys:
            condition |= Q(pk__in=keys)
    return condition


def by_email(
    workspace: Workspace,
    emails: Iterable[str],
    *,
    group: str | None = None,
    fields: tuple[str, ...] = (),
) -> dict[str, list[Person]]:
    """``{address (lower case): [people, oldest first]}`` for the people of ``workspace``
    (of ``group`` when given) whose e-mail is one of ``emails`` (lower case), ignoring
    case. Addresses nobody has are left out; several people may share one. ``fields``:
    load only these columns (besides the id and the e-mail)."""
    emails = {e for e in emails if e}
    if not emails:
        return {}
    people = Person.objects.filter(workspace=workspace)
    if group:
        people = people.filter(group=group)
    matches = people.filter(ignoring_case(people, "email", emails, workspace)).order_by("pk")
    if fields:
        matches = matches.only("pk", "email", *fields)
    found: dict[str, list[Person]] = {}
    for person in matches:
        found.setdefault(person.email.lower(), []).append(person)
    return found


def person_ids_by_email(workspace: Workspace, emails: set[str], prefer_group: str = "") -> dict:
    """``{address (lower case): person id}`` for the people of ``workspace`` with these
    addresses, ignoring case; where several share one, the one in ``prefer_group``, then
    the oldest."""
    found = {}
    for address, people in by_email(workspace, emails, fields=("group",)).items():
        preferred = [p for p in people if prefer_group and p.group == prefer_group]
        found[address] = (preferred or people)[0].pk
    return found
