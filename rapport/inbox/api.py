"""The inbox over the API: conversations and their messages and log for every member; replies,
internal notes, assignment, giving back and resolving for staff and above. Each verb is
``inbox.actions``' own, so the API follows the same handoff rules as the web page; a request
the inbox cannot take answers 409 with the reason in plain words."""

from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictInt

from rapport.accounts.api import Page, answers, api_membership, page_of
from rapport.accounts.choices import Role
from rapport.accounts.models import Membership
from rapport.inbox import actions
from rapport.inbox.choices import Author, Delivery, EventKind, Source
from rapport.inbox.choices import Status as ConversationStatus
from rapport.inbox.listing import NAME_OF_PRIORITY, VIEWS, ListError, filter_conversations
from rapport.inbox.models import Conversation, ConversationEvent, Message
from rapport.knowledge.models import Entry

router = Router(tags=["inbox"])

PriorityName = Literal["urgent", "high", "normal", "low"]
View = Literal["mine", "unassigned", "needs_person", "open", "resolved", "survey"]
BASE = "/w/{slug}/conversations"


def _name(membership: Membership | None) -> str | None:
    return str(membership) if membership is not None else None


class ConversationOut(Schema):
    id: int
    subject: str
    status: ConversationStatus = Field(..., description="Where it stands in the handoff.")
    status_label: str
    priority: PriorityName = Field(..., description="From triage over the whole conversation.")
    source: Source = Field(..., description="Where it came in: e-mail, the API, the widget...")
    channel: str
    owner_id: int | None = Field(None, description="The member who holds it (a membership id).")
    owner: str | None = Field(None, description="Their name.")
    person_id: int | None = Field(None, description="The person, when known (see /people).")
    who: str = Field(..., description="The person's name, or the visitor's.")
    needs_human: bool = Field(..., description="A message was read as needing a human.")
    opened_at: datetime
    last_message_at: datetime
    awaiting_since: datetime | None = Field(
        None, description="Since when the customer waits for a reply; null when we spoke last."
    )
    reply_due: datetime | None = Field(None, description="When the next reply is due (SLA).")
    resolve_due: datetime | None = Field(None, description="When resolution is due (SLA).")
    sla_missed: bool

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_priority(obj):
        return NAME_OF_PRIORITY[obj.priority]

    @staticmethod
    def resolve_owner(obj):
        return _name(obj.owner)


class DraftOut(Schema):
    entry: str = Field(..., description="The knowledge-base entry that came closest (its key).")
    confidence: float | None
    answer: str = Field(..., description="Its answer, for the member to adapt ('' if removed).")


class ConversationDetail(ConversationOut):
    reasons: list[str] = Field(..., description="Why this priority, strongest first.")
    reason_codes: list[str]
    rule: str = Field(..., description="The business's escalation rule that applied, if any.")
    handoff_reason: str = Field(..., description="Why it was handed to a person.")
    asked_for_person: bool
    emotion: str
    sentiment: float | None
    visitor_name: str
    visitor_email: str
    first_replied_at: datetime | None
    resolved_at: datetime | None
    last_owner_id: int | None = Field(None, description="Who held it last; a reopening goes back.")
    response_id: str | None = Field(None, description="The survey answer it follows up, if any.")
    draft: DraftOut | None = Field(None, description="An answer offered to the member, if any.")

    @staticmethod
    def resolve_response_id(obj):
        return str(obj.response_id) if obj.response_id else None

    @staticmethod
    def resolve_draft(obj):
        if not obj.draft_entry:
            return None
        entry = Entry.objects.filter(workspace_id=obj.workspace_id, key=obj.draft_entry).first()
        return DraftOut(
            entry=obj.draft_entry,
            confidence=obj.draft_confidence,
            answer=entry.answer if entry else "",
        )


class MessageOut(Schema):
    id: int
    author: Author = Field(..., description="customer, member, automation, system or note.")
    author_label: str
    member_id: int | None = Field(None, description="The member who wrote it.")
    member: str | None
    text: str
    at: datetime
    delivery: Delivery | Literal[""] = Field(
        ..., description="For what went to the customer: pending, sent, delivered, failed..."
    )
    delivery_label: str
    delivery_error: str

    @staticmethod
    def resolve_author_label(obj):
        return obj.get_author_display()

    @staticmethod
    def resolve_member(obj):
        return _name(obj.member)

    @staticmethod
    def resolve_delivery_label(obj):
        return obj.get_delivery_display() if obj.delivery else ""


class EventOut(Schema):
    kind: EventKind
    kind_label: str
    at: datetime
    actor: str | None = Field(None, description="The member who did it; null for Rapport.")
    member: str | None = Field(None, description="The member it concerns (assigned, released).")
    detail: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj):
        return _name(obj.actor)

    @staticmethod
    def resolve_member(obj):
        return _name(obj.member)


class TextIn(Schema):
    text: str = Field(..., max_length=actions.MAX_REPLY, description="Plain text.")


class AssignIn(Schema):
    member_id: StrictInt | Literal["me"] = Field(
        ..., description='A membership id of this business, or "me".'
    )


class ConversationFilters(Page):
    view: View | None = Field(None, description=" · ".join(f"{k}: {v}" for k, v in VIEWS.items()))
    status: ConversationStatus | None = Field(None, description="Where it stands.")
    priority: PriorityName | None = Field(None, description="urgent, high, normal or low.")
    owner: str = Field("", description='A member\'s id, "me" or "none".')
    source: Source | None = Field(None, description="Where it came in.")
    needs_human: bool | None = Field(None, description="Read as needing a human, or not.")


def _conversation(membership: Membership, conversation_id: int) -> Conversation:
    return get_object_or_404(
        Conversation.objects.select_related("owner__user", "person", "workspace"),
        workspace=membership.workspace,
        pk=conversation_id,
    )


def _do(verb, *args, refused: int = 409, **kwargs):
    """Call an inbox verb; what it refuses answers ``refused`` with its reason: 409 for a
    change the conversation's state does not allow, 400 for a text that cannot be sent."""
    try:
        return verb(*args, **kwargs)
    except actions.InboxError as error:
        raise HttpError(refused, str(error)) from None


@router.get(
    BASE,
    response=answers(list[ConversationOut]),
    summary="List conversations, by saved view and filters",
    description="Latest message first. 422 for a filter that cannot be read.",
)
def list_conversations(request, slug: str, filters: Query[ConversationFilters]):
    membership = api_membership(request, slug)
    try:
        found = filter_conversations(
            membership.workspace,
            membership,
            view=filters.view or "",
            status=filters.status or "",
            priority=filters.priority or "",
            owner=filters.owner,
            source=filters.source or "",
            needs_human=filters.needs_human,
        )
    except ListError as error:
        raise HttpError(422, str(error)) from None
    return page_of(found, filters)


@router.get(
    BASE + "/{conversation_id}",
    response=answers(ConversationDetail),
    summary="One conversation: triage and its reasons, SLA, owner, who, draft answer",
)
def get_conversation(request, slug: str, conversation_id: int):
    membership = api_membership(request, slug)
    return _conversation(membership, conversation_id)


@router.get(
    BASE + "/{conversation_id}/messages",
    response=answers(list[MessageOut]),
    summary="The conversation's messages, oldest first",
    description="Internal notes are shown to staff and above only.",
)
def list_messages(request, slug: str, conversation_id: int, page: Query[Page]):
    membership = api_membership(request, slug)
    c = _conversation(membership, conversation_id)
    found = Message.objects.filter(workspace=membership.workspace, conversation=c)
    if not membership.can(Role.STAFF):
        found = found.filter(~Q(author=Author.NOTE))
    found = found.select_related("interaction", "member__user").order_by("at", "id")
    return page_of(found, page)


@router.get(
    BASE + "/{conversation_id}/events",
    response=answers(list[EventOut]),
    summary="The conversation's log: handoffs, assignments, SLA warnings, resolution",
)
def list_events(request, slug: str, conversation_id: int, page: Query[Page]):
    membership = api_membership(request, slug)
    c = _conversation(membership, conversation_id)
    found = (
        ConversationEvent.objects.filter(workspace=membership.workspace, conversation=c)
        .select_related("actor__user", "member__user")
        .order_by("at", "id")
    )
    return page_of(found, page)


@router.post(
    BASE + "/{conversation_id}/replies",
    response=answers({201: MessageOut}, 400, 409, 413),
    summary="Reply to the customer",
    description="Sent on the conversation's channel (e-mail, the widget) and recorded on the "
    "person's timeline as a human touch; the member who replies holds the conversation.",
)
def post_reply(request, slug: str, conversation_id: int, payload: TextIn):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    c = _conversation(membership, conversation_id)
    return Status(
        201, _do(actions.reply, c, payload.text, actor=membership, via="api", refused=400)
    )


@router.post(
    BASE + "/{conversation_id}/notes",
    response=answers({201: MessageOut}, 400, 409, 413),
    summary="Add an internal note (members only, never sent)",
)
def post_note(request, slug: str, conversation_id: int, payload: TextIn):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    c = _conversation(membership, conversation_id)
    return Status(201, _do(actions.note, c, payload.text, actor=membership, refused=400))


@router.post(
    BASE + "/{conversation_id}/assign",
    response=answers(ConversationDetail, 409, 400, 413),
    summary="Give the conversation to a member, or take it",
    description='member_id "me" takes it. 409 when the member cannot take conversations now '
    "(off duty, away, a viewer) or it is resolved.",
)
def assign(request, slug: str, conversation_id: int, payload: AssignIn):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    c = _conversation(membership, conversation_id)
    if payload.member_id == "me":
        member = membership
    else:
        member = Membership.objects.filter(
            workspace=membership.workspace, pk=payload.member_id
        ).first()
        if member is None:
            raise HttpError(422, f"member_id {payload.member_id}: no such member in this business")
    _do(actions.assign, c, member, actor=membership, via="api")
    return _conversation(membership, c.pk)


@router.post(
    BASE + "/{conversation_id}/release",
    response=answers(ConversationDetail, 409),
    summary="Give it back: it goes to the next member in turn",
    description="Its owner or a manager only (409 otherwise).",
)
def release(request, slug: str, conversation_id: int):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    _do(actions.release, _conversation(membership, conversation_id), actor=membership, via="api")
    return _conversation(membership, conversation_id)


@router.post(
    BASE + "/{conversation_id}/resolve",
    response=answers(ConversationDetail, 409),
    summary="Mark it resolved",
    description="A new message from the customer reopens it, back to its last person.",
)
def resolve(request, slug: str, conversation_id: int):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    _do(actions.resolve, _conversation(membership, conversation_id), actor=membership, via="api")
    return _conversation(membership, conversation_id)
