"""The knowledge base over the API: its entries (staff read them, managers change them) and
matching texts against it (staff and above)."""

from datetime import datetime

from django.db.models import Q
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from rapport.accounts.api import Page, answers, api_membership, page_of
from rapport.accounts.choices import Role
from rapport.knowledge import actions
from rapport.knowledge.models import Entry

router = Router(tags=["knowledge"])

# Texts per match call: the routine check reads each one with the text model.
MAX_TEXTS = 100


class EntryOut(Schema):
    key: str
    questions: list[str]
    answer: str
    language: str
    active: bool
    updated_at: datetime

    @staticmethod
    def resolve_questions(obj):
        return obj.question_list


class EntryIn(Schema):
    questions: list[str]
    answer: str
    language: str = "en"
    active: bool = True


class NewEntryIn(EntryIn):
    key: str | None = Field(None, description="Made from the first question when left out.")


class MatchIn(Schema):
    texts: list[str] = Field(..., max_length=MAX_TEXTS)


class MatchOut(Schema):
    entry: str | None = Field(description="The best entry's key, or null when none fits.")
    confidence: float
    answer: bool = Field(description="Whether it would be sent automatically.")
    answer_text: str | None
    reasons: list[str]


def _save(membership, key, payload: EntryIn) -> Entry:
    try:
        return actions.save_entry(
            membership.workspace,
            membership,
            key=key,
            questions=payload.questions,
            answer=payload.answer,
            language=payload.language,
            active=payload.active,
            via="api",
        )
    except actions.EntryError as error:
        raise HttpError(422, str(error)) from None


def _entry(membership, key) -> Entry:
    try:
        return actions.get_entry(membership.workspace, key)
    except actions.EntryNotFound as error:
        raise Http404(str(error)) from None


class EntryFilters(Page):
    q: str = Field("", max_length=200, description="Words in its questions or its answer.")


@router.get(
    "/w/{slug}/knowledge/entries",
    response=answers(list[EntryOut]),
    summary="List entries, by key (paged)",
)
def list_entries(request, slug: str, filters: Query[EntryFilters]):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    entries = Entry.objects.filter(workspace=membership.workspace)
    if q := filters.q:
        entries = entries.filter(Q(questions__icontains=q) | Q(answer__icontains=q))
    return page_of(entries.order_by("key"), filters)


@router.post(
    "/w/{slug}/knowledge/entries",
    response=answers({201: EntryOut}, 409, 400, 413),
    summary="Add an entry",
)
def create_entry(request, slug: str, payload: NewEntryIn):
    membership = api_membership(request, slug, min_role=Role.MANAGER)
    if (
        payload.key
        and Entry.objects.filter(workspace=membership.workspace, key=payload.key).exists()
    ):
        raise HttpError(409, f"an entry {payload.key!r} exists already: change it with PUT")
    return Status(201, _save(membership, payload.key, payload))


@router.get("/w/{slug}/knowledge/entries/{key}", response=answers(EntryOut), summary="One entry")
def get_entry(request, slug: str, key: str):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    return _entry(membership, key)


@router.put(
    "/w/{slug}/knowledge/entries/{key}",
    response=answers(EntryOut, 400, 413),
    summary="Add or replace an entry",
)
def put_entry(request, slug: str, key: str, payload: EntryIn):
    membership = api_membership(request, slug, min_role=Role.MANAGER)
    return _save(membership, key, payload)


@router.delete(
    "/w/{slug}/knowledge/entries/{key}", response=answers({204: None}), summary="Remove an entry"
)
def delete_entry(request, slug: str, key: str):
    membership = api_membership(request, slug, min_role=Role.MANAGER)
    try:
        actions.delete_entry(membership.workspace, membership, key, via="api")
    except actions.EntryNotFound as error:
        raise Http404(str(error)) from None
    return Status(204, None)


@router.post(
    "/w/{slug}/knowledge/match",
    response=answers(list[MatchOut], 400, 413),
    summary="Which entry answers each text, and whether it would be sent automatically",
)
def match(request, slug: str, payload: MatchIn):
    membership = api_membership(request, slug, min_role=Role.STAFF, writes=False)
    kb = actions.knowledge_base(membership.workspace)
    answers = {entry.id: entry.answer for entry in kb.entries}
    return [
        MatchOut(
            entry=m.entry_id,
            confidence=m.confidence,
            answer=m.answer,
            answer_text=answers.get(m.entry_id),
            reasons=list(m.reasons),
        )
        for m in kb.match(payload.texts)
    ]
