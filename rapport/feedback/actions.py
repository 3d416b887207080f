"""Verbs for surveys, answers and closing the loop. Pages, the API, imports, the demo and the
CLI all call these, so anonymity and one-answer-per-person hold whichever way an answer comes.
"""

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, Workspace
from rapport.engine import periods
from rapport.feedback.answers import answer_fields, clean_answer
from rapport.feedback.blueprints import BLUEPRINTS
from rapport.feedback.choices import (
    SCALES,
    Author,
    Cadence,
    Channel,
    FollowUp,
    QuestionKind,
    Schedule,
    SurveyKind,
    SurveyStatus,
    TimePrecision,
)
from rapport.feedback.models import (
    Answer,
    FollowUpMessage,
    Invitation,
    Question,
    Response,
    Survey,
    new_token,
    token_hash,
)
from rapport.lib.bulk import insert
from rapport.lib.keys import record_key
from rapport.people.models import Person

# A second identical submission on the same survey within this window is a duplicate.
DUPLICATE_WINDOW_DAYS = 1


class SubmissionError(Exception):
    """An answer set that cannot be stored; ``errors`` maps a question id (or "") to why."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(f"{k or 'form'}: {v}" for k, v in errors.items()))


class Duplicate(SubmissionError):
    """The same answers were already received (a double click, a resent webhook)."""


# --- surveys ------------------------------------------------------------------------------


@transaction.atomic
def create_survey(
    workspace: Workspace,
    *,
    blueprint: str = "",
    created_by: Membership | None = None,
    questions: Iterable[dict] = (),
    **settings,
) -> Survey:
    """A new survey in draft, from a ready template (``blueprint``) or from ``questions``
    (dicts of Question fields). ``settings`` override the template's."""
    specs: list[dict] = []
    if blueprint:
        try:
            plan = BLUEPRINTS[blueprint]
        except KeyError:
            raise ValueError(f"no survey template named {blueprint!r}") from None
        defaults = {
            "title": plan.title,
            "kind": plan.kind,
            "audience_group": plan.audience_group,
            "anonymity": plan.anonymity,
            "schedule": plan.schedule,
            "intro": plan.intro,
        }
        settings = {**defaults, **settings}
        specs = [
            {
                "kind": q.kind,
                "text": q.text,
                "key": q.key,
                "required": q.required,
                "options": list(q.options),
                "topic": q.topic,
                "cadence": q.cadence,
                "help_text": q.help_text,
            }
            for q in plan.questions
        ]
    specs += [dict(q) for q in questions]
    if settings.get("kind") == SurveyKind.SUGGESTIONS:
        settings.setdefault("status", SurveyStatus.OPEN)
    survey = Survey.objects.create(
        workspace=workspace, blueprint=blueprint, created_by=created_by, **settings
    )
    Question.objects.bulk_create(
        Question(survey=survey, position=i, **spec) for i, spec in enumerate(specs)
    )
    record_audit(
        workspace,
        AuditAction.CREATE,
        survey,
        actor=created_by.user if created_by else None,
        changes={"blueprint": [None, blueprint or None]},
    )
    return survey


def set_status(survey: Survey, status: str, *, actor=None) -> None:
    if status not in SurveyStatus.values:
        raise ValueError(f"unknown survey status {status!r}")
    before = survey.status
    survey.status = status
    survey.save(update_fields=["status"])
    if before != status:
        record_audit(
            survey.workspace,
            AuditAction.UPDATE,
            survey,
            actor=actor,
            changes={"status": [before, status]},
        )


def add_options(question: Question, options: Iterable[str]) -> list[str]:
    """Add choices to a one- or several-choice question (answers already given keep their
    meaning: choices are only ever added). Returns the choices that were new."""
    known = {o.casefold() for o in question.options}
    new = [o for o in dict.fromkeys(o.strip() for o in options) if o and o.casefold() not in known]
    if new:
        question.options = [*question.options, *new]
        question.save(update_fields=["options"])
    return new


def find_suggestion_box(workspace: Workspace) -> Survey | None:
    """The business's suggestion box, if it has one (the first made, should there be two)."""
    return (
        Survey.objects.filter(workspace=workspace, kind=SurveyKind.SUGGESTIONS)
        .order_by("created_at", "id")
        .first()
    )


def suggestion_box(workspace: Workspace, *, created_by: Membership | None = None) -> Survey:
    """The business's suggestion box, made (and audited) if it has none yet. Always open."""
    return find_suggestion_box(workspace) or create_survey(
        workspace, blueprint="suggestion_box", created_by=created_by
    )


# --- rounds of a recurring survey -------------------------------------------------------


def round_of(survey: Survey, day: dt.date) -> str:
    """The round ``day`` falls in: "" for one-off surveys, "2026-W47" for weekly and
    fortnightly pulses (a fortnight is named by its first ISO week), "2026-11" monthly,
    "2026-Q4" quarterly."""
    schedule = survey.schedule
    if schedule == Schedule.ONCE:
        return ""
    if schedule in (Schedule.WEEKLY, Schedule.FORTNIGHTLY):
        if schedule == Schedule.FORTNIGHTLY and day.isocalendar().week % 2 == 0:
            day -= dt.timedelta(days=7)
        return periods.label(day, periods.WEEK)
    if schedule == Schedule.MONTHLY:
        return periods.label(day, periods.MONTH)
    return periods.label(day, periods.QUARTER)


def round_start(round_key: str) -> dt.date | None:
    """The first day of a round named by ``round_of`` (None for a one-off survey's "")."""
    return periods.from_label(round_key).start if round_key else None


def _round_index(survey: Survey, start: dt.date) -> int:
    """Consecutive rounds have consecutive indexes."""
    if survey.schedule == Schedule.WEEKLY:
        return periods.index(start, periods.WEEK)
    if survey.schedule == Schedule.FORTNIGHTLY:
        return start.toordinal() // 14
    if survey.schedule == Schedule.QUARTERLY:
        return periods.index(start, periods.QUARTER)
    return periods.index(start, periods.MONTH)


def questions_for_round(
    survey: Survey, round_key: str = "", questions: list[Question] | None = None
) -> list[Question]:
    """The questions asked in one round: those asked every round; the monthly ones in the
    first round that starts in a month; and ``rotating_per_round`` rotating items, taken in
    turn so that every item comes back after the same number of rounds. ``questions``: all
    the survey's questions in order, when the caller has read them."""
    questions = list(survey.questions.all()) if questions is None else questions
    start = round_start(round_key)
    if start is None:
        return questions
    rotating = [q for q in questions if q.cadence == Cadence.ROTATING]
    per_round = max(1, survey.rotating_per_round)
    index = _round_index(survey, start)
    chosen: set[int] = set()
    if rotating:
        # Topics first, so a round covers different topics rather than two items of one.
        by_topic: dict[str, list[Question]] = {}
        for q in rotating:
            by_topic.setdefault(q.topic, []).append(q)
        interleaved = [
            items[i]
            for i in range(max(len(v) for v in by_topic.values()))
            for items in by_topic.values()
            if i < len(items)
        ]
        offset = (index * per_round) % len(interleaved)
        for i in range(min(per_round, len(interleaved))):
            chosen.add(interleaved[(offset + i) % len(interleaved)].pk)
    first_of_month = start.day <= (14 if survey.schedule == Schedule.FORTNIGHTLY else 7)
    first_of_month = first_of_month or "-W" not in round_key
    return [
        q
        for q in questions
        if q.cadence == Cadence.EVERY
        or (q.cadence == Cadence.MONTHLY and first_of_month)
        or q.pk in chosen
    ]


# --- answering ----------------------------------------------------------------------------


def clean_answers(questions: Iterable[Question], raw: Mapping) -> tuple[dict, dict]:
    """``raw`` maps a Question (or its id) to a raw value. Returns ``(clean, errors)``:
    ``clean`` maps each answered Question to its value, ``errors`` a question id to why."""
    by_id = {(k.pk if isinstance(k, Question) else int(k)): v for k, v in raw.items()}
    clean, errors = {}, {}
    for question in questions:
        try:
            value = clean_answer(question, by_id.get(question.pk))
        except ValueError as error:
            errors[question.pk] = str(error)
            continue
        if value is None or value == []:
            if question.required:
                errors[question.pk] = "This question needs an answer."
            continue
        clean[question] = value
    return clean, errors


def fingerprint(survey: Survey, answers: Mapping[Question, object], who: str = "") -> str:
    """The same survey, answers and respondent give the same hash."""
    plain = sorted((q.pk, v) for q, v in answers.items())
    payload = json.dumps([survey.pk, who, plain], sort_keys=True, default=str)
    return record_key(payload, errors="strict")


def coarse_day(survey: Survey, day: dt.date) -> dt.date:
    """The day an anonymous answer keeps: the day itself, or the Monday of its week."""
    if survey.is_anonymous and survey.time_precision == TimePrecision.WEEK:
        return periods.week_start(day)
    return day


@dataclass
class Submitted:
    response: Response
    # The secret of the respondent's follow-up link: shown once, only its hash is stored.
    reply_token: str


def submit_response(
    survey: Survey,
    raw: Mapping,
    *,
    channel: str,
    person: Person | None = None,
    invitation: Invitation | None = None,
    may_contact: bool = False,
    contact_email: str = "",
    contact_name: str = "",
    now: dt.datetime | None = None,
    round_key: str | None = None,
    import_key: str = "",
    external_id: str = "",
    check_open: bool = True,
    check_duplicate: bool = True,
    submission_key: str = "",
    questions: list[Question] | None = None,
) -> Submitted:
    """Store one respondent's answers, keeping only what the survey's anonymity allows.

    ``raw`` maps Questions (or ids) to raw values; bad values raise ``SubmissionError`` with
    every problem at once and nothing is written. ``invitation`` (a personal link) may be
    used once; its person is the respondent. For an anonymous survey the person, the
    invitation, the exact time and any contact email are dropped before anything is written:
    only the report dimensions (group, team, segment) and a coarsened date remain. A
    suggestion box keeps a name and an email only when the writer gave one.

    ``person`` is for callers that know who answered (a personal link, a member, an import
    matched to the directory). A public page never passes one: an email typed there proves
    nothing, so it is kept as ``contact_email`` (with ``contact_name``) and nothing more.

    The same answers sent again within a day are a ``Duplicate``. ``submission_key`` (a
    random key carried by one filled-in form) narrows that to the same form sent twice, so
    two strangers who both answer "10" and nothing else are both kept.

    ``questions``: the round's questions (``questions_for_round``), when the caller has just
    read them (the public page shows them), so they are not read twice.

    Without an invitation the answers are cleaned and their rows prepared before the
    transaction begins, which then only checks for a duplicate and writes: on SQLite it
    holds the database's one write lock, which every other answer waits for.
    """
    now = now or timezone.now()
    if check_open and not survey.accepts_answers(now):
        raise SubmissionError({"": "This survey is not taking answers."})
    fields = dict(
        channel=channel,
        may_contact=may_contact,
        contact_email=contact_email,
        contact_name=contact_name,
        now=now,
        import_key=import_key,
        external_id=external_id,
        submission_key=submission_key,
    )
    if invitation is None:
        prepared = _prepared(survey, raw, questions, person=person, round_key=round_key, **fields)
        with transaction.atomic():
            return _store(survey, prepared, None, check_duplicate=check_duplicate, now=now)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.survey_id != survey.pk:
            raise SubmissionError({"": "This link belongs to another survey."})
        if invitation.answered:
            raise Duplicate({"": "This link has already been used to answer."})
        prepared = _prepared(
            survey,
            raw,
            questions,
            person=invitation.person,
            round_key=invitation.round if round_key is None else round_key,
            **fields,
        )
        return _store(survey, prepared, invitation, check_duplicate=check_duplicate, now=now)


def _prepared(survey, raw, questions, *, round_key, now, **fields) -> "Prepared":
    """The clean answers' unsaved rows (``submit_response``); SubmissionError if any is bad."""
    if round_key is None:
        round_key = round_of(survey, survey.workspace.today(now))
    if questions is None:
        questions = questions_for_round(survey, round_key)
    clean, errors = clean_answers(questions, raw)
    if not clean and not errors:
        errors[""] = "No question was answered."
    if errors:
        raise SubmissionError(errors)
    return prepare_response(survey, clean, round_key=round_key, now=now, **fields)


def _store(survey, prepared: "Prepared", invitation, *, check_duplicate: bool, now) -> Submitted:
    """Write prepared answers, in the caller's transaction, unless they are a duplicate."""
    response = prepared.response
    # A personal link is single-use already: two colleagues who both answer 9 are not a
    # duplicate of each other.
    if check_duplicate and not response.import_key and invitation is None:
        since = survey.workspace.today(now) - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
        if _received(survey, response.fingerprint, coarse_day(survey, since)):
            raise Duplicate({"": "These answers were already received."})
    response.save(force_insert=True)
    insert(Answer, prepared.answers)
    if invitation is not None:
        invitation.answered = True
        invitation.save(update_fields=["answered"])
    return Submitted(response, prepared.reply_token)


def _received(survey: Survey, fingerprint: str, since: dt.date) -> bool:
    """Whether answers with this fingerprint reached ``survey`` on or after ``since``. Every
    public answer asks it while it holds the write lock: the query is written out once
    rather than built and compiled by the ORM each time (most of its cost)."""
    params = [
        _SURVEY_FIELD.get_db_prep_value(survey.pk, connection),
        fingerprint,
        connection.ops.adapt_datefield_value(since),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_RECEIVED, params)
        return cursor.fetchone() is not None


_SURVEY_FIELD = Response._meta.get_field("survey")
# The (survey, fingerprint) index finds it; the table's name is the model's own.
_RECEIVED = (
    f'SELECT 1 FROM "{Response._meta.db_table}" WHERE "survey_id" = %s AND "fingerprint" = %s '  # noqa: S608
    'AND "submitted_on" >= %s LIMIT 1'
)


def actionable(survey: Survey, clean: Mapping[Question, object]) -> bool:
    """Whether an answer set asks for follow-up: any comment, any score in the bottom of its
    scale (0–6 for NPS and eNPS, the lowest quarter otherwise: 1–2 of 5, 1–2 of 7), or a
    suggestion. A silent 8 out of 10 is counted in the results but waits for no one."""
    if survey.kind == SurveyKind.SUGGESTIONS:
        return True
    for question, value in clean.items():
        if question.kind == QuestionKind.TEXT and value:
            return True
        if question.scale and isinstance(value, int):
            low, high = question.scale
            if question.kind in (QuestionKind.NPS, QuestionKind.ENPS):
                if value <= 6:
                    return True
            elif value <= low + (high - low) / 4:
                return True
    return False


def low_score() -> Q:
    """The answers :func:`actionable` counts as a low score, as a condition on ``Answer``:
    0–6 for NPS and eNPS, the lowest quarter of the scale otherwise (``value ≤ low +
    (high − low) / 4``; a rating's scale is 1 to its ``scale_max``)."""
    q = Q(question__kind__in=(QuestionKind.NPS, QuestionKind.ENPS), number__lte=6)
    for kind, (low, high) in SCALES.items():
        if kind not in (QuestionKind.NPS, QuestionKind.ENPS):
            q |= Q(question__kind=kind, number__lte=low + (high - low) // 4)
    # 4 × value ≤ 3 × 1 + scale_max, kept in whole numbers for every database.
    return q | Q(question__kind=QuestionKind.RATING, question__scale_max__gte=4 * F("number") - 3)


@dataclass
class Prepared:
    response: Response
    answers: list[Answer]
    reply_token: str


def prepare_response(
    survey: Survey,
    clean: Mapping[Question, object],
    *,
    channel: str,
    person: Person | None = None,
    may_contact: bool = False,
    contact_email: str = "",
    contact_name: str = "",
    now: dt.datetime,
    round_key: str = "",
    import_key: str = "",
    external_id: str = "",
    submission_key: str = "",
) -> Prepared:
    """The unsaved rows for clean answers, with the survey's anonymity applied: the one place
    that decides what a response keeps. ``submit_response`` saves one; bulk writers (the
    demo, imports) save many with ``bulk_create``.

    An anonymous response keeps no ``external_id``: the sender's id can lead back to a
    person in the sender's system. What spots it when sent again is ``import_key``, which
    for an anonymous survey must be keyed with the server's secret (``response_import_key``).
    """
    # A suggestion box is anonymous unless the writer chooses to give a name or an email.
    named = survey.kind == SurveyKind.SUGGESTIONS and (person is not None or contact_email)
    anonymous = survey.is_anonymous and not named
    who = "" if anonymous or person is None else f"p{person.pk}"
    day = survey.workspace.today(now)
    response = Response(
        workspace_id=survey.workspace_id,
        survey=survey,
        submitted_on=coarse_day(survey, day) if anonymous else day,
        channel=channel,
        round=round_key,
        actionable=actionable(survey, clean),
        fingerprint=fingerprint(
            survey, clean, f"{who}:{submission_key}" if submission_key else who
        ),
        import_key=import_key,
        external_id="" if anonymous else external_id,
    )
    if person is not None:
        response.group = person.group
        response.team_id = person.team_id
        response.segment = person.segment
    reply_token = ""
    if anonymous:
        reply_token = new_token()
        response.reply_token_hash = token_hash(reply_token)
    else:
        response.person = person
        response.submitted_at = now
        response.may_contact = may_contact
        response.contact_email = contact_email if person is None else ""
        response.contact_name = contact_name if response.contact_email else ""
        if person is None:
            reply_token = new_token()
            response.reply_token_hash = token_hash(reply_token)
    if survey.audience_group and not response.group:
        response.group = survey.audience_group
    answers = [
        Answer(response=response, question=question, **answer_fields(question, value))
        for question, value in clean.items()
    ]
    # Read by the arrival receiver (signals.py): a bare score queues no reading. Not a column;
    # a Response saved without it is taken to have some.
    response.has_free_text = any(answer.text for answer in answers)
    return Prepared(response, answers, reply_token)


# The salt of the keyed import keys of anonymous responses.
ANONYMOUS_KEY_SALT = "rapport.feedback.anonymous-response-key"


def response_import_key(survey: Survey, source: str, sender_id: str) -> str:
    """The ``import_key`` of a response another system sends under its own id (``source``
    names the way in: ``"intake"``), so that the same id sent again finds it.

    For an anonymous survey it is an HMAC keyed with the server's ``SECRET_KEY``: no one
    holding only the database can try the sender's ids against it to learn whose answers
    these are. (Changing ``RAPPORT_SECRET_KEY`` makes an id sent again add the answers again.)
    """
    if survey.is_anonymous:
        message = "\x1f".join((source, "response", str(survey.pk), sender_id))
        data = message.encode("utf-8", "replace")
        return salted_hmac(ANONYMOUS_KEY_SALT, data, algorithm="sha256").hexdigest()
    return record_key(source, "response", str(survey.pk), sender_id)


def response_by_reply_token(token: str) -> Response | None:
    if not token:
        return None
    return (
        Response.objects.select_related("survey", "workspace")
        .filter(reply_token_hash=token_hash(token))
        .first()
    )


# --- invitations --------------------------------------------------------------------------


def audience(survey: Survey):
    """The people a survey's personal links go to."""
    people = Person.objects.filter(workspace_id=survey.workspace_id)
    if survey.audience_group:
        people = people.filter(group=survey.audience_group)
        if survey.audience_group == "employee":
            people = people.filter(end_date__isnull=True)
    if survey.audience_team_id:
        people = people.filter(team_id=survey.audience_team_id)
    if survey.audience_tag_id:
        people = people.filter(tags=survey.audience_tag_id)
    if survey.audience_segment:
        people = people.filter(segment=survey.audience_segment)
    return people.exclude(email="").filter(may_contact=True)


def invite(survey: Survey, people: Iterable[Person] | None = None, *, round_key=None, now=None):
    """Personal links for ``people`` (default: the audience) in the current round; existing
    ones are kept. Returns the new invitations."""
    now = now or timezone.now()
    if round_key is None:
        round_key = round_of(survey, survey.workspace.today(now))
    people = list(audience(survey) if people is None else people)
    existing = set(
        Invitation.objects.filter(survey=survey, round=round_key).values_list(
            "person_id", flat=True
        )
    )
    fresh = [
        Invitation(workspace_id=survey.workspace_id, survey=survey, person=p, round=round_key)
        for p in people
        if p.pk not in existing and p.workspace_id == survey.workspace_id
    ]
    return Invitation.objects.bulk_create(fresh)


# --- closing the loop ---------------------------------------------------------------------


_ORDER = [FollowUp.NEW, FollowUp.ACKNOWLEDGED, FollowUp.IN_PROGRESS, FollowUp.DONE]


@transaction.atomic
def move(
    response: Response,
    status: str,
    *,
    member: Membership | None = None,
    what_we_did: str | None = None,
    now=None,
) -> None:
    """Set a feedback item's status; the first acknowledgement and completion are timed.

    Going back (a done item reopened) keeps the first acknowledgement time, so time to
    acknowledge never improves by reopening."""
    if status not in _ORDER:
        raise ValueError(f"unknown status {status!r}")
    now = now or timezone.now()
    if status == FollowUp.DONE and not (what_we_did or response.what_we_did).strip():
        raise ValueError("Say what was done before closing the loop.")
    fields = ["status"]
    response.status = status
    if status != FollowUp.NEW and response.acknowledged_at is None:
        response.acknowledged_at = now
        fields.append("acknowledged_at")
    if status == FollowUp.DONE:
        if response.done_at is None:  # editing "what we did" later keeps the first time
            response.done_at = now
            fields.append("done_at")
    elif response.done_at is not None:
        response.done_at = None
        fields.append("done_at")
    if what_we_did is not None:
        response.what_we_did = what_we_did.strip()
        fields.append("what_we_did")
    if member is not None and response.owner_id is None:
        response.owner = member
        fields.append("owner")
    response.save(update_fields=fields)


def assign(response: Response, owner: Membership | None) -> None:
    if owner is not None and owner.workspace_id != response.workspace_id:
        raise ValueError("the owner must be a member of this business")
    response.owner = owner
    response.save(update_fields=["owner"])


@transaction.atomic
def reply(response: Response, member: Membership, text: str, *, now=None) -> FollowUpMessage:
    """A member writes to the respondent (through their link, or by email if they allowed)."""
    text = text.strip()
    if not text:
        raise ValueError("The reply is empty.")
    now = now or timezone.now()
    message = FollowUpMessage.objects.create(
        workspace_id=response.workspace_id,
        response=response,
        author=Author.BUSINESS,
        member=member,
        text=text,
        sent_on=response.workspace.today(now),
        sent_at=now,
    )
    if response.status == FollowUp.NEW:
        move(response, FollowUp.ACKNOWLEDGED, member=member, now=now)
    return message


def respondent_reply(response: Response, text: str, *, now=None) -> FollowUpMessage:
    """The respondent answers through their link; an anonymous one keeps the day only."""
    text = text.strip()
    if not text:
        raise ValueError("The message is empty.")
    if len(text) > 5000:
        raise ValueError("The message is too long (5,000 characters at most).")
    now = now or timezone.now()
    anonymous = response.survey.is_anonymous
    return FollowUpMessage.objects.create(
        workspace_id=response.workspace_id,
        response=response,
        author=Author.RESPONDENT,
        text=text,
        sent_on=response.workspace.today(now),
        sent_at=None if anonymous else now,
    )


def channel_for(invitation: Invitation | None, embedded: bool = False) -> str:
    if invitation is not None:
        return Channel.PERSONAL
    return Channel.EMBED if embedded else Channel.PUBLIC
