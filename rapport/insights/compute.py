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
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from rapport.engine import metrics as m
from rapport.engine.metrics import Result
from rapport.engine.metrics._common import HOUR
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
    # The people, messages and purchases as columns, where the reader made them so
    # (``sources``): otherwise they are made from ``people``, ``contacts`` and ``buys``.
    people_columns: PeopleColumns | None = None
    message_columns: MessageColumns | None = None
    purchase_columns: PurchaseColumns | None = None
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
# The metrics read from messages, and the dimensions the messages of each group are cut by.
MESSAGE_METRICS = ("human_touch", "sentiment", "response_time", "supplier_response_time")
_MESSAGE_CUTS = {
    group: tuple(
        dict.fromkeys(
            dim
            for key in MESSAGE_METRICS
            if (group, key) in BY_KEY
            for dim in BY_KEY[(group, key)].cuts
        )
    )
    for group in GROUPS
}

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
        self.days = list(map(day, self.rows))

    def within(self, start: dt.date, end: dt.date) -> list:
        return self.rows[bisect.bisect_left(self.days, start) : bisect.bisect_left(self.days, end)]


_DAY = operator.attrgetter("day")


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_HOUR_US = HOUR // _MICROSECOND
# Codes of the message columns (``MessageColumns``): a direction (any other reads
# OTHER_DIRECTION) and a handler.
DIRECTION_CODES = {"internal": 0, "inbound": 1, "outbound": 2}
OTHER_DIRECTION = 3
HANDLER_CODES = {None: 0, "person": 1, "automation": 2}
_INTERNAL, _INBOUND, _OUTBOUND = DIRECTION_CODES.values()
_NOBODY, _PERSON, _AUTOMATION = HANDLER_CODES.values()


def _microseconds(moment: dt.datetime) -> int:
    """An aware moment as whole microseconds since 1970 (UTC): differences of them divide
    into hours exactly as the moments' timedeltas do."""
    return (moment - _EPOCH) // _MICROSECOND


class PeopleColumns:
    """The people of a refresh as numpy columns, to look up many rows' people at once: their
    ids, sorted; a code for each one's group, segment and team (0: none, ``names`` by
    code); the day of a customer's first purchase (its ordinal, 0: none) and whether they
    were referred; and the names of the people deliveries come from, by id."""

    DIMS = ("group", "segment", "team")

    def __init__(
        self,
        ids: np.ndarray,
        codes: dict[str, np.ndarray],
        names: dict[str, list[str]],
        first_purchase: np.ndarray,
        referred: np.ndarray,
        suppliers: dict[int, str],
    ):
        order = np.argsort(ids, kind="stable")
        self.ids = np.asarray(ids, dtype=np.int64)[order]
        self.columns = {dim: np.asarray(codes[dim])[order] for dim in self.DIMS}
        self.names = names
        self.first_purchase = np.asarray(first_purchase, dtype=np.int64)[order]
        self.referred = np.asarray(referred, dtype=bool)[order]
        self.suppliers = suppliers

    @classmethod
    def of(cls, people: dict[int, Person]) -> PeopleColumns:
        n = len(people)
        codes, names = {}, {}
        for dim in cls.DIMS:
            codes[dim], names[dim] = codes_of([getattr(p, dim) for p in people.values()])
        first = (p.first_purchase.toordinal() if p.first_purchase else 0 for p in people.values())
        return cls(
            np.fromiter(people, np.int64, n),
            codes,
            names,
            np.fromiter(first, np.int64, n),
            np.fromiter((p.referred for p in people.values()), bool, n),
            {pid: p.name for pid, p in people.items()},
        )

    def code(self, dim: str, name: str) -> int:
        names = self.names[dim]
        return names.index(name) if name in names else -1

    def codes(self, persons: np.ndarray) -> dict[str, np.ndarray]:
        """Each dimension's code for each of ``persons`` (0 for one not on file)."""
        if not len(self.ids):
            return {dim: np.zeros(len(persons), dtype=np.int32) for dim in self.DIMS}
        at = np.minimum(np.searchsorted(self.ids, persons), len(self.ids) - 1)
        known = self.ids[at] == persons
        return {dim: np.where(known, column[at], 0) for dim, column in self.columns.items()}

    def newcomers(self) -> _Newcomers:
        """Customers by the day of their first purchase, for referral."""
        customer = self.code("group", CUSTOMER)
        rows = np.flatnonzero((self.columns["group"] == customer) & (self.first_purchase > 0))
        rows = rows[np.argsort(self.first_purchase[rows], kind="stable")]
        return _Newcomers(
            self.ids[rows],
            self.first_purchase[rows],
            self.referred[rows],
            self.columns["segment"][rows],
            self.names["segment"],
        )


class _Newcomers:
    """Customers sorted by the day of their first purchase (ordinals); a period's are made
    into rows (id, that day, referred, segment) only when asked for."""

    def __init__(self, ids, days, referred, segments, names):
        self.ids, self.days, self.referred, self.segments = ids, days, referred, segments
        self.names = names

    def within(self, start: dt.date, end: dt.date) -> list[tuple]:
        span = _span(self.days, start, end)
        return [
            (pid, dt.date.fromordinal(day), referred, self.names[segment])
            for pid, day, referred, segment in zip(
                self.ids[span].tolist(),
                self.days[span].tolist(),
                self.referred[span].tolist(),
                self.segments[span].tolist(),
                strict=True,
            )
        ]


def _span(days: np.ndarray, start: dt.date, end: dt.date) -> slice:
    """The rows of a sorted column of day ordinals from ``start`` to ``end`` (excluded)."""
    i, j = np.searchsorted(days, [start.toordinal(), end.toordinal()])
    return slice(int(i), int(j))


def _cut_masks(within: np.ndarray, dims: Sequence[str], codes: dict, names: dict):
    """Everyone (``within``, a mask of the rows counted), then each value of each dimension
    that some of them have: ((dimension, value), mask). Blank values are left out."""
    yield ALL, within
    for dim in dims:
        column = codes[dim]
        for code in np.unique(column[within]):
            if code:
                yield (dim, names[dim][code]), within & (column == code)


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_DAY_US = dt.timedelta(days=1) // _MICROSECOND


def local_days(at: np.ndarray, tz: dt.tzinfo) -> np.ndarray:
    """The local day (its ordinal) in ``tz`` of each moment (microseconds since 1970, UTC).

    The zone's offset is looked up once for each hour the moments fall in, at its first
    and last microsecond; the moments of an hour whose offset changes within it (a zone
    whose clocks move at the half hour) are placed one by one."""
    at = np.asarray(at, dtype=np.int64)
    if not len(at):
        return np.zeros(0, dtype=np.int64)
    hours, index = np.unique(at // _HOUR_US, return_inverse=True)

    def offset(us: int) -> int:
        moment = _EPOCH + dt.timedelta(microseconds=us)
        return moment.astimezone(tz).utcoffset() // _MICROSECOND

    first = np.array([offset(int(h) * _HOUR_US) for h in hours], dtype=np.int64)
    last = np.array([offset((int(h) + 1) * _HOUR_US - 1) for h in hours], dtype=np.int64)
    shift = first[index]
    for i in np.flatnonzero((first != last)[index]):
        shift[i] = offset(int(at[i]))
    return (at + shift) // _DAY_US + _EPOCH_ORDINAL


@dataclass(frozen=True)
class MessageColumns:
    """Messages as numpy columns, one entry per message in any order: the person's id, the
    local day (ordinal), the moment (microseconds since 1970, UTC), the direction and
    handler (``DIRECTION_CODES``, ``HANDLER_CODES``), the thread (a code per thread, -1 for
    none), whether the conversation is open, and the sentiment (NaN: not read)."""

    person: np.ndarray
    day: np.ndarray
    at: np.ndarray
    direction: np.ndarray
    handler: np.ndarray
    thread: np.ndarray
    is_open: np.ndarray
    sentiment: np.ndarray

    @classmethod
    def of(cls, contacts: Sequence[Contact]) -> MessageColumns:
        n = len(contacts)
        # The rows turned into columns once: Contact's fields, in order.
        person, day, at, direction, handler, thread, is_open, sentiment = (
            zip(*contacts, strict=True) if n else [()] * len(Contact._fields)
        )
        return cls(
            person=np.fromiter(person, np.int64, n),
            day=np.fromiter(map(dt.date.toordinal, day), np.int64, n),
            at=np.fromiter(map(_microseconds, at), np.int64, n),
            direction=np.fromiter(
                (DIRECTION_CODES.get(d, OTHER_DIRECTION) for d in direction), np.int8, n
            ),
            handler=np.fromiter(map(HANDLER_CODES.__getitem__, handler), np.int8, n),
            thread=thread_codes(thread),
            is_open=np.fromiter(is_open, bool, n),
            sentiment=np.array(sentiment, dtype=np.float64).reshape(n),  # None: NaN
        )


def thread_codes(threads: Sequence[str]) -> np.ndarray:
    """A code for each message's thread, the same for the same thread (-1: none)."""
    return codes_of(threads)[0].astype(np.int64) - 1


@dataclass(frozen=True)
class PurchaseColumns:
    """Purchases as numpy columns, in any order: the buyer's id, the day (ordinal) and the
    shop (a code into ``locations``, whose first entry is the blank one)."""

    person: np.ndarray
    day: np.ndarray
    location: np.ndarray
    locations: list[str]

    @classmethod
    def of(cls, buys: Sequence[Buy]) -> PurchaseColumns:
        n = len(buys)
        person, day, location = zip(*buys, strict=True) if n else ((), (), ())
        codes, names = codes_of(location)
        return cls(
            np.fromiter(person, np.int64, n),
            np.fromiter(map(dt.date.toordinal, day), np.int64, n),
            codes,
            names,
        )


def codes_of(values: Sequence[str | None]) -> tuple[np.ndarray, list[str]]:
    """A code for each value, the same for the same value, and the values by code (0: the
    blank one, which None reads as). pandas hashes the values in C: a refresh codes the
    segments, teams and shops of a hundred thousand people and purchases."""
    values = np.array(values, dtype=object).reshape(len(values))  # a copy, to blank
    values[values == ""] = None  # blank: pandas' -1, with None
    found, uniques = pd.factorize(values)
    return (found + 1).astype(np.int32), ["", *uniques.tolist()]


class _Messages:
    """A refresh's messages as numpy columns sorted by day (internal notes, and people no
    longer on file, left out), each with its person's group and cuts, and when a person
    first replied to it (inbound), or the other side wrote back (a person's outbound): each
    period's figures are then counted with numpy instead of passes in Python over a quarter
    of a large business's hundred thousand messages."""

    def __init__(self, data: Data, people: PeopleColumns):
        columns = data.message_columns or MessageColumns.of(data.contacts)
        day, direction = columns.day, columns.direction
        reply = _first_replies(columns.thread, columns.at, direction, columns.handler)
        codes = people.codes(columns.person)
        kept = (codes["group"] != 0) & (direction != _INTERNAL)
        order = np.flatnonzero(kept)[np.argsort(day[kept], kind="stable")]
        self.day, self.at, self.reply = day[order], columns.at[order], reply[order]
        self.direction, self.handler = direction[order], columns.handler[order]
        self.open = columns.is_open[order]
        self.sentiment = columns.sentiment[order]
        self.codes = {dim: column[order] for dim, column in codes.items()}
        self.people = people

    def _cuts(self, group: str, span: slice):
        codes = {dim: column[span] for dim, column in self.codes.items()}
        within = codes["group"] == self.people.code("group", group)
        return _cut_masks(within, _MESSAGE_CUTS[group], codes, self.people.names)

    def touch_and_feeling(self, group: str, w: Window) -> tuple[dict, dict]:
        """The group's human touch and sentiment in the period, everyone's and each cut's."""
        span = _span(self.day, w.start, w.end)
        handler, sentiment = self.handler[span], self.sentiment[span]
        inbound = self.direction[span] == _INBOUND
        touch, feeling = {}, {}
        for cut, mask in self._cuts(group, span):
            counts = np.bincount(handler[mask], minlength=3)
            touch[cut] = m.human_touch_of_counts(
                int(counts[_PERSON]), int(counts[_AUTOMATION]), int(counts[_NOBODY])
            )
            felt = sentiment[mask & inbound]
            feeling[cut] = mean_result(felt[~np.isnan(felt)].tolist())
        return touch, feeling

    def response_times(self, w: Window, now: dt.datetime) -> dict:
        """Customers' response time in the period, everyone's and each segment's, counted up
        to ``now``: inbound messages that a person replied to by then, or that still wait
        (their age so far); those closed without a person are not counted."""
        span = _span(self.day, w.start, w.end)
        now = _microseconds(now)
        at, reply = self.at[span], self.reply[span]
        counted = (self.direction[span] == _INBOUND) & (at <= now)
        counted &= (reply >= 0) | self.open[span]
        answered = (reply >= 0) & (reply <= now)
        found = {}
        for cut, mask in self._cuts(CUSTOMER, span):
            done, waiting = mask & counted & answered, mask & counted & ~answered
            hours = ((reply[done] - at[done]) / _HOUR_US).tolist()
            ages = ((now - at[waiting]) / _HOUR_US).tolist()
            found[cut] = _safe(lambda a=hours, b=ages: m.responsiveness_of_hours(a, b))
        return found

    def supplier_response_time(self, w: Window) -> Result:
        """How long suppliers took to write back to a person's message sent in the period."""
        span = _span(self.day, w.start, w.end)
        at, reply = self.at[span], self.reply[span]
        supplier = self.codes["group"][span] == self.people.code("group", SUPPLIER)
        sent = supplier & (self.direction[span] == _OUTBOUND) & (self.handler[span] == _PERSON)
        done = sent & (reply >= 0)
        hours = ((reply[done] - at[done]) / _HOUR_US).tolist()
        return _safe(lambda: m.responsiveness_of_hours(hours, []))


def _first_replies(
    thread: np.ndarray, at: np.ndarray, direction: np.ndarray, handler: np.ndarray
) -> np.ndarray:
    """For each message (microseconds, -1 for none): inbound, when a person first replied
    after it in its thread; a person's outbound, when the other side first wrote back.

    In each thread, in order of time (ties in the order given), an inbound message's reply
    is the next outbound message from a person, and a person's message's answer is the
    next inbound one. Messages outside a thread have neither."""
    reply = np.full(len(thread), -1, dtype=np.int64)
    threaded = np.flatnonzero(thread >= 0)
    order = threaded[np.lexsort((threaded, at[threaded], thread[threaded]))]
    t, a = thread[order], at[order]
    inbound = direction[order] == _INBOUND
    person = (direction[order] == _OUTBOUND) & (handler[order] == _PERSON)
    for asking, answering in ((inbound, person), (person, inbound)):
        asked, answers = np.flatnonzero(asking), np.flatnonzero(answering)
        if not len(asked) or not len(answers):
            continue
        nxt = np.searchsorted(answers, asked)
        has = nxt < len(answers)
        asked, nxt = asked[has], answers[nxt[has]]
        same = t[nxt] == t[asked]
        reply[order[asked[same]]] = a[nxt[same]]
    return reply


class _Purchases:
    """A refresh's purchases as numpy columns sorted by day: the buyer, the day (its
    ordinal), and codes of the buyer's segment and of the shop (0: none). Repeat purchase
    and retention count every cut with numpy: a large business's quarter holds a hundred
    thousand purchases, and retention reads the half year before it."""

    def __init__(self, data: Data, people: PeopleColumns):
        columns = data.purchase_columns or PurchaseColumns.of(data.buys)
        order = np.argsort(columns.day, kind="stable")
        person = columns.person[order]
        self.day, self.person = columns.day[order], person
        self.codes = {
            "segment": people.codes(person)["segment"],
            "location": columns.location[order],
        }
        self.names = {"segment": people.names["segment"], "location": columns.locations}

    def _cuts(self, span: slice):
        codes = {dim: column[span] for dim, column in self.codes.items()}
        within = np.ones(span.stop - span.start, dtype=bool)
        return _cut_masks(within, ("segment", "location"), codes, self.names)

    def repeat_purchase(self, w: Window) -> dict:
        """Repeat purchase in the period, everyone's, each segment's and each shop's."""
        span = _span(self.day, w.start, w.end)
        person = self.person[span]
        found = {}
        for cut, mask in self._cuts(span):
            _, counts = np.unique(person[mask], return_counts=True)
            found[cut] = m.repeat_purchase_of_totals(
                len(counts), int((counts >= 2).sum()), int(counts.sum())
            )
        return found

    def retention(self, on: dt.date) -> dict:
        """Retention measured on ``on``, everyone's, each segment's and each shop's: the
        customers who bought in the window before ``on``, and in the one before that."""
        back = dt.timedelta(days=RETENTION_DAYS)
        span = _span(self.day, on - 2 * back, on)
        person = self.person[span]
        recent = self.day[span] >= (on - back).toordinal()
        found = {}
        for cut, mask in self._cuts(span):
            before = np.unique(person[mask & ~recent])
            now = np.unique(person[mask & recent])
            retained = len(np.intersect1d(before, now, assume_unique=True))
            found[cut] = m.retention_of_counts(
                len(before), len(now), retained, window_days=RETENTION_DAYS
            )
        return found


def _cuts(rows: Sequence, dims: Sequence[str], member: Callable[[object, str], str]) -> dict:
    """Everyone, and the rows of each value of each dimension (blank values left out)."""
    out: dict[tuple[str, str], list] = {ALL: list(rows)}
    for dim in dims:
        for r in rows:
            value = member(r, dim)
            if value:
                out.setdefault((dim, value), []).append(r)
    return out


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
    people = data.people_columns or PeopleColumns.of(data.people)
    messages = _Messages(data, people)
    purchases = _Purchases(data, people)
    answers = _Sorted(data.answers, _DAY)
    supplies = _Sorted(data.supplies, operator.attrgetter("promised"))
    exits = _Sorted(data.exits, _DAY)
    absences = _Sorted(data.absences, _DAY)
    events = _Sorted(data.events, _DAY)
    follow_ups = _Sorted(data.follow_ups, _DAY)
    invites = _Sorted(data.invites, _DAY)
    newcomers = people.newcomers()
    suppliers = people.suppliers

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

        # Messages: how fast a person replied, who handled them, how they felt.
        put(CUSTOMER, "response_time", w, messages.response_times(w, now))
        put(SUPPLIER, "supplier_response_time", w, {ALL: messages.supplier_response_time(w)})
        if not every_metric:
            return
        for group in GROUPS:
            touch, feeling = messages.touch_and_feeling(group, w)
            put(group, "human_touch", w, touch)
            put(group, "sentiment", w, feeling)

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
            return suppliers.get(row.supplier, "")

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
        put(CUSTOMER, "repeat_purchase", w, purchases.repeat_purchase(w))
        if on not in retained:
            retained[on] = purchases.retention(on)
        put(CUSTOMER, "retention", w, retained[on])
        put(
            CUSTOMER,
            "referral",
            w,
            by(
                newcomers.within(w.start, w.end),
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


def _utc(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC: Python subtracts two datetimes of the same zone on the wall clock,
    so an answer across a clock change would read an hour too long or too short."""
    return moment.astimezone(dt.UTC)
