"""The results of one survey for a member: scores, distributions, choices, comments, a
breakdown and response rates, each passed through ``rapport.engine.anonymity`` first.

Reports read the report dimensions copied onto each response at submission (group, team,
segment, round or month) and never join a response to a person: an anonymous response has
none, and a confidential one is shown in groups only. Only an identified survey lists
answers with names. docs/anonymity.md explains the rules.
"""

import datetime as dt
import re
import secrets
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from rapport.engine import periods as calendar
from rapport.engine.anonymity import Breakdown, Protection, Verdict
from rapport.engine.metrics import Result, ces, csat, enps, favourable, mean_rating, nps
from rapport.feedback.actions import questions_for_round
from rapport.feedback.choices import CHOICE_KINDS, SCORED_KINDS, QuestionKind, Schedule
from rapport.feedback.models import Answer, Invitation, Question, Response, Survey
from rapport.people.choices import Group
from rapport.people.models import Person, Team

FILTERS = ("group", "team", "segment", "period")
BREAKDOWNS = ("team", "segment", "group")
# Named answers listed on an identified survey's page, newest first.
NAMED_LIMIT = 100
_shuffle = secrets.SystemRandom().shuffle

K = QuestionKind


# --- filters ------------------------------------------------------------------------------


@dataclass
class Filters:
    """What the member asked for: one value per dimension ("" for all) and a breakdown."""

    group: str = ""
    team: str = ""  # a team's id, as text
    segment: str = ""
    period: str = ""  # a round ("2026-W47") or, for a one-off survey, a month ("2026-11")
    by: str = "team"

    def constraints(self) -> dict[str, str]:
        return {d: getattr(self, d) for d in FILTERS if getattr(self, d)}

    def query(self) -> dict[str, str]:
        return {**self.constraints(), "by": self.by}


@dataclass
class Options:
    """The choices the filter form offers, as (value, label) pairs."""

    group: list[tuple[str, str]]
    team: list[tuple[str, str]]
    segment: list[tuple[str, str]]
    period: list[tuple[str, str]]
    period_name: str

    def label(self, dimension: str, value: str) -> str:
        if not value:
            return {"team": "No team", "segment": "No segment", "group": "Not known"}.get(
                dimension, "None"
            )
        return dict(getattr(self, dimension)).get(value, value)


def parse_filters(
    params: Mapping, options: Options, default_by: str = "team"
) -> tuple[Filters, list[str]]:
    """Filters from a query string; a value that is not on offer is dropped and named."""
    filters, problems = Filters(by=default_by), []
    names = {"group": "group", "team": "team", "segment": "segment"}
    names["period"] = options.period_name.lower()
    for dimension in FILTERS:
        value = str(params.get(dimension, "")).strip()
        if not value:
            continue
        if value in dict(getattr(options, dimension)):
            setattr(filters, dimension, value)
        else:
            problems.append(
                f"There is no {names[dimension]} “{value[:60]}” in these results; "
                f"showing every {names[dimension]}."
            )
    by = str(params.get("by", default_by)).strip()
    if by in BREAKDOWNS or by == "":
        filters.by = by
    else:
        problems.append(f"Results cannot be broken down by “{by[:30]}”.")
    return filters, problems


# --- what the page shows ------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    percent: float


@dataclass
class Score:
    """A score as a page prints it."""

    measure: str
    result: Result
    text: str  # "+20", "82%", "5.4"
    interval: str  # "-38 to +64"
    detail: str  # what is behind it, in words

    @property
    def enough(self) -> bool:
        return self.result.enough


@dataclass
class QuestionResult:
    question: Question
    verdict: Verdict  # of those who answered this question, under the filters
    note: str = ""  # "No answers yet." or "Not asked in this round.": nothing to protect
    score: Score | None = None
    bars: list[Bar] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class Cell:
    text: str
    shown: bool
    note: str = ""


@dataclass
class BreakdownLine:
    label: str
    cells: list[Cell]
    total: Cell


@dataclass
class BreakdownTable:
    dimension: str
    label: str
    columns: list[str]
    lines: list[BreakdownLine]


@dataclass
class Rate:
    label: str
    verdict: Verdict
    invited: int | None = None
    answered: int | None = None

    @property
    def percent(self) -> float | None:
        if not self.verdict.shown or not self.invited:
            return None
        return 100 * self.answered / self.invited

    @property
    def note(self) -> str:
        k = self.verdict.k
        if self.verdict.shown:
            return ""
        if self.verdict.why == "small":
            return f"Fewer than {k} people here were sent a link; rates are shown for {k} or more."
        return "Hidden as well, so that the rate of a smaller group cannot be worked out."

    @property
    def text(self) -> str:
        if not self.verdict.shown:
            return (
                f"fewer than {self.verdict.k} invited" if self.verdict.why == "small" else "hidden"
            )
        return f"{self.answered} of {self.invited} ({self.percent:.0f}%)"


@dataclass
class ResponseRate:
    overall: Rate
    teams: list[Rate]
    whole_survey: bool  # the period filter does not apply to invitations of a one-off survey


@dataclass
class NamedResponse:
    name: str
    submitted_on: dt.date
    answers: list[tuple[str, str]]


@dataclass
class Results:
    survey: Survey
    filters: Filters
    options: Options
    problems: list[str]
    k: int
    k_comments: int
    respondents: Verdict
    described: str
    questions: list[QuestionResult] = field(default_factory=list)
    breakdown: BreakdownTable | None = None
    breakdown_note: str = ""
    response_rate: ResponseRate | None = None
    named: list[NamedResponse] = field(default_factory=list)
    empty: bool = False  # no response at all yet (a fact the survey page shows anyway)

    @property
    def identified(self) -> bool:
        return self.survey.shows_names


# --- scores -------------------------------------------------------------------------------


def _signed(value: float) -> str:
    return f"{value:+.0f}"


def score(question: Question, values: list[int]) -> Score | None:
    """The question's score from its answers, by the formula its kind calls for."""
    kind = question.kind
    if kind in (K.NPS, K.ENPS):
        result = (nps if kind == K.NPS else enps)(values)
        measure = "NPS" if kind == K.NPS else "eNPS"
        if result.value is None:
            return None
        parts = result.parts
        return Score(
            measure,
            result,
            _signed(result.value),
            f"{_signed(result.low)} to {_signed(result.high)}",
            f"{parts['promoters']:.0f}% promoters (9–10), {parts['passives']:.0f}% passives, "
            f"{parts['detractors']:.0f}% detractors (0–6)",
        )
    if kind == K.CSAT:
        result = csat(values)
        if result.value is None:
            return None
        return Score(
            "Satisfied",
            result,
            f"{result.value:.0f}%",
            f"{result.low:.0f}% to {result.high:.0f}%",
            f"share answering 4 or 5; mean {result.parts['mean']:.1f} of 5",
        )
    if kind == K.CES:
        result = ces(values)
        if result.value is None:
            return None
        return Score(
            "Ease (mean, 1–7)",
            result,
            f"{result.value:.1f}",
            f"{result.low:.1f} to {result.high:.1f}",
            f"{result.parts['agree']:.0f}% agree (5–7)",
        )
    if kind == K.LIKERT:
        result = favourable(values)
        if result.value is None:
            return None
        parts = result.parts
        return Score(
            "Favourable",
            result,
            f"{result.value:.0f}%",
            f"{result.low:.0f}% to {result.high:.0f}%",
            f"agree or strongly agree; {parts['neutral']:.0f}% neutral, "
            f"{parts['unfavourable']:.0f}% unfavourable; mean {parts['mean_100']:.0f} of 100",
        )
    if kind == K.RATING:
        result = mean_rating(values, scale=question.scale_max)
        if result.value is None:
            return None
        return Score(
            f"Mean rating (1–{question.scale_max})",
            result,
            f"{result.value:.1f}",
            f"{result.low:.1f} to {result.high:.1f}",
            "",
        )
    return None


# --- building the results -----------------------------------------------------------------


def _period(survey: Survey, round_key: str, submitted_on: dt.date) -> str:
    if survey.schedule != Schedule.ONCE or round_key:
        return round_key
    return calendar.label(submitted_on, calendar.MONTH)


def _matches(dims: Mapping[str, str], constraints: Mapping[str, str]) -> bool:
    return all(dims.get(d, "") == v for d, v in constraints.items())


def _options(survey: Survey, dims: list[dict]) -> Options:
    workspace = survey.workspace
    groups_present = {d["group"] for d in dims if d["group"]}
    if survey.audience_group:
        groups_present.add(survey.audience_group)
    group = [(value, label) for value, label in Group.choices if value in groups_present]
    # Every team of the business is offered, answered or not, so that the list itself does
    # not tell who took part.
    team = [
        (str(pk), name)
        for pk, name in Team.objects.filter(workspace=workspace).values_list("pk", "name")
    ]
    people = Person.objects.filter(workspace=workspace).exclude(segment="")
    if survey.audience_group:
        people = people.filter(group=survey.audience_group)
    segments = set(people.order_by().values_list("segment", flat=True).distinct())
    segments |= {d["segment"] for d in dims if d["segment"]}
    periods = sorted({d["period"] for d in dims if d["period"]}, reverse=True)
    return Options(
        group=group,
        team=team,
        segment=[(s, s) for s in sorted(segments)],
        period=[(p, p) for p in periods],
        period_name="Month" if survey.schedule == Schedule.ONCE else "Round",
    )


def _describe(filters: Filters, options: Options) -> str:
    parts = []
    for dimension in FILTERS:
        value = getattr(filters, dimension)
        if value:
            name = options.period_name if dimension == "period" else dimension.capitalize()
            parts.append(f"{name}: {options.label(dimension, value)}")
    return " · ".join(parts) or "Everyone"


def survey_results(survey: Survey, params: Mapping | None = None) -> Results:
    """Everything the results page and its CSV show, for the filters in ``params``."""
    workspace = survey.workspace
    identified = survey.shows_names
    # An identified survey names its respondents, so there is nothing to hide by grouping.
    k = 1 if identified else max(1, workspace.min_group_size)
    k_comments = 1 if identified else max(1, workspace.min_comment_group_size)

    rows = Response.objects.filter(workspace=workspace, survey=survey).values_list(
        "id", "group", "team_id", "segment", "round", "submitted_on"
    )
    dims: dict = {
        pk: {
            "group": group or "",
            "team": str(team_id) if team_id else "",
            "segment": segment or "",
            "period": _period(survey, round_key, submitted_on),
        }
        for pk, group, team_id, segment, round_key, submitted_on in rows
    }
    options = _options(survey, list(dims.values()))
    # Teams for staff surveys, segments for customers: whichever the answers carry.
    default_by = ""
    if survey.audience_group == Group.EMPLOYEE or any(d["team"] for d in dims.values()):
        default_by = "team"
    elif any(d["segment"] for d in dims.values()):
        default_by = "segment"
    filters, problems = parse_filters(params or {}, options, default_by)
    constraints = filters.constraints()
    respondents = Protection(dims.values(), k)
    results = Results(
        survey=survey,
        filters=filters,
        options=options,
        problems=problems,
        k=k,
        k_comments=k_comments,
        respondents=respondents.group(constraints),
        described=_describe(filters, options),
        empty=not dims,
    )
    results.response_rate = _response_rate(survey, filters, options, k)
    if not results.respondents.shown:
        return results

    questions = list(survey.questions.all())
    answers: dict[int, list[tuple]] = {q.pk: [] for q in questions}
    for response_id, question_id, number, choices, text in Answer.objects.filter(
        response__workspace=workspace, response__survey=survey
    ).values_list("response_id", "question_id", "number", "choices", "text"):
        # A response that arrived between the two queries is left for the next page view.
        if question_id in answers and response_id in dims:
            answers[question_id].append((dims[response_id], number, choices, text))

    # The questions of a round are public (every respondent saw them), so a question left
    # out of the chosen round is said to be, rather than reported as a small group.
    asked = None
    if filters.period and survey.schedule != Schedule.ONCE:
        asked = {q.pk for q in questions_for_round(survey, filters.period)}
    protections = {}
    for question in questions:
        given = answers[question.pk]
        if not given or (asked is not None and question.pk not in asked):
            note = "No answers yet." if not given else "Not asked in this round."
            results.questions.append(QuestionResult(question, results.respondents, note=note))
            continue
        if question.kind == K.TEXT:
            given = [a for a in given if a[3].strip()]
        protections[question.pk] = Protection(
            [a[0] for a in given], k_comments if question.kind == K.TEXT else k
        )
        results.questions.append(
            _question_result(question, given, protections[question.pk], constraints)
        )

    by = filters.by
    if by and by in constraints:
        results.breakdown_note = (
            f"The results are filtered to one {by}; choose another breakdown to compare."
        )
    elif by:
        scored = [q for q in questions if q.pk in protections]
        results.breakdown = _breakdown(
            by, constraints, respondents, scored, answers, protections, options
        )
    if identified:
        results.named = _named(survey, constraints, questions)
    return results


def _question_result(question, given, protection, constraints) -> QuestionResult:
    verdict = protection.group(constraints)
    result = QuestionResult(question, verdict)
    if not verdict.shown:
        return result
    inside = [a for a in given if _matches(a[0], constraints)]
    if question.kind in SCORED_KINDS:
        values = [a[1] for a in inside if a[1] is not None]
        result.score = score(question, values)
        low, high = question.scale
        counts = Counter(values)
        result.bars = [
            Bar(str(point), counts[point], 100 * counts[point] / len(values))
            for point in range(low, high + 1)
            if values
        ]
    elif question.kind in CHOICE_KINDS:
        counts = Counter(choice for a in inside for choice in a[2])
        names = list(question.options) + sorted(set(counts) - set(question.options))
        result.bars = [Bar(name, counts[name], 100 * counts[name] / len(inside)) for name in names]
    else:
        # Random order each time: neither the time of writing nor the order of the rows
        # may be read from where a comment sits.
        result.comments = [a[3] for a in inside]
        _shuffle(result.comments)
    return result


def _cell(verdict: Verdict, text: str) -> Cell:
    if verdict.shown:
        return Cell(text, True)
    return Cell(verdict.label, False, verdict.reason)


def _breakdown(by, constraints, respondents, questions, answers, protections, options):
    listed = [value for value, _ in getattr(options, by)]
    shape = respondents.breakdown(by, constraints, values=listed)
    rows = sorted(shape.rows, key=lambda row: (options.label(by, row.value).casefold(), row.value))
    values = [row.value for row in rows]
    lines = [
        BreakdownLine(
            "Respondents",
            [_cell(row.verdict, row.verdict.label) for row in rows],
            _cell(shape.total, shape.total.label),
        )
    ]
    for question in questions:
        if question.kind not in SCORED_KINDS:
            continue
        split: Breakdown = protections[question.pk].breakdown(by, constraints, values=values)
        verdicts = {row.value: row.verdict for row in split.rows}
        numbers: dict[str, list[int]] = {}
        for dims, number, _, _ in answers[question.pk]:
            if number is not None and _matches(dims, constraints):
                numbers.setdefault(dims[by], []).append(number)
        cells = []
        for value in values:
            text = ""
            if verdicts[value].shown:
                got = score(question, numbers.get(value, []))
                text = got.text if got else "—"
            cells.append(_cell(verdicts[value], text))
        total = score(question, [n for ns in numbers.values() for n in ns])
        lines.append(
            BreakdownLine(question.text, cells, _cell(split.total, total.text if total else "—"))
        )
    return BreakdownTable(
        dimension=by,
        label=by.capitalize(),
        columns=[options.label(by, value) for value in values],
        lines=lines,
    )


def _response_rate(survey, filters, options, k) -> ResponseRate | None:
    """Personal links answered over links sent (or answered), overall and per team, under
    the same threshold; never per person."""
    invitations = Invitation.objects.filter(workspace=survey.workspace_id, survey=survey).filter(
        Q(sent_at__isnull=False) | Q(answered=True)
    )
    rows = [
        {
            "group": group or "",
            "team": str(team_id) if team_id else "",
            "segment": segment or "",
            "period": round_key,
            "answered": answered,
        }
        for round_key, answered, group, team_id, segment in invitations.values_list(
            "round", "answered", "person__group", "person__team_id", "person__segment"
        )
    ]
    if not rows:
        return None
    constraints = filters.constraints()
    whole_survey = survey.schedule == Schedule.ONCE and "period" in constraints
    if whole_survey:
        constraints.pop("period")
    protection = Protection(rows, k)

    def rate(label, verdict, group) -> Rate:
        if not verdict.shown:
            return Rate(label, verdict)
        inside = [r for r in rows if _matches(r, group)]
        return Rate(label, verdict, len(inside), sum(1 for r in inside if r["answered"]))

    overall = rate("Everyone invited", protection.group(constraints), constraints)
    teams = []
    if "team" not in constraints:
        listed = [value for value, _ in options.team]
        split = protection.breakdown("team", constraints, values=listed)
        teams = sorted(
            (
                rate(
                    options.label("team", row.value),
                    row.verdict,
                    {**constraints, "team": row.value},
                )
                for row in split.rows
            ),
            key=lambda rate: rate.label.casefold(),
        )
    return ResponseRate(overall, teams, whole_survey)


def _named(survey, constraints, questions) -> list[NamedResponse]:
    """An identified survey's answers with their names, newest first."""
    responses = Response.objects.filter(workspace=survey.workspace_id, survey=survey)
    if "group" in constraints:
        responses = responses.filter(group=constraints["group"])
    if "team" in constraints:
        responses = responses.filter(team_id=int(constraints["team"]))
    if "segment" in constraints:
        responses = responses.filter(segment=constraints["segment"])
    if "period" in constraints:
        period = Q(round=constraints["period"])
        if survey.schedule == Schedule.ONCE and re.fullmatch(r"\d{4}-\d{2}", constraints["period"]):
            year, month = constraints["period"].split("-")
            period |= Q(round="", submitted_on__year=int(year), submitted_on__month=int(month))
        responses = responses.filter(period)
    responses = (
        responses.select_related("person")
        .prefetch_related("answers")
        .order_by("-submitted_on", "-submitted_at")[:NAMED_LIMIT]
    )
    texts = {q.pk: q.text for q in questions}
    named = []
    for response in responses:
        name = response.person.name if response.person else (response.contact_email or "Someone")
        pairs = [(texts.get(a.question_id, ""), _answer_text(a)) for a in response.answers.all()]
        named.append(NamedResponse(name, response.submitted_on, pairs))
    return named


def _answer_text(answer: Answer) -> str:
    if answer.number is not None:
        return str(answer.number)
    return ", ".join(answer.choices) if answer.choices else answer.text


# --- the CSV export -----------------------------------------------------------------------

CSV_HEADER = [
    "question_key",
    "question",
    "kind",
    "measure",
    "group",
    "answers",
    "value",
    "low",
    "high",
    "note",
]


def _number(value) -> str:
    return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def csv_rows(results: Results) -> Iterator[list]:
    """The aggregated results, as the page shows them: no row for a hidden group's value,
    no comment and no individual answer."""
    where = results.described
    yield [
        "",
        "",
        "",
        "respondents",
        where,
        results.respondents.label,
        "",
        "",
        "",
        _note(results.respondents),
    ]
    if results.response_rate:
        rates = [results.response_rate.overall, *results.response_rate.teams]
        for rate in rates:
            label = where if rate is results.response_rate.overall else f"team: {rate.label}"
            yield [
                "",
                "",
                "",
                "response rate (%)",
                label,
                rate.invited if rate.verdict.shown else rate.verdict.label,
                _number(rate.percent),
                "",
                "",
                _note(rate.verdict),
            ]
    for item in results.questions:
        q = item.question
        head = [q.key, q.text, q.kind]
        if item.note:
            yield [*head, "", where, "", "", "", "", item.note]
            continue
        if not item.verdict.shown:
            yield [*head, "", where, item.verdict.label, "", "", "", _note(item.verdict)]
            continue
        if item.score:
            r = item.score.result
            note = "" if r.enough else f"fewer than {r.minimum} answers: not a reliable score"
            yield [
                *head,
                item.score.measure,
                where,
                r.n,
                _number(r.value),
                _number(r.low),
                _number(r.high),
                note,
            ]
        for bar in item.bars:
            yield [*head, f"count: {bar.label}", where, bar.count, _number(bar.percent), "", "", ""]
        if q.kind == K.TEXT:
            yield [*head, "comments", where, len(item.comments), "", "", "", "not exported"]
    table = results.breakdown
    if table:
        for line in table.lines:
            for column, cell in zip(table.columns, line.cells, strict=True):
                yield [
                    "",
                    line.label,
                    "",
                    "breakdown",
                    f"{table.dimension}: {column}",
                    "",
                    cell.text if cell.shown else "",
                    "",
                    "",
                    "" if cell.shown else cell.text,
                ]


def _note(verdict: Verdict) -> str:
    return "" if verdict.shown else f"{verdict.label}: not shown"
