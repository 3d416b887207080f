"""REST intake: answers to a survey and touchpoints for the timeline, sent by scripts and
other systems with an API token (``Authorization: Bearer rpt_...``) of a staff member or
above. The same checks as the signed webhooks (``rapport.intake.actions``)."""

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from rapport.accounts.api import Moment, Problem, answers, api_membership
from rapport.accounts.choices import Role
from rapport.feedback.models import Survey
from rapport.intake.intake import (
    ItemResult,
    ItemStatus,
    intake_interaction,
    intake_response,
)
from rapport.people.choices import Channel, Direction, Group

router = Router(tags=["intake"])


class PersonRef(Schema):
    """Who it is about: Rapport's ``id``, the ``external_id`` from your system, or the
    ``email``. For touchpoints, someone unknown is created with ``name`` in ``group``."""

    id: int | None = None
    external_id: str = ""
    email: str = ""
    name: str = ""
    group: Group | None = None


class IntakeAnswers(Schema):
    answers: dict[str, Any] = Field(
        ...,
        description="Each answer under its question's key (or id): a number for scored "
        "questions, a choice or a list of choices, or text.",
        examples=[{"nps": 9, "reason": "Lovely bread, friendly staff"}],
    )
    external_id: str = Field(
        "",
        max_length=100,
        description="Your own id for this submission: sending the same id again adds nothing.",
    )
    person: PersonRef | None = Field(
        None, description="A person already known to Rapport (ignored by anonymous surveys)."
    )
    contact_email: str = ""
    may_contact: bool = False
    submitted_at: Moment | None = Field(None, description="Default: now.")


class IntakeTouchpoint(Schema):
    external_id: str = Field(
        "",
        max_length=100,
        description="Your own id for this touchpoint: sending the same id again adds nothing.",
    )
    occurred_at: Moment = Field(
        ..., description="With an offset; without one, the business's own time zone is meant."
    )
    channel: Channel = Channel.OTHER
    direction: Direction = Direction.INBOUND
    subject: str = ""
    text: str = ""
    thread_key: str = Field("", description="Touchpoints sharing a key form one conversation.")
    is_open: bool = Field(False, description="Awaiting an answer or action from the business.")
    person: PersonRef
    handled_by: str = Field("", description="The email of the member who handled it.")
    handled_by_me: bool = Field(False, description="Handled by the token's own member.")
    handled_by_automation: str = Field("", description="The name of the bot that handled it.")


class IntakeResult(Schema):
    status: str = Field(..., description='"created", or "duplicate" when already received.')
    id: str | None = Field(None, description="Rapport's id of the stored record.")
    external_id: str


def _reply(result: ItemResult):
    if result.status == ItemStatus.REJECTED:
        return Status(
            422,
            {
                "detail": "Nothing was stored: "
                + "; ".join(f"{name or 'item'}: {reason}" for name, reason in result.errors),
                "errors": [{"field": name, "reason": reason} for name, reason in result.errors],
            },
        )
    if result.status == ItemStatus.DUPLICATE and not result.object_id:
        reason = "These answers were already received."
        return Status(409, {"detail": reason, "errors": [{"field": "", "reason": reason}]})
    body = {"status": result.status, "id": result.object_id or None, "external_id": result.id}
    return Status(201 if result.status == ItemStatus.CREATED else 200, body)


_REPLIES = answers({200: IntakeResult, 201: IntakeResult, 409: Problem}, 400, 413)


@router.post(
    "/w/{slug}/surveys/{survey_id}/responses",
    response=_REPLIES,
    summary="Submit one respondent's answers to a survey",
    description="Answers are checked as on the answering page; every problem is named per "
    "question (422) and nothing is stored. An ``external_id`` sent again answers 200 with "
    "the response already stored. Anonymous surveys keep no link to the person.",
)
def submit_answers(request, slug: str, survey_id: int, payload: IntakeAnswers):
    membership = api_membership(request, slug, min_role=Role.STAFF, cleans_nul=True)
    survey = get_object_or_404(Survey, workspace=membership.workspace, pk=survey_id)
    data = payload.dict()
    data["id"] = data.pop("external_id")
    return _reply(intake_response(survey, data))


@router.post(
    "/w/{slug}/interactions",
    response=_REPLIES,
    summary="Add a touchpoint to someone's timeline, found or created by id, email or name",
    description="The person is found by Rapport id, external id or email, and created "
    "when unknown. An ``external_id`` sent again answers 200 with the touchpoint already "
    "stored.",
)
def add_touchpoint(request, slug: str, payload: IntakeTouchpoint):
    membership = api_membership(request, slug, min_role=Role.STAFF, cleans_nul=True)
    data = payload.dict()
    data["id"] = data.pop("external_id")
    return _reply(intake_interaction(membership.workspace, data, member=membership))
