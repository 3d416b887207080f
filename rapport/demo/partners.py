"""Suppliers and community partners of Maison Levain, their deliveries, events and messages.

Story 2 lives here: the flour mill delivers on time about 95% of the time in the first year,
then slips to about 60% over the last five months, with complaints from the bakery and
apologies from the mill in between.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rapport.demo import texts
from rapport.demo.builder import Builder
from rapport.demo.names import NameMaker, ascii_slug
from rapport.demo.staff import BAKEHOUSE, Employee
from rapport.engine.periods import week_start
from rapport.people.choices import Channel, CommunityKind, Direction, Group, PartyKind
from rapport.people.models import CommunityEvent, Delivery, Person


@dataclass(frozen=True)
class Supplier:
    key: str
    name: str
    category: str
    contact_title: str
    member: str  # who keeps the relationship and receives the goods
    item: str = ""
    unit: str = ""
    weekdays: tuple[int, ...] = ()
    every_weeks: int = 1
    quantity: tuple[int, int] = (0, 0)
    unit_price: float = 0.0
    on_time: float = 0.95
    defect_rate: float = 0.0
    lead_days: int = 2
    tags: tuple[str, ...] = ()


MILL = "mill"
SUPPLIERS = (
    Supplier(
        MILL,
        "Moulin des Trois Ponts",
        "Flour mill",
        "Sales and logistics",
        "bakehouse",
        "T65 wheat flour",
        "sacks (25 kg)",
        (1, 4),
        1,
        (16, 28),
        21.5,
        0.96,
        0.01,
        tags=("critical",),
    ),
    Supplier(
        "dairy",
        "Laiterie du Val Fleuri",
        "Dairy",
        "Account manager",
        "bakehouse",
        "AOP butter, cream and milk",
        "crates",
        (1, 3, 5),
        1,
        (8, 14),
        46.0,
        0.96,
        0.02,
        tags=("critical", "local"),
    ),
    Supplier(
        "eggs",
        "Ferme des Coteaux",
        "Eggs",
        "Farmer",
        "bakehouse",
        "free-range eggs",
        "trays of 30",
        (2, 5),
        1,
        (20, 40),
        7.2,
        0.94,
        0.06,
        tags=("critical", "local"),
    ),
    Supplier(
        "packaging",
        "Emballages Verts",
        "Packaging",
        "Customer service",
        "office",
        "paper bags and cake boxes",
        "cartons",
        (2,),
        4,
        (10, 25),
        38.0,
        0.9,
        0.08,
        7,
    ),
    Supplier("courier", "Coursiers du Canal", "Courier", "Dispatcher", "office"),
    Supplier(
        "coffee",
        "Torréfaction Atelier Noir",
        "Coffee roaster",
        "Roaster",
        "office",
        "espresso beans",
        "kg",
        (3,),
        2,
        (12, 20),
        19.0,
        0.97,
        0.0,
        3,
        tags=("local",),
    ),
    Supplier(
        "accountant", "Cabinet Lefèvre & Associés", "Accountant", "Chartered accountant", "owner"
    ),
    Supplier(
        "maintenance",
        "Fournil Service Maintenance",
        "Equipment maintenance",
        "Technician",
        "bakehouse",
        "preventive service of ovens and mixers",
        "visit",
        (2,),
        13,
        (1, 1),
        420.0,
        0.9,
        0.0,
        14,
    ),
)


@dataclass(frozen=True)
class Partner:
    key: str
    name: str
    kind: str
    contact_title: str
    member: str


PARTNERS = (
    Partner(
        "school", "École élémentaire des Tilleuls", CommunityKind.SCHOOL, "Headteacher", "owner"
    ),
    Partner(
        "neighbours",
        "Association Vivre Saint-Roch",
        CommunityKind.ASSOCIATION,
        "President",
        "manager",
    ),
    Partner("press", "Le Petit Écho de Valmont", CommunityKind.PRESS, "Food journalist", "owner"),
    Partner(
        "foodbank",
        "Banque alimentaire du Canal",
        CommunityKind.CHARITY,
        "Volunteer coordinator",
        "oldtown",
    ),
    Partner(
        "market",
        "Association des commerçants du Marché couvert",
        CommunityKind.BUSINESS,
        "Secretary",
        "manager",
    ),
    Partner("football", "FC Valmont Gare", CommunityKind.ASSOCIATION, "Youth coach", "station"),
    Partner(
        "council",
        "Mairie de Valmont, service culture",
        CommunityKind.COUNCIL,
        "Events officer",
        "owner",
    ),
)

# Each year's calendar: (partner, title, month, day, attendance range).
EVENTS = (
    ("school", "Bread-making workshop at École des Tilleuls", 3, 14, (40, 55)),
    ("neighbours", "Neighbourhood clean-up breakfast", 4, 12, (40, 70)),
    ("market", "Spring market night", 5, 22, (250, 400)),
    ("football", "FC Valmont Gare youth tournament", 5, 30, (120, 200)),
    ("neighbours", "Saint-Roch neighbourhood fête", 6, 15, (300, 500)),
    ("school", "École des Tilleuls summer fête", 6, 27, (150, 250)),
    ("council", "Heritage days: open bakehouse", 9, 20, (180, 260)),
    ("football", "FC Valmont Gare autumn tournament", 9, 27, (100, 160)),
    ("press", "Open bakehouse morning for Petit Écho readers", 10, 4, (30, 45)),
    ("school", "Class visit to the bakehouse", 11, 7, (25, 30)),
    ("foodbank", "Food bank winter collection day", 11, 29, (80, 140)),
    ("market", "Christmas market stall", 12, 13, (600, 900)),
)


def _org_domain(name: str) -> str:
    return f"{ascii_slug(name, '-')[:40].strip('-')}.example.org"


def _organisations(b: Builder, names: NameMaker, specs, group: str) -> dict[str, Person]:
    orgs, contacts = {}, []
    for number, spec in enumerate(specs, start=1):
        org = Person(
            workspace=b.workspace,
            group=group,
            kind=PartyKind.ORGANISATION,
            name=spec.name,
            external_id=f"{'S' if group == Group.SUPPLIER else 'P'}-{number:02d}",
            email=f"contact@{_org_domain(spec.name)}",
            phone=names.phone(mobile=False),
            address=names.address(),
            owner=b.members[spec.member],
            category=getattr(spec, "category", ""),
            community_kind=getattr(spec, "kind", ""),
            created_at=b.at(b.start, 9),
            updated_at=b.at(b.start, 9),
        )
        orgs[spec.key] = org
    Person.objects.bulk_create(list(orgs.values()))
    for spec in specs:
        first, last = names.person()
        contacts.append(
            Person(
                workspace=b.workspace,
                group=group,
                name=f"{first} {last}",
                organisation=orgs[spec.key],
                job_title=spec.contact_title,
                email=f"{ascii_slug(first)}.{ascii_slug(last, '')}@{_org_domain(spec.name)}",
                phone=names.phone(),
                owner=b.members[spec.member],
                created_at=b.at(b.start, 9),
                updated_at=b.at(b.start, 9),
            )
        )
    Person.objects.bulk_create(contacts)
    for spec in specs:
        for tag in getattr(spec, "tags", ()):
            b.tag(orgs[spec.key], tag)
    return orgs


def _mill_on_time(b: Builder, day: date) -> float:
    """95%+ through the first year and a half, sliding to about 60% over the last five months."""
    days_left = (b.as_of - day).days
    if days_left > 240:
        return 0.96
    if days_left > 150:
        return 0.96 - 0.36 * (240 - days_left) / 90
    return 0.58


def generate_suppliers(b: Builder, staff: list[Employee]) -> dict[str, Person]:
    """Create the suppliers with a contact each, their deliveries and their correspondence."""
    names = NameMaker(b.rng("supplier-names"))
    orgs = _organisations(b, names, SUPPLIERS, Group.SUPPLIER)
    receivers = [e.first for e in staff if e.role.team == BAKEHOUSE and e.end is None]
    for spec in SUPPLIERS:
        rng = b.rng("supplier", spec.key)
        org, member = orgs[spec.key], b.members[spec.member]
        if spec.weekdays:
            _deliveries(b, rng, spec, org, member, receivers)
        _invoices(b, rng, spec, org)
        _correspondence(b, rng, spec, org, member)
    return orgs


def _deliveries(b, rng, spec: Supplier, org: Person, member, receivers: list[str]) -> None:
    week = 0
    previous_monday = None
    for day in b.days():
        monday = week_start(day)
        if monday != previous_monday:
            week, previous_monday = week + 1, monday
        if day.weekday() not in spec.weekdays or week % spec.every_weeks:
            continue
        if day.month == 8 and 5 <= day.day <= 18:  # the August closure: standing orders pause
            continue
        on_time = _mill_on_time(b, day) if spec.key == MILL else spec.on_time
        late = 0 if rng.random() < on_time else rng.choice((1, 1, 1, 2, 2, 3, 5))
        quantity = rng.randint(*spec.quantity)
        if day.month == 12 and spec.unit != "visit":
            quantity = round(quantity * 1.4)
        defect = rng.randint(1, max(1, quantity // 8)) if rng.random() < spec.defect_rate else 0
        delivered = day + timedelta(days=late)
        reference = f"{spec.key[:3].upper()}-{day:%y%m%d}"
        value = Decimal(f"{quantity * spec.unit_price:.2f}")
        b.deliveries.append(
            Delivery(
                workspace=b.workspace,
                supplier=org,
                reference=reference,
                item=spec.item,
                ordered_on=day - timedelta(days=spec.lead_days),
                promised_on=day,
                delivered_on=delivered if delivered <= b.end else None,
                quantity=Decimal(quantity),
                defective_quantity=Decimal(defect),
                value=value,
            )
        )
        slots = {
            "ref": reference,
            "quantity": str(quantity),
            "unit": spec.unit,
            "item": spec.item,
            "staff": rng.choice(receivers),
            "late": str(late),
            "defect": str(defect),
        }
        if delivered > b.end:
            continue
        key = "delivery_defect" if defect else "delivery_late" if late else "delivery_ok"
        when = b.random_time(rng, delivered, 5 if late == 0 else 9, 8 if late == 0 else 16)
        b.add(
            org,
            when,
            Channel.DELIVERY,
            Direction.INBOUND,
            texts.render(rng, key, **slots),
            by=member,
        )
        if late and spec.key == MILL and (b.as_of - day).days <= 240 and rng.random() < 0.6:
            _mill_exchange(b, rng, org, member, day, reference)


def _mill_exchange(b, rng, org, member, day: date, reference: str) -> None:
    when = b.random_time(rng, day + timedelta(days=1), 8, 11)
    steps = [(Direction.OUTBOUND, texts.render(rng, "mill_complaint", ref=reference), member)]
    if rng.random() < 0.7:
        steps.append(
            (Direction.INBOUND, texts.render(rng, "mill_apology", day=f"{day:%A}"), member)
        )
    channel = Channel.EMAIL if rng.random() < 0.7 else Channel.PHONE
    b.conversation(
        rng,
        org,
        when,
        channel,
        steps,
        subject=texts.subject(rng, "mill_complaint", ref=reference),
        thread_prefix="sup",
    )


def _invoices(b, rng, spec: Supplier, org: Person) -> None:
    office = b.members["office"]
    month = b.start.replace(day=1)
    while month <= b.end:
        day = month + timedelta(days=rng.randint(1, 6))
        if spec.key == "accountant" and month.month not in (1, 4, 7, 10):
            month = (month + timedelta(days=32)).replace(day=1)
            continue
        ref = f"F{day:%y%m}-{rng.randint(100, 999)}"
        steps = [(Direction.INBOUND, texts.render(rng, "invoice", ref=ref), office)]
        if rng.random() < 0.08:
            steps.append((Direction.OUTBOUND, texts.render(rng, "invoice_query", ref=ref), office))
        b.conversation(
            rng,
            org,
            b.random_time(rng, day, 8, 17),
            Channel.EMAIL,
            steps,
            subject=texts.subject(rng, "invoice", ref=ref),
            thread_prefix="sup",
        )
        month = (month + timedelta(days=32)).replace(day=1)


def _correspondence(b, rng, spec: Supplier, org: Person, member) -> None:
    def exchange(
        on,
        key,
        reply_key,
        channel=Channel.EMAIL,
        opener=Direction.INBOUND,
        open_chance=0.0,
        **slots,
    ):
        reply_direction = Direction.OUTBOUND if opener == Direction.INBOUND else Direction.INBOUND
        slots = texts.draw_slots(rng, **slots)
        steps = [(opener, texts.render(rng, key, **slots), member)]
        if reply_key:
            steps.append((reply_direction, texts.render(rng, reply_key, **slots), member))
        b.conversation(
            rng,
            org,
            b.random_time(rng, on, 8, 17),
            channel,
            steps,
            subject=texts.subject(rng, key, **slots),
            thread_prefix="sup",
            open_chance=open_chance,
        )

    def monthly(rate_per_month, rate_fn=None):
        for day in b.days():
            rate = rate_fn(day) if rate_fn else rate_per_month
            if rng.random() < rate / 30.4:
                yield day

    if spec.key in (MILL, "dairy", "eggs", "packaging", "coffee"):
        for day in monthly(0.35):
            exchange(day, "supplier_order", "supplier_order_reply", opener=Direction.OUTBOUND)
        for year in range(b.start.year, b.as_of.year + 1):
            notice = date(year, 1, 10) + timedelta(days=rng.randint(0, 60))
            if spec.key in (MILL, "dairy") and b.start <= notice <= b.end:
                exchange(notice, "price_notice", "")
    if spec.key == MILL:
        # The mill writes of its own accord too once things go wrong.
        for days_left in (140, 95, 52, 20):
            exchange(
                b.as_of - timedelta(days=days_left + rng.randint(0, 6)),
                "mill_apology",
                "",
                day="Thursday",
            )
    if spec.key == "maintenance":
        rate = lambda d: 0.25 + 1.2 * b.progress(d)  # noqa: E731 - the mixer breaks more and more
        for day in monthly(0, rate):
            equipment = (
                "spiral mixer"
                if rng.random() < 0.5 + 0.4 * b.progress(day)
                else rng.choice(texts.SLOTS["equipment"])
            )
            exchange(
                day,
                "breakdown_call",
                "breakdown_reply",
                channel=Channel.PHONE,
                opener=Direction.OUTBOUND,
                equipment=equipment,
            )
            b.add(
                org,
                b.random_time(rng, day + timedelta(days=1), 13, 17),
                Channel.VISIT,
                Direction.INBOUND,
                texts.render(rng, "maintenance_report", equipment=equipment),
                by=member,
            )
    if spec.key == "accountant":
        for day in monthly(1.0):
            exchange(day, "accountant_monthly", "accountant_reply", open_chance=0.5)
    if spec.key == "courier":
        for day in monthly(1.2):
            exchange(day, "courier", "courier_reply" if rng.random() < 0.5 else "")
    if spec.key == "coffee":
        for day in monthly(0.3):
            exchange(day, "roaster_news", "roaster_reply")


def generate_community(b: Builder, staff: list[Employee]) -> dict[str, Person]:
    """Create community partners, a calendar of events with staff taking part, and the emails."""
    names = NameMaker(b.rng("community-names"))
    orgs = _organisations(b, names, PARTNERS, Group.COMMUNITY)
    for partner in PARTNERS:
        b.tag(orgs[partner.key], "community")
    rng = b.rng("community")
    members = {p.key: b.members[p.member] for p in PARTNERS}
    for year in range(b.start.year, b.as_of.year + 1):
        for key, title, month, day_of_month, attendance_range in EVENTS:
            day = date(year, month, day_of_month)
            if not (b.start + timedelta(days=30) <= day <= b.end + timedelta(days=40)):
                continue
            _event(b, rng, orgs[key], members[key], f"{title} {year}", day, attendance_range, staff)
    anniversary = b.as_of - timedelta(days=62)
    _event(
        b,
        rng,
        orgs["neighbours"],
        members["neighbours"],
        "Ten years of Maison Levain: street tasting",
        anniversary,
        (350, 450),
        staff,
    )

    for key in ("football", "school", "neighbours"):
        for day in _monthly(rng, b, 0.25):
            event = f"the {rng.choice(('spring', 'summer', 'autumn', 'winter'))} fundraiser"
            reply = "sponsorship_yes" if rng.random() < 0.75 else "sponsorship_no"
            _exchange(
                b,
                rng,
                orgs[key],
                members[key],
                day,
                "sponsorship_request",
                reply,
                partner=orgs[key].name,
                event=event,
                qty=str(rng.randint(2, 6)),
                open_chance=0.8,
            )
    for day in _monthly(rng, b, 0.12):
        _exchange(b, rng, orgs["press"], members["press"], day, "press_request", "press_reply")
    for days_left in (560, 250, 75):
        b.add(
            orgs["press"],
            b.random_time(rng, b.as_of - timedelta(days=days_left), 9, 12),
            Channel.EMAIL,
            Direction.INBOUND,
            texts.render(rng, "press_article"),
            by=members["press"],
            subject=texts.subject(rng, "press_article"),
        )
    month = b.start.replace(day=1)
    while month <= b.end:
        day = month + timedelta(days=rng.randint(2, 26))
        reply = "foodbank_reply" if rng.random() < 0.25 else ""
        _exchange(
            b,
            rng,
            orgs["foodbank"],
            members["foodbank"],
            day,
            "foodbank",
            reply,
            channel=Channel.VISIT,
            quantity=str(rng.randint(12, 45)),
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return orgs


def _monthly(rng: random.Random, b: Builder, per_month: float):
    for day in b.days():
        if rng.random() < per_month / 30.4:
            yield day


def _exchange(
    b, rng, org, member, on, key, reply_key, *, channel=Channel.EMAIL, open_chance=0.0, **slots
):
    slots = texts.draw_slots(rng, **slots)
    steps = [(Direction.INBOUND, texts.render(rng, key, **slots), member)]
    if reply_key:
        steps.append((Direction.OUTBOUND, texts.render(rng, reply_key, **slots), member))
    b.conversation(
        rng,
        org,
        b.random_time(rng, on, 8, 18),
        channel,
        steps,
        subject=texts.subject(rng, key, **slots),
        thread_prefix="com",
        open_chance=open_chance,
    )


def _event(
    b: Builder, rng, org: Person, member, title: str, day: date, attendance_range, staff
) -> None:
    past = day <= b.end
    attendance = rng.randint(*attendance_range) if past else None
    working = [e for e in staff if e.employed_on(day) and e.role.member != "owner"]
    helpers = rng.sample(working, k=min(len(working), rng.randint(1, 4)))
    helper_names = " and ".join(e.first for e in helpers[:2])
    b.community_events.append(
        (
            CommunityEvent(
                workspace=b.workspace,
                title=title,
                date=day,
                partner=org,
                attendance=attendance,
                notes=f"Staffed by {', '.join(e.person.name for e in helpers)}.",
            ),
            [e.person for e in helpers],
        )
    )
    invite_day = day - timedelta(days=rng.randint(25, 45))
    _exchange(
        b,
        rng,
        org,
        member,
        invite_day,
        "event_invite",
        "event_invite_reply",
        event=title,
        staff=helper_names,
        open_chance=0.8,
    )
    if past:
        b.add(
            org,
            b.random_time(rng, day, 10, 17),
            Channel.EVENT,
            Direction.OUTBOUND,
            texts.render(
                rng, "event_report", event=title, attendance=str(attendance), staff=helper_names
            ),
            by=member,
        )
        if rng.random() < 0.7:
            b.add(
                org,
                b.random_time(rng, day + timedelta(days=rng.randint(1, 4)), 9, 18),
                Channel.EMAIL,
                Direction.INBOUND,
                texts.render(rng, "event_thanks", event=title),
                by=member,
                subject=texts.subject(rng, "event_thanks"),
            )
