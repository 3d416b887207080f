"""Importing survey responses: find or create the survey, then store each row as a response.

The order of events:

1. One pass over the file gathers each column's values (``columns.read_layout``): which
   columns are metadata, which are questions, and of which kind.
2. The survey: the one named (``--survey``), matching columns to its questions by text or
   key; otherwise the survey an earlier import of the same tool and questions created
   (its ``import_key``); otherwise a new, closed survey with the detected questions.
3. Rows are read again and written in batches, each in its own transaction with the run's
   counters. Each row's answers are judged by ``feedback.actions.clean_answers`` and its
   response shaped by ``prepare_response`` — what ``submit_response`` does for one answer,
   so values and anonymity are treated exactly as on the survey's page — then a batch is
   stored with two ``bulk_create``. A row whose answers are refused is reported with its
   line, the question's column and the reason, and the rows around it are kept.
4. Every response carries an ``import_key`` (the survey, and the tool's respondent id, or
   else the row's content and its position among identical rows), so importing the same
   file again stores nothing new: those rows count as unchanged.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from rapport.feedback.actions import (
    add_options,
    clean_answers,
    create_survey,
    prepare_response,
    questions_for_round,
    round_of,
)
from rapport.feedback.arrival import queue_reading
from rapport.feedback.choices import (
    CHOICE_KINDS,
    Anonymity,
    Channel,
    QuestionKind,
    Schedule,
    SurveyStatus,
)
from rapport.feedback.models import Answer, Question, Response, Survey
from rapport.imports.choices import ImportStatus
from rapport.imports.kinds.base import Context, digest
from rapport.imports.kinds.responses import ResponsesKind
from rapport.imports.models import ImportRun
from rapport.imports.seen import SeenIdentities
from rapport.imports.surveys.columns import (
    Layout,
    Source,
    question_key,
    read_layout,
)
from rapport.imports.surveys.reading import (
    GOOGLE_FORMS,
    SURVEYMONKEY,
    TYPEFORM,
    Export,
    open_export,
)
from rapport.lib.tabular import BadRecord, TabularError
from rapport.lib.values import DAY_FIRST, MONTH_FIRST, is_blank, parse_datetime
from rapport.people.lookup import by_email
from rapport.people.models import Person

TARGET_KINDS = tuple(QuestionKind.values)


class PlanError(Exception):
    """The file cannot be imported as responses; the message says why in one line."""


@dataclass
class Plan:
    """What an import will do: the export, its layout, and the survey its answers go to."""

    export: Export
    layout: Layout
    survey: Survey | None = None
    survey_created: bool = False
    # (field, reason) shown once for the whole file: unmatched columns, added choices.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    date_order: str = DAY_FIRST

    @property
    def questions(self) -> list[Source]:
        return [s for s in self.layout.questions if s.question is not None]

    def summary(self) -> list[dict]:
        return [
            {
                "column": source.text,
                "role": source.role,
                "kind": source.kind,
                "question": getattr(source.question, "pk", None),
            }
            for source in self.layout.sources
        ]


# --- planning -------------------------------------------------------------------------


def read_plan(
    path, options: dict, overrides: dict[str, str] | None = None, limit: int | None = None
) -> Plan:
    """Open and read ``path`` once (or its first ``limit`` rows); no database writes.
    Raises ``PlanError``."""
    try:
        export = open_export(path)
    except (TabularError, OSError) as error:
        raise PlanError(str(error))
    overrides = dict(overrides or {})
    check_overrides(export, overrides, survey_named=bool(options.get("survey_id")))
    try:
        layout = read_layout(export, overrides, limit)
    except (TabularError, OSError) as error:
        raise PlanError(str(error))
    plan = Plan(export, layout)
    plan.date_order = _date_order(plan, options)
    if not layout.questions:
        raise PlanError(
            "no column holds answers: every column was read as the tool's own data "
            "(use --map COLUMN=KIND to read one as a question)"
        )
    return plan


def check_overrides(export: Export, overrides: dict[str, str], *, survey_named: bool) -> None:
    names = {c.name.casefold() for c in export.columns}
    names |= {c.group.casefold() for c in export.columns if c.group}
    fields = ResponsesKind().field_names()
    for column, target in overrides.items():
        if column.casefold() not in names:
            raise PlanError(
                f"no column {column!r} in the file (columns: {', '.join(export.names)})"
            )
        if target and target not in fields and target not in TARGET_KINDS and not survey_named:
            raise PlanError(
                f"{target!r} is neither a metadata field ({', '.join(fields)}) nor a question "
                f"kind ({', '.join(TARGET_KINDS)})"
            )


def choose_survey(
    plan: Plan, workspace, options: dict, *, member=None, create: bool = True
) -> Plan:
    """Attach the survey: the one named, the one an earlier import made, or a new one."""
    survey_id = options.get("survey_id")
    if survey_id:
        survey = Survey.objects.filter(workspace=workspace, pk=survey_id).first()
        if survey is None:
            raise PlanError(f"no survey {survey_id} in this workspace")
        plan.survey = survey
        _match_questions(plan, survey, options.get("question_map") or {})
        return plan
    key = survey_key(plan)
    survey = Survey.objects.filter(workspace=workspace, import_key=key).first()
    if survey is not None:
        plan.survey = survey
        check_found_survey(survey, options)
        _match_questions(plan, survey, {})
        _add_new_choices(plan)
        return plan
    if not create:
        return plan
    plan.survey = create_survey(
        workspace,
        title=(options.get("title") or default_title(plan))[:200],
        status=SurveyStatus.CLOSED,
        anonymity=options.get("anonymity") or Anonymity.CONFIDENTIAL,
        audience_group=options.get("group") or _audience(plan),
        import_key=key,
        created_by=member,
        questions=_question_specs(plan),
    )
    plan.survey_created = True
    _match_questions(plan, plan.survey, {})
    return plan


def check_found_survey(survey: Survey, options: dict) -> None:
    """Refuse, before anything is written, an anonymity or a title that is not the survey's
    an earlier import made: the answers would be kept under its rules and its name, not the
    ones asked for. Raises ``PlanError``."""
    found = f"survey {survey.pk} “{survey.title}” (an earlier import of these questions made it)"
    wanted = options.get("anonymity") or ""
    if wanted and wanted != survey.anonymity:
        raise PlanError(
            f"{found} exists as {survey.anonymity}; it cannot take {wanted} answers — "
            f"import with anonymity {survey.anonymity} to add them to it, or create "
            f"a{'n' if wanted[0] in 'aeiou' else ''} {wanted} survey with these questions "
            "and import into it (--survey ID)"
        )
    title = (options.get("title") or "").strip()[:200]
    if title and _plain(title) != _plain(survey.title):
        raise PlanError(
            f"{found} would take these answers, but the title given is “{title}” — leave the "
            "title out to add them to it (rename it on its page), or create a survey with "
            "these questions and import into it (--survey ID)"
        )


def survey_key(plan: Plan) -> str:
    """The tool and the question list: the same export finds the same survey again."""
    return digest("survey", plan.export.tool, *[s.text for s in plan.layout.questions])


def default_title(plan: Plan) -> str:
    if plan.export.title:
        return plan.export.title
    stem = Path(plan.export.path).stem
    # Google Forms names its sheet "<form title> (Responses)".
    stem = re.sub(r"\s*\((?:responses|réponses|respuestas|antworten)\)\s*$", "", stem, flags=re.I)
    stem = re.sub(r"[_]+", " ", stem).strip()
    if not stem or re.fullmatch(r"[0-9a-f]{8,}|data all.*|sheet \d+|responses?", stem, re.I):
        return f"Survey imported from {plan.export.tool_name}"
    return stem[:1].upper() + stem[1:]


def _audience(plan: Plan) -> str:
    if any(s.kind == QuestionKind.ENPS for s in plan.layout.questions):
        return "employee"
    return ""


def _question_specs(plan: Plan) -> list[dict]:
    taken: set[str] = set()
    specs = []
    for source in plan.layout.questions:
        key = source.key[:80] if source.key and source.key not in taken else ""
        if key:
            taken.add(key)
        spec = {
            "kind": source.kind,
            "text": source.text[:500],
            "key": key or question_key(source.text, taken),
            "options": list(source.options) if source.kind in CHOICE_KINDS else [],
        }
        if source.kind == QuestionKind.RATING:
            spec["scale_max"] = source.scale_max
        if source.spread and plan.export.tool == TYPEFORM:
            spec["help_text"] = (
                "Typeform's export names only the options of a multiple-choice question: "
                "give it its wording."
            )
        specs.append(spec)
    return specs


def _match_questions(plan: Plan, survey: Survey, question_map: dict[str, str]) -> None:
    """Point each question source at a question of ``survey``; report those that match none."""
    questions = list(survey.questions.all())
    by_text = {_plain(q.text): q for q in questions}
    by_key = {_plain(q.key): q for q in questions if q.key}
    by_id = {str(q.pk): q for q in questions}
    used: dict[int, str] = {}
    for source in plan.layout.questions:
        target = _target(source, plan.export, question_map)
        if target:
            found = by_key.get(_plain(target)) or by_id.get(target)
            if found is None:
                raise PlanError(
                    f"survey {survey.pk} has no question with the key or id {target!r} "
                    f"(keys: {', '.join(q.key or str(q.pk) for q in questions)})"
                )
        else:
            found = (
                by_text.get(_plain(source.text))
                or by_key.get(_plain(source.key or source.text))
                or (_by_options(source, questions) if source.spread else None)
            )
        if found is None:
            plan.warnings.append(
                (source.text, f"no question of survey “{survey.title}” matches: not imported")
            )
            continue
        if found.pk in used:
            plan.warnings.append(
                (source.text, f"the column {used[found.pk]!r} already fills “{found.text}”")
            )
            continue
        used[found.pk] = source.text
        source.question = found
        source.kind = found.kind
    if not used:
        raise PlanError(
            f"no column matches a question of survey {survey.pk} “{survey.title}” "
            "(columns are matched to questions by their text or key; use --map COLUMN=KEY)"
        )


def _target(source: Source, export: Export, question_map: dict[str, str]) -> str:
    folded = {name.casefold(): target for name, target in question_map.items()}
    for position in source.positions:
        column = export.columns[position]
        for name in (column.name, column.group):
            target = folded.get(name.casefold()) if name else None
            if target and target not in TARGET_KINDS:
                return target
    return ""


def _by_options(source: Source, questions: list[Question]):
    wanted = {_plain(label) for label in source.labels}
    for question in questions:
        if question.kind == QuestionKind.MULTIPLE and wanted <= {
            _plain(o) for o in question.options
        }:
            return question
    return None


def _add_new_choices(plan: Plan) -> None:
    """A longer export of the same form may hold a choice the earlier one did not: add it to
    the imported question rather than refuse the rows that chose it."""
    for source in plan.questions:
        question = source.question
        if question.kind not in CHOICE_KINDS:
            continue
        known = {_plain(o) for o in question.options}
        new = [o for o in _seen_choices(plan, source, question.kind) if _plain(o) not in known]
        if not new:
            continue
        add_options(question, new)
        plan.warnings.append((source.text, f"choices added to the question: {', '.join(new)}"))


def _seen_choices(plan: Plan, source: Source, kind: str) -> list[str]:
    """The choices the file's column holds, read as the existing question's kind."""
    if source.spread:
        return list(source.labels)
    stats = plan.layout.stats[source.positions[0]]
    if kind == QuestionKind.MULTIPLE:
        return [] if stats.parts_overflow else list(stats.parts)
    return [] if stats.overflow else list(stats.values)


def _plain(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _date_order(plan: Plan, options: dict) -> str:
    source = plan.layout.role("submitted_at")
    chosen = options.get("date_format") or ""
    if source is None:
        return chosen if chosen in (DAY_FIRST, MONTH_FIRST) else DAY_FIRST
    found = plan.layout.stats[source.positions[0]].orders
    if len(found) == 1:
        return next(iter(found))
    if chosen in (DAY_FIRST, MONTH_FIRST):
        return chosen
    values = plan.layout.stats[source.positions[0]].values
    twelve_hour = any(re.search(r"\d\s*[AP]M\b", v, re.I) for v in values)
    # SurveyMonkey writes 11/18/2026 whatever the account's country; a Google sheet with
    # AM/PM times comes from a US locale.
    if plan.export.tool == SURVEYMONKEY or (plan.export.tool == GOOGLE_FORMS and twelve_hour):
        return MONTH_FIRST
    return DAY_FIRST


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
            respondent = _text(cells[self.respondent.positions[0]])[:100]
        email = ""
        if self.email is not None:
            email = _text(cells[self.email.positions[0]]).lower()
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
        clean = Clean(record.line, _plain_cells(cells), answers, when, respondent, email)
        return clean, problems, warnings

    def _when(self, cell, problems) -> dt.datetime | None:
        text = _text(cell)
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
            json.dumps([_text(row.values[p]) for s in self.questions for p in s.positions]),
        )


def response_key(survey: Survey, identity: str, count: int) -> str:
    """The import key of one response. For an anonymous survey it is keyed with the
    server's secret, so that no one holding the database can try respondent ids or exact
    times against it and undo the coarsening of times."""
    if survey.is_anonymous:
        message = "\x1f".join(("responses", str(survey.pk), identity, str(count)))
        return hmac.new(settings.SECRET_KEY.encode(), message.encode(), "sha256").hexdigest()
    return digest("responses", survey.pk, identity, count)


def _text(cell) -> str:
    if isinstance(cell, list):
        return "; ".join(str(c) for c in cell)
    return "" if cell is None else str(cell).strip()


def _plain_cells(cells: list) -> list[str]:
    return [_text(cell) if isinstance(cell, list) else cell for cell in cells]


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
            Response.objects.filter(
                workspace=self.ctx.workspace, import_key__in=[r.key for r in rows]
            ).values_list("import_key", flat=True)
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


# --- the run ---------------------------------------------------------------------------


def execute_responses(
    run: ImportRun,
    *,
    dry_run: bool = False,
    batch_size: int = 1000,
    progress=None,
    errors_csv=None,
    actor=None,
) -> ImportRun:
    """Import ``run``'s file as survey responses; the generic ``execute_run`` hands over here.

    ``run.mapping`` holds the ``--map`` overrides (column → metadata field, question kind,
    question key, or nothing to ignore it); ``run.options`` the survey id, title,
    anonymity, group and date format. With ``dry_run`` everything, the new survey included,
    is rolled back at the end.
    """
    if dry_run:
        with transaction.atomic():
            run = _execute(run, True, batch_size, progress, errors_csv, actor)
            transaction.set_rollback(True)
        return run
    try:
        return _execute(run, False, batch_size, progress, errors_csv, actor)
    finally:
        forget_upload(run)


def is_anonymous_run(run: ImportRun) -> bool:
    """Whether the run's answers are (or were asked to be) an anonymous survey's: the survey
    it went to, the anonymity asked for, or the survey named."""
    options = run.options or {}
    if "anonymous" in options:  # set once the survey is known
        return bool(options["anonymous"])
    if options.get("anonymity") == Anonymity.ANONYMOUS:
        return True
    named = options.get("survey_id")
    if not named:
        return False
    surveys = Survey.objects.filter(workspace=run.workspace, pk=named)
    return surveys.filter(anonymity=Anonymity.ANONYMOUS).exists()


def forget_upload(run: ImportRun) -> None:
    """Delete the uploaded file of an anonymous survey's run once the run has ended (done
    or failed), and say so on the run. Its rows hold what the survey never keeps: emails,
    names, exact times, IP addresses.

    Only a file Rapport stored (a web upload) is deleted: the CLI reads the person's own
    file where it is."""
    from rapport.imports.actions import upload_dir

    if run.pk is None or not run.stored_path or not is_anonymous_run(run):
        return
    path = Path(run.stored_path)
    if not path.resolve().is_relative_to(upload_dir(run.workspace).resolve()):
        return
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        run.options = {**run.options, "upload_not_deleted": error.strerror or str(error)}
    else:
        run.options = {**run.options, "upload_deleted": True}
    run.save(update_fields=["options"])


def _execute(run, dry_run, batch_size, progress, errors_csv, actor) -> ImportRun:
    from rapport.imports import actions as engine

    save = (
        (lambda *fields: run.save(update_fields=list(fields)))
        if run.pk and not dry_run
        else (lambda *fields: None)
    )
    member = run.started_by
    options = run.options or {}
    plan = None
    try:
        plan = read_plan(run.stored_path, options, run.mapping)
        plan = choose_survey(
            plan,
            run.workspace,
            {**options, "question_map": run.mapping},
            member=member,
        )
    except PlanError as error:
        if plan is not None and plan.survey is not None and plan.survey.is_anonymous:
            # Refused for another anonymity: the file is still an anonymous survey's.
            run.options = {**options, "anonymous": True}
        return engine._fail(run, save, str(error))
    anonymous = plan.survey.is_anonymous
    ctx = Context(workspace=run.workspace, options=options, dry_run=dry_run)
    run.options = {
        **options,
        "file": plan.export.description,
        # The errors download names its columns from this once the file is gone.
        "header": plan.export.names,
        "anonymous": anonymous,
        "tool": plan.export.tool_name,
        "survey_id": plan.survey.pk,
        "survey_title": plan.survey.title,
        "survey_created": plan.survey_created,
        "date_orders": {"submitted_at": plan.date_order}
        if plan.layout.role("submitted_at")
        else {},
        "columns": plan.summary(),
    }
    engine.mark_running(run, plan.layout.rows or plan.export.estimated_rows, save, dry_run=dry_run)
    sink = engine.IssueSink(
        run,
        plan.export.names,
        errors_csv,
        persist=not dry_run,
        keep=answer_positions(plan) if anonymous else None,
    )
    header_line = 1
    for name, reason in plan.warnings:
        sink.add(header_line, [(name, reason)], [], warning=True)
    reader, writer = RowReader(plan, ctx), Writer(plan, ctx)
    # With the questions cached on the survey, no row reads them again.
    prefetch_related_objects([plan.survey], "questions")
    linked = 0
    seen = SeenIdentities()
    records = plan.export.records()
    try:
        while batch := list(islice(records, batch_size)):
            clean = _clean_batch(batch, reader, plan.survey, seen, sink, run)
            linked += _write_batch(clean, batch, writer, sink, run, save, dry_run, engine)
            if progress is not None:
                progress(run)
    finally:
        seen.close()
    sink.flush()
    sink.commit_csv()
    extra = {}
    if plan.survey_created:
        extra["survey created"] = 1
    if linked:
        extra["linked to people"] = linked
    run.rows_total = run.rows_done
    run.status, run.finished_at = ImportStatus.DONE, timezone.now()
    run.options = {**run.options, "extra": extra}
    save("rows_total", "status", "finished_at", "options")
    if not dry_run:
        engine._audit(run, actor)
        if run.created:
            # Bulk writes bypass save(): ask for the new free-text answers to be read.
            queue_reading(run.workspace_id)
    return run


def _clean_batch(batch, reader: RowReader, survey, seen, sink, run) -> list[Clean]:
    from rapport.imports.actions import duplicate_reason

    read = []
    for record in batch:
        if isinstance(record, BadRecord):
            sink.add(record.line, [("", record.reason)], _plain_cells(record.values))
            run.rejected += 1
            continue
        row, problems, warnings = reader.read(record)
        if warnings:
            sink.add(record.line, warnings, _plain_cells(record.values), warning=True)
        if row is None:
            sink.add(record.line, problems, _plain_cells(record.values))
            run.rejected += 1
            continue
        row.identity = reader.identity(row)
        read.append(row)
    seen.load(row.identity for row in read)
    clean = []
    for row in read:
        first_line, count = seen.get(row.identity, row.line)
        if count and row.respondent:
            sink.add(row.line, [("", duplicate_reason(first_line))], row.values)
            run.rejected += 1
            continue
        seen.add(row.identity, first_line, count + 1)
        # Two identical rows (same time to the second, same answers) stay two responses,
        # told apart by their position among equals, the same on every import of the file.
        row.key = response_key(survey, row.identity, count)
        clean.append(row)
    seen.save()
    return clean


def _write_batch(clean, batch, writer: Writer, sink, run, save, dry_run, engine) -> int:
    run.rows_done += len(batch)
    sink.commit_csv()
    if not clean:
        engine._commit_counts(run, sink, save)
        return 0
    sink.flush()
    before = (run.created, run.unchanged, run.rejected)
    try:
        with transaction.atomic():
            counts = writer.write(clean)
            run.created += counts.created
            run.unchanged += counts.unchanged
            run.rejected += counts.rejected
            for line, problems, values, warning in sorted(counts.issues, key=lambda i: i[0]):
                sink.add(line, problems, values, warning=warning)
            engine._commit_counts(run, sink, save)
            if dry_run:
                transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - one failed batch must not end the run
        sink.discard()
        run.created, run.unchanged, run.rejected = before
        first, last = clean[0].line, clean[-1].line
        run.rejected += len(clean)
        reason = (
            f"the database refused this batch; nothing of lines {first}-{last} was written "
            f"({error})"
        )
        sink.add(first, [("", reason)], [], last_line=last)
        engine._commit_counts(run, sink, save)
        return 0
    sink.commit_csv()
    return counts.linked


__all__ = [
    "Plan",
    "PlanError",
    "choose_survey",
    "execute_responses",
    "parse_submitted",
    "read_plan",
]
