"""What lies behind a number: the answers, messages and deliveries a metric was computed
from, for the drill-down page, under the same anonymity rules as the survey results.

- Identified survey answers are listed with the person's name and day.
- Confidential and anonymous answers are listed without anyone's name, by week, and their
  comments only when at least ``min_comment_group_size`` people in the shown group wrote one
  (as on the results page); a cut hidden by the threshold hides its answers too.
- Messages and deliveries are the business's own records and link to the person's page.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from rapport.accounts.models import Membership, Workspace
from rapport.engine.periods import week_start
from rapport.feedback.choices import Anonymity, QuestionKind
from rapport.feedback.models import Answer, Response
from rapport.insights import sources
from rapport.insights.dashboard import Filters, Shown
from rapport.people.models import Delivery, Interaction

LIMIT = 50
KINDS = {
    "nps": [QuestionKind.NPS],
    "supplier_nps": [QuestionKind.NPS],
    "csat": [QuestionKind.CSAT],
    "ces": [QuestionKind.CES],
    "enps": [QuestionKind.ENPS],
    "engagement": [QuestionKind.LIKERT],
    "community_rating": [QuestionKind.RATING],
}
MESSAGES = ("human_touch", "sentiment", "response_time", "supplier_response_time")
DELIVERIES = ("on_time", "defect_rate")


@dataclass
class Item:
    when: str
    who: str = ""
    person_id: int | None = None
    score: str = ""
    text: str = ""
    note: str = ""
    link: str = ""


@dataclass
class Evidence:
    kind: str  # "answers", "messages", "deliveries" or ""
    items: list[Item] = field(default_factory=list)
    total: int = 0
    withheld: str = ""  # why some or all of it is not shown
    comments: list[str] = field(default_factory=list)  # unnamed answers' comments, shuffled


def behind(
    workspace: Workspace,
    membership: Membership,
    group: str,
    key: str,
    filters: Filters,
    current: Shown,
) -> Evidence:
    if current.hidden:
        return Evidence("", withheld=current.hidden)
    period = filters.period
    if key in KINDS:
        return _answers(workspace, group, key, filters)
    if key in MESSAGES:
        return _messages(workspace, group, filters)
    if key in DELIVERIES:
        return _deliveries(workspace, filters)
    return Evidence("", withheld=f"{period.title}: see the numbers above; no list applies.")


def _answers(workspace: Workspace, group: str, key: str, filters: Filters) -> Evidence:
    period = filters.period
    responses = Response.objects.filter(
        workspace=workspace,
        submitted_on__gte=period.start,
        submitted_on__lt=period.end,
        answers__question__kind__in=KINDS[key],
        answers__number__isnull=False,
    ).filter(_group_q(group))
    if filters.dimension in ("segment", "team"):
        field_name = "segment" if filters.dimension == "segment" else "team__name"
        responses = responses.filter(**{field_name: filters.member})
    responses = responses.distinct()
    total = responses.count()
    rows = list(
        responses.select_related("survey", "person").order_by("-submitted_on", "id")[:LIMIT]
    )
    ids = [r.pk for r in rows]
    scores: dict = {}
    comments: dict = {}
    for answer in Answer.objects.filter(response_id__in=ids).select_related("question"):
        if answer.question.kind in KINDS[key] and answer.number is not None:
            scores.setdefault(answer.response_id, []).append(str(answer.number))
        elif answer.question.kind == QuestionKind.TEXT and answer.text.strip():
            comments.setdefault(answer.response_id, []).append(answer.text.strip())
    # Comments of answers that do not name their person are shown only when enough people in
    # this group wrote one, as on the survey results page.
    private = [r for r in rows if r.survey.anonymity != Anonymity.IDENTIFIED]
    writers = (
        Answer.objects.filter(
            response__in=responses.exclude(survey__anonymity=Anonymity.IDENTIFIED),
            question__kind=QuestionKind.TEXT,
        )
        .exclude(text="")
        .values("response_id")
        .distinct()
        .count()
        if private
        else 0
    )
    k = workspace.min_comment_group_size
    show_private_comments = writers >= k
    items = []
    loose: list[str] = []
    for r in rows:
        identified = r.survey.anonymity == Anonymity.IDENTIFIED and r.person_id
        text = " / ".join(comments.get(r.pk, []))
        note = ""
        if not identified and text:
            # Never beside its score or week: comments of unnamed answers are listed apart,
            # shuffled, so that no one's score and words can be lined up.
            if show_private_comments:
                loose.append(text)
            text = ""
            note = "comment listed below, apart" if show_private_comments else "comment withheld"
        items.append(
            Item(
                when=(
                    r.submitted_on.isoformat()
                    if identified
                    else f"week of {week_start(r.submitted_on).isoformat()}"
                ),
                who=r.person.name if identified else "",
                person_id=r.person_id if identified else None,
                score=", ".join(scores.get(r.pk, [])),
                text=text,
                note=note or r.survey.title,
            )
        )
    withheld = ""
    if private and not show_private_comments:
        withheld = (
            f"Comments from confidential and anonymous surveys appear once at least {k} "
            "people in this group have written one."
        )
    random.shuffle(loose)
    return Evidence("answers", items, total, withheld, loose)


def _group_q(group: str):
    from django.db.models import Q

    return Q(group=group) | Q(group="", survey__audience_group=group)


def _messages(workspace: Workspace, group: str, filters: Filters) -> Evidence:
    period = filters.period
    tz = workspace.zone
    rows = Interaction.objects.filter(
        workspace=workspace,
        person__group=group,
        occurred_at__gte=sources.midnight(period.start, tz),
        occurred_at__lt=sources.midnight(period.end, tz),
    ).exclude(direction="internal")
    if filters.dimension == "segment":
        rows = rows.filter(person__segment=filters.member)
    elif filters.dimension == "team":
        rows = rows.filter(person__team__name=filters.member)
    total = rows.count()
    items = []
    for i in rows.select_related(
        "person", "handled_by__user", "handled_by_automation", "reading"
    ).order_by("-occurred_at", "-id")[:LIMIT]:
        reading = getattr(i, "reading", None)
        mood = ""
        if reading is not None and reading.sentiment_score is not None:
            mood = f"{reading.sentiment} ({reading.sentiment_score:+.2f})"
        items.append(
            Item(
                when=i.occurred_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                who=i.person.name,
                person_id=i.person_id,
                score=mood,
                text=(i.subject or i.text)[:200],
                note=f"{i.get_direction_display()} · {i.get_channel_display()} · "
                + (i.handler_name or "not handled yet"),
                link=f"/w/{workspace.slug}/understanding/messages/{i.pk}/",
            )
        )
    return Evidence("messages", items, total)


def _deliveries(workspace: Workspace, filters: Filters) -> Evidence:
    period = filters.period
    rows = Delivery.objects.filter(
        workspace=workspace, promised_on__gte=period.start, promised_on__lt=period.end
    )
    if filters.dimension == "supplier":
        rows = rows.filter(supplier__name=filters.member)
    total = rows.count()
    items = []
    for d in rows.select_related("supplier").order_by("-promised_on", "-id")[:LIMIT]:
        if d.delivered_on is None:
            state = "not delivered yet"
        elif d.delivered_on <= d.promised_on:
            state = "on time"
        else:
            late = (d.delivered_on - d.promised_on).days
            state = f"{late} day{'s' if late != 1 else ''} late"
        quantity, defective = float(d.quantity or 0), float(d.defective_quantity or 0)
        defect = f"{defective:g} of {quantity:g} defective" if quantity else ""
        items.append(
            Item(
                when=d.promised_on.isoformat(),
                who=d.supplier.name,
                person_id=d.supplier_id,
                score=state,
                text=d.item or d.reference,
                note=defect,
            )
        )
    return Evidence("deliveries", items, total)
