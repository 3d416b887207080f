"""The feedback inbox: every response is a feedback item to acknowledge, act on and close.

Anonymity holds here as in reports. An anonymous item (an anonymous survey's answer that kept
no name or email) shows its text and score, never its team, segment, person or exact date,
and the group and team filters leave it out, so subtracting one filter from another cannot
single it out. Staff see a confidential item the same way; owners and managers see who wrote
it (``sees_as_anonymous`` is that rule, in one place). On anonymous surveys other than the
suggestion box, an item shows its week only when enough answers of its round share that week,
and is otherwise shown with its round or held back (``Periods``): a one-answer week would
name its author.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.db.models import (
    Count,
    Q,
)
from django.db.models.functions import TruncWeek
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.models import Membership, Workspace
from rapport.accounts.scope import workspace_view
from rapport.engine.periods import quarter_number, week_start
from rapport.engine.text.emotions import GROUP_NAMES
from rapport.feedback import actions, notify
from rapport.feedback.analysis import free_text
from rapport.feedback.choices import Anonymity, FollowUp, QuestionKind, Schedule, SurveyKind
from rapport.feedback.models import Answer, Response, ResponseReading, Survey
from rapport.understanding.actions import current_version
from rapport.understanding.models import Theme
from rapport.understanding.views import highlight

# --- what a member may see of an item ------------------------------------------------------


ANONYMOUS = Q(survey__anonymity=Anonymity.ANONYMOUS, person__isnull=True, contact_email="")
CONFIDENTIAL = Q(survey__anonymity=Anonymity.CONFIDENTIAL)


def sees_as_anonymous(item: Response, membership: Membership) -> bool:
    """Whether ``membership`` sees ``item`` as an anonymous answer: no name, team or segment,
    its week (never its day), and never under the group and team filters. So it is for an
    anonymous item, and for a confidential one unless the member is a manager or the owner:
    a confidential answer is linked to its person for the follow-up they allowed, and only
    those who may act on it as such may know who it is. ``unnamed`` is the same rule as a
    query; change the two together."""
    if notify.is_anonymous(item):
        return True
    return item.survey.anonymity == Anonymity.CONFIDENTIAL and not membership.can_manage


def unnamed(membership: Membership) -> Q:
    """The items ``membership`` sees as anonymous (``sees_as_anonymous`` as a query)."""
    return ANONYMOUS if membership.can_manage else ANONYMOUS | CONFIDENTIAL


# --- when an anonymous item may say it arrived ---------------------------------------------


# The items ``Periods`` dates: anonymous answers outside the suggestion box, which is always
# open to one-off notes, so its items are never held back (they show their week).
ROUND_DATED = ANONYMOUS & ~Q(survey__kind=SurveyKind.SUGGESTIONS)


@dataclass
class Periods:
    """How the anonymous items of a workspace are dated (suggestion box aside), from how many
    answers of the same survey round share each week; k is ``min_comment_group_size``.

    - A week with at least k answers of the round: its items show that week.
    - The round's other, thinner weeks, when together they hold at least k answers: their
      items show the round only (its month, quarter or fortnight; no date for a one-off
      survey), and sort at the round's start, so their place in the list gives no week away.
    - Otherwise those thin weeks are held back, until a week or the thin weeks together
      reach k.

    Every date shown is thus shared by at least k answers of a round, and "the round minus
    its busy weeks" is itself k or more. Pooling never crosses rounds: a pulse asks other
    questions in each round, so the questions an item answers would give its round away.
    Queries over items use the ``week`` alias (``with_week``)."""

    # (survey id, round) → the Mondays of its thin weeks, shown as the round.
    pooled: dict[tuple[int, str], frozenset[date]]
    # (survey id, round) → the first day where its pooled items sort.
    starts: dict[tuple[int, str], date]
    # survey id → rounds whose every week is held back; (survey id, round) → held weeks of a
    # round whose other weeks are shown.
    held_rounds: dict[int, set[str]]
    held_weeks: dict[tuple[int, str], frozenset[date]]
    held_count: int

    @classmethod
    def of(cls, workspace: Workspace) -> "Periods":
        k = workspace.min_comment_group_size
        cells = (
            Response.objects.filter(ROUND_DATED, workspace=workspace)
            .annotate(week=TruncWeek("submitted_on"))
            .values("survey_id", "round", "week", "survey__created_at")
            .annotate(n=Count("pk"))
            .order_by()
        )
        rounds: dict[tuple[int, str], dict[date, int]] = {}
        made: dict[int, date] = {}
        tz = workspace.zone
        for cell in cells:
            weeks = rounds.setdefault((cell["survey_id"], cell["round"]), {})
            weeks[cell["week"]] = weeks.get(cell["week"], 0) + cell["n"]
            made[cell["survey_id"]] = cell["survey__created_at"].astimezone(tz).date()
        periods = cls(pooled={}, starts={}, held_rounds={}, held_weeks={}, held_count=0)
        for (survey_id, round_key), weeks in rounds.items():
            thin = frozenset(week for week, n in weeks.items() if n < k)
            if not thin:
                continue
            together = sum(weeks[week] for week in thin)
            if together >= k:
                periods.pooled[survey_id, round_key] = thin
                start = actions.round_start(round_key) or made[survey_id]
                periods.starts[survey_id, round_key] = start
                continue
            periods.held_count += together
            if len(thin) == len(weeks):
                periods.held_rounds.setdefault(survey_id, set()).add(round_key)
            else:
                periods.held_weeks[survey_id, round_key] = thin
        return periods

    def held(self) -> Q | None:
        """The items held back, or None when none is."""
        q = Q()
        for survey_id, round_keys in self.held_rounds.items():
            q |= Q(survey_id=survey_id, round__in=sorted(round_keys))
        for (survey_id, round_key), weeks in self.held_weeks.items():
            q |= Q(survey_id=survey_id, round=round_key, week__in=sorted(weeks))
        return ROUND_DATED & q if q else None

    def shows_round(self, item: Response) -> bool:
        """Whether the anonymous ``item`` shows its round rather than its week."""
        return week_start(item.submitted_on) in self.pooled.get((item.survey_id, item.round), ())


def with_week(queryset):
    return queryset.alias(week=TruncWeek("submitted_on"))


def feedback_items(workspace: Workspace, periods: Periods):
    """Every item of ``workspace`` the inbox may show (held-back ones are left out)."""
    items = with_week(Response.objects.filter(workspace=workspace))
    held = periods.held()
    return items if held is None else items.exclude(held)


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


def to_act_on(workspace: Workspace, periods: "Periods"):
    """What needs a follow-up: comments, low scores, suggestions (``Response.actionable``),
    less the items held back under the anonymity rule."""
    return feedback_items(workspace, periods).filter(actionable=True)


# --- how an item is shown ------------------------------------------------------------------


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def week_of(day: date) -> str:
    return f"Week of {short_date(week_start(day))}"


def round_label(survey: Survey, round_key: str) -> str:
    """A round in words: "November 2026", "Q4 2026", "Fortnight of 2 Nov 2026"."""
    start = actions.round_start(round_key)
    if start is None:
        return "During the survey"
    if "-Q" in round_key:
        return f"Q{quarter_number(start)} {start.year}"
    if "-W" in round_key:
        if survey.schedule == Schedule.FORTNIGHTLY:
            return f"Fortnight of {short_date(start)}"
        return week_of(start)
    return f"{start:%B %Y}"


@dataclass
class Sight:
    """What one member may see of who wrote an item, and when."""

    unnamed: bool
    who: str
    # When the member may follow a link to the person.
    person_id: int | None
    # A name and email typed on a page without a login: never checked.
    unverified: bool
    team: str
    segment: str
    # How finely the date is shown: "day", "week", or "round" (a thin week's item).
    period: str
    day: str
    age: str


def sight(item: Response, membership: Membership, today: date, periods: Periods) -> Sight:
    """The one place that decides what ``membership`` sees of ``item``'s respondent."""
    hidden = sees_as_anonymous(item, membership)
    anonymous = notify.is_anonymous(item)
    person_id, unverified = None, False
    if anonymous:
        who = "Anonymous"
    elif hidden:
        who = "Confidential respondent"
    elif item.person_id is not None:
        who, person_id = item.person.name, item.person_id
    elif item.contact_email:
        who = item.contact_email
        if item.contact_name:
            who = f"{item.contact_name} ({item.contact_email})"
        unverified = True
    else:
        who = "Someone not known (public link)"
    if not hidden:
        days = (today - item.submitted_on).days
        period, day = "day", short_date(item.submitted_on)
        age = "today" if days <= 0 else f"{days} day{'s' if days != 1 else ''} ago"
    elif anonymous and periods.shows_round(item):
        period, day, age = "round", round_label(item.survey, item.round), "week withheld"
    else:
        weeks = (week_start(today) - week_start(item.submitted_on)).days // 7
        period, day = "week", week_of(item.submitted_on)
        age = "this week" if weeks <= 0 else f"{weeks} week{'s' if weeks != 1 else ''} ago"
    return Sight(
        unnamed=hidden,
        who=who,
        person_id=person_id,
        unverified=unverified,
        team="" if hidden or item.team_id is None else item.team.name,
        segment="" if hidden else item.segment,
        period=period,
        day=day,
        age=age,
    )


# --- pages ---------------------------------------------------------------------------------


def _owners(workspace: Workspace):
    return (
        Membership.objects.filter(workspace=workspace, removed_at__isnull=True)
        .exclude(role=Role.VIEWER)
        .select_related("user")
    )


# The feedback inbox's filters that mean the same in the inbox's survey follow-ups.
KEPT_FILTERS = {"group": "group", "emotion": "emotion", "owner": "owner", "human": "human"}


@workspace_view(min_role=Role.STAFF)
def inbox(request):
    """The feedback inbox is now the inbox's "Survey follow-ups" view (issue 16): one list,
    not two. Its links keep working, with the filters that mean the same there."""
    query = QueryDict(mutable=True)
    query["view"] = "survey"
    for old, new in KEPT_FILTERS.items():
        value = request.GET.get(old, "").strip()
        if value:
            query[new] = value
    status = request.GET.get("status", "")
    if status == FollowUp.DONE:
        query["status"] = "resolved"
    elif status:
        query["status"] = "open"
    return redirect(f"{reverse('inbox:list', args=[request.workspace.slug])}?{query.urlencode()}")


def _item_or_404(request, response_id, periods: Periods | None = None):
    periods = periods or Periods.of(request.workspace)
    return get_object_or_404(
        feedback_items(request.workspace, periods).select_related(
            "survey", "person", "team", "owner__user", "workspace"
        ),
        pk=response_id,
    )


def show_answer(answer: Answer) -> str:
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
    periods = Periods.of(workspace)
    response = _item_or_404(request, response_id, periods)
    today = workspace.today()
    anonymous = notify.is_anonymous(response)
    seen = sight(response, membership, today, periods)
    answers = list(response.answers.select_related("question"))
    reading = ResponseReading.objects.filter(response=response).first()
    conversation = list(response.messages.select_related("member__user"))
    context = {
        "r": response,
        "anonymous": anonymous,
        "sight": seen,
        "answers": [(a.question.text, show_answer(a), a.text != "") for a in answers],
        "reading": reading,
        "conversation": [
            (m, week_of(m.sent_on) if seen.unnamed else short_date(m.sent_on)) for m in conversation
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
    path("inbox/<uuid:response_id>/", item, name="item"),
    path("inbox/<uuid:response_id>/reply/", reply, name="item-reply"),
    path("inbox/<uuid:response_id>/update/", update, name="item-update"),
    path("inbox/<uuid:response_id>/tell/", tell, name="item-tell"),
]
