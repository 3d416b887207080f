"""Survey follow-ups in the inbox: one conversation per feedback item that asks for one.

Which responses: those the feedback inbox counts as "to act on" (any comment, a low score,
every suggestion: ``feedback.actions.actionable``) that ask a person to follow up — a
suggestion, a low score, a respondent who would like to hear back, or a comment read as
needing a person or unhappy (a comment that only praises is read in the results and waits
for no one; an unread one waits for its reading) — and only once the feedback inbox shows
them (an anonymous answer of a thin week is held back there, so it is held back here).
Each becomes a :class:`~rapport.inbox.models.Conversation` with ``response_id`` set, source
``survey``, channel ``survey`` and thread key ``survey:<response id>``.

**What the inbox keeps of the respondent** is what the least-privileged member who may open
the inbox (staff) sees of the item in the feedback inbox, through its own rule
(``feedback.inbox_views.sight``), and nothing more:

- the person only for an item staff see with its name (an identified survey); an anonymous
  or confidential item has no person, no address and no team, and is called what the
  feedback inbox calls it ("Anonymous", "Confidential respondent"); a name and e-mail typed
  on a public page are kept as the words the feedback inbox shows, never as an address;
- the subject is the survey's title and the date the feedback inbox shows (its day, its
  week, or its round for a thin week), never words of the comment;
- the conversation is dated (``opened_at``, ``last_message_at``) at the start of that date,
  so its place in the list gives no more away than the date does. Items staff see without
  a name are filed only by the clock (:func:`sync_survey_followups`), in random order, and
  anything the inbox records on account of an anonymous respondent (their answer, their
  replies through their private link) carries that date, never the moment.

**Triage** reads the response as one customer message (``engine.triage``): its reading
(needs a human and why, sentiment) plus what the score and kind say — a detractor or a low
score, a suggestion, a respondent who would like to hear back asks for a person.

**Status and owner** follow the feedback item, both ways: done → resolved; an owner →
assigned (replied when the business wrote last); no owner → waiting for a person. The
receivers in ``inbox/signals.py`` step the conversation through ``flow.apply`` when the
response or its conversation changes; the inbox's own verbs (``inbox/actions.py``) call
:func:`assign_response` and :func:`resolve_response`. Replies still go from the feedback
item's page (:func:`feedback_url`), which knows how to reach the respondent.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.choices import Role
from rapport.accounts.models import Membership, Workspace
from rapport.engine import handoff, triage
from rapport.engine.periods import week_start
from rapport.engine.text import needs_human
from rapport.feedback import actions as feedback
from rapport.feedback.analysis import free_text
from rapport.feedback.choices import Author as FeedbackAuthor
from rapport.feedback.choices import FollowUp, SurveyKind
from rapport.feedback.inbox_views import Periods, band_of
from rapport.feedback.inbox_views import sight as feedback_sight
from rapport.feedback.inbox_views import to_act_on as feedback_to_act_on
from rapport.feedback.inbox_views import unnamed as feedback_unnamed
from rapport.feedback.models import Answer, Response, ResponseReading
from rapport.inbox import flow
from rapport.inbox.automation import engine_rules, relationship, top_feeling
from rapport.inbox.choices import EventKind, Source, Status
from rapport.inbox.clocks import start_clocks
from rapport.inbox.gather import RECENT_DAYS
from rapport.inbox.models import Conversation
from rapport.inbox.routing import Availability
from rapport.people.models import Person

CHANNEL = "survey"
BATCH = 500
REPLY_ELSEWHERE = (
    "Answer survey feedback from its feedback page: it knows how to reach the respondent."
)
FROM_FEEDBACK = "in the feedback inbox"
_SHOWN = ("survey", "person", "team", "workspace", "owner")


def thread_key(response: Response) -> str:
    return f"survey:{response.pk}"


def feedback_url(c: Conversation) -> str:
    """The feedback item's page, where a survey follow-up is answered."""
    return reverse("feedback:item", args=[c.workspace.slug, c.response_id])


# A comment that only praises or informs is read in the results and waits for no one; these
# ask a person to follow up.
NEGATIVE = -0.25


def asks_for_follow_up() -> Q:
    """Feedback items a person should follow up in the inbox: a suggestion, a low score, a
    respondent who would like to hear back, or a comment read as needing a person or as
    unhappy. A comment not read yet waits for its reading (the clock files it then)."""
    low = Answer.objects.filter(feedback.low_score(), response=OuterRef("pk"))
    return (
        Q(survey__kind=SurveyKind.SUGGESTIONS)
        | Exists(low)
        | Q(may_contact=True)
        | ~Q(contact_email="")
        | Q(reading__needs_human=True)
        | Q(reading__sentiment_score__lte=NEGATIVE)
    )


def to_act_on(workspace: Workspace, periods: Periods):
    """The feedback inbox's "to act on" items, as staff see them (held-back items left out),
    that ask a person to follow up (:func:`asks_for_follow_up`)."""
    return feedback_to_act_on(workspace, periods).filter(asks_for_follow_up())


def _staff() -> Membership:
    # The least-privileged member who may open the inbox: what the inbox stores of an item
    # is what they may see of it in the feedback inbox.
    return Membership(role=Role.STAFF)


# --- what the inbox keeps of a response ----------------------------------------------------


@dataclass(frozen=True)
class Shown:
    hidden: bool  # staff see it without a name (anonymous, or confidential)
    person: Person | None
    who: str  # what the list calls the respondent when there is no person
    subject: str
    at: dt.datetime  # the moment the inbox dates and sorts it by


def shown(response: Response, periods: Periods, today: dt.date) -> Shown:
    """What the inbox may keep of ``response``: what staff see of it in the feedback inbox."""
    view = feedback_sight(response, _staff(), today, periods)
    zone = response.workspace.zone
    if view.period == "day":
        at = response.submitted_at or _midnight(response.submitted_on, zone)
    elif view.period == "round":
        at = _midnight(periods.starts[response.survey_id, response.round], zone)
    else:
        at = _midnight(week_start(response.submitted_on), zone)
    person = response.person if view.person_id is not None else None
    return Shown(
        hidden=view.unnamed,
        person=person,
        who="" if person else view.who[:120],
        subject=f"{response.survey.title} · {view.day}"[:200],
        at=at,
    )


def _midnight(day: dt.date, zone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


# --- filing a response ---------------------------------------------------------------------


def bridge(
    response: Response,
    periods: Periods,
    *,
    now: dt.datetime | None = None,
    listed: bool = False,
    rules: list[triage.EscalationRule] | None = None,
) -> Conversation | None:
    """The conversation of ``response``, opened when the feedback inbox lists it to act on;
    None when it does not (not actionable, or held back). Opening it twice opens one.

    ``listed``: the caller has just found ``response`` among the items to act on that have
    no conversation (a conversation opened since is still caught, by its unique response).
    ``rules``: the business's escalation rules (``engine_rules``), when filing many.

    Everything is read and triaged before the transaction that writes the conversation and
    its events: on SQLite that transaction holds the database's one write lock, which every
    public answer waits for, and the worker that files runs at a lower CPU priority
    (lib/serving.py), so it must not hold the lock while it thinks."""
    now = now or timezone.now()
    if not listed:
        found = Conversation.objects.filter(response_id=response.pk).first()
        if (
            found is not None
            or not to_act_on(response.workspace, periods).filter(pk=response.pk).exists()
        ):
            return found
    view = shown(response, periods, response.workspace.today(now))
    c = Conversation(
        workspace=response.workspace,
        person=view.person,
        source=Source.SURVEY,
        channel=CHANNEL,
        thread_key=thread_key(response),
        subject=view.subject,
        response_id=response.pk,
        visitor_name=view.who,
        # A survey comment never goes to the automatic answers: it waits for a person.
        status=Status.WAITING,
        automation_stopped=True,
        waiting_since=now,
        handoff_reason="survey feedback to follow up",
        opened_at=view.at,
        last_message_at=view.at,
    )
    triaged = _triage(c, response, now=now, view=view, rules=rules)
    # Feedback that waited before the inbox existed is flagged as waiting too long on the
    # conversation and the list, without an e-mail per item to the managers.
    late = view.at < now - dt.timedelta(days=RECENT_DAYS)
    try:
        with transaction.atomic():
            # Its follow-up state as it stands now, inside the write: a member may have
            # taken or closed the item since it was read above.
            response.refresh_from_db(fields=["status", "owner"])
            c.save(force_insert=True)
            flow.log(c, EventKind.OPENED, view.at, detail=Source.SURVEY)
            flow.log(c, EventKind.TRIAGED, now, detail=triaged)
            follow(c, response, at=now)
            if late and c.status == Status.WAITING:
                c.unassigned_alert_at = now
                c.save(update_fields=["unassigned_alert_at"])
                flow.log(
                    c, EventKind.UNASSIGNED_ALERT, now, detail="was waiting before it was filed"
                )
    except IntegrityError:  # filed a moment ago by another process
        return Conversation.objects.get(response_id=response.pk)
    return c


# How far back the worker looks for named feedback that arrived unfiled; anything older is
# the clock's (it files whatever a stopped worker missed).
ARRIVED_DAYS = 2


def file_arrived(workspace: Workspace, *, now: dt.datetime | None = None) -> int:
    """File the feedback items of ``workspace`` that arrived lately, ask for a follow-up and
    have no conversation yet, when staff see them with a name. The worker runs it after
    answers arrive (``inbox.tasks.file_survey_followups``), so the respondent does not wait
    for it: one run files every answer that came since the last, and a run with nothing new
    does nothing. Items staff see without a name wait for
    the clock, which files them in random order. Returns how many were filed."""
    now = now or timezone.now()
    today = workspace.today(now)
    filed = Conversation.objects.filter(response_id=OuterRef("pk"))
    # One query when there is nothing new; what staff see without a name is never looked at.
    arrived = (
        Response.objects.filter(
            workspace=workspace,
            actionable=True,
            submitted_on__gte=today - dt.timedelta(days=ARRIVED_DAYS),
        )
        .exclude(feedback_unnamed(_staff()))
        .filter(~Exists(filed))
    )
    if not arrived.exists():
        return 0
    periods = Periods.of(workspace)
    ids = list(
        to_act_on(workspace, periods)
        .filter(pk__in=arrived.values("pk"))
        .order_by("submitted_on", "submitted_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    responses = Response.objects.select_related(*_SHOWN).in_bulk(ids)
    rules = engine_rules(workspace)
    done = 0
    for pk in ids:
        response = responses[pk]
        if shown(response, periods, today).hidden:
            continue
        done += bridge(response, periods, now=now, listed=True, rules=rules) is not None
    return done


def sync_survey_followups(
    workspace: Workspace,
    *,
    now: dt.datetime | None = None,
    limit: int = BATCH,
    order: Callable[[list], None] | None = None,
) -> int:
    """File the feedback items of ``workspace`` to act on that have no conversation yet (at
    most ``limit`` per call, in random order, so the numbering says nothing of who answered
    first), and triage again those whose reading came after they were filed. Returns how
    many conversations were opened or triaged again; running it again changes nothing.

    ``order`` puts the response ids in filing order, in place. It is for the generated demo
    only, whose rows must come out the same on every generation (it files in an order drawn
    from its seed); everyone else gets the system's unpredictable shuffle, so nobody can
    work the order back out."""
    now = now or timezone.now()
    filed = Conversation.objects.filter(workspace=workspace, response_id=OuterRef("pk"))
    waiting = Response.objects.filter(workspace=workspace, actionable=True).filter(~Exists(filed))
    done = 0
    if waiting.exists():
        periods = Periods.of(workspace)
        ids = list(
            to_act_on(workspace, periods)
            .filter(pk__in=waiting.values("pk"))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        (order or random.SystemRandom().shuffle)(ids)
        responses = Response.objects.select_related(*_SHOWN).in_bulk(ids)
        rules = engine_rules(workspace)
        for pk in ids:
            done += bridge(responses[pk], periods, now=now, listed=True, rules=rules) is not None
    return done + _retriage_read(workspace, now)


def _retriage_read(workspace: Workspace, now: dt.datetime) -> int:
    newer = ResponseReading.objects.filter(
        response_id=OuterRef("response_id"), analysed_at__gt=OuterRef("read_at")
    )
    stale = Conversation.objects.filter(workspace=workspace, source=Source.SURVEY).filter(
        Exists(newer)
    )
    stale = list(stale.select_related("person", "workspace")[:BATCH])
    if stale:
        periods = Periods.of(workspace)
        today = workspace.today(now)
        responses = Response.objects.select_related(*_SHOWN).in_bulk([c.response_id for c in stale])
        for c in stale:
            response = responses.get(c.response_id)
            if response is None:
                continue
            retriage(c, response, now=now, view=shown(response, periods, today))
    return len(stale)


# --- triage --------------------------------------------------------------------------------


def retriage(c: Conversation, response: Response, *, now: dt.datetime, view: Shown) -> None:
    """Priority, reasons and feelings from the response's reading, score and kind, saved and
    logged; read before the transaction that writes them (see ``bridge``)."""
    triaged = _triage(c, response, now=now, view=view)
    with transaction.atomic():
        c.save(update_fields=TRIAGE_FIELDS)
        flow.log(c, EventKind.TRIAGED, now, detail=triaged)


# What ``_triage`` sets.
TRIAGE_FIELDS = [
    "priority", "reasons", "reason_codes", "rule", "needs_human", "sentiment", "emotion",
    "read_at",
]  # fmt: skip


def _triage(
    c: Conversation,
    response: Response,
    *,
    now: dt.datetime,
    view: Shown,
    rules: list[triage.EscalationRule] | None = None,
) -> str:
    """Set ``c``'s priority, reasons and feelings (reads only, nothing saved); returns what
    the TRIAGED event says."""
    reading = ResponseReading.objects.filter(response=response).exclude(error__gt="").first()
    answers = list(response.answers.select_related("question"))
    asking = _asking(response, answers)
    read = triage.MessageReading(
        at=view.at,
        asks=bool(asking) or needs_human.asks_something(free_text(answers)),
        needs_human=bool(reading and reading.needs_human),
        reasons=tuple(x["code"] for x in reading.reasons)
        if reading and reading.needs_human
        else (),
        sentiment=reading.sentiment_score if reading else None,
    )
    # An item staff see without a name says nothing of the person, nor of a wait measured
    # from a date it does not show; a done item is waiting for no one.
    about = triage.Relationship() if c.person_id is None else relationship(c, now)
    until = view.at if view.hidden or response.status == FollowUp.DONE else now
    result = triage.triage(
        [read], about, now=until, rules=engine_rules(c.workspace) if rules is None else rules
    )
    reasons = [r for r in result.reasons if r not in ("asks something", "nothing asked")]
    c.priority = int(result.priority)
    c.reasons = (reasons + asking) or list(result.reasons)
    c.reason_codes = sorted(read.reasons)
    c.rule = result.rule or ""
    c.needs_human = read.needs_human
    c.sentiment = read.sentiment
    c.emotion = top_feeling(reading)
    c.read_at = now
    return f"{result.priority.label}: " + "; ".join(c.reasons[:3])


def _asking(response: Response, answers) -> list[str]:
    """What in the answers asks for a person besides the words: the score, the kind, a wish
    to hear back."""
    why = []
    scored = next((a for a in answers if a.number is not None), None)
    if scored is not None:
        q = scored.question
        band = band_of(q.kind, scored.number, q.scale_max)
        high = (q.scale or (1, q.scale_max))[1]
        if band == "detractor":
            why.append(f"a detractor ({scored.number} of {high})")
        elif band == "low":
            why.append(f"a low score ({scored.number} of {high})")
    if response.survey.kind == SurveyKind.SUGGESTIONS:
        why.append("a suggestion")
    if response.may_contact:
        why.append("would like to hear back")
    return why


# --- keeping the conversation and the feedback item in step --------------------------------


def target(response: Response) -> tuple[str, int | None]:
    """The inbox status and owner that the feedback item's follow-up state means."""
    if response.status == FollowUp.DONE:
        return Status.RESOLVED, None
    owner = response.owner if response.owner_id else None
    if owner is None or not owner.is_active:
        return Status.WAITING, None
    last = response.messages.order_by("-sent_on", "-id").values_list("author", flat=True).first()
    return (Status.REPLIED if last == FeedbackAuthor.BUSINESS else Status.ASSIGNED), owner.pk


def follow(c: Conversation, response: Response, *, at: dt.datetime) -> None:
    """Step ``c`` through the state machine to where its feedback item stands (the caller
    holds the transaction). The feedback owner holds it whatever their duty says: the
    owner was chosen there."""
    status, owner = target(response)
    if (c.status, c.owner_id) == (status, owner):
        return
    who = Availability(c.workspace, now=at)
    if owner is not None:
        who.available.add(owner)
    if status == Status.RESOLVED:
        flow.apply(c, handoff.Resolve(at), who, detail=FROM_FEEDBACK)
    else:
        if c.status == Status.RESOLVED:  # reopened there: back to its last person here
            flow.apply(c, handoff.CustomerWrote(at), who)
        if owner is not None and c.owner_id != owner:
            flow.apply(c, handoff.Assign(at, str(owner)), who, detail=FROM_FEEDBACK)
        elif owner is None and c.owner_id is not None:
            flow.apply(c, handoff.Release(at, str(c.owner_id)), who, detail=FROM_FEEDBACK)
        if status == Status.REPLIED and c.status == Status.ASSIGNED:
            flow.apply(c, handoff.PersonReplied(at, str(owner)), who)
        elif status == Status.ASSIGNED and c.status == Status.REPLIED:
            flow.apply(c, handoff.CustomerWrote(at), who)
    start_clocks(c)


def response_changed(response: Response, *, by_respondent: bool = False) -> None:
    """The feedback item changed (its status, owner, or a message): its conversation
    follows. A change the respondent made is dated as the feedback inbox dates them."""
    with transaction.atomic():
        c = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("workspace", "person")
            .filter(response_id=response.pk)
            .first()
        )
        if c is None:
            return
        at = timezone.now()
        if by_respondent and c.person_id is None:
            at = min(at, c.opened_at)
        follow(c, Response.objects.select_related("owner").get(pk=response.pk), at=at)


def _response_of(c: Conversation) -> Response:
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("workspace")
        .get(pk=c.response_id)
    )


def assign_response(c: Conversation) -> None:
    """The inbox gave the conversation to someone (or back to waiting): the feedback item's
    owner follows."""
    response = _response_of(c)
    if response.status != FollowUp.DONE and response.owner_id != c.owner_id:
        feedback.assign(response, c.owner)


def resolve_response(c: Conversation, *, actor: Membership) -> None:
    """The inbox resolved the conversation: the feedback item is done. Raises ValueError,
    in plain words, when nobody has said what was done (the feedback inbox asks for it)."""
    response = _response_of(c)
    if response.status == FollowUp.DONE:
        return
    if not response.what_we_did.strip():
        raise ValueError(
            "Say what was done on the survey feedback's page first; resolving it here "
            "closes the loop there."
        )
    feedback.move(response, FollowUp.DONE, member=actor)
