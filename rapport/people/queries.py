"""Read-side helpers shared by the directory page, the API and exports."""

from django.db.models import Q, QuerySet

from rapport.accounts.models import Workspace
from rapport.people.choices import Group
from rapport.people.models import Person


def filter_people(
    workspace: Workspace,
    *,
    q: str = "",
    group: str = "",
    tag: str = "",
    team: str = "",
    owner: str = "",
) -> QuerySet[Person]:
    """People of ``workspace`` matching the directory's search box and filters.

    Unknown filter values match nobody rather than being ignored: a mistyped group must not
    silently show everyone.
    """
    people = Person.objects.filter(workspace=workspace)
    q = q.strip()
    if q:
        people = people.filter(
            Q(name__icontains=q)
            | Q(email__icontains=q)
            | Q(external_id__iexact=q)
            | Q(phone__icontains=q)
        )
    if group:
        people = people.filter(group=group) if group in Group.values else people.none()
    if tag:
        people = people.filter(tags__workspace=workspace, tags__name=tag)
    if team:
        people = (
            people.filter(team__name=team)
            if not team.isdigit()
            else people.filter(team_id=int(team))
        )
    if owner:
        if owner == "none":
            people = people.filter(owner__isnull=True)
        elif owner.isdigit():
            people = people.filter(owner_id=int(owner))
        else:
            people = people.none()
    return people
