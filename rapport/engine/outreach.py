"""Who to reach out to this week: rules over plain rows, a list of prompts out.

Each rule reads one kind of fact and says, in an owner's words, why a relationship deserves
a personal touch now, with the numbers behind it. Nothing here sends anything: a prompt is
for a person to act on (a call, a visit, a handwritten note), never an automatic greeting.

::

    prompts = reach_out(
        today,
        people=[PersonRow(...), ...],
        purchases=[PurchaseRow(person_id, day), ...],
        deliveries=[DeliveryRow(supplier_id, promised_on, delivered_on), ...],
        readings=[ReadingRow(person_id, at, score), ...],
        low_answers=[LowAnswerRow(...), ...],
        pulse=[PulseRow(team_id, day, response_key, score), ...],
        risks=[RiskRow(person_id, risk, value, reason), ...],
        teams={team_id: "Bakehouse"},
        thresholds=Thresholds(),
    )

Privacy: employees appear as teams (``team_pulse``, ``team_mood``) unless
``individual_employees`` is set; a team's mood is told only when at least
``team_min_people`` people share it, and its pulse only when each period holds at least
``min_group_size`` answers (the anonymity threshold of the business).

Every rule says "not enough data" by staying silent: a regular with fewer than
``rhythm_min_purchases`` purchases has no rhythm yet, a supplier with fewer than
``supplier_min_deliveries`` recent deliveries is not judged, a trajectory with fewer than
four readings is not a decline.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from rapport.engine.stats import fisher_exact, welch, wilson
from rapport.engine.text.trajectory import DECLINING, NEGATIVE, relationship_trajectory

# Prompt kinds, in the order a list shows them.
NO_HUMAN_CONTACT = "no_human_contact"
UNHAPPY_ANSWER = "unhappy_answer"
DECLINING_SENTIMENT = "declining_sentiment"
AT_RISK = "at_risk"
GOING_QUIET = "going_quiet"
SUPPLIER_SLIPPING = "supplier_slipping"
COMMUNITY_QUIET = "community_quiet"
TEAM_PULSE = "team_pulse"
TEAM_MOOD = "team_mood"
CUSTOMER_ANNIVERSARY = "customer_anniversary"
WORK_ANNIVERSARY = "work_anniversary"
BIRTHDAY = "birthday"

KINDS = {
    NO_HUMAN_CONTACT: "No human contact for a while",
    UNHAPPY_ANSWER: "Unhappy answers not followed up",
    DECLINING_SENTIMENT: "Relationships cooling",
    AT_RISK: "Customers likely drifting away",
    GOING_QUIET: "Regulars going quiet",
    SUPPLIER_SLIPPING: "Suppliers slipping",
    COMMUNITY_QUIET: "Community partners not contacted",
    TEAM_PULSE: "Teams whose pulse dropped",
    TEAM_MOOD: "Teams whose messages read negative",
    CUSTOMER_ANNIVERSARY: "Customer anniversaries",
    WORK_ANNIVERSARY: "Work anniversaries",
    BIRTHDAY: "Birthdays",
}
# Kinds whose subject is a team, not a person.
TEAM_KINDS = frozenset({TEAM_PULSE, TEAM_MOOD})
MILESTONE_KINDS = frozenset({CUSTOMER_ANNIVERSARY, WORK_ANNIVERSARY, BIRTHDAY})

CUSTOMER, EMPLOYEE, SUPPLIER, COMMUNITY = "customer", "employee", "supplier", "community"


@dataclass(frozen=True)
class Thresholds:
    """The rules' settings, with their defaults (docs/outreach.md explains each)."""

    # A key relationship with no human contact for this many days (the workspace's
    # human_contact_alert_days is passed here by the app).
    human_contact_days: int = 60
    # Community partners: no human contact for this many days.
    community_days: int = 90
    # Low survey answers from the last this-many days that nobody acknowledged.
    unhappy_days: int = 90
    # Sentiment readings from the last this-many days feed the trajectory.
    sentiment_days: int = 365
    # A customer's rhythm needs this many purchases.
    rhythm_min_purchases: int = 5
    # Only customers who buy at least this often (their usual gap, days) are "regulars".
    rhythm_max_gap_days: int = 14
    # Quiet: no purchase for this many times the usual gap, and at least quiet_min_days.
    quiet_factor: float = 2.5
    quiet_min_days: int = 14
    # Slowing: over the last slowing_days, at most this share of the purchases their rhythm
    # would give (and the rhythm would give at least slowing_min_expected).
    slowing_days: int = 90
    slowing_share: float = 0.7
    slowing_min_expected: float = 4.0
    # Customers quiet for longer than this are lost, not quiet: no prompt (a win-back
    # campaign is another tool).
    quiet_max_days: int = 90
    # Suppliers: on-time rate over the last supplier_recent_days against the year before.
    supplier_recent_days: int = 90
    supplier_min_deliveries: int = 5
    # Slipping: the recent rate at least this far below the earlier one, with Fisher's exact
    # test at most ``significance``; or the recent rate's 95% Wilson interval wholly below
    # the floor. A late delivery or two among a handful is not a trend.
    supplier_drop: float = 0.15
    supplier_floor: float = 0.8
    significance: float = 0.05
    # Team pulse: the last pulse_weeks weeks against the pulse_weeks before, a drop of at
    # least pulse_drop (of 5) with Welch's test at most ``significance``.
    pulse_weeks: int = 8
    pulse_drop: float = 0.4
    # The anonymity threshold: fewest answers per period before a team's pulse is told.
    min_group_size: int = 5
    # Team mood: over the last mood_days, people whose messages average below -0.25 (at
    # least two messages) or are cooling; told when at least team_min_people of them are at
    # least team_share of the team's people who wrote then ("most of the team").
    mood_days: int = 60
    team_min_people: int = 2
    team_share: float = 0.66
    # Milestones falling within the next milestone_days days (today included).
    milestone_days: int = 7
    # A first purchase within this many days of the earliest one on record is where the
    # records begin (an import, a new till), not when the relationship began: no anniversary.
    records_begin_days: int = 14
    # Predictions: a customer with at least this chance of buying nothing next quarter, who
    # bought at least rhythm_min_purchases times, and whom no member has been in touch with
    # for at_risk_contact_days.
    at_risk: float = 0.5
    at_risk_contact_days: int = 42
    # At most this many a week, the most valuable: a list is for acting on.
    at_risk_max: int = 10
    # Employees as people (not only teams): off unless the business enabled it.
    individual_employees: bool = False


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    group: str
    owner_id: int | None = None
    # A key relationship: one with a relationship owner, or a supplier or community
    # organisation.
    is_key: bool = False
    may_contact: bool = True
    team_id: int | None = None
    current: bool = True
    last_human_contact: date | None = None
    first_purchase_on: date | None = None
    start_date: date | None = None
    birthday: date | None = None


@dataclass(frozen=True)
class PurchaseRow:
    person_id: int
    day: date


@dataclass(frozen=True)
class DeliveryRow:
    supplier_id: int
    promised_on: date
    delivered_on: date | None


@dataclass(frozen=True)
class ReadingRow:
    person_id: int
    at: datetime
    score: float


@dataclass(frozen=True)
class LowAnswerRow:
    """An identified survey answer with a low score that nobody has acknowledged yet."""

    person_id: int
    question_kind: str  # nps, csat, ces, enps
    score: int
    scale_max: int
    submitted_on: date
    survey: str = ""
    # The answer's id in the caller's system, passed through as the prompt's ``ref``.
    response_id: str = ""


@dataclass(frozen=True)
class PulseRow:
    """One pulse answer's mean score (1–5) with the team it was given for."""

    team_id: int
    day: date
    score: float


@dataclass(frozen=True)
class RiskRow:
    """A customer's prediction: the chance of no purchase within the next quarter, what
    they are expected to spend over the next year, and the prediction's first reason."""

    person_id: int
    risk: float
    value: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class Prompt:
    """One item of the list. ``subject_id`` is a person's id, or a team's for TEAM_KINDS;
    ``owner_id`` the member it goes to (None: the managers and owners); ``why`` one sentence
    in plain words; ``numbers`` what it was computed from; ``due`` the day it is for;
    ``ref`` the record it points at, where there is one (an unhappy answer's response id)."""

    kind: str
    subject_id: int
    owner_id: int | None
    why: str
    numbers: dict = field(default_factory=dict)
    due: date | None = None
    ref: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.subject_id)


def reach_out(
    today: date,
    *,
    people: Iterable[PersonRow] = (),
    purchases: Iterable[PurchaseRow] = (),
    deliveries: Iterable[DeliveryRow] = (),
    readings: Iterable[ReadingRow] = (),
    low_answers: Iterable[LowAnswerRow] = (),
    pulse: Iterable[PulseRow] = (),
    risks: Iterable[RiskRow] = (),
    teams: Mapping[int, str] | None = None,
    thresholds: Thresholds | None = None,
) -> list[Prompt]:
    """Every rule over the rows, most pressing kinds first. People who may not be contacted
    (``may_contact`` false) get no prompt of any kind."""
    t = thresholds or Thresholds()
    people = {p.id: p for p in people}
    teams = dict(teams or {})
    prompts: list[Prompt] = []
    prompts += no_human_contact(today, people.values(), t)
    prompts += unhappy_answers(today, people, low_answers, t)
    prompts += declining_sentiment(today, people, readings, teams, t)
    purchases = list(purchases)
    quiet = going_quiet(today, people, purchases, t)
    told = {p.subject_id for p in quiet}
    prompts += [p for p in at_risk(today, people, purchases, risks, t) if p.subject_id not in told]
    prompts += quiet
    prompts += suppliers_slipping(today, people, deliveries, t)
    prompts += team_pulse(today, pulse, teams, t)
    prompts += milestones(today, people.values(), t)
    # Someone who asked not to be contacted is never on a list to contact.
    prompts = [p for p in prompts if p.kind in TEAM_KINDS or people[p.subject_id].may_contact]
    order = list(KINDS)
    return sorted(prompts, key=lambda p: order.index(p.kind))


def _ago(days: int) -> str:
    return {0: "today", 1: "yesterday"}.get(days, f"{_days(days)} ago")


def _days(n: int | float, unit: str = "day") -> str:
    n = round(n)
    return f"{n} {unit}" + ("" if n == 1 else "s")


def no_human_contact(today: date, people: Iterable[PersonRow], t: Thresholds) -> list[Prompt]:
    """Key relationships (customers and suppliers) and community partners that no member
    has been in touch with for too long. Employees are never listed here: their contact is
    the team leads' daily work, not a prompt."""
    out = []
    for p in people:
        if not p.current or p.group == EMPLOYEE:
            continue
        if p.group == COMMUNITY:
            limit, kind = t.community_days, COMMUNITY_QUIET
        elif p.is_key:
            limit, kind = t.human_contact_days, NO_HUMAN_CONTACT
        else:
            continue
        if p.last_human_contact is None:
            why = f"No one from the business has been in touch with {p.name} yet."
            days = None
        else:
            days = (today - p.last_human_contact).days
            if days < limit:
                continue
            why = (
                f"No one from the business has been in touch with {p.name} for "
                f"{_days(days)} (the limit is {limit})."
            )
        numbers = {
            "days since the last human contact": days,
            "last human contact": p.last_human_contact.isoformat()
            if p.last_human_contact
            else None,
            "limit (days)": limit,
        }
        out.append(Prompt(kind, p.id, p.owner_id, why, numbers, today))
    return sorted(out, key=lambda p: -(p.numbers["days since the last human contact"] or 10**6))


def unhappy_answers(
    today: date, people: Mapping[int, PersonRow], answers: Iterable[LowAnswerRow], t: Thresholds
) -> list[Prompt]:
    """Identified detractors and low scores of the last ``unhappy_days`` days that nobody
    acknowledged: one prompt per person, naming their lowest recent answer."""
    since = today - timedelta(days=t.unhappy_days)
    by_person: dict[int, list[LowAnswerRow]] = defaultdict(list)
    for a in answers:
        if a.submitted_on >= since and a.person_id in people:
            by_person[a.person_id].append(a)
    out = []
    for person_id, rows in by_person.items():
        p = people[person_id]
        if p.group == EMPLOYEE and not t.individual_employees:
            continue
        worst = min(rows, key=lambda a: (a.score / max(a.scale_max, 1), a.submitted_on))
        waited = (today - worst.submitted_on).days
        scale = f"{worst.score} out of {worst.scale_max}"
        label = {"nps": "would-recommend", "enps": "would-recommend", "csat": "satisfaction"}
        what = label.get(worst.question_kind, "survey")
        why = (
            f"{p.name} gave a {what} score of {scale} {_ago(waited)}"
            + (f" ({worst.survey})" if worst.survey else "")
            + " and no one has followed up yet."
        )
        if len(rows) > 1:
            why = why[:-1] + f"; {len(rows)} low answers are waiting."
        numbers = {
            "score": worst.score,
            "scale": f"0–{worst.scale_max}" if worst.question_kind in ("nps", "enps") else None,
            "answered on": worst.submitted_on.isoformat(),
            "days waiting": waited,
            "low answers waiting": len(rows),
        }
        numbers = {k: v for k, v in numbers.items() if v is not None}
        out.append(
            Prompt(UNHAPPY_ANSWER, person_id, p.owner_id, why, numbers, today, worst.response_id)
        )
    return sorted(out, key=lambda p: -p.numbers["days waiting"])


def declining_sentiment(
    today: date,
    people: Mapping[int, PersonRow],
    readings: Iterable[ReadingRow],
    teams: Mapping[int, str],
    t: Thresholds,
) -> list[Prompt]:
    """Relationships whose messages are cooling (``relationship_trajectory`` says
    "declining"), and, for employees, their teams: a team is told when at least
    ``team_min_people`` of its people, and at least ``team_share`` of those who wrote in the
    last ``mood_days`` days, read negative over that time (their messages' mean below
    -0.25, from two messages or more) or are cooling. Employees are named only with
    ``individual_employees``."""
    by_person: dict[int, list[tuple[datetime, float]]] = defaultdict(list)
    for r in readings:
        if r.person_id in people:
            by_person[r.person_id].append((r.at, r.score))
    since = today - timedelta(days=t.mood_days)
    out = []
    team_people: dict[int, dict[str, set[int]]] = defaultdict(
        lambda: {"wrote": set(), "negative": set(), "cooling": set()}
    )
    for person_id, points in by_person.items():
        p = people[person_id]
        if not p.current:
            continue
        trajectory = relationship_trajectory(points)
        cooling = trajectory.direction == DECLINING
        if p.group == EMPLOYEE and not t.individual_employees:
            if p.team_id is None:
                continue
            recent = [s for at, s in points if _day(at) >= since]
            if not recent:
                continue
            team = team_people[p.team_id]
            team["wrote"].add(person_id)
            if len(recent) >= 2 and statistics.fmean(recent) < NEGATIVE:
                team["negative"].add(person_id)
            if cooling:
                team["cooling"].add(person_id)
            continue
        if not cooling:
            continue
        numbers = {
            "trend per 30 days": trajectory.trend,
            "90% interval": list(trajectory.trend_interval or ()),
            "current (smoothed)": trajectory.current,
            "messages read": trajectory.window_points,
        }
        why = f"{p.name}'s messages are cooling. {trajectory.explanation}"
        out.append(Prompt(DECLINING_SENTIMENT, person_id, p.owner_id, why, numbers, today))
    for team_id, who in team_people.items():
        involved = who["negative"] | who["cooling"]
        wrote = len(who["wrote"])
        if len(involved) < t.team_min_people or len(involved) < t.team_share * wrote:
            continue
        name = teams.get(team_id, "A team")
        parts = []
        if who["negative"]:
            parts.append(f"{_people(len(who['negative']))} messages read negative")
        if who["cooling"]:
            parts.append(f"{_people(len(who['cooling']))} messages are cooling")
        why = (
            f"The {name} team: {' and '.join(parts)} over the last {_days(t.mood_days)} "
            f"({len(involved)} of the {wrote} who wrote). Worth a conversation with the team."
        )
        numbers = {
            "people whose messages read negative": len(who["negative"]),
            "people whose messages are cooling": len(who["cooling"]),
            "people who wrote": wrote,
            "days": t.mood_days,
        }
        out.append(Prompt(TEAM_MOOD, team_id, None, why, numbers, today))
    return out


def _day(at: datetime | date) -> date:
    return at.date() if isinstance(at, datetime) else at


def _people(n: int) -> str:
    """'one person's', 'two people's'…: whose messages."""
    words = {1: "one person's", 2: "two people's", 3: "three people's", 4: "four people's"}
    return words.get(n, f"{n} people's")


def rhythm(days: list[date], min_purchases: int) -> float | None:
    """The usual number of days between visits (the span of the visits over the gaps
    between them), or None with fewer than ``min_purchases`` visits: not enough data.
    Several purchases on one day count as one visit."""
    visits = sorted(set(days))
    if len(visits) < min_purchases:
        return None
    return (visits[-1] - visits[0]).days / (len(visits) - 1)


def _times(n: int) -> str:
    return {0: "not once", 1: "only once", 2: "only twice"}.get(n, f"only {n} times")


def at_risk(
    today: date,
    people: Mapping[int, PersonRow],
    purchases: Iterable[PurchaseRow],
    risks: Iterable[RiskRow],
    t: Thresholds,
) -> list[Prompt]:
    """Customers the predictions give at least ``at_risk`` chance of buying nothing next
    quarter, who were real customers (``rhythm_min_purchases`` purchase days or more) and
    whom nobody has been in touch with for ``at_risk_contact_days``: "at risk and no human
    contact for 6 weeks". The ``at_risk_max`` most valuable."""
    visits: dict[int, set[date]] = defaultdict(set)
    for row in purchases:
        visits[row.person_id].add(row.day)
    out = []
    for r in risks:
        p = people.get(r.person_id)
        if p is None or p.group != CUSTOMER or not p.current or r.risk < t.at_risk:
            continue
        if len(visits.get(r.person_id, ())) < t.rhythm_min_purchases:
            continue
        days = (today - p.last_human_contact).days if p.last_human_contact else None
        if days is not None and days < t.at_risk_contact_days:
            continue
        contact = (
            "no one from the business has been in touch yet"
            if days is None
            else f"no human contact for {_days(days // 7, 'week') if days >= 14 else _days(days)}"
        )
        worth = f", worth about {r.value:,.0f} over the next year" if r.value else ""
        why = (
            f"{p.name}: {r.risk:.0%} chance of no purchase in the next 3 months{worth}, and "
            f"{contact}." + (f" Why: {r.reason}." if r.reason else "")
        )
        numbers = {
            "chance of no purchase in the next 3 months": round(r.risk, 3),
            "expected value over the next year": round(r.value, 2) if r.value else None,
            "days since the last human contact": days,
            f"purchase days in the last {365 + t.slowing_days} days": len(visits[r.person_id]),
        }
        out.append(Prompt(AT_RISK, r.person_id, p.owner_id, why, numbers, today))
    out.sort(key=lambda p: -(p.numbers["expected value over the next year"] or 0))
    return out[: t.at_risk_max]


def going_quiet(
    today: date,
    people: Mapping[int, PersonRow],
    purchases: Iterable[PurchaseRow],
    t: Thresholds,
) -> list[Prompt]:
    """Regulars (a rhythm of at most ``rhythm_max_gap_days``) who have not bought for much
    longer than their own rhythm, or who buy much less often lately than it would say. The
    rhythm is read before the recent window, so the slowing itself does not stretch it."""
    by_person: dict[int, list[date]] = defaultdict(list)
    for row in purchases:
        if row.day <= today:
            by_person[row.person_id].append(row.day)
    split = today - timedelta(days=t.slowing_days)
    out = []
    for person_id, days in by_person.items():
        p = people.get(person_id)
        if p is None or p.group != CUSTOMER:
            continue
        earlier = [d for d in days if d < split]
        gap = rhythm(earlier, t.rhythm_min_purchases)
        if gap is None or gap > t.rhythm_max_gap_days:
            continue
        gap = max(gap, 1.0)
        last = max(days)
        since = (today - last).days
        recent = len({d for d in days if d >= split})
        expected = t.slowing_days / gap
        numbers = {
            "usual days between visits": round(gap, 1),
            "days since the last purchase": since,
            "last purchase": last.isoformat(),
            f"purchases in the last {t.slowing_days} days": recent,
            "expected from their rhythm": round(expected, 1),
        }
        if since > t.quiet_max_days:
            continue
        if since >= max(t.quiet_factor * gap, t.quiet_min_days):
            why = (
                f"{p.name} usually comes every {_days(gap)} and has not bought anything "
                f"for {_days(since)}."
            )
        elif expected >= t.slowing_min_expected and recent <= t.slowing_share * expected:
            why = (
                f"{p.name} usually comes every {_days(gap)}, but came {_times(recent)} "
                f"in the last {_days(t.slowing_days)} (about {round(expected)} expected)."
            )
        else:
            continue
        out.append(Prompt(GOING_QUIET, person_id, p.owner_id, why, numbers, today))
    return sorted(out, key=lambda p: p.numbers[f"purchases in the last {t.slowing_days} days"])


def on_time(rows: list[DeliveryRow]) -> tuple[int, int]:
    """(on time, delivered) among ``rows``; undelivered ones are not counted yet."""
    done = [r for r in rows if r.delivered_on is not None]
    return sum(r.delivered_on <= r.promised_on for r in done), len(done)


def suppliers_slipping(
    today: date,
    people: Mapping[int, PersonRow],
    deliveries: Iterable[DeliveryRow],
    t: Thresholds,
) -> list[Prompt]:
    """Suppliers whose on-time rate over the last ``supplier_recent_days`` fell at least
    ``supplier_drop`` below the year before (Fisher's exact test at most ``significance``),
    or whose recent rate is clearly below ``supplier_floor`` (its 95% Wilson interval wholly
    under it); the recent period needs ``supplier_min_deliveries`` delivered orders."""
    split = today - timedelta(days=t.supplier_recent_days)
    start = split - timedelta(days=365)
    by_supplier: dict[int, list[DeliveryRow]] = defaultdict(list)
    for d in deliveries:
        if start <= d.promised_on <= today:
            by_supplier[d.supplier_id].append(d)
    out = []
    for supplier_id, rows in by_supplier.items():
        p = people.get(supplier_id)
        if p is None:
            continue
        k_recent, n_recent = on_time([r for r in rows if r.promised_on >= split])
        k_before, n_before = on_time([r for r in rows if r.promised_on < split])
        if n_recent < t.supplier_min_deliveries:
            continue
        recent = k_recent / n_recent
        low, high = wilson(k_recent, n_recent)
        compared = n_before >= t.supplier_min_deliveries
        before = k_before / n_before if n_before else None
        p_value = (
            fisher_exact(k_recent, n_recent - k_recent, k_before, n_before - k_before).p_value
            if compared
            else None
        )
        dropped = (
            compared
            and before - recent >= t.supplier_drop
            and p_value is not None
            and p_value <= t.significance
        )
        if not dropped and high >= t.supplier_floor:
            continue
        why = (
            f"{p.name} delivered on time {recent:.0%} of the time over the last "
            f"{_days(t.supplier_recent_days)} ({n_recent} deliveries)"
        )
        if compared:
            why += f", against {before:.0%} the year before"
        why += ". A call to ask what is going on may save the relationship."
        numbers = {
            "on-time rate, recent": round(recent, 3),
            "95% interval, recent": [round(low, 3), round(high, 3)],
            "deliveries, recent": n_recent,
            "on-time rate, the year before": None if before is None else round(before, 3),
            "deliveries, the year before": n_before,
            "p-value of the change (Fisher)": None if p_value is None else round(p_value, 4),
        }
        out.append(Prompt(SUPPLIER_SLIPPING, supplier_id, p.owner_id, why, numbers, today))
    return out


def team_pulse(
    today: date, pulse: Iterable[PulseRow], teams: Mapping[int, str], t: Thresholds
) -> list[Prompt]:
    """Teams whose pulse answers over the last ``pulse_weeks`` weeks average at least
    ``pulse_drop`` below the ``pulse_weeks`` before; each period needs ``min_group_size``
    answers, or the team is not told (its answers could single someone out)."""
    split = today - timedelta(weeks=t.pulse_weeks)
    start = split - timedelta(weeks=t.pulse_weeks)
    windows: dict[int, dict[str, list[float]]] = defaultdict(lambda: {"before": [], "recent": []})
    for row in pulse:
        if start <= row.day < split:
            windows[row.team_id]["before"].append(row.score)
        elif split <= row.day <= today:
            windows[row.team_id]["recent"].append(row.score)
    out = []
    for team_id, w in windows.items():
        if min(len(w["before"]), len(w["recent"])) < t.min_group_size:
            continue
        before, recent = statistics.fmean(w["before"]), statistics.fmean(w["recent"])
        if before - recent < t.pulse_drop:
            continue
        var_before, var_recent = statistics.variance(w["before"]), statistics.variance(w["recent"])
        p_value = None
        if var_before or var_recent:
            p_value = welch(
                len(w["before"]), before, var_before, len(w["recent"]), recent, var_recent
            ).p_value
            if p_value > t.significance:
                continue
        name = teams.get(team_id, "A team")
        why = (
            f"The {name} team's pulse dropped from {before:.1f} to {recent:.1f} out of 5 over "
            f"the last {_days(t.pulse_weeks, 'week')}. Worth asking the team what changed."
        )
        numbers = {
            "pulse, recent": round(recent, 2),
            "answers, recent": len(w["recent"]),
            "pulse, before": round(before, 2),
            "answers, before": len(w["before"]),
            "weeks in each period": t.pulse_weeks,
            "p-value of the change (Welch)": None if p_value is None else round(p_value, 4),
        }
        out.append(Prompt(TEAM_PULSE, team_id, None, why, numbers, today))
    return out


def _next_occurrence(day: date, today: date) -> date:
    """The next anniversary of ``day`` on or after ``today`` (29 February: 28 February)."""
    for year in (today.year, today.year + 1):
        try:
            when = day.replace(year=year)
        except ValueError:
            when = date(year, 2, 28)
        if when >= today:
            return when
    raise AssertionError("unreachable")


def milestones(today: date, people: Iterable[PersonRow], t: Thresholds) -> list[Prompt]:
    """Anniversaries in the next ``milestone_days`` days, as prompts for a personal note:
    a key customer's first purchase (unless it is where the records begin: within
    ``records_begin_days`` of the earliest first purchase), an employee's start date (whole
    years), and the
    birthday of someone who may be contacted (``may_contact``: there is no separate birthday
    consent). Never sent automatically."""
    people = list(people)
    horizon = today + timedelta(days=t.milestone_days - 1)
    firsts = [p.first_purchase_on for p in people if p.group == CUSTOMER and p.first_purchase_on]
    records_begin = min(firsts) + timedelta(days=t.records_begin_days) if firsts else None
    out = []
    for p in people:
        if not p.current or not p.may_contact:
            continue
        candidates = []
        if (
            p.group == CUSTOMER
            and p.is_key
            and p.first_purchase_on
            and p.first_purchase_on > records_begin
        ):
            candidates.append((CUSTOMER_ANNIVERSARY, p.first_purchase_on))
        if p.group == EMPLOYEE and p.start_date:
            candidates.append((WORK_ANNIVERSARY, p.start_date))
        if p.birthday:
            candidates.append((BIRTHDAY, p.birthday))
        for kind, origin in candidates:
            when = _next_occurrence(origin, today)
            years = when.year - origin.year
            if when > horizon or (kind != BIRTHDAY and years < 1):
                continue
            on = f"on {when:%A %-d %B}" if when != today else "today"
            if kind == CUSTOMER_ANNIVERSARY:
                why = f"{p.name} first bought from you {_days(years, 'year')} ago {on}."
            elif kind == WORK_ANNIVERSARY:
                why = f"{p.name} joined the team {_days(years, 'year')} ago {on}."
            else:
                why = f"It is {p.name}'s birthday {on}."
            why += " A personal note, not an automatic greeting."
            numbers = {"date": when.isoformat(), "since": origin.isoformat()}
            if kind != BIRTHDAY:
                numbers["years"] = years
            else:
                numbers = {"date": when.isoformat()}
            out.append(Prompt(kind, p.id, p.owner_id, why, numbers, when))
    return sorted(out, key=lambda p: p.due)
