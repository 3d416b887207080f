from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from rapport.accounts.api import Moment, Page, answers, api_membership, page_of
from rapport.accounts.choices import Role
from rapport.people.choices import Channel, Direction, Group
from rapport.people.models import Interaction, Person
from rapport.people.queries import filter_people

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    group: Group
    kind: str
    name: str
    external_id: str
    email: str
    phone: str
    segment: str
    category: str
    team: str | None
    owner: str | None
    may_contact: bool
    may_analyse: bool
    last_human_contact_at: datetime | None

    @staticmethod
    def resolve_team(obj):
        return obj.team.name if obj.team_id else None

    @staticmethod
    def resolve_owner(obj):
        return str(obj.owner) if obj.owner_id else None


class InteractionOut(Schema):
    id: int
    occurred_at: datetime
    channel: Channel
    direction: Direction
    handler_kind: str
    handler_name: str
    subject: str
    text: str
    thread_key: str
    is_open: bool


@router.get(
    "/w/{slug}/people",
    response=answers(list[PersonOut]),
    summary="List people, filtered like the directory",
)
def list_people(
    request,
    slug: str,
    page: Query[Page],
    q: str = "",
    group: str = "",
    tag: str = "",
    team: str = "",
    owner: str = "",
):
    membership = api_membership(request, slug)
    people = filter_people(membership.workspace, q=q, group=group, tag=tag, team=team, owner=owner)
    return page_of(people.select_related("team", "owner__user"), page)


@router.get("/w/{slug}/people/{person_id}", response=answers(PersonOut), summary="One person")
def get_person(request, slug: str, person_id: int):
    membership = api_membership(request, slug)
    return get_object_or_404(
        Person.objects.select_related("team", "owner__user"),
        workspace=membership.workspace,
        pk=person_id,
    )


@router.get(
    "/w/{slug}/people/{person_id}/interactions",
    response=answers(list[InteractionOut]),
    summary="A person's timeline, latest first",
)
def person_interactions(request, slug: str, person_id: int, page: Query[Page]):
    membership = api_membership(request, slug)
    person = get_object_or_404(Person, workspace=membership.workspace, pk=person_id)
    found = Interaction.objects.filter(person=person).select_related(
        "handled_by__user", "handled_by_automation"
    )
    return page_of(found.order_by("-occurred_at", "-id"), page)


class InteractionIn(Schema):
    occurred_at: Moment
    channel: Channel
    direction: Direction
    subject: str = ""
    text: str = ""
    thread_key: str = ""
    handled_by_me: bool = False


@router.post(
    "/w/{slug}/people/{person_id}/interactions",
    response=answers({201: InteractionOut}, 400, 413),
    summary="Add a touchpoint to a person's timeline",
)
def add_interaction(request, slug: str, person_id: int, payload: InteractionIn):
    from django.utils import timezone

    from rapport.people.actions import record_interaction

    membership = api_membership(request, slug, min_role=Role.STAFF)
    person = get_object_or_404(Person, workspace=membership.workspace, pk=person_id)
    occurred_at = payload.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at, timezone.get_default_timezone())
    interaction = record_interaction(
        person,
        occurred_at=occurred_at,
        channel=payload.channel,
        direction=payload.direction,
        subject=payload.subject[:200],
        text=payload.text,
        thread_key=payload.thread_key[:100],
        handled_by=membership if payload.handled_by_me else None,
    )
    return Status(201, interaction)
