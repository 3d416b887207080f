"""The context card beside a conversation: who this is and where the relationship stands, so
the member who answers knows the person without opening five pages.

A fixed number of queries per card. A survey follow-up about an answer the member sees as
anonymous (``feedback.inbox_views.sees_as_anonymous``) gets no card about a person at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Sum
from django.utils import timezone

from rapport.feedback.inbox_views import sees_as_anonymous
from rapport.feedback.models import Response
from rapport.inbox.choices import Author, Source, Status
from rapport.inbox.models import Conversation, Message
from rapport.people.choices import Group
from rapport.people.models import Delivery, Interaction, Person, Purchase
from rapport.understanding.panels import relationship_trend

TIMELINE = 8
EARLIER = 10
ANSWERS = 10


@dataclass
class Card:
    person: Person | None = None
    # A survey follow-up the member sees as anonymous: nothing about who wrote.
    anonymous: bool = False
    # For a visitor not linked to a person: what they told us.
    visitor_name: str = ""
    visitor_email: str = ""
    value: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    timeline: list = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    open_conversations: list = field(default_factory=list)
    open_interactions: list = field(default_factory=list)
    earlier: list = field(default_factory=list)
    answers: list = field(default_factory=list)


def seen_as_anonymous(c: Conversation, membership) -> bool:
    if c.source != Source.SURVEY:
        return False
    if c.response_id is None:
        return c.person_id is None

    response = (
        Response.objects.filter(workspace_id=c.workspace_id, pk=c.response_id)
        .select_related("survey")
        .first()
    )
    return response is None or sees_as_anonymous(response, membership)


def card(c: Conversation, membership, *, now: dt.datetime | None = None) -> Card:
    now = now or timezone.now()
    if seen_as_anonymous(c, membership):
        return Card(anonymous=True, answers=_answers(c))
    person = c.person
    if person is None:
        return Card(visitor_name=c.visitor_name, visitor_email=c.visitor_email, answers=_answers(c))
    return Card(
        person=person,
        tags=[t.name for t in person.tags.all()],
        value=_value(person, now),
        timeline=list(
            Interaction.objects.filter(workspace_id=c.workspace_id, person=person)
            .select_related("handled_by__user", "handled_by_automation")
            .order_by("-occurred_at", "-pk")[:TIMELINE]
        ),
        trend=_trend(person),
        open_conversations=list(_theirs(c).exclude(status=Status.RESOLVED)[:EARLIER]),
        open_interactions=list(
            Interaction.objects.filter(workspace_id=c.workspace_id, person=person, is_open=True)
            .exclude(inbox_message__conversation=c)
            .order_by("-occurred_at")[:EARLIER]
        ),
        earlier=list(_theirs(c).filter(status=Status.RESOLVED)[:EARLIER]),
        answers=_answers(c),
    )


def _theirs(c: Conversation):
    return (
        Conversation.objects.filter(workspace_id=c.workspace_id, person_id=c.person_id)
        .exclude(pk=c.pk)
        .order_by("-last_message_at")
    )


def _answers(c: Conversation) -> list[Message]:
    """The automatic answers already given to this person (or in this conversation)."""
    where = {"conversation__person_id": c.person_id} if c.person_id else {"conversation": c}
    return list(
        Message.objects.filter(workspace_id=c.workspace_id, author=Author.AUTOMATION, **where)
        .select_related("interaction", "conversation")
        .order_by("-at")[:ANSWERS]
    )


def _trend(person: Person) -> dict:
    if not person.may_analyse:
        return {"may_analyse": False}

    trend, n = relationship_trend(person)
    return {"may_analyse": True, "trend": trend, "trend_n": n}


def _value(person: Person, now: dt.datetime) -> list[tuple[str, str]]:
    """What the relationship is worth, in the words of its group."""
    if person.group == Group.CUSTOMER:
        bought = Purchase.objects.filter(workspace_id=person.workspace_id, person=person)
        totals = bought.aggregate(total=Sum("amount"), last=Max("purchased_on"))
        if totals["total"] is None:
            return [("Purchases", "none recorded")]
        return [
            ("Purchases", f"{totals['total']:,.2f} in total"),
            ("Last purchase", f"{totals['last']:%-d %b %Y}"),
        ]
    if person.group == Group.EMPLOYEE:
        if person.start_date is None:
            return [("With us since", "not recorded")]
        years = (now.date() - person.start_date).days / 365.25
        return [
            (
                "With us since",
                f"{person.start_date:%-d %b %Y} ({years:.1f} years)"
                if years >= 1
                else f"{person.start_date:%-d %b %Y}",
            )
        ]
    if person.group == Group.SUPPLIER:
        done = [
            d.on_time
            for d in Delivery.objects.filter(
                workspace_id=person.workspace_id, supplier=person, delivered_on__isnull=False
            ).only("promised_on", "delivered_on")
        ]
        if not done:
            return [("Deliveries on time", "none recorded")]
        on_time = sum(1 for d in done if d)
        return [("Deliveries on time", f"{on_time} of {len(done)} ({on_time / len(done):.0%})")]
    return []
