"""Employees of Maison Levain: four teams, hires and exits, absences and what people say.

Story 1 lives here: the Bakehouse is short of a night baker and its mixer keeps breaking,
so over the last six months its absence days climb, its 1:1 notes and chats turn tired and
negative, and a baker resigns citing workload.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rapport.demo import texts
from rapport.demo.builder import Builder
from rapport.demo.names import NameMaker, ascii_slug
from rapport.people.choices import Channel, Direction, EmploymentEventKind, Group
from rapport.people.models import EmploymentEvent, Person

BAKEHOUSE = "Bakehouse"
OLD_TOWN = "Shop — Old Town"
STATION = "Shop — Station"
OFFICE = "Office & Delivery"
TEAMS = (BAKEHOUSE, OLD_TOWN, STATION, OFFICE)
WORK_DOMAIN = "maisonlevain.example.com"

# Which member reads and answers each team's messages.
TEAM_LEAD_MEMBER = {
    BAKEHOUSE: "bakehouse",
    OLD_TOWN: "oldtown",
    STATION: "station",
    OFFICE: "manager",
}

WORKLOAD_EXIT_REASON = "Workload: constant understaffing and early starts in the bakehouse"


@dataclass(frozen=True)
class Role:
    team: str
    title: str
    member: str = ""  # the login of the person in this role, if they have one
    lead: bool = False
    # Set for someone who left during the history: (days after the start, kind, reason).
    exit: tuple[int, str, str] | None = None
    # Days after the start when a replacement joined; None for people there from the start.
    hired: int | None = None
    apprentice: bool = False


# Exit days count from the start of history, except the workload resignation, which is placed
# relative to ``as_of`` (negative) so it always falls inside the last six months.
ROLES = (
    Role(OFFICE, "Owner", member="owner"),
    Role(OFFICE, "Operations manager", member="manager", lead=True),
    Role(OFFICE, "Office coordinator", member="office"),
    Role(OFFICE, "Delivery driver"),
    Role(
        OFFICE,
        "Delivery driver",
        exit=(
            205,
            EmploymentEventKind.EXIT_INVOLUNTARY,
            "Dismissed after repeated unexplained absences",
        ),
    ),
    Role(OFFICE, "Delivery driver", hired=236),
    Role(OFFICE, "Bookkeeping assistant (part-time)"),
    Role(BAKEHOUSE, "Head baker", member="bakehouse", lead=True),
    Role(BAKEHOUSE, "Baker"),
    Role(BAKEHOUSE, "Baker", exit=(-38, EmploymentEventKind.EXIT_VOLUNTARY, WORKLOAD_EXIT_REASON)),
    Role(BAKEHOUSE, "Night baker"),
    Role(BAKEHOUSE, "Pastry chef"),
    Role(
        BAKEHOUSE,
        "Pastry assistant",
        exit=(150, EmploymentEventKind.EXIT_VOLUNTARY, "Moved to Bordeaux to join their partner"),
    ),
    Role(BAKEHOUSE, "Viennoiserie baker", hired=188),
    Role(BAKEHOUSE, "Apprentice baker", apprentice=True),
    Role(BAKEHOUSE, "Kitchen porter"),
    Role(OLD_TOWN, "Shop lead", member="oldtown", lead=True),
    Role(OLD_TOWN, "Sales assistant"),
    Role(
        OLD_TOWN,
        "Sales assistant",
        exit=(300, EmploymentEventKind.EXIT_INVOLUNTARY, "Fixed-term contract not renewed"),
    ),
    Role(OLD_TOWN, "Sales assistant", hired=318),
    Role(OLD_TOWN, "Sales assistant"),
    Role(OLD_TOWN, "Weekend sales assistant"),
    Role(STATION, "Shop lead", member="station", lead=True),
    Role(STATION, "Sales assistant"),
    Role(
        STATION,
        "Sales assistant",
        exit=(420, EmploymentEventKind.EXIT_VOLUNTARY, "Went back to full-time studies"),
    ),
    Role(STATION, "Sales assistant", hired=446),
    Role(
        STATION,
        "Barista & sales assistant",
        exit=(560, EmploymentEventKind.EXIT_VOLUNTARY, "Offered a better-paid position at a hotel"),
    ),
    Role(STATION, "Barista & sales assistant", hired=590),
    Role(STATION, "Sales assistant"),
)

SICK_REASONS = (
    "Sick leave",
    "Flu",
    "Back pain",
    "Child sick",
    "Migraine",
    "Stomach bug",
    "Medical appointment",
)
TIRED_REASONS = ("Exhaustion (doctor's note)", "Back pain", "Wrist strain", "Sick leave")


@dataclass
class Employee:
    person: Person
    first: str
    role: Role
    start: date
    end: date | None
    lead: "Employee | None" = None

    def employed_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def generate_staff(b: Builder, member_names: dict[str, str]) -> list[Employee]:
    """Create the employees and queue their employment history and messages."""
    rng = b.rng("staff")
    names = NameMaker(b.rng("staff-names"))
    staff: list[Employee] = []
    for number, role in enumerate(ROLES, start=1):
        if role.member:
            first, last = member_names[role.member].split(" ", 1)
        else:
            first, last = names.person()
        start, end = _tenure(b, rng, role)
        age = rng.randint(16, 19) if role.apprentice else rng.randint(21, 58)
        birthday = date(b.as_of.year - age, rng.randint(1, 12), rng.randint(1, 28))
        exit_reason = role.exit[2] if role.exit else ""
        person = Person(
            workspace=b.workspace,
            group=Group.EMPLOYEE,
            name=f"{first} {last}",
            external_id=f"E-{number:03d}",
            email=f"{ascii_slug(first)}.{ascii_slug(last, '')}@{WORK_DOMAIN}",
            phone=names.phone(),
            team=b.teams[role.team],
            job_title=role.title,
            start_date=start,
            end_date=end,
            birthday=birthday,
            exit_reason=exit_reason,
            created_at=b.at(max(start, b.start), 8),
            updated_at=b.at(max(start, b.start), 8),
        )
        staff.append(Employee(person, first, role, start, end))
    Person.objects.bulk_create([e.person for e in staff])

    owner = staff[0]
    leads = {e.role.team: e for e in staff if e.role.lead}
    for e in staff:
        if e is owner:
            continue
        e.lead = owner if e.role.lead else leads[e.role.team]
        e.person.manager = e.lead.person
        e.person.owner = (
            b.members[TEAM_LEAD_MEMBER[e.role.team]] if not e.role.lead else b.members["owner"]
        )
    Person.objects.bulk_update([e.person for e in staff], ["manager", "owner"])
    for e in staff:
        if e.role.title in ("Head baker", "Shop lead", "Operations manager"):
            b.tag(e.person, "keyholder")
        if rng.random() < 0.25:
            b.tag(e.person, "first-aid trained")

    for e in staff:
        _employment_events(b, e)
        if e is not owner:
            _messages(b, e)
    return staff


def _tenure(b: Builder, rng: random.Random, role: Role) -> tuple[date, date | None]:
    if role.member == "owner":
        start = b.as_of - timedelta(days=3652)
    elif role.hired is not None:
        start = b.start + timedelta(days=role.hired)
    elif role.apprentice:
        start = b.start - timedelta(days=rng.randint(60, 300))
    else:
        start = b.start - timedelta(days=rng.randint(120, 2900))
    end = None
    if role.exit:
        offset = role.exit[0]
        end = b.as_of + timedelta(days=offset) if offset < 0 else b.start + timedelta(days=offset)
    return start, end


def _employment_events(b: Builder, e: Employee) -> None:
    def event(kind, day, reason="", days=None):
        b.employment_events.append(
            EmploymentEvent(
                workspace=b.workspace,
                person=e.person,
                kind=kind,
                date=day,
                reason=reason,
                days=days,
            )
        )

    # The Old Town lead was hired onto the till and promoted during the history.
    event(
        EmploymentEventKind.HIRE,
        e.start,
        "Sales assistant" if e.role.member == "oldtown" else e.role.title,
    )
    if e.role.exit:
        event(e.role.exit[1], e.end, e.role.exit[2])
    if e.role.member == "oldtown":
        event(
            EmploymentEventKind.ROLE_CHANGE,
            b.start + timedelta(days=96),
            "Promoted from sales assistant to shop lead",
        )
    if e.role.apprentice:
        event(
            EmploymentEventKind.ROLE_CHANGE,
            b.start + timedelta(days=420),
            "Passed the CAP exam; apprenticeship continues as a second-year baker",
        )
    if e.role.member == "owner":
        return
    rng = b.rng("absence", e.person.external_id)
    lead_member = _lead_member(b, e)
    day = max(e.start, b.start)
    last = min(e.end or b.end, b.end)
    while day <= last:
        strain = b.progress(day) if e.role.team == BAKEHOUSE else 0.0
        if day.weekday() != 0 and rng.random() < 0.012 * (1 + 2.8 * strain):
            tired = rng.random() < 0.85 * strain
            days = Decimal(
                str(rng.choice((0.5, 1, 1, 1, 2, 2, 3, 5) if not tired else (1, 2, 3, 3, 5)))
            )
            reason = rng.choice(TIRED_REASONS if tired else SICK_REASONS)
            event(EmploymentEventKind.ABSENCE, day, reason, days)
            early = e.role.team == BAKEHOUSE
            when = b.at(day, rng.randint(3, 4) if early else rng.randint(6, 7), rng.randint(0, 59))
            slots = texts.draw_slots(rng, lead=e.lead.first, first=e.first)
            text = texts.render(rng, "sick_tired" if tired else "sick", **slots)
            steps = [(Direction.INBOUND, text, lead_member)]
            if rng.random() < 0.6:
                steps.append(
                    (Direction.OUTBOUND, texts.render(rng, "get_well", **slots), lead_member)
                )
            b.conversation(
                rng,
                e.person,
                when,
                rng.choice((Channel.CHAT, Channel.CHAT, Channel.PHONE)),
                steps,
                thread_prefix="staff",
            )
            day += timedelta(days=max(1, int(days)))
        day += timedelta(days=1)


def _lead_member(b: Builder, e: Employee):
    return b.members["owner"] if e.role.lead else b.members[TEAM_LEAD_MEMBER[e.role.team]]


def _poisson_days(
    rng: random.Random, b: Builder, first: date, last: date, per_month, *, skip_mondays=True
):
    """Days of a Poisson process whose monthly rate ``per_month(day)`` may change over time."""
    day = first
    while day <= last:
        if not (skip_mondays and day.weekday() == 0) and rng.random() < per_month(day) / 30.4:
            yield day
        day += timedelta(days=1)


def _messages(b: Builder, e: Employee) -> None:
    rng = b.rng("staff-messages", e.person.external_id)
    handler = _lead_member(b, e)
    person, lead = e.person, e.lead.first
    first_day, last_day = max(e.start, b.start), min(e.end or b.end, b.end)
    bakehouse = e.role.team == BAKEHOUSE

    if e.start >= b.start:
        b.add(
            person,
            b.at(e.start - timedelta(days=7), 10, rng.randint(0, 59)),
            Channel.EMAIL,
            Direction.OUTBOUND,
            texts.render(rng, "welcome", first=e.first, lead=lead),
            by=handler,
            subject="Welcome to Maison Levain",
        )

    # 1:1s roughly every six weeks; the Bakehouse's turn tired as the story unfolds.
    day = first_day + timedelta(days=rng.randint(5, 40))
    while day <= last_day:
        strain = b.progress(day) if bakehouse else 0.0
        roll = rng.random()
        if bakehouse and roll < 0.08 + 0.75 * strain:
            key = "one_on_one_tired"
        elif roll < 0.6 - 0.45 * strain:
            key = "one_on_one_good"
        else:
            key = "one_on_one_neutral"
        b.add(
            person,
            b.random_time(rng, day, 10, 16),
            Channel.VISIT,
            Direction.INBOUND,
            texts.render(rng, key, first=e.first),
            by=handler,
        )
        day += timedelta(days=rng.randint(35, 49))

    for day in _poisson_days(rng, b, first_day, last_day, lambda d: 0.5):
        slots = texts.draw_slots(rng, lead=lead, first=e.first)
        steps = [
            (Direction.INBOUND, texts.render(rng, "shift_swap", **slots), handler),
            (Direction.OUTBOUND, texts.render(rng, "shift_swap_reply", **slots), handler),
        ]
        b.conversation(
            rng,
            person,
            b.random_time(rng, day, 8, 20),
            Channel.CHAT,
            steps,
            thread_prefix="staff",
            open_chance=0.3,
        )

    for day in _poisson_days(rng, b, first_day, last_day, lambda d: 0.17):
        steps = [
            (Direction.INBOUND, texts.render(rng, "holiday_request", lead=lead), handler),
            (Direction.OUTBOUND, texts.render(rng, "holiday_reply", first=e.first), handler),
        ]
        b.conversation(
            rng,
            person,
            b.random_time(rng, day, 9, 19),
            Channel.EMAIL,
            steps,
            subject=texts.subject(rng, "holiday_request"),
            thread_prefix="staff",
            open_chance=0.5,
        )

    for day in _poisson_days(rng, b, first_day, last_day, lambda d: 0.08):
        steps = [
            (Direction.INBOUND, texts.render(rng, "payslip"), b.members["office"]),
            (
                Direction.OUTBOUND,
                texts.render(rng, "payslip_reply", first=e.first),
                b.members["office"],
            ),
        ]
        b.conversation(
            rng,
            person,
            b.random_time(rng, day, 9, 18),
            Channel.EMAIL,
            steps,
            subject=texts.subject(rng, "payslip"),
            thread_prefix="staff",
        )

    for day in _poisson_days(rng, b, first_day, last_day, lambda d: 0.2):
        b.add(
            person,
            b.random_time(rng, day, 6, 19),
            Channel.CHAT,
            Direction.INBOUND,
            texts.render(rng, "team_chat"),
            by=handler,
        )

    for day in _poisson_days(rng, b, first_day, last_day, lambda d: 0.12):
        b.add(
            person,
            b.random_time(rng, day, 11, 18),
            Channel.CHAT,
            Direction.OUTBOUND,
            texts.render(rng, "recognition", first=e.first),
            by=handler,
        )

    if bakehouse:
        rate = lambda d: 0.05 + 1.4 * b.progress(d)  # noqa: E731 - a one-line rate curve
        for day in _poisson_days(rng, b, first_day, last_day, rate):
            steps = [(Direction.INBOUND, texts.render(rng, "workload", lead=lead), handler)]
            if rng.random() < 0.55:
                steps.append(
                    (
                        Direction.OUTBOUND,
                        texts.render(rng, "workload_reply", first=e.first),
                        handler,
                    )
                )
            b.conversation(
                rng,
                person,
                b.random_time(rng, day, 4, 14),
                Channel.CHAT,
                steps,
                thread_prefix="staff",
            )

    for year in range(b.start.year, b.as_of.year + 1):
        try:
            birthday = e.person.birthday.replace(year=year)
        except ValueError:
            continue
        if first_day <= birthday <= last_day and rng.random() < 0.8:
            b.add(
                person,
                b.random_time(rng, birthday, 8, 11),
                Channel.CHAT,
                Direction.OUTBOUND,
                texts.render(rng, "birthday", first=e.first),
                by=handler,
            )

    if e.role.exit:
        _exit_messages(b, rng, e, handler)


def _exit_messages(b: Builder, rng: random.Random, e: Employee, handler) -> None:
    kind, reason = e.role.exit[1], e.role.exit[2]
    person, lead = e.person, e.lead.first
    reason_lower = reason[0].lower() + reason[1:]
    if kind == EmploymentEventKind.EXIT_INVOLUNTARY:
        b.add(
            person,
            b.at(e.end, 15, 30),
            Channel.VISIT,
            Direction.INBOUND,
            texts.render(rng, "dismissal", first=e.first, reason_lower=reason_lower),
            by=handler,
        )
        return
    workload = reason == WORKLOAD_EXIT_REASON
    notice = e.end - timedelta(days=30)
    letter = texts.render(
        rng,
        "resignation_workload" if workload else "resignation",
        lead=lead,
        job=e.role.title.lower(),
        reason=reason,
        reason_lower=reason_lower,
    )
    b.conversation(
        rng,
        person,
        b.at(notice, 19, 12),
        Channel.EMAIL,
        [
            (Direction.INBOUND, letter, handler),
            (
                Direction.OUTBOUND,
                f"Dear {e.first}, thank you for telling me. I'm sorry to see "
                "you go; let's sit down tomorrow to talk it through.",
                handler,
            ),
        ],
        subject=texts.subject(rng, "resignation"),
        thread_prefix="staff",
    )
    interview = texts.render(
        rng,
        "exit_interview_workload" if workload else "exit_interview",
        first=e.first,
        reason_lower=reason_lower,
    )
    b.add(
        person,
        b.at(e.end - timedelta(days=1), 14, 0),
        Channel.VISIT,
        Direction.INBOUND,
        interview,
        by=b.members["owner"],
    )
