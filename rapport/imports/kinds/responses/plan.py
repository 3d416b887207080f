"""Planning a survey-responses import: read the export once, tell its columns apart, and
find or create the survey its answers go to. Nothing here writes a response.

1. One pass over the file gathers each column's values (``columns.read_layout``): which
   columns are metadata, which are questions, and of which kind.
2. The survey: the one named (``--survey``), matching columns to its questions by text or
   key; otherwise the survey an earlier import of the same tool and questions created
   (its ``import_key``); otherwise a new, closed survey with the detected questions.

``rows`` then reads and writes the rows (see there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rapport.feedback.actions import add_options, create_survey
from rapport.feedback.choices import (
    CHOICE_KINDS,
    Anonymity,
    QuestionKind,
    SurveyStatus,
)
from rapport.feedback.models import Question, Survey
from rapport.imports.kinds.cleaning import digest
from rapport.imports.kinds.responses.columns import (
    Layout,
    Source,
    question_key,
    read_layout,
)
from rapport.imports.kinds.responses.metadata import FIELD_NAMES
from rapport.imports.kinds.responses.reading import (
    GOOGLE_FORMS,
    SURVEYMONKEY,
    TYPEFORM,
    Export,
    open_export,
)
from rapport.imports.runs import ImportFailed
from rapport.lib.tabular import TabularError
from rapport.lib.values import DAY_FIRST, MONTH_FIRST

TARGET_KINDS = tuple(QuestionKind.values)


class PlanError(ImportFailed):
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
    fields = FIELD_NAMES
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


# --- what the command line shows ------------------------------------------------------


def format_plan(plan: Plan) -> str:
    """The columns of a survey export and what each becomes, then the survey."""
    export = plan.export
    rows = [(_columns_of(export, source), _role_of(source)) for source in plan.layout.sources]
    width = max((len(c) for c, _ in rows), default=0)
    lines = [f"{export.tool_name} export ({export.description}), {plan.layout.rows:,} rows"]
    lines += [f"{columns:<{width}}  ->  {role}" for columns, role in rows]
    if plan.survey is not None:
        lines.append(f"Survey {plan.survey.pk} “{plan.survey.title}” (columns matched by text)")
    else:
        lines.append(f"A new closed survey with {len(plan.layout.questions)} questions")
    lines += [f"warning: {name}: {reason}" for name, reason in plan.warnings]
    return "\n".join(lines)


def _columns_of(export: Export, source: Source) -> str:
    if len(source.positions) == 1:
        return export.columns[source.positions[0]].name
    return f"{source.text} ({len(source.positions)} columns)"


def _role_of(source: Source) -> str:
    if source.role != "question":
        return source.role
    target = f"question {source.question.key or source.question.pk}: " if source.question else ""
    return target + source.describe()
