"""The reach-out list over the API: this week's items for the token's member, and marking
one done or snoozed (staff and above)."""

from datetime import date
from typing import Any

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from rapport.accounts.api import answers, api_membership
from rapport.accounts.choices import Role
from rapport.outreach import actions, effect
from rapport.outreach.choices import PromptKind

router = Router(tags=["outreach"])


class ItemOut(Schema):
    kind: PromptKind
    kind_label: str
    subject_id: int
    subject: str
    person_id: int | None
    owner: str | None
    why: str
    numbers: dict[str, Any]
    due: date | None
    ref: str = Field("", description="The record it points at: an unhappy answer's response id.")


class ItemIn(Schema):
    kind: PromptKind
    subject_id: int


class SnoozeIn(ItemIn):
    until: date


class StateOut(Schema):
    kind: PromptKind
    subject_id: int
    week: date
    state: str
    snoozed_until: date | None


@router.get(
    "/w/{slug}/outreach", response=answers(list[ItemOut]), summary="This week's reach-out list"
)
def list_items(request, slug: str, everyone: bool = False):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    listed = actions.reach_out_list(membership.workspace, membership, everyone=everyone)
    return [
        ItemOut(
            kind=item.kind,
            kind_label=PromptKind(item.kind).label,
            subject_id=item.prompt.subject_id,
            subject=item.subject,
            person_id=item.person_id,
            owner=str(item.owner) if item.owner else None,
            why=item.prompt.why,
            numbers=item.prompt.numbers,
            due=item.prompt.due,
            ref=item.prompt.ref,
        )
        for item in listed.items
    ]


class ShareOut(Schema):
    hits: int
    n: int
    share: float | None = Field(None, description="None below 10 items: not enough data.")
    low: float | None = None
    high: float | None = None


class MeasureOut(Schema):
    label: str
    start: date
    end: date
    done: ShareOut
    snoozed: ShareOut
    words: str


class EffectOut(Schema):
    weeks: int
    comparison: str
    measures: list[MeasureOut]


def _share(share) -> ShareOut:
    low, high = share.interval if share.enough else (None, None)
    return ShareOut(
        hits=share.hits,
        n=share.n,
        share=share.share if share.enough else None,
        low=low,
        high=high,
    )


@router.get(
    "/w/{slug}/outreach/effect",
    response=answers(EffectOut),
    summary="What followed the list's items",
)
def list_effect(request, slug: str):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    found = effect.list_effect(membership.workspace)
    return EffectOut(
        weeks=found.weeks,
        comparison=found.comparison,
        measures=[
            MeasureOut(
                label=m.label,
                start=m.start,
                end=m.end,
                done=_share(m.done),
                snoozed=_share(m.snoozed),
                words=m.words(),
            )
            for m in found.measures
        ],
    )


@router.post(
    "/w/{slug}/outreach/done", response=answers(StateOut, 400, 413), summary="Mark an item done"
)
def mark_done(request, slug: str, payload: ItemIn):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    try:
        return actions.mark_done(membership.workspace, membership, payload.kind, payload.subject_id)
    except actions.OutreachError as error:
        raise Http404(str(error)) from None


@router.post(
    "/w/{slug}/outreach/snooze", response=answers(StateOut, 400, 413), summary="Snooze an item"
)
def snooze(request, slug: str, payload: SnoozeIn):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    try:
        return actions.snooze(
            membership.workspace, membership, payload.kind, payload.subject_id, payload.until
        )
    except actions.NotOnList as error:
        raise Http404(str(error)) from None
    except actions.OutreachError as error:
        raise HttpError(422, str(error)) from None
