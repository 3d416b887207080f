"""A chain of bakeries at the size the dashboards must handle, for benchmarks/bench_insights.py.

``build_insights_workspace`` writes, into one new workspace, ``years`` of history ending
yesterday (in the workspace's time zone): customers in six segments with their purchases,
about 1,500 employees in 20 teams with hires, exits and absences, suppliers with their
deliveries, community partners with their events, a timeline of conversations (inbound
messages and the replies of members or automations), five surveys with their answers, and
readings (sentiment, emotions, themes) for 30% of the inbound messages and of the responses
with text. Sizes scale with ``people`` (the shares below are for 100,000 people).

Everything comes from one ``random.Random(seed)`` and ``as_of``, so the same arguments give
the same rows (response ids excepted: they are random by design). Rows are written with
``bulk_create`` in batches of ``BATCH`` inside one transaction, generated batch by batch so
memory stays flat whatever the size. Survey answers go through
``feedback.actions.prepare_response``, so an anonymous response keeps exactly what a real
one would: no person, no time, the Monday of its week, and its report dimensions.

Import this module only after Django is set up.
"""

import random
import time as clock
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate, chain
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rapport.accounts.actions import add_member, create_workspace
from rapport.accounts.choices import AutomationKind, Role
from rapport.accounts.models import Automation, Membership, User, Workspace
from rapport.demo.names import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, ascii_slug
from rapport.engine.text.emotions import EMOTION_GROUPS
from rapport.feedback import actions as feedback
from rapport.feedback.choices import Anonymity, FollowUp, QuestionKind, Schedule, SurveyStatus
from rapport.feedback.models import Answer, Invitation, Response, ResponseReading
from rapport.people.actions import refresh_contact_dates, refresh_purchase_dates
from rapport.people.choices import (
    CommunityKind,
    Direction,
    EmploymentEventKind,
    Group,
    PartyKind,
)
from rapport.people.models import (
    CommunityEvent,
    Delivery,
    EmploymentEvent,
    Interaction,
    Person,
    Purchase,
    Team,
)
from rapport.understanding.actions import current_version
from rapport.understanding.models import InteractionReading, Theme

BATCH = 5000
TIME_ZONE = "Europe/Paris"
# Share of inbound messages, and of responses with text, that get a reading.
READ_SHARE = 0.30
# Unanswered messages this recent are still open; older ones were dropped.
OPEN_DAYS = 21
# The last months of history, in which the stories below unfold.
STORY_DAYS = 182

# Per 100,000 people.
EMPLOYEES = 1_500
SUPPLIERS = 300
SUPPLIER_CONTACTS = 900
COMMUNITY_PARTNERS = 200
COMMUNITY_PEOPLE = 1_100
DELIVERIES = 30_000
EVENTS = 300

SHOPS = (
    "Old Town",
    "Station",
    "Market Square",
    "Riverside",
    "University",
    "Harbour",
    "North Gate",
    "Hospital",
    "Airport",
    "Park Lane",
    "Mill Street",
    "Cathedral",
)
TEAMS = (
    *(f"Shop — {shop}" for shop in SHOPS),
    "Bakehouse North",
    "Bakehouse South",
    "Pastry Lab",
    "Café Kitchen",
    "Delivery",
    "Catering",
    "Office",
    "Maintenance",
)
TEAM_TITLES = {
    "Shop": ("Sales assistant", "Sales assistant", "Barista", "Shop lead"),
    "Bakehouse": ("Baker", "Baker", "Night baker", "Apprentice baker", "Head baker"),
    "Pastry Lab": ("Pastry chef", "Pastry cook", "Apprentice"),
    "Café Kitchen": ("Cook", "Kitchen porter"),
    "Delivery": ("Driver", "Dispatcher"),
    "Catering": ("Catering coordinator", "Catering assistant"),
    "Office": ("Accountant", "HR officer", "Buyer", "Marketing officer"),
    "Maintenance": ("Technician",),
}
# The team whose workload story shows in absences and eNPS over the last months.
STRAINED_TEAM = "Bakehouse North"

# name, share of customers, purchases weight, interactions weight, basket (low, high) €
SEGMENTS = (
    ("Regulars", 0.18, 14.0, 3.0, (3, 18)),
    ("Occasional", 0.34, 3.0, 1.0, (3, 25)),
    ("Families", 0.14, 6.0, 1.5, (8, 40)),
    ("Office catering", 0.04, 8.0, 4.0, (60, 450)),
    ("Online orders", 0.12, 4.0, 2.0, (12, 60)),
    ("Visitors", 0.18, 1.0, 0.4, (3, 20)),
)
# The segment whose NPS and messages sour over the last months.
COOLING_SEGMENT = "Office catering"

SUPPLIER_CATEGORIES = {
    "Flour": ("Type 65 flour, 25 kg", 18.0),
    "Dairy": ("Butter, 10 kg", 64.0),
    "Eggs": ("Free-range eggs, 180", 41.0),
    "Fruit": ("Seasonal fruit crate", 22.0),
    "Coffee": ("Espresso beans, 6 kg", 95.0),
    "Packaging": ("Paper bags, 1,000", 31.0),
    "Cleaning": ("Cleaning supplies", 54.0),
    "Equipment": ("Spare parts", 120.0),
}

# Topics people write about: the theme each becomes, and who writes about it.
THEMES = {
    "bread": ("Bread and pastry quality", Group.CUSTOMER),
    "service": ("Staff and welcome", Group.CUSTOMER),
    "waiting": ("Queues and waiting", Group.CUSTOMER),
    "orders": ("Orders and catering", Group.CUSTOMER),
    "price": ("Prices", Group.CUSTOMER),
    "allergens": ("Allergens and diets", Group.CUSTOMER),
    "hours": ("Opening hours", Group.CUSTOMER),
    "rota": ("Rota and workload", Group.EMPLOYEE),
    "equipment": ("Equipment", Group.EMPLOYEE),
    "pay": ("Pay and leave", Group.EMPLOYEE),
    "invoices": ("Invoices and payment", Group.SUPPLIER),
    "supply": ("Orders and delivery slots", Group.SUPPLIER),
    "neighbourhood": ("Events and the neighbourhood", Group.COMMUNITY),
}
# What they write, by topic and mood.
TEXTS = """
bread         positive The sourdough this morning was perfect, still warm from the oven.
bread         positive Best croissants in town, thank you!
bread         neutral  Do you still bake the rye loaf on Saturdays?
bread         neutral  Which of your breads keeps best for a few days?
bread         negative The baguette I bought was stale by lunchtime.
bread         negative My croissants were burnt underneath today.
service       positive The staff at the counter were so kind to my children.
service       positive Lovely welcome this morning, thank you.
service       neutral  Who should I speak to about a job in one of your shops?
service       negative The cashier was rude when I asked about the ingredients.
service       negative Nobody greeted us and the staff seemed annoyed.
waiting       positive The queue moved quickly even on Saturday, well done.
waiting       neutral  What time is the quietest to come in?
waiting       negative I waited twenty minutes in the queue this morning.
waiting       negative Only one till open again and the line was out the door.
orders        positive The catering for our meeting was perfect, thank you.
orders        positive The cake arrived on time and looked amazing.
orders        neutral  Can I move the pick-up of my order to 10am?
orders        neutral  I would like to order 40 sandwiches for Friday.
orders        negative Our catering order arrived an hour late and was incomplete.
orders        negative I ordered a birthday cake and it was not ready when I came.
price         positive Good value for the quality, happy to pay it.
price         neutral  Do you have a loyalty card for regulars?
price         negative Prices went up again, a baguette costs too much now.
price         negative Too expensive for what you get lately.
allergens     positive Thank you for the gluten-free loaf, my daughter loves it.
allergens     neutral  Does the seeded loaf contain sesame?
allergens     neutral  Which of your cakes are nut free?
allergens     negative There was no allergen information and my son had a reaction.
allergens     negative You told me it was nut free and it was not.
hours         positive Great that you open at 7 on weekdays now.
hours         neutral  Are you open on the bank holiday Monday?
hours         negative You closed early again although the sign says 7pm.
rota          positive Thanks for sorting out the rota so quickly.
rota          neutral  Can I swap my Saturday shift with Sam?
rota          neutral  When will next month's rota be out?
rota          negative Third early shift in a row, we are always short of staff.
rota          negative I skipped my break again because we were understaffed.
equipment     positive The new oven is a big improvement.
equipment     neutral  The mixer is due for its service next week.
equipment     negative The spiral mixer broke down again this morning.
equipment     negative The dishwasher has been leaking for a week.
pay           positive Thanks, my holiday request went through.
pay           neutral  I have a question about last month's payslip.
pay           neutral  How many days of leave do I have left?
pay           negative My overtime is missing from my payslip again.
invoices      positive Thank you for the prompt payment.
invoices      neutral  Please find attached our invoice for this month.
invoices      neutral  Could you confirm the order number for invoice 4471?
invoices      negative Invoice 4471 is now thirty days overdue.
invoices      negative We still have not been paid for last month's deliveries.
supply        positive Order confirmed for Monday morning.
supply        neutral  Can we move Thursday's delivery to 6am?
supply        neutral  Please send next week's order by Thursday noon.
supply        negative Your order came in too late for a Monday delivery again.
supply        negative Our driver waited forty minutes at your back door.
neighbourhood positive Thank you for the bread at our school fair, it was a hit!
neighbourhood positive The baking workshop with the children was wonderful.
neighbourhood neutral  Would you sponsor our football tournament in June?
neighbourhood neutral  Could you give bread to the food bank on Fridays?
neighbourhood negative Your van idles outside the school at drop-off time.
neighbourhood negative Nobody answered about the charity sale we discussed.
"""
TOPICS: dict[str, dict[str, list[str]]] = {topic: {} for topic in THEMES}
for line in TEXTS.strip().splitlines():
    topic, mood, text = line.split(maxsplit=2)
    TOPICS[topic].setdefault(mood, []).append(text)
TOPICS_OF = {
    group: tuple(topic for topic, (_name, g) in THEMES.items() if g == group) for group in Group
}

MEMBER_REPLIES = {
    "positive": (
        "Thank you so much, we will pass it on to the team!",
        "Lovely to hear, see you soon.",
    ),
    "neutral": (
        "Thanks for asking: yes, that works. I have noted it.",
        "Good question, I will check and come back to you today.",
    ),
    "negative": (
        "I am sorry about this. I have passed it to the manager and will call you back.",
        "Apologies, that should not have happened. We will make it right.",
    ),
}
BOT_REPLIES = (
    "Thanks for your message! A member of our team will get back to you shortly.",
    "We have received your message. Our opening hours and order form are on our website.",
)
NEWSLETTERS = (
    "This week: the seasonal fruit tarts are back in every shop.",
    "New: order your celebration cakes online, ready in 48 hours.",
    "Our loyalty card is here: every tenth loaf is on us.",
)
CHECK_INS = (
    "Just checking in: is everything fine with your last order?",
    "A quick reminder of our new opening hours from next week.",
)
NOTES = (
    "Called back, they were happy with the refund.",
    "Flagged to the area manager.",
    "Discussed in the Monday meeting.",
)

# The channels each group writes on; replies come only on written channels.
CHANNELS = {
    Group.CUSTOMER: (("email", 25), ("chat", 20), ("phone", 12), ("visit", 15), ("review", 8)),
    Group.EMPLOYEE: (("chat", 40), ("email", 30), ("visit", 20), ("phone", 10)),
    Group.SUPPLIER: (("email", 60), ("phone", 30), ("delivery", 10)),
    Group.COMMUNITY: (("email", 60), ("phone", 15), ("social", 15), ("event", 10)),
}
WRITTEN = {"email", "chat", "review", "social"}
# Customers also write on social media.
CHANNELS[Group.CUSTOMER] += (("social", 12),)
# The chance that an automation answers a customer's written message.
BOT_SHARE = 0.65
UNANSWERED = 0.06

SURVEY_TEXT_SHARE = {"reason": 0.45, "improve": 0.15, "comment": 0.2, "pulse": 0.15}
# How the answers budget is split between the three big surveys, after suppliers and community.
ANSWER_SPLIT = {"nps": 0.34, "csat": 0.30, "pulse": 0.36}


@dataclass
class Cast:
    """Everyone in the workspace, as parallel lists (Person objects would not fit at size)."""

    ids: list[int] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    # First and last day (ordinals) of the relationship within the history.
    lo: list[int] = field(default_factory=list)
    hi: list[int] = field(default_factory=list)
    segment: list[str] = field(default_factory=list)
    team: list[str] = field(default_factory=list)
    has_email: list[bool] = field(default_factory=list)
    may_analyse: list[bool] = field(default_factory=list)
    shop: list[int] = field(default_factory=list)

    def add(self, person: Person, lo: date, hi: date, team: str = "", shop: int = 0) -> None:
        self.ids.append(person.pk)
        self.group.append(person.group)
        self.lo.append(lo.toordinal())
        self.hi.append(hi.toordinal())
        self.segment.append(person.segment)
        self.team.append(team)
        self.has_email.append(bool(person.email))
        self.may_analyse.append(person.may_analyse)
        self.shop.append(shop)

    def of(self, group: str) -> list[int]:
        return [i for i, g in enumerate(self.group) if g == group]


@dataclass
class Plan:
    """One generation: its clock, its random stream and what later steps need to know."""

    workspace: Workspace
    rng: random.Random
    tz: ZoneInfo
    as_of: date
    years: int
    members: list[Membership]
    bot: dict[str, Automation]
    version: str
    themes: dict[str, str] = field(default_factory=dict)  # topic → Theme.key
    cast: Cast = field(default_factory=Cast)
    team_ids: dict[str, int] = field(default_factory=dict)
    # Indexes into the cast: organisations, each supplier's first contact, employees' records
    # (start, end, exit kind, exit reason), suppliers' categories.
    supplier_orgs: list[int] = field(default_factory=list)
    partners: list[int] = field(default_factory=list)
    first_contact: dict[int, int] = field(default_factory=dict)
    employment: dict[int, tuple] = field(default_factory=dict)
    category: dict[int, str] = field(default_factory=dict)
    # People whose timeline changed (their contact dates are refreshed).
    touched: set[int] = field(default_factory=set)

    @property
    def end(self) -> date:
        return self.as_of - timedelta(days=1)

    @property
    def start(self) -> date:
        return self.as_of - timedelta(days=365 * self.years)

    @property
    def cutoff(self) -> datetime:
        return self.at(self.as_of, 0)

    def at(self, day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute, second), tzinfo=self.tz)

    def some_time(self, day: date, first: int = 7, last: int = 20) -> datetime:
        r = self.rng
        return self.at(day, r.randint(first, last), r.randint(0, 59), r.randint(0, 59))

    def story(self, day: date) -> float:
        """0 before the last ``STORY_DAYS``, rising to 1 at the end of history."""
        begun = (day - (self.as_of - timedelta(days=STORY_DAYS))).days
        return min(1.0, max(0.0, begun / STORY_DAYS))

    def day_between(self, lo: int, hi: int) -> date:
        return date.fromordinal(self.rng.randint(lo, hi))


Progress = Callable[[str, int, float], None]


def build_insights_workspace(
    owner: User,
    *,
    people: int = 100_000,
    interactions: int = 1_000_000,
    answers: int = 200_000,
    purchases: int | None = None,
    seed: int = 11,
    years: int = 2,
    as_of: date | None = None,
    slug: str = "insights",
    progress: Progress | None = None,
) -> Workspace:
    """Write the bakery chain into a new workspace ``slug`` owned by ``owner``; return it.

    ``purchases`` defaults to half as many as ``interactions``: 500,000 at full size, where a
    million would take generation on SQLite well past three minutes. ``as_of`` (default:
    today in the workspace's time zone) is the day after the last day of history.
    ``progress`` is called after each step with (what, rows written, seconds)."""
    tz = ZoneInfo(TIME_ZONE)
    as_of = as_of or datetime.now(tz).date()
    purchases = interactions // 2 if purchases is None else purchases
    report = progress or (lambda what, rows, seconds: None)
    with transaction.atomic():
        plan = _start(owner, slug=slug, seed=seed, tz=tz, as_of=as_of, years=years)
        for what, step in (
            ("people", lambda: _people(plan, people)),
            ("employment events", lambda: _employment_events(plan)),
            ("deliveries", lambda: _deliveries(plan, _scaled(DELIVERIES, people))),
            ("community events", lambda: _community_events(plan, _scaled(EVENTS, people))),
            ("purchases", lambda: _purchases(plan, purchases)),
            ("themes", lambda: _themes(plan)),
            ("interactions and readings", lambda: _timeline(plan, interactions)),
            ("surveys, responses, answers, readings", lambda: _surveys(plan, answers)),
            ("contact and purchase dates", lambda: _refresh_dates(plan)),
        ):
            began = clock.perf_counter()
            rows = step()
            report(what, rows, clock.perf_counter() - began)
    return plan.workspace


def add_recent_activity(
    workspace: Workspace, *, interactions: int = 1_000, answers: int = 100, seed: int = 12
) -> None:
    """New activity dated today, between midnight and now in the workspace's time zone:
    ``interactions`` timeline rows (conversations, some still open) and ``answers`` customer
    NPS answers (a score and a reason each), as an incremental refresh would find them."""
    tz = ZoneInfo(workspace.time_zone)
    now = timezone.now().astimezone(tz)
    midnight = datetime.combine(now.date(), time(0), tzinfo=tz)
    plan = Plan(
        workspace=workspace,
        rng=random.Random(seed),
        tz=tz,
        as_of=now.date() + timedelta(days=1),
        years=1,
        members=list(workspace.memberships.order_by("pk")),
        bot={a.kind: a for a in workspace.automations.all()},
        version=current_version(),
    )
    keys = set(Theme.objects.filter(workspace=workspace).values_list("key", flat=True))
    plan.themes = {topic: f"t-{topic}" for topic in TOPICS if f"t-{topic}" in keys}
    today = now.date()
    fields = ("pk", "group", "segment", "email", "may_analyse")
    for values in Person.objects.filter(workspace=workspace).order_by("pk").values_list(*fields):
        plan.cast.add(Person(**dict(zip(fields, values, strict=True))), today, today)
    seconds = max(60, int((now - midnight).total_seconds()) - 60)
    with transaction.atomic():
        _timeline(
            plan,
            interactions,
            when=lambda: midnight + timedelta(seconds=plan.rng.randint(0, seconds)),
            limit=now,
        )
        refresh_contact_dates({plan.cast.ids[i] for i in plan.touched})
        survey = workspace.surveys.filter(blueprint="customer_nps").first()
        if survey is None:
            return
        q = {x.key: x for x in survey.questions.all()}
        writer = _Writer(plan)
        customers = [i for i in plan.cast.of(Group.CUSTOMER) if plan.cast.has_email[i]]
        for _ in range(answers // 2):
            i = plan.rng.choice(customers)
            score = _clip(plan.rng.gauss(8.0, 2.0), 0, 10)
            topic, mood = _customer_topic(plan, _band_mood(score))
            when = midnight + timedelta(seconds=plan.rng.randint(0, seconds))
            writer.add(
                survey,
                {q["nps"]: score, q["reason"]: _text(plan.rng, topic, mood)},
                now=when,
                person=_person_stub(plan, i),
                channel="personal",
                read=(topic, mood),
            )
        writer.flush()


# --- the workspace and its members ------------------------------------------------------


def _start(owner, *, slug, seed, tz, as_of, years) -> Plan:
    workspace = create_workspace(
        "Levain & Co (benchmark)", slug, owner=owner, time_zone=TIME_ZONE, currency="EUR"
    )
    members = [workspace.memberships.get(user=owner)]
    for i, (name, role) in enumerate(
        (
            ("Inès Moreau", Role.MANAGER),
            ("Karl Janssen", Role.MANAGER),
            ("Lucía Ferrer", Role.STAFF),
            ("Ola Nilsen", Role.STAFF),
            ("Tariq Benali", Role.STAFF),
        )
    ):
        user = User.objects.create_user(f"{slug}-member{i}@bench.example.com", None, name=name)
        members.append(add_member(workspace, user, role))
    start = as_of - timedelta(days=365 * years)
    bot = {
        kind: Automation.objects.create(workspace=workspace, name=name, kind=kind, started_on=start)
        for name, kind in (
            ("Crumb, the chat assistant", AutomationKind.CHATBOT),
            ("Order desk auto-reply", AutomationKind.AUTORESPONDER),
            ("The Levain Letter", AutomationKind.CAMPAIGN),
        )
    }
    return Plan(
        workspace=workspace,
        rng=random.Random(seed),
        tz=tz,
        as_of=as_of,
        years=years,
        members=members,
        bot=bot,
        version=current_version(),
    )


def _scaled(count: int, people: int, minimum: int = 1) -> int:
    return max(minimum, round(count * people / 100_000))


# --- people -----------------------------------------------------------------------------


def _name(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{first} {last}", f"{ascii_slug(first)}.{ascii_slug(last)}"


def _people(p: Plan, people: int) -> int:
    """Organisations, then employees, suppliers' contacts, neighbours and customers."""
    rng, ws, start, end = p.rng, p.workspace.pk, p.start, p.end
    n_employees = _scaled(EMPLOYEES, people, 2)
    n_suppliers = _scaled(SUPPLIERS, people)
    n_contacts = _scaled(SUPPLIER_CONTACTS, people, 0)
    n_partners = _scaled(COMMUNITY_PARTNERS, people)
    n_neighbours = _scaled(COMMUNITY_PEOPLE, people, 0)
    n_customers = people - n_employees - n_suppliers - n_contacts - n_partners - n_neighbours
    if n_customers < 1:
        raise ValueError(f"people={people} is too few for a chain of bakeries (at least 10)")

    # Organisations first: their contacts point at them.
    categories = list(SUPPLIER_CATEGORIES)
    orgs = []
    for i in range(n_suppliers):
        category = categories[i % len(categories)]
        orgs.append(
            Person(
                workspace_id=ws,
                group=Group.SUPPLIER,
                kind=PartyKind.ORGANISATION,
                name=f"{rng.choice(LAST_NAMES)} {category} {i + 1:03d}",
                external_id=f"S{i:04d}",
                email=f"orders{i}@supplier.example.net",
                category=category,
                created_at=p.at(start - timedelta(days=rng.randint(30, 2000)), 9),
            )
        )
    kinds = list(CommunityKind.values)
    for i in range(n_partners):
        kind = kinds[i % len(kinds)]
        orgs.append(
            Person(
                workspace_id=ws,
                group=Group.COMMUNITY,
                kind=PartyKind.ORGANISATION,
                name=f"{rng.choice(LAST_NAMES)} {CommunityKind(kind).label} {i + 1:03d}",
                external_id=f"P{i:04d}",
                email=f"hello{i}@community.example.org",
                community_kind=kind,
                created_at=p.at(start - timedelta(days=rng.randint(30, 2000)), 9),
            )
        )
    Person.objects.bulk_create(orgs, batch_size=BATCH)
    suppliers = [o for o in orgs if o.group == Group.SUPPLIER]
    partners = [o for o in orgs if o.group == Group.COMMUNITY]
    for org in orgs:
        if org.group == Group.SUPPLIER:
            p.supplier_orgs.append(len(p.cast.ids))
            p.category[len(p.cast.ids)] = org.category
        else:
            p.partners.append(len(p.cast.ids))
        p.cast.add(org, start, end)

    teams = {
        team.name: team
        for team in Team.objects.bulk_create([Team(workspace_id=ws, name=name) for name in TEAMS])
    }
    p.team_ids = {name: team.pk for name, team in teams.items()}

    org_index = {p.cast.ids[i]: i for i in p.supplier_orgs}
    # Each row: (person, first and last day in the history, team name, home shop index,
    # employment record or None), written BATCH at a time.
    rows = chain(
        _staff_rows(p, n_employees, teams),
        _partner_people_rows(p, n_contacts, n_neighbours, suppliers, partners),
        _customer_rows(p, n_customers),
    )
    while True:
        chunk = [row for _, row in zip(range(BATCH), rows, strict=False)]
        if not chunk:
            break
        Person.objects.bulk_create([row[0] for row in chunk])
        for person, lo, hi, team, shop, employment in chunk:
            if employment:
                p.employment[len(p.cast.ids)] = (*employment, person.exit_reason)
            if person.group == Group.SUPPLIER and person.organisation_id:
                p.first_contact.setdefault(org_index[person.organisation_id], len(p.cast.ids))
            p.cast.add(person, lo, hi, team, shop)
    return len(p.cast.ids)


def _staff_rows(p: Plan, count: int, teams: dict[str, Team]):
    """Employees: most there before the history starts, a quarter leaving during it."""
    rng, ws, start, end = p.rng, p.workspace.pk, p.start, p.end
    days = (end - start).days
    team_names = list(TEAMS)
    team_weights = [2.5 if "Bakehouse" in name else 1.0 for name in team_names]
    for i in range(count):
        name, handle = _name(rng)
        team = rng.choices(team_names, team_weights)[0]
        titles = next(v for k, v in TEAM_TITLES.items() if team.startswith(k))
        if rng.random() < 0.72:
            started = start - timedelta(days=rng.randint(30, 3650))
        else:
            started = start + timedelta(days=rng.randint(0, days - 1))
        ended, kind, reason = None, "", ""
        first = max(started, start) + timedelta(days=20)
        if rng.random() < 0.24 and first < end:
            ended = first + timedelta(days=rng.randint(0, (end - first).days))
            if rng.random() < 0.75:
                kind = EmploymentEventKind.EXIT_VOLUNTARY
                reason = rng.choice(
                    ("Moved away", "Better pay elsewhere", "Workload", "Back to studies")
                )
            else:
                kind = EmploymentEventKind.EXIT_INVOLUNTARY
                reason = rng.choice(("End of trial period", "Misconduct", "Position cut"))
        person = Person(
            workspace_id=ws,
            group=Group.EMPLOYEE,
            name=name,
            external_id=f"E{i:05d}",
            email=f"{handle}{i}@levain.example.com",
            team=teams[team],
            job_title=rng.choice(titles),
            start_date=started,
            end_date=ended,
            birthday=date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)),
            exit_reason=reason,
            created_at=p.at(started, 9),
        )
        yield person, max(started, start), ended or end, team, 0, (started, ended, kind)


def _partner_people_rows(p: Plan, contacts: int, neighbours: int, suppliers, partners):
    """Suppliers' contact people, and neighbours, half of them with a partner organisation."""
    rng, ws, start, end = p.rng, p.workspace.pk, p.start, p.end
    for i in range(contacts):
        name, handle = _name(rng)
        org = suppliers[i % len(suppliers)]
        yield (
            Person(
                workspace_id=ws,
                group=Group.SUPPLIER,
                name=name,
                email=f"{handle}@supplier.example.net",
                organisation=org,
                category=org.category,
                created_at=org.created_at,
            ),
            start,
            end,
            "",
            0,
            None,
        )
    for i in range(neighbours):
        name, handle = _name(rng)
        org = rng.choice(partners) if rng.random() < 0.5 else None
        yield (
            Person(
                workspace_id=ws,
                group=Group.COMMUNITY,
                name=name,
                email=f"{handle}{i}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.7 else "",
                organisation=org,
                community_kind=org.community_kind if org else CommunityKind.OTHER,
                created_at=p.at(start - timedelta(days=rng.randint(0, 700)), 10),
            ),
            start,
            end,
            "",
            0,
            None,
        )


def _customer_rows(p: Plan, count: int):
    """Customers: over half there before the history starts, about one in six lost during it."""
    rng, ws, start, end = p.rng, p.workspace.pk, p.start, p.end
    days = (end - start).days
    segment_names = [s[0] for s in SEGMENTS]
    segment_shares = [s[1] for s in SEGMENTS]
    for i in range(count):
        name, handle = _name(rng)
        segment = rng.choices(segment_names, segment_shares)[0]
        if rng.random() < 0.55:
            joined, first = start - timedelta(days=rng.randint(1, 1500)), start
        else:
            joined = first = start + timedelta(days=rng.randint(0, days - 1))
        last = end
        if rng.random() < 0.18 and (end - first).days > 30:
            last = first + timedelta(days=rng.randint(30, (end - first).days))
        yield (
            Person(
                workspace_id=ws,
                group=Group.CUSTOMER,
                name=name,
                external_id=f"C{i:06d}",
                email=f"{handle}{i}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.8 else "",
                segment=segment,
                may_analyse=rng.random() < 0.97,
                may_contact=rng.random() < 0.9,
                created_at=p.some_time(joined),
            ),
            first,
            last,
            "",
            rng.randrange(len(SHOPS)),
            None,
        )


def _employment_events(p: Plan) -> int:
    """A hire for everyone, an exit for leavers, and absences: about 2.5 a year, up to three
    times as many in the strained team as its story unfolds."""
    rng, ws = p.rng, p.workspace.pk
    rows = []
    for i, (started, ended, kind, reason) in p.employment.items():
        pk = p.cast.ids[i]
        rows.append(
            EmploymentEvent(
                workspace_id=ws, person_id=pk, kind=EmploymentEventKind.HIRE, date=started
            )
        )
        if ended:
            rows.append(
                EmploymentEvent(workspace_id=ws, person_id=pk, kind=kind, date=ended, reason=reason)
            )
        day = p.cast.lo[i]
        while True:
            strain = p.story(date.fromordinal(day)) if p.cast.team[i] == STRAINED_TEAM else 0.0
            day += max(1, round(rng.expovariate(2.5 * (1 + 2 * strain) / 365)))
            if day > p.cast.hi[i]:
                break
            rows.append(
                EmploymentEvent(
                    workspace_id=ws,
                    person_id=pk,
                    kind=EmploymentEventKind.ABSENCE,
                    date=date.fromordinal(day),
                    days=Decimal(rng.choice(("0.5", "1", "1", "1", "2", "2", "3", "5", "10"))),
                    reason=rng.choice(("Sick", "Sick", "Child sick", "Injury", "Personal")),
                )
            )
    EmploymentEvent.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _deliveries(p: Plan, count: int) -> int:
    """Deliveries from supplier organisations: 90% on time, 8% with something broken."""
    rng, ws = p.rng, p.workspace.pk
    orgs = p.supplier_orgs
    # Flour and dairy come several times a week, equipment now and then.
    weights = [rng.choice((1, 2, 4, 8)) for _ in orgs]
    start, end = p.start.toordinal(), p.end.toordinal()
    written = 0
    for size in _chunks(count):
        rows = []
        for i in rng.choices(orgs, weights, k=size):
            item, price = SUPPLIER_CATEGORIES[p.category[i]]
            promised = date.fromordinal(rng.randint(start, end))
            if rng.random() < 0.9:
                delivered = promised - timedelta(days=int(rng.random() < 0.05))
            else:
                delivered = promised + timedelta(days=rng.randint(1, 7))
            quantity = rng.randint(5, 120)
            broken = rng.randint(1, max(1, quantity // 10)) if rng.random() < 0.08 else 0
            rows.append(
                Delivery(
                    workspace_id=ws,
                    supplier_id=p.cast.ids[i],
                    reference=f"D{written + len(rows):07d}",
                    item=item,
                    ordered_on=promised - timedelta(days=rng.randint(1, 14)),
                    promised_on=promised,
                    delivered_on=delivered if delivered <= p.end else None,
                    quantity=Decimal(quantity),
                    defective_quantity=Decimal(broken),
                    value=Decimal(round(quantity * price * 100)).scaleb(-2),
                )
            )
        Delivery.objects.bulk_create(rows)
        written += len(rows)
    return written


def _community_events(p: Plan, count: int) -> int:
    """Events, most with a partner organisation, each staffed by up to six employees."""
    rng, ws = p.rng, p.workspace.pk
    staff = p.cast.of(Group.EMPLOYEE)
    titles = (
        "School fair stall",
        "Baking workshop",
        "Food bank collection",
        "Football club sponsorship",
        "Neighbourhood clean-up",
        "Christmas market",
    )
    events, helpers = [], []
    for _ in range(count):
        day = p.day_between(p.start.toordinal(), p.end.toordinal())
        partner = rng.choice(p.partners) if rng.random() < 0.85 else None
        events.append(
            CommunityEvent(
                workspace_id=ws,
                title=rng.choice(titles),
                date=day,
                partner_id=p.cast.ids[partner] if partner is not None else None,
                attendance=rng.randint(20, 500),
            )
        )
        on_staff = [i for i in rng.sample(staff, min(len(staff), 12)) if _active(p, i, day)]
        helpers.append(on_staff[: rng.randint(1, 6)])
    CommunityEvent.objects.bulk_create(events, batch_size=BATCH)
    link = CommunityEvent.staff_participants.through
    links = [
        link(communityevent_id=event.pk, person_id=p.cast.ids[i])
        for event, staffed in zip(events, helpers, strict=True)
        for i in staffed
    ]
    link.objects.bulk_create(links, batch_size=BATCH)
    return len(events) + len(links)


def _active(p: Plan, i: int, day: date) -> bool:
    return p.cast.lo[i] <= day.toordinal() <= p.cast.hi[i]


def _chunks(total: int):
    while total > 0:
        yield min(BATCH, total)
        total -= BATCH


def _purchases(p: Plan, count: int) -> int:
    rng, ws = p.rng, p.workspace.pk
    customers = p.cast.of(Group.CUSTOMER)
    segment = {s[0]: s for s in SEGMENTS}
    weights = [segment[p.cast.segment[i]][2] * (p.cast.hi[i] - p.cast.lo[i] + 1) for i in customers]
    cumulative = list(accumulate(weights))
    written = 0
    for size in _chunks(count):
        rows = []
        for i in rng.choices(customers, cum_weights=cumulative, k=size):
            name, _share, _p, _i, (low, high) = segment[p.cast.segment[i]]
            cents = rng.randint(low * 100, high * 100)
            if name == "Online orders":
                location = "Website"
            elif rng.random() < 0.8:
                location = SHOPS[p.cast.shop[i]]
            else:
                location = rng.choice(SHOPS)
            rows.append(
                Purchase(
                    workspace_id=ws,
                    person_id=p.cast.ids[i],
                    purchased_on=date.fromordinal(rng.randint(p.cast.lo[i], p.cast.hi[i])),
                    amount=Decimal(cents).scaleb(-2),
                    quantity=max(1, cents // 260),
                    location=location,
                )
            )
        Purchase.objects.bulk_create(rows)
        written += len(rows)
    return written


# --- what people write, and what Rapport read in it ---------------------------------------


def _themes(p: Plan) -> int:
    """One theme per topic, with a real centroid, so messages that arrive later can be placed."""
    from rapport.engine.text.encoder import default_encoder

    encoder = default_encoder()
    rows = []
    for topic, (name, _group) in THEMES.items():
        sentences = [text for texts in TOPICS[topic].values() for text in texts]
        centre = encoder.encode(sentences).mean(axis=0)
        centre = centre / float((centre**2).sum() ** 0.5)
        key = f"t-{topic}"
        p.themes[topic] = key
        rows.append(
            Theme(
                workspace=p.workspace,
                key=key,
                name=name,
                phrases=[w for w in name.lower().split() if w != "and"],
                centroid=[round(float(x), 5) for x in centre],
                size=0,
            )
        )
    Theme.objects.bulk_create(rows)
    return len(rows)


def _text(rng: random.Random, topic: str, mood: str) -> str:
    return rng.choice(TOPICS[topic][mood])


def _mood(rng: random.Random, negative: float = 0.25) -> str:
    r = rng.random()
    return "negative" if r < negative else "neutral" if r < negative + 0.3 else "positive"


def _customer_topic(p: Plan, mood: str, segment: str = "") -> tuple[str, str]:
    """What a customer writes about; office catering accounts mostly about their orders."""
    if segment == COOLING_SEGMENT and p.rng.random() < 0.5:
        return "orders", mood
    return p.rng.choice(TOPICS_OF[Group.CUSTOMER]), mood


def _band_mood(score: int) -> str:
    return "positive" if score >= 9 else "neutral" if score >= 7 else "negative"


def _reading_fields(p: Plan, mood: str, topic: str) -> dict:
    """A plausible reading of a text of this mood and topic, as the shipped model stores it."""
    rng = p.rng
    flip = rng.random() < 0.08  # the model is sometimes wrong
    label = rng.choice(("negative", "neutral", "positive")) if flip else mood
    low, high = {"negative": (-0.95, -0.3), "neutral": (-0.2, 0.2), "positive": (0.3, 0.95)}[label]
    score = round(rng.uniform(low, high), 4)
    main = {
        "negative": ("anger", "frustration", "sadness", "fear"),
        "neutral": ("neutral", "confusion"),
        "positive": ("joy", "gratitude", "love"),
    }[label]
    groups = {g: round(rng.uniform(0.005, 0.06), 4) for g in EMOTION_GROUPS}
    strongest = rng.choice(main)
    groups[strongest] = round(rng.uniform(0.45, 0.95), 4)
    second = rng.choice(main)
    groups[second] = max(groups[second], round(rng.uniform(0.1, 0.5), 4))
    emotions = {EMOTION_GROUPS[g][0]: v for g, v in groups.items() if v >= 0.02}
    emotions = dict(sorted(emotions.items(), key=lambda kv: -kv[1])[:8])
    needs = label == "negative" and score < -0.6
    return {
        "model_version": p.version,
        "language": "en",
        "language_supported": True,
        "sentiment": label,
        "sentiment_score": score,
        "sentiment_confidence": round(rng.uniform(0.55, 0.98), 4),
        "emotions": emotions,
        "emotion_groups": groups,
        "detected_groups": [g for g, v in groups.items() if v >= 0.3],
        "needs_human_score": round(rng.uniform(0.6, 0.95) if needs else rng.uniform(0, 0.4), 4),
        "needs_human": needs,
        "reasons": [
            {"code": "anger", "label": "Strong anger or abuse", "evidence": "", "weight": 0.4}
        ]
        if needs and strongest == "anger"
        else [],
        "toxicity": round(rng.uniform(0, 0.05), 4),
        "themes": [p.themes[topic]] if p.themes.get(topic) else [],
    }


# --- the timeline -----------------------------------------------------------------------


def _timeline(
    p: Plan,
    count: int,
    *,
    when: Callable[[], datetime] | None = None,
    limit: datetime | None = None,
) -> int:
    """``count`` interactions: conversations (an inbound message, a reply, sometimes a second
    round), proactive messages and internal notes. ``when`` picks a conversation's start
    (default: a day in the person's relationship, in opening hours); nothing is kept at or
    after ``limit`` (default: midnight today): a reply that would fall there leaves its
    message open."""
    rng, cast, ws = p.rng, p.cast, p.workspace.pk
    limit = limit or p.cutoff
    weight_of = {s[0]: s[3] for s in SEGMENTS}
    group_weight = {Group.EMPLOYEE: 6.0, Group.SUPPLIER: 6.0, Group.COMMUNITY: 2.0}
    weights = [
        (weight_of.get(cast.segment[i], 1.0) if g == Group.CUSTOMER else group_weight[g])
        * (cast.hi[i] - cast.lo[i] + 1)
        for i, g in enumerate(cast.group)
    ]
    cumulative = list(accumulate(weights))
    channels = {g: ([c for c, _ in pairs], [w for _, w in pairs]) for g, pairs in CHANNELS.items()}
    humans = p.members[1:] or p.members
    written = 0
    pending: list[Interaction] = []
    to_read: list[tuple[Interaction, str, str]] = []
    sizes: Counter[str] = Counter()

    def add(i, at, channel, direction, text, by=None, thread="", is_open=False):
        row = Interaction(
            workspace_id=ws,
            person_id=cast.ids[i],
            occurred_at=at,
            channel=channel,
            direction=direction,
            handled_by_id=by.pk if isinstance(by, Membership) else None,
            handled_by_automation_id=by.pk if isinstance(by, Automation) else None,
            text=text,
            thread_key=thread,
            is_open=is_open,
            created_at=at,
        )
        pending.append(row)
        return row

    def flush():
        nonlocal written
        Interaction.objects.bulk_create(pending)
        InteractionReading.objects.bulk_create(
            [
                InteractionReading(
                    workspace_id=ws,
                    interaction_id=row.pk,
                    analysed_at=row.occurred_at + timedelta(seconds=30),
                    **_reading_fields(p, mood, topic),
                )
                for row, topic, mood in to_read
            ]
        )
        written += len(pending) + len(to_read)
        sizes.update(topic for _row, topic, _mood in to_read)
        pending.clear()
        to_read.clear()

    made = 0
    while made < count:
        i = rng.choices(range(len(cast.ids)), cum_weights=cumulative)[0]
        group = cast.group[i]
        start = when() if when else p.some_time(p.day_between(cast.lo[i], cast.hi[i]))
        if start >= limit:
            continue
        p.touched.add(i)
        kind = rng.random()
        if kind >= 0.94:
            add(i, start, "other", Direction.INTERNAL, rng.choice(NOTES), by=rng.choice(humans))
            made += 1
        elif kind >= 0.82:
            bot = group == Group.CUSTOMER and rng.random() < 0.7
            add(
                i,
                start,
                "email",
                Direction.OUTBOUND,
                rng.choice(NEWSLETTERS if bot else CHECK_INS),
                by=p.bot[AutomationKind.CAMPAIGN] if bot else rng.choice(humans),
            )
            made += 1
        else:
            made += _conversation(p, i, start, limit, channels[group], humans, add, to_read)
        if made > count:  # the last conversation ran over: drop its tail
            del pending[len(pending) - (made - count) :]
            kept = {id(row) for row in pending}
            to_read[:] = [r for r in to_read if id(r[0]) in kept]
            made = count
        if len(pending) >= BATCH:
            flush()
    flush()
    # A theme's size is how many read messages it holds, as discovery counts them.
    for topic, n in sizes.items():
        if topic in p.themes:
            Theme.objects.filter(workspace_id=ws, key=p.themes[topic]).update(size=F("size") + n)
    return written


def _conversation(p: Plan, i, start, limit, channels, humans, add, to_read) -> int:
    """One conversation; returns how many rows it added."""
    rng, cast = p.rng, p.cast
    group = cast.group[i]
    channel = rng.choices(*channels)[0]
    negative = 0.25
    if cast.segment[i] == COOLING_SEGMENT or cast.team[i] == STRAINED_TEAM:
        negative += 0.35 * p.story(start.date())
    if group == Group.CUSTOMER:
        topic, mood = _customer_topic(p, _mood(rng, negative), cast.segment[i])
    else:
        topic, mood = rng.choice(TOPICS_OF[group]), _mood(rng, negative)
    analyse = cast.may_analyse[i]

    def inbound(at, by, thread, is_open):
        row = add(i, at, channel, Direction.INBOUND, _text(rng, topic, mood), by, thread, is_open)
        if analyse and rng.random() < READ_SHARE:
            to_read.append((row, topic, mood))

    # Said at the counter or on the phone: answered there and then by whoever was on duty.
    if channel not in WRITTEN:
        inbound(start, rng.choice(humans), "", False)
        return 1
    thread = f"th-{p.rng.getrandbits(48):012x}"
    rows, at = 0, start
    for round_ in range(2):
        by = None
        if rng.random() >= UNANSWERED:
            use_bot = (
                group == Group.CUSTOMER
                and channel != "review"
                and round_ == 0
                and rng.random() < BOT_SHARE
            )
            bot = AutomationKind.CHATBOT if channel == "chat" else AutomationKind.AUTORESPONDER
            by = p.bot[bot] if use_bot else rng.choice(humans)
        reply_at = _reply_time(rng, at, by) if by else None
        if by is None or reply_at >= limit:
            recent = (limit - at) <= timedelta(days=OPEN_DAYS)
            inbound(at, None, thread, recent)
            return rows + 1
        inbound(at, by, thread, False)
        text = (
            rng.choice(BOT_REPLIES)
            if isinstance(by, Automation)
            else rng.choice(MEMBER_REPLIES[mood])
        )
        add(i, reply_at, channel, Direction.OUTBOUND, text, by, thread)
        rows += 2
        # A bot's answer often brings a second message; a person's answer sometimes does.
        again = 0.35 if isinstance(by, Automation) else 0.12
        if rng.random() >= again:
            return rows
        at = reply_at + timedelta(minutes=rng.randint(2, 48 * 60))
        if at >= limit:
            return rows
    return rows


def _reply_time(rng: random.Random, after: datetime, by) -> datetime:
    """Automations answer in seconds; people within 1 to 72 hours, most within a working day."""
    if isinstance(by, Automation):
        return after + timedelta(seconds=rng.randint(3, 120))
    hours = min(72.0, max(1.0, rng.lognormvariate(1.8, 1.0)))
    return after + timedelta(hours=hours)


# --- surveys ------------------------------------------------------------------------------


class _Writer:
    """Responses, answers and readings waiting for bulk_create, shaped by prepare_response."""

    def __init__(self, p: Plan):
        self.p = p
        self.responses: list[Response] = []
        self.answers: list[Answer] = []
        self.readings: list[ResponseReading] = []
        self.invitations: list[Invitation] = []
        self.written = 0

    def add(self, survey, answers, *, now, person=None, channel, round_key="", read=None):
        prepared = feedback.prepare_response(
            survey,
            answers,
            channel=channel,
            person=person,
            now=now,
            round_key=round_key,
            may_contact=person is not None,
        )
        response = prepared.response
        self.responses.append(response)
        self.answers.extend(prepared.answers)
        has_text = any(isinstance(v, str) and v for v in answers.values())
        if read and has_text and self.p.rng.random() < READ_SHARE:
            topic, mood = read
            self.readings.append(
                ResponseReading(
                    workspace=self.p.workspace,
                    response=response,
                    source_field="answers",
                    analysed_at=now + timedelta(minutes=1),
                    **_reading_fields(self.p, mood, topic),
                )
            )
        self._follow_up(response, now)
        if len(self.answers) >= BATCH:
            self.flush()
        return response

    def _follow_up(self, response: Response, now: datetime) -> None:
        """Most actionable feedback older than two weeks was acknowledged; about half closed."""
        rng, p = self.p.rng, self.p
        if not response.actionable or now.date() > p.end - timedelta(days=14):
            return
        if rng.random() >= 0.65:
            return
        response.owner = rng.choice(p.members[:3])
        response.status = FollowUp.ACKNOWLEDGED
        response.acknowledged_at = now + timedelta(hours=rng.randint(2, 96))
        if rng.random() < 0.55:
            response.status = FollowUp.DONE
            response.done_at = response.acknowledged_at + timedelta(days=rng.randint(1, 14))
            response.what_we_did = "Called back and put it right."

    def flush(self) -> None:
        Invitation.objects.bulk_create(self.invitations, batch_size=BATCH)
        Response.objects.bulk_create(self.responses, batch_size=BATCH)
        Answer.objects.bulk_create(self.answers, batch_size=BATCH)
        ResponseReading.objects.bulk_create(self.readings, batch_size=BATCH)
        self.written += (
            len(self.invitations) + len(self.responses) + len(self.answers) + len(self.readings)
        )
        for rows in (self.invitations, self.responses, self.answers, self.readings):
            rows.clear()


def _person_stub(p: Plan, i: int) -> Person:
    """Enough of a Person for prepare_response: its key and report dimensions."""
    return Person(
        pk=p.cast.ids[i],
        workspace_id=p.workspace.pk,
        group=p.cast.group[i],
        segment=p.cast.segment[i],
        team_id=p.team_ids.get(p.cast.team[i]),
    )


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _open_survey(p: Plan, blueprint: str, **settings):
    survey = feedback.create_survey(
        p.workspace, blueprint=blueprint, created_by=p.members[0], **settings
    )
    survey.status = SurveyStatus.OPEN
    survey.created_at = p.at(p.start, 9)
    survey.save(update_fields=["status", "created_at"])
    return survey, {q.key: q for q in survey.questions.all()}


def _surveys(p: Plan, answers: int) -> int:
    """The five surveys: the suppliers' and the neighbourhood's first (their size follows
    from the people), then NPS, CSAT and the pulse share what is left of ``answers``."""
    rng = p.rng
    w = _Writer(p)
    start, end = p.start, p.end

    # Suppliers: a quarterly, confidential check, answered by most organisations.
    survey, q = _open_survey(p, "supplier_check")
    quarters = 4 * p.years
    for n in range(quarters):
        day = start + timedelta(days=91 * n + 10)
        key = feedback.round_of(survey, day)
        for org in p.supplier_orgs:
            if rng.random() >= 0.7:
                continue
            values = {
                q["nps"]: _clip(rng.gauss(7.8, 1.5), 0, 10),
                q["orders"]: _clip(rng.gauss(3.6, 0.8), 1, 5),
                q["payment"]: _clip(rng.gauss(4.2, 0.7), 1, 5),
                q["communication"]: _clip(rng.gauss(3.9, 0.8), 1, 5),
            }
            topic, mood = rng.choice(TOPICS_OF[Group.SUPPLIER]), _mood(rng, 0.4)
            if rng.random() < 0.2:
                values[q["change"]] = _text(rng, topic, mood)
            respondent = p.first_contact.get(org, org)
            w.add(
                survey,
                values,
                now=p.some_time(day + timedelta(days=rng.randint(0, 20)), 8, 18),
                person=_person_stub(p, respondent),
                channel="personal",
                round_key=key,
                read=(topic, mood),
            )

    # The neighbourhood: an anonymous survey behind a public link, ten answers per partner.
    survey, q = _open_survey(p, "community_perception")
    options = q["relation"].options
    for _ in range(10 * len(p.partners)):
        values = {q["rating"]: _clip(rng.gauss(4.1, 0.9), 1, q["rating"].scale_max)}
        if rng.random() < 0.9:
            values[q["contributes"]] = _clip(rng.gauss(3.8, 0.9), 1, 5)
        if rng.random() < 0.8:
            values[q["relation"]] = [rng.choice(options)]
        mood = _mood(rng, 0.2)
        if rng.random() < 0.3:
            values[q["ideas"]] = _text(rng, "neighbourhood", mood)
        day = p.day_between(start.toordinal(), end.toordinal())
        w.add(
            survey,
            values,
            now=p.some_time(day),
            channel="public",
            read=("neighbourhood", mood),
        )

    w.flush()
    rest = max(0, answers - Answer.objects.filter(response__workspace=p.workspace).count())
    # Divided by the answers each response has on average (see the shares in each survey).
    _customer_nps(p, w, round(rest * ANSWER_SPLIT["nps"] / 1.6))
    _post_visit(p, w, round(rest * ANSWER_SPLIT["csat"] / 2.45))
    _pulse(p, w, round(rest * ANSWER_SPLIT["pulse"] / 5.18))
    w.flush()
    return w.written


def _customer_nps(p: Plan, w: _Writer, responses: int) -> None:
    """Identified NPS from customers with an email; office catering cools off lately."""
    rng, cast = p.rng, p.cast
    survey, q = _open_survey(p, "customer_nps")
    candidates = [i for i in cast.of(Group.CUSTOMER) if cast.has_email[i]]
    for _ in range(responses):
        i = rng.choice(candidates)
        day = p.day_between(cast.lo[i], cast.hi[i])
        mean = 8.4 - (3.5 * p.story(day) if cast.segment[i] == COOLING_SEGMENT else 0.0)
        score = _clip(rng.gauss(mean, 1.8), 0, 10)
        topic, mood = _customer_topic(p, _band_mood(score), cast.segment[i])
        values = {q["nps"]: score}
        if rng.random() < SURVEY_TEXT_SHARE["reason"]:
            values[q["reason"]] = _text(rng, topic, mood)
        if rng.random() < SURVEY_TEXT_SHARE["improve"]:
            values[q["improve"]] = _text(rng, topic, "negative" if score < 9 else "neutral")
        w.add(
            survey,
            values,
            now=p.some_time(day),
            person=_person_stub(p, i),
            channel="personal",
            read=(topic, mood),
        )


def _post_visit(p: Plan, w: _Writer, responses: int) -> None:
    """Anonymous CSAT behind a QR code on the till: no person, the week only."""
    rng = p.rng
    survey, q = _open_survey(p, "post_visit_csat", anonymity=Anonymity.ANONYMOUS)
    options = q["stood_out"].options
    for _ in range(responses):
        day = p.day_between(p.start.toordinal(), p.end.toordinal())
        score = _clip(rng.gauss(4.2, 0.9), 1, 5)
        values = {q["csat"]: score}
        if rng.random() < 0.85:
            values[q["ces"]] = _clip(rng.gauss(5.8, 1.2), 1, 7)
        if rng.random() < 0.4:
            values[q["stood_out"]] = rng.sample(options, rng.randint(1, 2))
        mood = "positive" if score >= 4 else "neutral" if score == 3 else "negative"
        topic, mood = _customer_topic(p, mood)
        if rng.random() < SURVEY_TEXT_SHARE["comment"]:
            values[q["comment"]] = _text(rng, topic, mood)
        w.add(survey, values, now=p.some_time(day), channel="public", read=(topic, mood))


def _pulse(p: Plan, w: _Writer, responses: int) -> None:
    """A monthly anonymous pulse: eNPS and four rotating engagement items, two open questions.
    Everyone on staff gets a personal link; the response keeps the team, never the person."""
    rng, cast = p.rng, p.cast
    survey, q = _open_survey(p, "employee_pulse", schedule=Schedule.MONTHLY, rotating_per_round=4)
    staff = cast.of(Group.EMPLOYEE)
    months = 12 * p.years
    per_round = max(1, round(responses / months))
    for n in range(1, months + 1):
        year, month = divmod(p.start.month - 1 + n, 12)
        day = date(p.start.year + year, month + 1, 1)
        if day > p.end:
            break
        key = feedback.round_of(survey, day)
        questions = feedback.questions_for_round(survey, key)
        on_staff = [i for i in staff if _active(p, i, day)]
        answering = set(rng.sample(on_staff, min(per_round, len(on_staff))))
        for i in on_staff:
            w.invitations.append(
                Invitation(
                    workspace=p.workspace,
                    survey=survey,
                    person_id=cast.ids[i],
                    round=key,
                    sent_at=p.at(day, 8),
                    answered=i in answering,
                )
            )
        for i in sorted(answering):
            strain = p.story(day) if cast.team[i] == STRAINED_TEAM else 0.0
            values = {}
            for question in questions:
                if question.kind == QuestionKind.ENPS:
                    values[question] = _clip(rng.gauss(7.6 - 4.0 * strain, 1.8), 0, 10)
                elif question.kind == QuestionKind.LIKERT and rng.random() < 0.97:
                    hit = 1.6 if question.topic in ("workload", "wellbeing") else 0.6
                    values[question] = _clip(rng.gauss(3.9 - hit * strain, 0.8), 1, 5)
            mood = "negative" if rng.random() < 0.2 + 0.5 * strain else "positive"
            topic = rng.choice(TOPICS_OF[Group.EMPLOYEE])
            if rng.random() < SURVEY_TEXT_SHARE["pulse"]:
                values[q["went_well"]] = _text(rng, topic, "positive")
            if rng.random() < SURVEY_TEXT_SHARE["pulse"]:
                values[q["better"]] = _text(rng, topic, mood)
            answered = min(day + timedelta(days=rng.randint(0, 9)), p.end)
            w.add(
                survey,
                values,
                now=p.some_time(answered),
                person=_person_stub(p, i),
                channel="personal",
                round_key=key,
                read=(topic, mood),
            )


def _refresh_dates(p: Plan) -> int:
    refresh_contact_dates(p.cast.ids)
    customers = [p.cast.ids[i] for i in p.cast.of(Group.CUSTOMER)]
    refresh_purchase_dates(customers)
    return len(p.cast.ids) + len(customers)
