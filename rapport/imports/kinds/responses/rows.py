"""Reading and writing the rows of a survey export, batch by batch through the one loop.

Each row's answers are judged by ``feedback.actions.clean_answers`` and its response shaped
by ``prepare_response`` — what ``submit_response`` does for one answer, so values and
anonymity are treated exactly as on the survey's page — then a batch is stored with two
``bulk_create``. A row whose answers are refused is reported with its line, the question's
column and the reason, and the rows around it are kept.

Every response carries an ``import_key`` (the survey, and the tool's respondent id, or else
the row's content and its position among identical rows), so importing the same file again
stores nothing new: those rows count as unchanged.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from dataclasses import dataclass, field

from django.conf import settings

from rapport.feedback.actions import (
    clean_answers,
    prepare_response,
    questions_for_round,
    round_of,
)
from rapport.feedback.choices import Channel, Schedule
from rapport.feedback.models import Answer, Question, Response, Survey
from rapport.imports.batches import Written, cell_text, plain_cells
from rapport.imports.kinds.cleaning import Context, digest
from rapport.imports.kinds.responses.plan import Plan
from rapport.lib.values import is_blank, parse_datetime
from rapport.people.lookup import by_email
from rapport.people.models import Person

# --- rows ------------------------------------------------------------------------------

_ZONE = re.compile(r"\s*\b(?:GMT|UTC)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\s*$", re.I)


def parse_submitted(text: str, tz, order: str, fmt: str | None = None) -> dt.datetime:
    """A response's time: ``2026/11/18 10:02:11 AM GMT+1`` (Google Forms), ``11/18/2026
    10:02:11 AM`` (SurveyMonkey), ``2026-11-18 09:02:11`` (Typeform, in UTC) or ISO 8601.
    A time with no zone is read in ``tz``."""
    text = text.strip()
    match = _ZONE.search(text)
    if match and not fmt:
        text = text[: match.start()]
        if match.group(1):
            offset = dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
            tz = dt.timezone(-offset if match.group(1) == "-" else offset)
        else:
            tz = dt.UTC
    return parse_datetime(text, tz, order, fmt)


ANONYMOUS_TIME = "not a date and time that can be read (not shown: the survey is anonymous)"
ANONYMOUS_FUTURE = "a time in the future (not shown: the survey is anonymous)"


def answer_positions(plan: Plan) -> set[int]:
    """The columns that hold answers: the only cells an anonymous survey's issues keep.
    The others (time, email, name, IP address, ids, the tool's columns, ignored columns)
    are stored blank."""
    return {position for source in plan.layout.questions for position in source.positions}


@dataclass
class Clean:
    line: int
    values: list[str]
    answers: dict
    when: dt.datetime | None
    respondent: str
    email: str
    identity: str = ""
    key: str = ""


class RowReader:
    """Turns one record into a clean row, or into (field, reason) problems."""

    def __init__(self, plan: Plan, ctx: Context):
        self.plan = plan
        self.ctx = ctx
        self.time = plan.layout.role("submitted_at")
        self.respondent = plan.layout.role("respondent_id")
        self.email = plan.layout.role("email")
        fmt = ctx.options.get("date_format") or ""
        self.fmt = fmt if "%" in fmt else None
        self.questions = plan.questions
        # An anonymous survey's issues keep no email or exact time, not even in a reason.
        self.anonymous = plan.survey is not None and plan.survey.is_anonymous

    def read(self, record) -> tuple[Clean | None, list[tuple[str, str]], list[tuple[str, str]]]:
        cells = record.values
        problems: list[tuple[str, str]] = []
        warnings: list[tuple[str, str]] = []
        when = None
        if self.time is not None:
            when = self._when(cells[self.time.positions[0]], problems)
        respondent = ""
        if self.respondent is not None:
            respondent = cell_text(cells[self.respondent.positions[0]])[:100]
        email = ""
        if self.email is not None:
            email = cell_text(cells[self.email.positions[0]]).lower()
            if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
                if not self.anonymous:  # which links no one anyway
                    warnings.append(
                        (self.email.text, f"not an email address: {email!r}; not linked")
                    )
                email = ""
        answers = {}
        for source in self.questions:
            value = source.value(cells)
            if value is None or value == [] or (isinstance(value, str) and is_blank(value)):
                continue
            answers[source.question.pk] = value
        if problems:
            return None, problems, warnings
        clean = Clean(record.line, plain_cells(cells), answers, when, respondent, email)
        return clean, problems, warnings

    def _when(self, cell, problems) -> dt.datetime | None:
        text = cell_text(cell)
        name = self.time.text
        if not text:
            problems.append((name, "no time: the response cannot be dated"))
            return None
        tz = dt.UTC if self.time.utc else self.ctx.tz
        try:
            when = parse_submitted(text, tz, self.plan.date_order, self.fmt)
        except (ValueError, OverflowError, OSError) as error:
            problems.append((name, ANONYMOUS_TIME if self.anonymous else str(error)))
            return None
        if when > self.ctx.now + dt.timedelta(hours=1):
            future = f"{when.isoformat()} is in the future"
            problems.append((name, ANONYMOUS_FUTURE if self.anonymous else future))
            return None
        return when

    def identity(self, row: Clean) -> str:
        if row.respondent:
            return digest("id", row.respondent)
        return digest(
            "row",
            row.when.isoformat() if row.when else "",
            row.email,
            json.dumps([cell_text(row.values[p]) for s in self.questions for p in s.positions]),
        )


def response_key(survey: Survey, identity: str, count: int) -> str:
    """The import key of one response. For an anonymous survey it is keyed with the
    server's secret, so that no one holding the database can try respondent ids or exact
    times against it and undo the coarsening of times."""
    if survey.is_anonymous:
        message = "\x1f".join(("responses", str(survey.pk), identity, str(count)))
        return hmac.new(settings.SECRET_KEY.encode(), message.encode(), "sha256").hexdigest()
    return digest("responses", survey.pk, identity, count)


# --- writing ------------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    unchanged: int = 0
    linked: int = 0
    # (line, [(field, reason)], values, is_warning)
    issues: list = field(default_factory=list)
    rejected: int = 0


class Writer:
    """Stores one batch: one query for the keys already in, one for the people by email,
    then two ``bulk_create`` (responses, answers).

    Each row is judged by ``feedback.actions.clean_answers`` and shaped by
    ``prepare_response``, the one place that decides what a response keeps (anonymity,
    coarse dates, report dimensions), exactly as ``submit_response`` does for one answer.
    """

    def __init__(self, plan: Plan, ctx: Context):
        self.plan = plan
        self.ctx = ctx
        self.survey = plan.survey
        self.names = {s.question.pk: s.text for s in plan.questions}
        self.group = ctx.options.get("group") or self.survey.audience_group
        self.pulse = self.survey.schedule != Schedule.ONCE
        self._rounds: dict[str, list[Question]] = {}

    def write(self, rows: list[Clean]) -> Counts:
        counts = Counts()
        existing = set(
            # The excluded blank key repeats the unique index's condition, so that SQLite
            # uses it rather than read every response of the workspace.
            Response.objects.filter(
                workspace=self.ctx.workspace, import_key__in=[r.key for r in rows]
            )
            .exclude(import_key="")
            .order_by()
            .values_list("import_key", flat=True)
        )
        fresh = [row for row in rows if row.key not in existing]
        counts.unchanged = len(rows) - len(fresh)
        people = self._people(fresh, counts)
        responses, answers = [], []
        for row in fresh:
            person = people.get(row.email)
            now = row.when or self.ctx.now
            round_key = round_of(self.survey, self.survey.workspace.today(now))
            questions = self._questions(round_key)
            if self.pulse:
                self._check_round(row, questions, counts)
            clean, errors = clean_answers(questions, row.answers)
            if not clean and not errors:
                errors[""] = "No question was answered."
            if errors:
                problems = [
                    (self.names.get(qid, "") if qid else "", str(reason))
                    for qid, reason in errors.items()
                ]
                counts.issues.append((row.line, problems, row.values, False))
                counts.rejected += 1
                continue
            prepared = prepare_response(
                self.survey,
                clean,
                channel=Channel.IMPORT,
                person=person,
                now=now,
                round_key=round_key,
                import_key=row.key,
                external_id="" if self.survey.is_anonymous else row.respondent,
            )
            responses.append(prepared.response)
            answers += prepared.answers
            counts.created += 1
            if prepared.response.person_id is not None:
                counts.linked += 1
        Response.objects.bulk_create(responses, batch_size=500)
        Answer.objects.bulk_create(answers, batch_size=500)
        return counts

    def _questions(self, round_key: str) -> list[Question]:
        if round_key not in self._rounds:
            self._rounds[round_key] = questions_for_round(self.survey, round_key)
        return self._rounds[round_key]

    def _people(self, rows: list[Clean], counts: Counts) -> dict[str, Person]:
        """Known people by email (ignoring case), within the survey's group if it has one."""
        emails = {row.email for row in rows if row.email}
        if not emails or self.survey.is_anonymous:
            return {}
        found = by_email(self.ctx.workspace, emails, group=self.group)
        chosen = {}
        email_column = self.plan.layout.role("email").text
        for row in rows:
            candidates = found.get(row.email, [])
            if len(candidates) == 1:
                chosen[row.email] = candidates[0]
            elif len(candidates) > 1:
                groups = ", ".join(sorted({p.group for p in candidates}))
                reason = (
                    f"{row.email} belongs to several people ({groups}): imported without "
                    "linking it (choose a group)"
                )
                counts.issues.append((row.line, [(email_column, reason)], row.values, True))
        return chosen

    def _check_round(self, row: Clean, questions: list[Question], counts: Counts) -> None:
        # A pulse asks some questions only in some rounds; an answer to another round's
        # question is not kept (as on the survey's page), so say so.
        asked = {q.pk for q in questions}
        dropped = [qid for qid in row.answers if qid not in asked]
        if dropped:
            problems = [
                (self.names[qid], "not asked in this round of the pulse: not kept")
                for qid in dropped
            ]
            counts.issues.append((row.line, problems, row.values, True))


# --- the loop's steps ------------------------------------------------------------------


class ResponseSteps:
    """Survey responses' part in the batch loop: ``RowReader`` per row, ``Writer`` per batch.
    Counts the responses linked to known people in ``linked``."""

    def __init__(self, plan: Plan, ctx: Context):
        self.reader = RowReader(plan, ctx)
        self.writer = Writer(plan, ctx)
        self.survey = plan.survey
        self.linked = 0
        self._linked_in_batch = 0

    def read(self, record):
        row, problems, warnings = self.reader.read(record)
        if row is not None:
            row.identity = self.reader.identity(row)
        return row, problems, warnings

    def rejects_duplicate(self, row: Clean) -> bool:
        # The tool's respondent id names one response; two identical rows without one (same
        # time to the second, same answers) stay two responses.
        return bool(row.respondent)

    def key(self, identity: str, count: int) -> str:
        return response_key(self.survey, identity, count)

    def write(self, rows: list[Clean]) -> Written:
        counts = self.writer.write(rows)
        self._linked_in_batch = counts.linked
        issues = sorted(counts.issues, key=lambda i: i[0])
        return Written(
            created=counts.created,
            unchanged=counts.unchanged,
            rejected=counts.rejected,
            issues=issues,
        )

    def kept(self, written: Written) -> None:
        self.linked += self._linked_in_batch
