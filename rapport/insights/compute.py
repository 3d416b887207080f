"""Every metric the dashboards show, per group, per period and per cut, from plain rows.

No queries here: ``sources.py`` turns the database into the rows below, and this module
turns rows into ``rapport.engine.metrics.Result``s, one per (group, metric, period, cut), by
calling the metric library. docs/dashboards.md lists the metrics and what each one reads.

A *cut* is everyone in the group (``("", "")``) or one value of a dimension: a customer
segment, a shop (location), an employee team. Survey answers carry the cut their response
was given under (``Response.segment``, ``Response.team``), so anonymous answers can be cut
without knowing who gave them; facts (purchases, absences, messages) take it from the person.
"""

from __future__ import annotations

import bisect
import datetime as dt
import inspect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rapport.engine import metrics as m
from rapport.engine.metrics import Result
from rapport.engine.periods import MONTH, QUARTER, WEEK, Window
from rapport.engine.trends import mean_result

ALL = ("", "")
CUSTOMER, EMPLOYEE, SUPPLIER, COMMUNITY = "customer", "employee", "supplier", "community"
GROUPS = (CUSTOMER, EMPLOYEE, SUPPLIER, COMMUNITY)
# How far back customers' purchases count as "active" for retention (metrics default).
RETENTION_DAYS = 90
# How long after a period the data is read to find the replies to its messages.
REPLY_HORIZON = dt.timedelta(days=30)


# --- rows ---------------------------------------------------------------------------------


class Person(NamedTuple):
    name: str
    group: str
    segment: str
    team: str
    first_purchase: dt.date | None
    referred: bool


class Contact(NamedTuple):
    """One interaction; ``handler`` is "person", "automation" or None."""

    person: int
    day: dt.date
    at: dt.datetime
    direction: str
    handler: str | None
    thread: str
    is_open: bool
    sentiment: float | None


class Buy(NamedTuple):
    person: int
    day: dt.date
    location: str


class Answer(NamedTuple):
    """One scored answer, with the cut its response was given under."""

    response: str
    group: str
    segment: str
    team: str
    kind: str
    number: int
    scale: int
    day: dt.date
    labels: frozenset


class Supply(NamedTuple):
    supplier: int
    promised: dt.date
    delivered: dt.date | None
    quantity: float | None
    defective: float


class Spell(NamedTuple):
    person: int
    first: dt.date
    last: dt.date | None
    team: str


class Exit(NamedTuple):
    person: int
    day: dt.date
    kind: str


class Absence(NamedTuple):
    person: int
    day: dt.date
    days: float


class Event(NamedTuple):
    day: dt.date
    attendance: int | None
    staff: tuple


class FollowUp(NamedTuple):
    """A response that called for action (``Response.actionable``)."""

    group: str
    segment: str
    team: str
    day: dt.date
    acknowledged: dt.date | None
    done: dt.date | None


class Invite(NamedTuple):
    group: str
    segment: str
    team: str
    day: dt.date
    answered: bool


@dataclass
class Data:
    """Everything one refresh reads, for the periods it recomputes."""

    people: dict[int, Person] = field(default_factory=dict)
    contacts: list[Contact] = field(default_factory=list)
    buys: list[Buy] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    supplies: list[Supply] = field(default_factory=list)
    spells: list[Spell] = field(default_factory=list)
    exits: list[Exit] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    invites: list[Invite] = field(default_factory=list)
    # When the data was read: messages still waiting count their age up to here.
    now: dt.datetime | None = None
    today: dt.date | None = None
    # Working weekdays of the business (Monday 0), for absenteeism.
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)


# --- the catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """A metric as the dashboards know it.

    key: its snapshot key (and, where it is one, the index component's key).
    kind: how changes are tested (``trends.compare``): "share", "nps", "mean" or "" (none).
    higher_is_better: for alerts. cuts: the dimensions it can be cut by.
    survey: True when it rests on survey answers (the anonymity thresholds apply to cuts).
    every: the periods it is computed for.
    """

    group: str
    key: str
    label: str
    unit: str
    kind: str
    about: str
    cuts: tuple[str, ...] = ()
    survey: bool = False
    higher_is_better: bool = True
    every: tuple[str, ...] = (WEEK, MONTH, QUARTER)


def _metrics() -> tuple[Metric, ...]:
    common = (
        ("human_touch", "Human touch", "%", "share", "% of interactions handled by a person"),
        ("sentiment", "Sentiment", "", "mean", "mean sentiment of their messages, −1 to 1"),
        ("loop_closure", "Loop closure", "%", "share", "% of feedback to act on that was closed"),
        ("response_rate", "Response rate", "%", "share", "% of survey invitations answered"),
    )
    found = [
        Metric(CUSTOMER, "nps", "NPS", "", "nps", "promoters − detractors", ("segment",), True),
        Metric(
            CUSTOMER, "csat", "CSAT", "%", "share", "% satisfied (4–5 of 5)", ("segment",), True
        ),
        Metric(CUSTOMER, "ces", "Customer effort", "", "mean", "mean 1–7", ("segment",), True),
        Metric(
            CUSTOMER,
            "retention",
            "Retention",
            "%",
            "share",
            f"% of customers active in the {RETENTION_DAYS} days before still active after",
            ("segment", "location"),
            every=(MONTH, QUARTER),
        ),
        Metric(
            CUSTOMER,
            "repeat_purchase",
            "Repeat purchase",
            "%",
            "share",
            "% of buying customers who bought more than once",
            ("segment", "location"),
            every=(MONTH, QUARTER),
        ),
        Metric(
            CUSTOMER,
            "referral",
            "Referral",
            "%",
            "share",
            "% of new customers who were referred",
            ("segment",),
            every=(MONTH, QUARTER),
        ),
        Metric(
            CUSTOMER,
            "response_time",
            "Responsiveness",
            "h",
            "",
            "median hours until a person first replied",
            ("segment",),
            higher_is_better=False,
        ),
        Metric(
            EMPLOYEE, "enps", "eNPS", "", "nps", "employee promoters − detractors", ("team",), True
        ),
        Metric(
            EMPLOYEE,
            "engagement",
            "Engagement",
            "%",
            "mean",
            "% favourable on agreement items, per respondent",
            ("team",),
            True,
        ),
        Metric(
            EMPLOYEE,
            "turnover",
            "Turnover",
            "%",
            "",
            "% of headcount leaving, annualised",
            ("team",),
            higher_is_better=False,
            every=(MONTH, QUARTER),
        ),
        Metric(
            EMPLOYEE,
            "absenteeism",
            "Absenteeism",
            "%",
            "",
            "% of scheduled working days lost to absence",
            ("team",),
            higher_is_better=False,
        ),
        Metric(
            SUPPLIER,
            "on_time",
            "On-time deliveries",
            "%",
            "share",
            "% delivered by the promised day",
            ("supplier",),
        ),
        Metric(
            SUPPLIER,
            "defect_rate",
            "Defect rate",
            "%",
            "",
            "% of delivered quantity defective",
            ("supplier",),
            higher_is_better=False,
        ),
        Metric(
            SUPPLIER, "supplier_nps", "Supplier NPS", "", "nps", "NPS asked of suppliers", (), True
        ),
        Metric(
            SUPPLIER,
            "supplier_response_time",
            "Responsiveness",
            "h",
            "",
            "median hours until the supplier replied",
            higher_is_better=False,
        ),
        Metric(
            COMMUNITY,
            "participation",
            "Participation",
            "%",
            "share",
            "% of staff who took part in community events",
            every=(MONTH, QUARTER),
        ),
        Metric(
            COMMUNITY,
            "community_rating",
            "Community rating",
            "",
            "mean",
            "mean 1–5 rating from community partners",
            (),
            True,
        ),
    ]
    for group in GROUPS:
        cuts = {CUSTOMER: ("segment",), EMPLOYEE: ("team",)}.get(group, ())
        for key, label, unit, kind, about in common:
            survey = key == "response_rate"
            found.append(Metric(group, key, label, unit, kind, about, cuts, survey))
    return tuple(found)


METRICS: tuple[Metric, ...] = _metrics()
BY_KEY: dict[tuple[str, str], Metric] = {(x.group, x.key): x for x in METRICS}

# The metric library's function behind each key: its docstring is the definition, the
# source and the interval a metric page shows.
DEFINED_BY: dict[str, Callable] = {
    "nps": m.nps,
    "csat": m.csat,
    "ces": m.ces,
    "retention": m.noncontractual_retention,
    "repeat_purchase": m.repeat_purchase_rate,
    "referral": m.referral_rate,
    "response_time": m.responsiveness,
    "enps": m.enps,
    "engagement": m.engagement_index,
    "turnover": m.turnover,
    "absenteeism": m.absenteeism_rate,
    "on_time": m.on_time_rate,
    "defect_rate": m.defect_rate,
    "supplier_nps": m.nps,
    "supplier_response_time": m.responsiveness,
    "participation": m.community_participation,
    "community_rating": mean_result,
    "human_touch": m.human_touch_share,
    "sentiment": mean_result,
    "loop_closure": m.loop_closure_rate,
    "response_rate": m.response_rate,
}


def definition(key: str) -> list[str]:
    """The paragraphs of the library's docstring for a metric, without its doctest."""
    fn = DEFINED_BY.get(key)
    if fn is None or not fn.__doc__:
        return []
    text = inspect.cleandoc(fn.__doc__).split(">>>")[0]
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def metric(group: str, key: str) -> Metric | None:
    return BY_KEY.get((group, key))


# --- computing ----------------------------------------------------------------------------


class _Sorted:
    """Rows sorted by a day, sliced by period with bisect."""

    def __init__(self, rows: Iterable, day: Callable):
        self.rows = sorted(rows, key=day)
        self.days = [day(r) for r in self.rows]

    def within(self, start: dt.date, end: dt.date) -> list:
        return self.rows[bisect.bisect_left(self.days, start) : bisect.bisect_left(self.days, end)]


def _cuts(rows: Sequence, dims: Sequence[str], member: Callable[[object, str], str]) -> dict:
    """Everyone, and the rows of each value of each dimension (blank values left out)."""
    out: dict[tuple[str, str], list] = {ALL: list(rows)}
    for dim in dims:
        for r in rows:
            value = member(r, dim)
            if value:
                out.setdefault((dim, value), []).append(r)
    return out


def _person_cut(data: Data) -> Callable[[object, str], str]:
    def member(row, dim: str) -> str:
        p = data.people.get(row.person)
        return getattr(p, dim, "") if p else ""

    return member


def _answer_cut(row: Answer, dim: str) -> str:
    return getattr(row, dim, "")


# The metrics a period's later data can change once it has ended: a reply counts towards the
# period of the message it answers, up to REPLY_HORIZON after its end (and while that runs,
# the time open messages have waited so far). Every other metric of an ended period reads
# only rows dated within it (retention: before its end).
REPLY_METRICS = frozenset({(CUSTOMER, "response_time"), (SUPPLIER, "supplier_response_time")})


def measured_on(w: Window, today: dt.date | None) -> dt.date:
    """The day a period is measured on: its end, or the end of today while it runs (added
    after the min: with no today given, date.max + 1 day would overflow)."""
    return min(w.end - dt.timedelta(days=1), today or dt.date.max) + dt.timedelta(days=1)


def purchases_from(windows: Iterable[Window], today: dt.date | None) -> dt.date | None:
    """The first day of purchases the periods need: their own, and for the months and
    quarters the two retention windows before the day each is measured on."""
    found = [
        min(w.start, measured_on(w, today) - dt.timedelta(days=2 * RETENTION_DAYS))
        for w in windows
        if w.every != WEEK
    ]
    return min(found) if found else None


def compute(
    data: Data, windows: Sequence[Window], replies_only: Sequence[Window] = ()
) -> dict[tuple, Result]:
    """Every metric for every period given: {(group, key, window, dimension, member): Result};
    for the periods in ``replies_only``, only the REPLY_METRICS."""
    out: dict[tuple, Result] = {}
    contacts = _Sorted(data.contacts, lambda c: c.day)
    answers = _Sorted(data.answers, lambda a: a.day)
    buys = _Sorted(data.buys, lambda b: b.day)
    supplies = _Sorted(data.supplies, lambda s: s.promised)
    exits = _Sorted(data.exits, lambda e: e.day)
    absences = _Sorted(data.absences, lambda a: a.day)
    events = _Sorted(data.events, lambda e: e.day)
    follow_ups = _Sorted(data.follow_ups, lambda f: f.day)
    invites = _Sorted(data.invites, lambda i: i.day)
    replies = _first_human_replies(data.contacts)
    person_cut = _person_cut(data)

    def put(group: str, key: str, w: Window, results: dict) -> None:
        for (dim, member), result in results.items():
            out[(group, key, w, dim, member)] = result

    # Several metrics cut the same rows the same way (human touch and sentiment of a
    # group's messages): each cut is made once. Keyed by the rows' identity, so the rows
    # are kept alive in the value and cannot be recycled while the key is in use.
    made: dict[tuple, tuple[list, dict]] = {}

    def by(rows, dims, cut, fn) -> dict:
        key = (id(rows), tuple(dims), cut)
        if key not in made:
            made[key] = (rows, _cuts(rows, dims, cut))
        return {k: fn(v) for k, v in made[key][1].items()}

    # Retention reads the purchases before the day a period is measured on, whatever the
    # period: a quarter and its last month measured on the same day share it.
    retained: dict[dt.date, dict] = {}

    def one(w: Window, every_metric: bool = True) -> None:
        made.clear()
        quarterly = w.every != WEEK
        on = measured_on(w, data.today)
        now = min(_end_instant(w, data), data.now) if data.now else _end_instant(w, data)

        # Messages: who handled them, how they felt, how fast a person replied.
        in_window = contacts.within(w.start, w.end)
        per_group = defaultdict(list)
        for c in in_window:
            p = data.people.get(c.person)
            if p and c.direction != "internal":
                per_group[p.group].append(c)
        put(
            CUSTOMER,
            "response_time",
            w,
            by(
                per_group.get(CUSTOMER, []),
                ("segment",),
                person_cut,
                lambda rows: _response_time(rows, replies, now),
            ),
        )
        put(
            SUPPLIER,
            "supplier_response_time",
            w,
            {ALL: _supplier_response_time(per_group.get(SUPPLIER, []), replies)},
        )
        if not every_metric:
            return
        for group in GROUPS:
            rows = per_group.get(group, [])
            cuts = metric(group, "human_touch").cuts
            put(group, "human_touch", w, by(rows, cuts, person_cut, _human_touch))
            put(group, "sentiment", w, by(rows, cuts, person_cut, _sentiment))

        # Survey scores, by the group their response belongs to.
        scored = defaultdict(list)
        for a in answers.within(w.start, w.end):
            scored[(a.group, a.kind)].append(a)
        for group, kind, key, fn in (
            (CUSTOMER, "nps", "nps", lambda rows: m.nps([a.number for a in rows])),
            (CUSTOMER, "csat", "csat", lambda rows: m.csat([a.number for a in rows])),
            (CUSTOMER, "ces", "ces", lambda rows: m.ces([a.number for a in rows])),
            (EMPLOYEE, "enps", "enps", lambda rows: m.enps([a.number for a in rows])),
            (EMPLOYEE, "likert", "engagement", _engagement),
            (SUPPLIER, "nps", "supplier_nps", lambda rows: m.nps([a.number for a in rows])),
            (COMMUNITY, "rating", "community_rating", _rating),
        ):
            rows = scored.get((group, kind), [])
            if key == "enps":  # a plain NPS question asked of staff counts as eNPS
                rows = rows + scored.get((group, "nps"), [])
            put(group, key, w, by(rows, metric(group, key).cuts, _answer_cut, fn))

        # Feedback loops and response rates.
        for rows_of, key, fn in (
            (follow_ups, "loop_closure", _loop_closure),
            (invites, "response_rate", _response_rate),
        ):
            grouped = defaultdict(list)
            for r in rows_of.within(w.start, w.end):
                grouped[r.group].append(r)
            for group in GROUPS:
                cuts = metric(group, key).cuts
                put(group, key, w, by(grouped.get(group, []), cuts, _answer_cut, fn))

        # Staff: absenteeism every period; turnover for months and quarters.
        staff_rows = [
            s for s in data.spells if s.first < w.end and (s.last is None or s.last >= w.start)
        ]
        staff_cuts = _cuts(staff_rows, ("team",), lambda s, _: s.team)
        spell_of = {s.person: s for s in staff_rows}
        window_absences = [
            a
            for a in absences.within(w.start, w.end)
            if a.person in spell_of
            and spell_of[a.person].first <= a.day
            and (spell_of[a.person].last is None or a.day <= spell_of[a.person].last)
        ]
        window_exits = [e for e in exits.within(w.start, w.end) if e.person in spell_of]
        for cut, staff in staff_cuts.items():
            people = {s.person for s in staff}
            spells = [(s.person, s.first, s.last) for s in staff]
            lost = [(a.person, a.day, a.days) for a in window_absences if a.person in people]
            out[(EMPLOYEE, "absenteeism", w, *cut)] = _safe(
                lambda spells=spells, lost=lost: m.absenteeism_rate(
                    lost, spells, w.start, w.end, weekdays=data.weekdays
                )
            )
            if quarterly:
                left = [(e.person, e.day, e.kind) for e in window_exits if e.person in people]
                out[(EMPLOYEE, "turnover", w, *cut)] = _safe(
                    lambda spells=spells, left=left: m.turnover(left, spells, w.start, w.end)
                )

        # Suppliers: deliveries due in the period, as they stood at its end (or today).
        due = supplies.within(w.start, w.end)

        def supplier(row: Supply, _: str) -> str:
            p = data.people.get(row.supplier)
            return p.name if p else ""

        put(
            SUPPLIER,
            "on_time",
            w,
            by(
                due,
                ("supplier",),
                supplier,
                lambda rows: m.on_time_rate(
                    [
                        (s.promised, s.delivered if s.delivered and s.delivered < on else None)
                        for s in rows
                    ],
                    on,
                ),
            ),
        )
        put(
            SUPPLIER,
            "defect_rate",
            w,
            by(
                [s for s in due if s.delivered and s.delivered < on and s.quantity],
                ("supplier",),
                supplier,
                lambda rows: _safe(
                    lambda: m.defect_rate([(s.quantity, s.defective) for s in rows])
                ),
            ),
        )

        if not quarterly:
            return
        # Customers: retention, repeat purchase and referral need months at least.
        put(CUSTOMER, "repeat_purchase", w, _repeat_purchase(buys.within(w.start, w.end), data))
        if on not in retained:
            retained[on] = _retention(
                buys.within(on - dt.timedelta(days=2 * RETENTION_DAYS), on), on, data
            )
        put(CUSTOMER, "retention", w, retained[on])
        newcomers = [
            (pid, p.first_purchase, p.referred, p.segment)
            for pid, p in data.people.items()
            if p.group == CUSTOMER and p.first_purchase and w.contains(p.first_purchase)
        ]
        put(
            CUSTOMER,
            "referral",
            w,
            by(
                newcomers,
                ("segment",),
                lambda row, _: row[3],
                lambda rows: m.referral_rate(
                    [(pid, day, referred or None) for pid, day, referred, _ in rows],
                    w.start,
                    w.end,
                ),
            ),
        )
        # Community: staff taking part in events.
        staff_ids = [s.person for s in staff_rows]
        out[(COMMUNITY, "participation", w, *ALL)] = m.community_participation(
            [(e.day, e.attendance, e.staff) for e in events.within(w.start, w.end)],
            staff_ids,
            w.start,
            w.end,
        )

    for w in windows:
        one(w)
    for w in replies_only:
        one(w, every_metric=False)
    return out


def _segments(rows: list[Buy], data: Data):
    """Each purchase with its buyer's segment ("" when none, or not on file)."""
    segment_of: dict[int, str] = {}
    for b in rows:
        if b.person not in segment_of:
            p = data.people.get(b.person)
            segment_of[b.person] = p.segment if p else ""
        yield b, segment_of[b.person]


def _repeat_purchase(rows: list[Buy], data: Data) -> dict:
    """``repeat_purchase_rate`` of everyone, each segment and each shop, from the period's
    purchases (``rows``) counted in one pass rather than cut first."""
    counts: dict[tuple[str, str], Counter] = {ALL: Counter()}
    for b, segment in _segments(rows, data):
        counts[ALL][b.person] += 1
        if segment:
            counts.setdefault(("segment", segment), Counter())[b.person] += 1
        if b.location:
            counts.setdefault(("location", b.location), Counter())[b.person] += 1
    return {cut: m.repeat_purchase_of_counts(found) for cut, found in counts.items()}


def _retention(rows: list[Buy], on: dt.date, data: Data) -> dict:
    """``noncontractual_retention`` of everyone, each segment and each shop, measured on
    ``on``, from the purchases of its two windows (``rows``) sorted in one pass rather than
    cut first: the quarter of a large business reads a hundred thousand of them."""
    current = on - dt.timedelta(days=RETENTION_DAYS)
    active: dict[tuple[str, str], tuple[set, set]] = {ALL: (set(), set())}
    for b, segment in _segments(rows, data):
        side = 1 if b.day >= current else 0
        active[ALL][side].add(b.person)
        if segment:
            active.setdefault(("segment", segment), (set(), set()))[side].add(b.person)
        if b.location:
            active.setdefault(("location", b.location), (set(), set()))[side].add(b.person)
    return {
        cut: m.retention_of_active(before, now, window_days=RETENTION_DAYS)
        for cut, (before, now) in active.items()
    }


def _end_instant(w: Window, data: Data) -> dt.datetime:
    tz = data.now.tzinfo if data.now else dt.UTC
    return dt.datetime.combine(w.end, dt.time(), tzinfo=tz) + REPLY_HORIZON


def _safe(fn: Callable[[], Result]) -> Result:
    """A metric over imperfect records (an absence longer than a spell, say) reads "not
    enough data" with the reason in its parts instead of failing the whole refresh."""
    try:
        return fn()
    except ValueError as error:
        return Result(None, 0, None, None, False, m.MINIMUM, {"error": str(error)[:300]})


def _human_touch(rows: list[Contact]) -> Result:
    return m.human_touch_share([c.handler for c in rows])


def _sentiment(rows: list[Contact]) -> Result:
    return mean_result(
        [c.sentiment for c in rows if c.direction == "inbound" and c.sentiment is not None]
    )


def _engagement(rows: list[Answer]) -> Result:
    per_response: dict[str, list[int]] = defaultdict(list)
    for a in rows:
        per_response[a.response].append(a.number)
    return m.engagement_index(list(per_response.values()))


def _rating(rows: list[Answer]) -> Result:
    """Ratings put on 1–5 whatever their number of stars."""
    values = [
        1 + (a.number - 1) * 4 / (a.scale - 1) if a.scale and a.scale > 1 else None for a in rows
    ]
    return mean_result([v for v in values if v is not None and 1 <= v <= 5], low=1.0, high=5.0)


def _loop_closure(rows: list[FollowUp]) -> Result:
    return m.loop_closure_rate([(f.day, f.acknowledged, f.done) for f in rows])


def _response_rate(rows: list[Invite]) -> Result:
    return m.response_rate(len(rows), sum(1 for i in rows if i.answered))


def _first_human_replies(contacts: Sequence[Contact]) -> dict[tuple, dt.datetime]:
    """For each inbound message in a thread, when a person first replied after it; for each
    outbound message from a person, when the other side first wrote back."""
    threads: dict[str, list[Contact]] = defaultdict(list)
    for c in contacts:
        if c.thread:
            threads[c.thread].append(c)
    found: dict[tuple, dt.datetime] = {}
    for rows in threads.values():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda c: c.at)
        pending_in: list[Contact] = []
        pending_out: list[Contact] = []
        for c in rows:
            if c.direction == "outbound" and c.handler == "person":
                for waiting in pending_in:
                    found[("in", waiting.thread, waiting.at)] = c.at
                pending_in = []
                pending_out.append(c)
            elif c.direction == "inbound":
                for waiting in pending_out:
                    found[("out", waiting.thread, waiting.at)] = c.at
                pending_out = []
                pending_in.append(c)
    return found


def _utc(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC: Python subtracts two datetimes of the same zone on the wall clock,
    so an answer across a clock change would read an hour too long or too short."""
    return moment.astimezone(dt.UTC)


def _response_time(rows: list[Contact], replies: dict, now: dt.datetime) -> Result:
    """Median hours to a person's first reply, over inbound messages that got one or are
    still open (waiting ones count at least their age); messages closed without a person
    (an automation's answer, a thank-you needing none) are not counted."""
    items = []
    for c in rows:
        if c.direction != "inbound":
            continue
        if c.at > now:
            continue
        reply = replies.get(("in", c.thread, c.at))
        if reply is not None and reply <= now:
            items.append((_utc(c.at), _utc(reply)))
        elif reply is not None or c.is_open:
            items.append((_utc(c.at), None))
    return _safe(lambda: m.responsiveness(items, _utc(now)))


def _supplier_response_time(rows: list[Contact], replies: dict) -> Result:
    items = [
        (_utc(c.at), _utc(replies[("out", c.thread, c.at)]))
        for c in rows
        if c.direction == "outbound" and ("out", c.thread, c.at) in replies
    ]
    return _safe(lambda: m.responsiveness(items))
