"""Surveys over the API: the list, one survey with its questions, and its results under the
same anonymity rule as the results page (``feedback.reporting`` builds both: a group under
the business's threshold is hidden with its reason, never counted out); feedback items, each
shown as its page shows it to the member (``inbox_views.sight`` decides what of who and
when)."""

from datetime import date, datetime
from uuid import UUID

from django.db.models import BooleanField, ExpressionWrapper
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from rapport.accounts.api import Page, answers, api_membership, page_of
from rapport.accounts.choices import Role
from rapport.engine.anonymity import Verdict
from rapport.engine.periods import week_start
from rapport.feedback import reporting
from rapport.feedback.choices import (
    Anonymity,
    FollowUp,
    QuestionKind,
    Schedule,
    SurveyKind,
    SurveyStatus,
)
from rapport.feedback.inbox_views import (
    ANONYMOUS,
    Periods,
    feedback_items,
    show_answer,
    sight,
    unnamed,
)
from rapport.feedback.models import Survey

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    id: int
    title: str
    kind: SurveyKind
    status: SurveyStatus
    anonymity: Anonymity = Field(
        ..., description="identified (names shown), confidential (groups only) or anonymous."
    )
    audience_group: str = Field(..., description="customer, employee, ... or '' for anyone.")
    schedule: Schedule
    language: str
    opens_at: datetime | None
    closes_at: datetime | None
    created_at: datetime


class QuestionOut(Schema):
    id: int
    key: str = Field(..., description="The name its answers go under (see POST .../responses).")
    position: int
    kind: QuestionKind
    text: str
    help_text: str
    required: bool
    options: list[str] = Field(..., description="The choices of a one- or several-choice question.")
    scale_max: int
    topic: str


class SurveyDetail(SurveyOut):
    intro: str
    thanks: str
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.order_by("position", "id"))


class SurveyFilters(Page):
    status: SurveyStatus | None = Field(None, description="draft, open or closed.")
    kind: SurveyKind | None = None


@router.get("/w/{slug}/surveys", response=answers(list[SurveyOut]), summary="List surveys")
def list_surveys(request, slug: str, filters: Query[SurveyFilters]):
    membership = api_membership(request, slug)
    surveys = Survey.objects.filter(workspace=membership.workspace)
    if filters.status:
        surveys = surveys.filter(status=filters.status)
    if filters.kind:
        surveys = surveys.filter(kind=filters.kind)
    return page_of(surveys.order_by("-created_at", "-id"), filters)


def _survey(membership, survey_id: int) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("workspace"), workspace=membership.workspace, pk=survey_id
    )


@router.get(
    "/w/{slug}/surveys/{survey_id}",
    response=answers(SurveyDetail),
    summary="One survey with its questions",
)
def get_survey(request, slug: str, survey_id: int):
    return _survey(api_membership(request, slug), survey_id)


# --- results ------------------------------------------------------------------------------


class GroupSize(Schema):
    shown: bool = Field(..., description="False when the group is too small to show.")
    n: int | None = Field(..., description="How many; null when hidden.")
    k: int = Field(..., description="The smallest group this survey shows.")
    label: str = Field(..., description='The size as the page prints it ("fewer than 5").')
    reason: str = Field(..., description="Why it is hidden, in plain words; '' when shown.")

    @staticmethod
    def of(verdict: Verdict) -> "GroupSize":
        return GroupSize(
            shown=verdict.shown,
            n=verdict.n,
            k=verdict.k,
            label=verdict.label,
            reason=verdict.reason,
        )


class ScoreOut(Schema):
    measure: str = Field(..., description='What the number is: "NPS", "Satisfied", ...')
    value: float | None
    low: float | None = Field(..., description="The 95% interval around it.")
    high: float | None
    n: int
    enough: bool = Field(..., description="Enough answers to read the score.")
    text: str
    interval: str
    detail: str


class BarOut(Schema):
    label: str
    count: int
    percent: float


class QuestionResultOut(Schema):
    question_id: int
    key: str
    text: str
    kind: QuestionKind
    answered: GroupSize
    note: str = Field(..., description='"No answers yet.", "Not asked in this round." or "".')
    score: ScoreOut | None
    bars: list[BarOut]
    comments: list[str] = Field(..., description="Shown only for groups large enough, shuffled.")


class CellOut(Schema):
    text: str
    shown: bool
    note: str


class BreakdownLineOut(Schema):
    label: str
    cells: list[CellOut]
    total: CellOut


class BreakdownOut(Schema):
    dimension: str
    columns: list[str]
    lines: list[BreakdownLineOut]


class NamedAnswerOut(Schema):
    question: str
    answer: str


class NamedResponseOut(Schema):
    name: str
    submitted_on: date
    answers: list[NamedAnswerOut]


class ResultsOut(Schema):
    survey_id: int
    described: str = Field(..., description="Whose answers these are, in words.")
    notes: list[str] = Field(..., description="Filters that could not be applied, and why.")
    respondents: GroupSize
    questions: list[QuestionResultOut] = Field(
        ..., description="Empty when the respondents are too few to show."
    )
    breakdown: BreakdownOut | None
    breakdown_note: str
    named: list[NamedResponseOut] = Field(
        ..., description="Only for an identified survey: its answers with names, newest first."
    )


class ResultFilters(Schema):
    group: str = Field("", max_length=100, description="customer, employee, ...")
    team: str = Field("", max_length=100, description="A team's id.")
    segment: str = Field("", max_length=100)
    period: str = Field("", max_length=20, description='A round ("2026-W47") or a month.')
    by: str = Field("", max_length=20, description="Break down by team, segment or group.")


def _score(found: reporting.Score | None) -> ScoreOut | None:
    if found is None:
        return None
    r = found.result
    return ScoreOut(
        measure=found.measure,
        value=r.value,
        low=r.low,
        high=r.high,
        n=r.n,
        enough=r.enough,
        text=found.text,
        interval=found.interval,
        detail=found.detail,
    )


def _cell(cell: reporting.Cell) -> CellOut:
    return CellOut(text=cell.text, shown=cell.shown, note=cell.note)


@router.get(
    "/w/{slug}/surveys/{survey_id}/results",
    response=answers(ResultsOut),
    summary="A survey's results, under the anonymity rule",
    description="The same figures as the results page: a group smaller than the business's "
    "threshold is hidden with its reason (docs/anonymity.md), and so is any group that "
    "would let a hidden one be worked out.",
)
def survey_results(request, slug: str, survey_id: int, filters: Query[ResultFilters]):
    survey = _survey(api_membership(request, slug), survey_id)
    params = {k: v for k, v in filters.dict().items() if v}
    report = reporting.survey_results(survey, params)
    table = report.breakdown
    return ResultsOut(
        survey_id=survey.pk,
        described=report.described,
        notes=report.problems,
        respondents=GroupSize.of(report.respondents),
        questions=[
            QuestionResultOut(
                question_id=q.question.pk,
                key=q.question.key,
                text=q.question.text,
                kind=q.question.kind,
                answered=GroupSize.of(q.verdict),
                note=q.note,
                score=_score(q.score),
                bars=[BarOut(label=b.label, count=b.count, percent=b.percent) for b in q.bars],
                comments=q.comments,
            )
            for q in report.questions
        ],
        breakdown=BreakdownOut(
            dimension=table.dimension,
            columns=table.columns,
            lines=[
                BreakdownLineOut(
                    label=line.label,
                    cells=[_cell(c) for c in line.cells],
                    total=_cell(line.total),
                )
                for line in table.lines
            ],
        )
        if table
        else None,
        breakdown_note=report.breakdown_note,
        named=[
            NamedResponseOut(
                name=n.name,
                submitted_on=n.submitted_on,
                answers=[NamedAnswerOut(question=q, answer=a) for q, a in n.answers],
            )
            for n in report.named
        ],
    )


# --- feedback items -----------------------------------------------------------------------


class ItemAnswerOut(Schema):
    question_id: int
    question: str
    answer: str


class ItemOut(Schema):
    id: str = Field(..., description="The response's id (random: it says nothing of when).")
    survey_id: int
    survey: str
    who: str = Field(..., description='A name, or "Anonymous" / "Confidential respondent".')
    person_id: int | None = Field(..., description="Only when the member may know who it is.")
    unnamed: bool = Field(..., description="Shown as anonymous to this member.")
    unverified: bool = Field(..., description="A name typed on a public page, never checked.")
    team: str
    segment: str
    period: str = Field(..., description='How finely it is dated: "day", "week" or "round".')
    when: str = Field(..., description="Its day, or for an anonymous item its week or round.")
    status: FollowUp
    owner: str | None
    answers: list[ItemAnswerOut]


class ItemFilters(Page):
    survey_id: int | None = Field(None, description="Only this survey's items.")
    status: FollowUp | None = None


def _item(item, membership, today, periods) -> ItemOut:
    seen = sight(item, membership, today, periods)
    return ItemOut(
        id=str(item.pk),
        survey_id=item.survey_id,
        survey=item.survey.title,
        who=seen.who,
        person_id=seen.person_id,
        unnamed=seen.unnamed,
        unverified=seen.unverified,
        team=seen.team,
        segment=seen.segment,
        period=seen.period,
        when=seen.day,
        status=item.status,
        owner=str(item.owner) if item.owner_id else None,
        answers=[
            ItemAnswerOut(
                question_id=a.question_id, question=a.question.text, answer=show_answer(a)
            )
            for a in item.answers.all()
        ],
    )


def _items(membership, periods):
    return (
        feedback_items(membership.workspace, periods)
        .select_related("survey", "person", "team", "owner__user", "workspace")
        .prefetch_related("answers__question")
    )


def _sort_day(row, periods: Periods) -> date:
    """The day an item sorts by: its own day when the member may know it; else the Monday
    of its week, or its round's start when its week is pooled into the round (as the inbox
    sorts them), so that an item's place in the list dates it no more finely than it shows."""
    if not row["hidden"]:
        return row["submitted_on"]
    week = week_start(row["submitted_on"])
    if row["anonymous"] and week in periods.pooled.get((row["survey_id"], row["round"]), ()):
        return periods.starts[row["survey_id"], row["round"]]
    return week


@router.get(
    "/w/{slug}/feedback/items",
    response=answers(list[ItemOut]),
    summary="Feedback items: survey answers and suggestions (staff and above)",
    description="Newest first, by the date each one shows: an anonymous item sorts by its "
    "week or round, never by its day, and within one date in no telling order. Who wrote "
    "each one is shown as on its page: anonymous and, below managers, confidential answers "
    "carry no name, team, segment or day. Items of too few answers to date safely are held "
    "back, as in the inbox.",
)
def list_items(request, slug: str, filters: Query[ItemFilters]):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    periods = Periods.of(membership.workspace)
    found = feedback_items(membership.workspace, periods)
    if filters.survey_id is not None:
        found = found.filter(survey_id=filters.survey_id)
    if filters.status:
        found = found.filter(status=filters.status)
    rows = found.annotate(
        hidden=ExpressionWrapper(unnamed(membership), output_field=BooleanField()),
        anonymous=ExpressionWrapper(ANONYMOUS, output_field=BooleanField()),
    ).values("pk", "submitted_on", "survey_id", "round", "hidden", "anonymous")
    ordered = sorted(rows, key=lambda row: (-_sort_day(row, periods).toordinal(), str(row["pk"])))
    chosen = [row["pk"] for row in ordered[filters.offset : filters.offset + filters.limit]]
    items = {item.pk: item for item in _items(membership, periods).filter(pk__in=chosen)}
    today = membership.workspace.today()
    return [_item(items[pk], membership, today, periods) for pk in chosen if pk in items]


@router.get(
    "/w/{slug}/feedback/items/{response_id}",
    response=answers(ItemOut),
    summary="One feedback item, as its page shows it to this member",
)
def get_item(request, slug: str, response_id: UUID):
    membership = api_membership(request, slug, min_role=Role.STAFF)
    periods = Periods.of(membership.workspace)
    item = get_object_or_404(_items(membership, periods), pk=response_id)
    return _item(item, membership, membership.workspace.today(), periods)
