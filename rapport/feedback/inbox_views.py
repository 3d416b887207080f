"""The feedback inbox: every response is a feedback item to acknowledge, act on and close.

Anonymity holds here as in reports. An anonymous item (an anonymous survey's answer that kept
no name or email) shows its text and score, never its team, segment, person or exact date
(the week only), and the group and team filters leave it out, so subtracting one filter from
another cannot single it out. On anonymous surveys other than the suggestion box, an item
is held back until its survey round has ``Workspace.min_comment_group_size`` responses:
before that, a one-answer week would name its author. Confidential items name their person
to owners and managers only.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast, Coalesce
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.models import Membership, Workspace
from rapport.accounts.scope import workspace_view
from rapport.engine.metrics import loop_closure_rate, time_to_acknowledge
from rapport.engine.text.emotions import EMOTION_GROUPS, GROUP_NAMES
from rapport.engine.text.pii import PiiSpan, redact
from rapport.feedback import actions, notify
from rapport.feedback.choices import Anonymity, FollowUp, QuestionKind, SurveyKind
from rapport.feedback.models import Answer, Response, ResponseReading, Survey
from rapport.feedback.reading import free_text
from rapport.people.choices import Group
from rapport.people.models import Team
from rapport.understanding.actions import current_version
from rapport.understanding.models import Theme
from rapport.understanding.views import highlight

PAGE_SIZE = 25
# The inbox's figures look this far back, and say "not enough data" under MIN_ITEMS.
FIGURE_DAYS = 90
MIN_ITEMS = 5

NPS_KINDS = (QuestionKind.NPS, QuestionKind.ENPS)
FIVE_POINT_KINDS = (QuestionKind.CSAT, QuestionKind.LIKERT, QuestionKind.RATING)
# key: (label, kinds, lowest, highest). Ratings count only on a five-star scale.
BANDS = {
    "detractor": ("Detractors (0–6)", NPS_KINDS, 0, 6),
    "passive": ("Passives (7–8)", NPS_KINDS, 7, 8),
    "promoter": ("Promoters (9–10)", NPS_KINDS, 9, 10),
    "low": ("Low (1–2 of 5)", FIVE_POINT_KINDS, 1, 2),
    "middle": ("Middle (3 of 5)", FIVE_POINT_KINDS, 3, 3),
    "high": ("High (4–5 of 5)", FIVE_POINT_KINDS, 4, 5),
}
FILTERS = (
    "show",
    "survey",
    "group",
    "team",
    "band",
    "emotion",
    "theme",
    "status",
    "owner",
    "human",
)
# "show": what the inbox lists by default (items to act on) or every answer.
SHOW = {"": "To act on: comments, low scores, suggestions", "all": "Every answer"}
# The filters that describe who answered; they never apply to anonymous items.
WHO_FILTERS = ("group", "team")
BULK_ACTIONS = {
    "assign": "Assign to",
    "acknowledge": "Acknowledge",
    "in_progress": "Mark in progress",
    "done": "Mark done",
}


# --- which items a member sees -------------------------------------------------------------


ANONYMOUS = Q(survey__anonymity=Anonymity.ANONYMOUS, person__isnull=True, contact_email="")


def _held(workspace: Workspace) -> Q:
    """Anonymous items whose survey round is still under the comment threshold."""
    return (
        ANONYMOUS
        & ~Q(survey__kind=SurveyKind.SUGGESTIONS)
        & Q(round_size__lt=workspace.min_comment_group_size)
    )


def _with_round_size(queryset):
    same_round = (
        Response.objects.filter(survey_id=OuterRef("survey_id"), round=OuterRef("round"))
        .order_by()
        .values("survey_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return queryset.annotate(round_size=Coalesce(Subquery(same_round), 0))


def feedback_items(workspace: Workspace):
    """Every item of ``workspace`` the inbox may show (held-back ones are left out)."""
    items = _with_round_size(Response.objects.filter(workspace=workspace))
    return items.exclude(_held(workspace))


def held_back(workspace: Workspace) -> int:
    return (
        _with_round_size(Response.objects.filter(workspace=workspace))
        .filter(_held(workspace))
        .count()
    )


def _with_summary(queryset):
    """The first score and the first comment of each item, in question order."""
    answers = Answer.objects.filter(response=OuterRef("pk")).order_by(
        "question__position", "question_id"
    )
    scored = answers.filter(number__isnull=False)
    return queryset.annotate(
        score=Subquery(scored.values("number")[:1]),
        score_kind=Subquery(scored.values("question__kind")[:1]),
        score_max=Subquery(scored.values("question__scale_max")[:1]),
        comment=Subquery(answers.exclude(text="").values("text")[:1]),
    )


def _band_q(key: str) -> Q:
    _, kinds, low, high = BANDS[key]
    q = Q(score_kind__in=kinds, score__gte=low, score__lte=high)
    if kinds is FIVE_POINT_KINDS:
        q &= ~Q(score_kind=QuestionKind.RATING) | Q(score_max=5)
    return q


def band_of(kind: str | None, score: int | None, scale_max: int | None) -> str:
    """The band key of a score, or "" when its question has no bands (effort, 10 stars)."""
    if score is None or kind is None:
        return ""
    for key, (_, kinds, low, high) in BANDS.items():
        if kind in kinds and low <= score <= high:
            if kind == QuestionKind.RATING and scale_max != 5:
                return ""
            return key
    return ""


def _contains_key(queryset, field: str, key: str):
    """Items whose reading's JSON list ``field`` holds ``key``. Django's JSON ``contains``
    lookup does not exist on SQLite, so the list is matched as text, quoted, on both."""
    alias = f"{field}_text"
    return queryset.alias(**{alias: Cast(f"reading__{field}", TextField())}).filter(
        **{f"{alias}__contains": f'"{key}"'}
    )


def apply_filters(queryset, filters: dict, membership: Membership):
    """Narrow ``queryset`` by the inbox's filters. An unknown value matches nothing rather
    than everything, so a mistyped filter never reads as "all"."""
    nothing = queryset.none()
    if filters["show"] not in SHOW:
        return nothing
    if filters["show"] != "all":
        queryset = queryset.filter(actionable=True)
    if filters["survey"]:
        if not filters["survey"].isdigit():
            return nothing
        queryset = queryset.filter(survey_id=int(filters["survey"]))
    if any(filters[key] for key in WHO_FILTERS):
        queryset = queryset.exclude(ANONYMOUS)
    if filters["group"]:
        if filters["group"] not in Group.values:
            return nothing
        queryset = queryset.filter(group=filters["group"])
    if filters["team"]:
        if not filters["team"].isdigit():
            return nothing
        queryset = queryset.filter(team_id=int(filters["team"]))
    if filters["band"]:
        if filters["band"] not in BANDS:
            return nothing
        queryset = queryset.filter(_band_q(filters["band"]))
    if filters["emotion"]:
        queryset = _contains_key(queryset, "detected_groups", filters["emotion"])
    if filters["theme"]:
        queryset = _contains_key(queryset, "themes", filters["theme"])
    status = filters["status"]
    if status == "open":
        queryset = queryset.exclude(status=FollowUp.DONE)
    elif status:
        if status not in FollowUp.values:
            return nothing
        queryset = queryset.filter(status=status)
    owner = filters["owner"]
    if owner == "me":
        queryset = queryset.filter(owner=membership)
    elif owner == "none":
        queryset = queryset.filter(owner__isnull=True)
    elif owner:
        if not owner.isdigit():
            return nothing
        queryset = queryset.filter(owner_id=int(owner))
    if filters["human"] == "yes":
        queryset = queryset.filter(reading__needs_human=True)
    return queryset


# --- how an item is shown ------------------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def respondent(item: Response, membership: Membership) -> tuple[str, int | None]:
    """The words naming who wrote ``item`` for this member, and their person id when the
    member may follow a link to them."""
    if notify.is_anonymous(item):
        return "Anonymous", None
    confidential = item.survey.anonymity == Anonymity.CONFIDENTIAL
    if confidential and not membership.can_manage:
        return "Confidential respondent", None
    if item.person_id is not None:
        return item.person.name, item.person_id
    if item.contact_email:
        return item.contact_email, None
    return "Someone not known (public link)", None


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def week_of(day: date) -> str:
    return f"Week of {short_date(monday(day))}"


def when(item: Response, today: date) -> tuple[str, str]:
    """(the date shown, the age shown); the week only for anonymous items."""
    if notify.is_anonymous(item):
        weeks = (monday(today) - monday(item.submitted_on)).days // 7
        age = "this week" if weeks <= 0 else f"{weeks} week{'s' if weeks != 1 else ''} ago"
        return week_of(item.submitted_on), age
    days = (today - item.submitted_on).days
    age = "today" if days <= 0 else f"{days} day{'s' if days != 1 else ''} ago"
    return short_date(item.submitted_on), age


def _reading(item: Response) -> ResponseReading | None:
    try:
        return item.reading
    except ResponseReading.DoesNotExist:
        return None


def first_comment(comment: str | None, reading: ResponseReading | None) -> str:
    """The first free-text answer, with the personal data found in it replaced."""
    if not comment:
        return ""
    if reading is None or not reading.pii:
        return comment
    # The reading's offsets point into the joined answers, which start with this comment.
    spans = [
        PiiSpan(s["start"], s["end"], s["kind"], 1.0)
        for s in reading.pii
        if s["end"] <= len(comment)
    ]
    return redact(comment, spans)


@dataclass
class Row:
    item: Response
    anonymous: bool
    who: str
    person_id: int | None
    team: str
    day: str
    age: str
    band: str
    comment: str
    reading: ResponseReading | None
    groups: list[str]


def present(item: Response, membership: Membership, today: date) -> Row:
    anonymous = notify.is_anonymous(item)
    who, person_id = respondent(item, membership)
    day, age = when(item, today)
    reading = _reading(item)
    return Row(
        item=item,
        anonymous=anonymous,
        who=who,
        person_id=person_id,
        team="" if anonymous or item.team is None else item.team.name,
        day=day,
        age=age,
        band=band_of(item.score_kind, item.score, item.score_max),
        comment=first_comment(item.comment, reading),
        reading=reading,
        groups=[GROUP_NAMES.get(g, g) for g in reading.detected_groups] if reading else [],
    )


# --- figures -------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if seconds < 48 * 3600:
        hours = round(seconds / 3600, 1)
        return f"{hours:g} hour{'s' if hours != 1 else ''}"
    days = round(seconds / 86400, 1)
    return f"{days:g} days"


def figures(workspace: Workspace, today: date, now=None) -> dict:
    """Loop-closure rate and median time to acknowledge of the items to act on that arrived
    in the last FIGURE_DAYS days, by the metric library's definitions (docs/metrics.md)."""
    now = now or timezone.now()
    recent = Response.objects.filter(
        workspace=workspace,
        actionable=True,
        submitted_on__gte=today - timedelta(days=FIGURE_DAYS),
    ).values_list("submitted_on", "submitted_at", "acknowledged_at", "done_at")
    rows = list(recent)
    tz = ZoneInfo(workspace.time_zone)

    def day(moment):
        return None if moment is None else moment.astimezone(tz).date()

    # Anonymous items keep only their day, so closure is counted in days for every item;
    # the time to acknowledge needs an exact arrival time, which only the others keep.
    closure = loop_closure_rate(
        [(on, day(ack), day(done)) for on, _, ack, done in rows], minimum=MIN_ITEMS
    )
    timed_rows = [(at, ack, done) for _, at, ack, done in rows if at is not None]
    # A clock set ahead somewhere (an import, another server) must not break the page.
    now = max([now, *(m for row in timed_rows for m in row if m is not None)])
    acknowledge = time_to_acknowledge(timed_rows, now=now)
    closed = {"n": closure.n, "done": int(closure.parts.get("done_count", 0))}
    closed["enough"] = closure.enough
    if closure.enough:
        closed.update(
            percent=round(closure.value),
            low_percent=round(closure.low),
            high_percent=round(closure.high),
        )
    waiting = int(acknowledge.parts.get("waiting_count", 0))
    timed = {"n": acknowledge.n - waiting, "waiting": waiting, "enough": acknowledge.enough}
    if acknowledge.enough:
        timed["median"] = _duration(3600 * acknowledge.value)
        timed["lower_bound"] = bool(acknowledge.parts.get("lower_bound"))
    return {
        "days": FIGURE_DAYS,
        "closure": closed,
        "acknowledge": timed,
        "minimum": acknowledge.minimum,
    }


# --- pages ---------------------------------------------------------------------------------


def _filters(data) -> dict:
    return {key: data.get(key, "").strip() for key in FILTERS}


def _owners(workspace: Workspace):
    return (
        Membership.objects.filter(workspace=workspace, removed_at__isnull=True)
        .exclude(role=Role.VIEWER)
        .select_related("user")
    )


@workspace_view(min_role=Role.STAFF)
def inbox(request):
    workspace, membership = request.workspace, request.membership
    filters = _filters(request.GET)
    today = actions.local_today(workspace)
    items = apply_filters(_with_summary(feedback_items(workspace)), filters, membership)
    items = items.select_related("survey", "person", "team", "owner__user", "reading")
    items = items.order_by("-submitted_on", F("submitted_at").desc(nulls_last=True), "pk")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in filters.items() if v})
    return render(
        request,
        "feedback/inbox.html",
        {
            "page": page,
            "rows": [present(item, membership, today) for item in page],
            "filters": filters,
            "query": query.urlencode(),
            "surveys": Survey.objects.filter(workspace=workspace).only("id", "title"),
            "groups": Group.choices,
            "teams": Team.objects.filter(workspace=workspace),
            "bands": [(key, label) for key, (label, *_) in BANDS.items()],
            "emotions": [(g, GROUP_NAMES[g]) for g in EMOTION_GROUPS],
            "themes": Theme.objects.filter(workspace=workspace, vanished_at__isnull=True),
            "statuses": FollowUp.choices,
            "owners": list(_owners(workspace)),
            "bulk_actions": BULK_ACTIONS.items(),
            "held_back": held_back(workspace),
            "show_choices": SHOW.items(),
            "threshold": workspace.min_comment_group_size,
            "who_filtered": any(filters[key] for key in WHO_FILTERS),
            "figures": figures(workspace, today),
        },
    )


def _back_to_inbox(request):
    url = reverse("feedback:inbox", args=[request.workspace.slug])
    kept = QueryDict(request.POST.get("next", ""), mutable=True)
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in kept.items() if k in (*FILTERS, "page") and v})
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _label(item: Response, today: date) -> str:
    day, _ = when(item, today)
    return f"{item.survey.title}, {day}"


def _selected(request) -> list[Response]:
    ids = []
    for raw in request.POST.getlist("item"):
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            continue
    return list(
        feedback_items(request.workspace)
        .filter(pk__in=ids)
        .select_related("survey", "workspace")
        .order_by("-submitted_on", "pk")
    )


@require_POST
@workspace_view(min_role=Role.STAFF)
def bulk(request):
    workspace, member = request.workspace, request.membership
    action = request.POST.get("action", "")
    items = _selected(request)
    if action not in BULK_ACTIONS:
        messages.error(request, "Nothing was changed: choose what to do with the selection.")
        return _back_to_inbox(request)
    if not items:
        messages.error(request, "Nothing was changed: tick at least one item.")
        return _back_to_inbox(request)
    today = actions.local_today(workspace)
    plural = "s" if len(items) != 1 else ""
    if action == "assign":
        raw = request.POST.get("owner", "")
        owner = None
        if raw != "none":
            owner = _owners(workspace).filter(pk=raw).first() if raw.isdigit() else None
            if owner is None:
                messages.error(request, "Nothing was changed: choose whom to assign them to.")
                return _back_to_inbox(request)
        for item in items:
            actions.assign(item, owner)
        messages.success(
            request,
            f"{len(items)} item{plural} assigned to {owner}."
            if owner
            else f"{len(items)} item{plural} left without an owner.",
        )
        return _back_to_inbox(request)
    if action == "acknowledge":
        fresh = [item for item in items if item.status == FollowUp.NEW]
        for item in fresh:
            actions.move(item, FollowUp.ACKNOWLEDGED, member=member)
        note = f"{len(fresh)} item{'s' if len(fresh) != 1 else ''} acknowledged."
        if len(fresh) < len(items):
            note += f" {len(items) - len(fresh)} already were, or are further along."
        messages.success(request, note)
        return _back_to_inbox(request)
    if action == "in_progress":
        for item in items:
            actions.move(item, FollowUp.IN_PROGRESS, member=member)
        messages.success(request, f"{len(items)} item{plural} marked in progress.")
        return _back_to_inbox(request)
    what_we_did = request.POST.get("what_we_did", "").strip()
    closed, refused = 0, []
    for item in items:
        # The text fills items that say nothing yet; an item's own account is never replaced.
        text = what_we_did if what_we_did and not item.what_we_did.strip() else None
        try:
            actions.move(item, FollowUp.DONE, member=member, what_we_did=text)
        except ValueError:
            refused.append(item)
        else:
            closed += 1
    if closed:
        messages.success(request, f"{closed} item{'s' if closed != 1 else ''} marked done.")
    if refused:
        messages.error(
            request,
            f"{len(refused)} item{'s' if len(refused) != 1 else ''} not marked done, because "
            "nobody has said what was done: "
            + "; ".join(_label(item, today) for item in refused)
            + ". Write it in “What we did” and mark them done again.",
        )
    return _back_to_inbox(request)


def _item_or_404(request, response_id):
    return get_object_or_404(
        feedback_items(request.workspace).select_related(
            "survey", "person", "team", "owner__user", "workspace"
        ),
        pk=response_id,
    )


def _show_answer(answer: Answer) -> str:
    question = answer.question
    if answer.number is not None:
        scale = question.scale
        return f"{answer.number} (of {scale[0]}–{scale[1]})" if scale else str(answer.number)
    if answer.choices:
        return ", ".join(answer.choices)
    return answer.text


@workspace_view(min_role=Role.STAFF)
def item(request, response_id):
    workspace, membership = request.workspace, request.membership
    response = _item_or_404(request, response_id)
    today = actions.local_today(workspace)
    anonymous = notify.is_anonymous(response)
    who, person_id = respondent(response, membership)
    day, age = when(response, today)
    answers = list(response.answers.select_related("question"))
    reading = ResponseReading.objects.filter(response=response).first()
    conversation = list(response.messages.select_related("member__user"))
    context = {
        "r": response,
        "anonymous": anonymous,
        "who": who,
        "person_id": person_id,
        "day": day,
        "age": age,
        "answers": [(a.question.text, _show_answer(a), a.text != "") for a in answers],
        "reading": reading,
        "conversation": [
            (m, week_of(m.sent_on) if anonymous else short_date(m.sent_on)) for m in conversation
        ],
        "statuses": FollowUp.choices,
        "owners": list(_owners(workspace)),
        "email": notify.email_address(response),
        "has_conversation": notify.has_conversation(response),
        "reachable": notify.reachable(response),
        "consented": response.person_id is None or response.person.may_analyse,
    }
    if reading:
        context.update(
            pieces=highlight(free_text(answers), reading.pii),
            groups=sorted(
                ((GROUP_NAMES.get(g, g), p) for g, p in reading.emotion_groups.items()),
                key=lambda item: -item[1],
            ),
            detected=[GROUP_NAMES.get(g, g) for g in reading.detected_groups],
            stale=reading.model_version != current_version(),
            themes=list(Theme.objects.filter(workspace=workspace, key__in=reading.themes)),
        )
    return render(request, "feedback/inbox_item.html", context)


def _back_to_item(request, response):
    return redirect("feedback:item", slug=request.workspace.slug, response_id=response.pk)


@require_POST
@workspace_view(min_role=Role.STAFF)
def reply(request, response_id):
    response = _item_or_404(request, response_id)
    try:
        message = actions.reply(response, request.membership, request.POST.get("text", ""))
    except ValueError as error:
        messages.error(request, f"Not sent: {error}")
        return _back_to_item(request, response)
    where = []
    try:
        if notify.email_reply(response, message):
            where.append("emailed to them")
    except notify.NotifyError as error:
        messages.error(request, f"Your reply is kept in the conversation, but {error}.")
        return _back_to_item(request, response)
    if notify.has_conversation(response):
        where.append("waiting for them in their private conversation")
    if where:
        messages.success(request, "Reply sent: " + " and ".join(where) + ".")
    else:
        messages.success(
            request,
            "Reply kept in the conversation. They did not allow contact, so it was not sent.",
        )
    return _back_to_item(request, response)


@require_POST
@workspace_view(min_role=Role.STAFF)
def update(request, response_id):
    response = _item_or_404(request, response_id)
    status = request.POST.get("status", response.status)
    raw_owner = request.POST.get("owner", "")
    what_we_did = request.POST.get("what_we_did")
    changed_text = what_we_did is not None and what_we_did.strip() != response.what_we_did
    try:
        with transaction.atomic():
            if raw_owner:
                owner = None
                if raw_owner != "none":
                    owner = (
                        _owners(request.workspace).filter(pk=raw_owner).first()
                        if raw_owner.isdigit()
                        else None
                    )
                    if owner is None:
                        raise ValueError("choose an owner from the list.")
                if owner != response.owner:
                    actions.assign(response, owner)
            if status != response.status or changed_text:
                actions.move(
                    response,
                    status,
                    member=request.membership,
                    what_we_did=what_we_did if changed_text else None,
                )
    except ValueError as error:
        messages.error(request, f"Not saved: {error}")
        return _back_to_item(request, response)
    messages.success(request, "Saved.")
    return _back_to_item(request, response)


@require_POST
@workspace_view(min_role=Role.STAFF)
def tell(request, response_id):
    response = _item_or_404(request, response_id)
    try:
        told = notify.tell_respondent(response, request.membership)
    except notify.NotifyError as error:
        messages.error(request, f"They were not told: {error}.")
    else:
        how = []
        if told.emailed:
            how.append("by email")
        if told.posted:
            how.append("in their private conversation")
        messages.success(request, "They were told what changed, " + " and ".join(how) + ".")
    return _back_to_item(request, response)


routes = [
    path("inbox/", inbox, name="inbox"),
    path("inbox/bulk/", bulk, name="inbox-bulk"),
    path("inbox/<uuid:response_id>/", item, name="item"),
    path("inbox/<uuid:response_id>/reply/", reply, name="item-reply"),
    path("inbox/<uuid:response_id>/update/", update, name="item-update"),
    path("inbox/<uuid:response_id>/tell/", tell, name="item-tell"),
]
