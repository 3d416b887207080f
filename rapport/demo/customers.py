"""About 1,500 customers of Maison Levain, two years of their purchases and conversations.

Two stories live here:

* Story 3: Levain Assistant, a chatbot, goes live in month 18. From then on it answers most
  customer chats and emails, and regulars get fewer touches from a person each month.
* Story 4: office catering accounts cool over the last six months: they order less often,
  smaller platters, and write more neutral or negative messages.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from rapport.demo import texts
from rapport.demo.builder import Builder
from rapport.demo.names import CAFE_NAMES, OFFICE_NAMES, NameMaker, ascii_slug
from rapport.people.choices import Channel, Direction, Group, PartyKind
from rapport.people.models import Person, Purchase

WEEKDAY_REGULARS = "Weekday regulars"
WEEKEND_REGULARS = "Weekend regulars"
OCCASIONAL = "Occasional"
ONE_OFF = "One-off"
OFFICE_CATERING = "Office catering"
CAFES = "Cafés & restaurants"
REGULARS = (WEEKDAY_REGULARS, WEEKEND_REGULARS)

# Segment, head count, conversations per month while a customer.
SEGMENTS = (
    (WEEKDAY_REGULARS, 130, 0.33),
    (WEEKEND_REGULARS, 150, 0.30),
    (OCCASIONAL, 528, 0.06),
    (ONE_OFF, 660, 0.0),
    (OFFICE_CATERING, len(OFFICE_NAMES), 1.1),
    (CAFES, len(CAFE_NAMES), 1.0),
)
SHOPS = ("Old Town", "Station")
SHOP_LEAD = {"Old Town": "oldtown", "Station": "station"}

# Topics for walk-in customers, with weights; seasonal pre-orders are added by month.
RETAIL_TOPICS = (
    ("opening_hours", 10),
    ("allergy", 5),
    ("gluten_free", 4),
    ("order_cake", 7),
    ("order_status", 7),
    ("loyalty_card", 3),
    ("complaint_quality", 4),
    ("complaint_service", 3),
    ("praise", 9),
    ("review_positive", 6),
    ("review_negative", 2),
    ("counter_note", 18),
    ("lost_item", 1),
)
ROUTINE = {
    "opening_hours",
    "allergy",
    "gluten_free",
    "order_status",
    "loyalty_card",
    "seasonal_order",
    "lost_item",
}
SEASONAL = {12: "bûche de Noël", 1: "galette des rois", 3: "Easter brioche", 4: "Easter brioche"}
CAKE_PRICES = ("38", "42", "45", "52", "58", "64", "72", "85")


@dataclass
class Customer:
    person: Person
    first: str
    segment: str
    shop: str
    arrival: date
    leave: date | None
    referrer: "Customer | None" = None
    tags: list[str] = field(default_factory=list)

    @property
    def organisation(self) -> bool:
        return self.segment in (OFFICE_CATERING, CAFES)


def generate_customers(b: Builder) -> list[Customer]:
    """Create the customers, then queue their purchases, conversations and newsletters."""
    customers = _people(b)
    Person.objects.bulk_create([c.person for c in customers], batch_size=500)
    referred = []
    for c in customers:
        if c.referrer is not None:
            c.person.referred_by = c.referrer.person
            referred.append(c.person)
    Person.objects.bulk_update(referred, ["referred_by"], batch_size=500)
    for c in customers:
        rng = b.rng("customer", c.person.external_id)
        _purchases(b, rng, c)
        _conversations(b, rng, c)
        for tag in c.tags:
            b.tag(c.person, tag)
    _newsletters(b, customers)
    return customers


def _people(b: Builder) -> list[Customer]:
    rng = b.rng("customer-people")
    names = NameMaker(b.rng("customer-names"))
    customers: list[Customer] = []
    regulars: list[Customer] = []
    number = 10000
    history = (b.end - b.start).days
    for segment, count, _rate in SEGMENTS:
        for index in range(count):
            number += 1
            shop = SHOPS[0] if rng.random() < 0.55 else SHOPS[1]
            leave = None
            if segment in REGULARS:
                arrival = (
                    b.start
                    if rng.random() < 0.75
                    else b.start + timedelta(days=rng.randint(0, 600))
                )
                if rng.random() < 0.12:
                    leave = arrival + timedelta(
                        days=rng.randint(60, max(61, (b.end - arrival).days))
                    )
            elif segment == OCCASIONAL:
                arrival = (
                    b.start
                    if rng.random() < 0.4
                    else b.start + timedelta(days=rng.randint(0, history - 20))
                )
                if rng.random() < 0.3:
                    leave = arrival + timedelta(
                        days=rng.randint(30, max(31, (b.end - arrival).days))
                    )
            elif segment == ONE_OFF:
                arrival = b.next_open_day(b.start + timedelta(days=rng.randint(0, history - 3)))
            elif segment == OFFICE_CATERING:
                arrival = b.start if index < 17 else b.start + timedelta(days=rng.randint(60, 400))
            else:
                arrival = b.start
            if leave is not None and leave > b.end:
                leave = None

            if segment in (OFFICE_CATERING, CAFES):
                org_name = (OFFICE_NAMES if segment == OFFICE_CATERING else CAFE_NAMES)[index]
                first, last = names.person()
                domain = f"{ascii_slug(org_name, '-')[:30].strip('-')}.example.com"
                person = Person(
                    workspace=b.workspace,
                    group=Group.CUSTOMER,
                    kind=PartyKind.ORGANISATION,
                    name=org_name,
                    email=names.email(ascii_slug(first), domain),
                    phone=names.phone(mobile=False),
                    address=names.address(),
                    notes=f"Contact: {first} {last}"
                    + (" (office manager)." if segment == OFFICE_CATERING else " (owner)."),
                    owner=b.members["manager"],
                )
                tags = ["wholesale"] if segment == CAFES else ["office catering"]
            else:
                first, last = names.person()
                has_email = rng.random() < {ONE_OFF: 0.35, OCCASIONAL: 0.6}.get(segment, 0.85)
                has_phone = rng.random() < {ONE_OFF: 0.2, OCCASIONAL: 0.4}.get(segment, 0.7)
                person = Person(
                    workspace=b.workspace,
                    group=Group.CUSTOMER,
                    name=f"{first} {last}",
                    email=names.person_email(first, last) if has_email else "",
                    phone=names.phone() if has_phone else "",
                )
                tags = []
            person.external_id = f"C-{number}"
            person.segment = segment
            person.created_at = person.updated_at = b.at(arrival, 9)
            person.may_contact = rng.random() > 0.06
            person.may_analyse = rng.random() > 0.02
            c = Customer(person, first, segment, shop, arrival, leave, tags=tags)

            if segment in REGULARS:
                if arrival == b.start and rng.random() < 0.15:
                    c.tags.append("VIP")
                    person.owner = b.members[SHOP_LEAD[shop]]
                elif rng.random() < 0.25:
                    person.owner = b.members[SHOP_LEAD[shop]]
            if not c.organisation:
                if rng.random() < 0.03:
                    c.tags.append("allergy: nuts")
                if rng.random() < 0.05:
                    c.tags.append("gluten-free")
                share = {WEEKDAY_REGULARS: 0.35, WEEKEND_REGULARS: 0.35, OCCASIONAL: 0.15}.get(
                    segment, 0.05
                )
                if person.email and person.may_contact and rng.random() < share:
                    c.tags.append("newsletter")
            # Referrals: newcomers brought in by a regular who was already a customer.
            earlier = [r for r in regulars if r.arrival < arrival]
            if arrival > b.start and segment != CAFES and earlier and rng.random() < 0.12:
                c.referrer = earlier[rng.randrange(len(earlier))]
            if segment in REGULARS:
                regulars.append(c)
            customers.append(c)
    return customers


def _money(value: float) -> Decimal:
    return Decimal(f"{round(value * 10) / 10:.2f}")


def _basket(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def _purchases(b: Builder, rng: random.Random, c: Customer) -> None:
    def buy(day: date, amount: float, location: str, quantity: int | None = None) -> None:
        b.purchases.append(
            Purchase(
                workspace=b.workspace,
                person=c.person,
                purchased_on=day,
                amount=_money(amount),
                quantity=quantity or max(1, round(amount / 2.6)),
                location=location,
            )
        )

    last = min(c.leave or b.end, b.end)
    home = c.shop
    other = SHOPS[1] if home == SHOPS[0] else SHOPS[0]

    def shop() -> str:
        return home if rng.random() < 0.9 else other

    if c.segment == ONE_OFF:
        buy(c.arrival, _basket(rng, 9, 0.7), shop())
        return
    if c.segment == OCCASIONAL:
        day = c.arrival
        while day <= last:
            day = b.next_open_day(day)
            if day > last:
                break
            if rng.random() < 0.06:
                buy(day, rng.uniform(35, 85), shop(), 1)  # a celebration cake
            else:
                buy(day, _basket(rng, 11, 0.6) * (1.25 if day.month == 12 else 1), shop())
            day += timedelta(days=max(1, round(rng.expovariate(1 / 24))))
        return
    for day in b.days(c.arrival, last):
        if not b.shop_open(day):
            continue
        weekday = day.weekday()
        if c.segment == WEEKDAY_REGULARS:
            if rng.random() < (0.5 if weekday <= 4 else 0.15):
                buy(day, _basket(rng, 6.5, 0.45), shop())
        elif c.segment == WEEKEND_REGULARS:
            if weekday >= 5 and rng.random() < (0.6 if weekday == 5 else 0.45):
                buy(day, _basket(rng, 19, 0.5) * (1.3 if day.month == 12 else 1), shop())
        elif c.segment == OFFICE_CATERING:
            cooling = b.progress(day)
            preferred = 1 + int(c.person.external_id[-1]) % 4
            if weekday == preferred and rng.random() < 0.88 * (1 - 0.6 * cooling):
                guests = rng.randint(10, 30)
                buy(day, _basket(rng, 150, 0.35) * (1 - 0.35 * cooling), "Catering", guests)
            elif (
                weekday <= 4 and weekday != preferred and rng.random() < 0.05 * (1 - 0.6 * cooling)
            ):
                buy(
                    day,
                    _basket(rng, 90, 0.4) * (1 - 0.35 * cooling),
                    "Catering",
                    rng.randint(6, 15),
                )
        elif c.segment == CAFES and weekday in (1, 3, 5) and rng.random() < 0.92:
            summer = 1.25 if 5 <= day.month <= 9 else 1
            amount = _basket(rng, 210, 0.25) * summer
            buy(day, amount, "Wholesale", round(amount / 1.1))


def _conversations(b: Builder, rng: random.Random, c: Customer) -> None:
    rate = {segment: r for segment, _count, r in SEGMENTS}[c.segment]
    if c.segment == ONE_OFF:
        if rng.random() < 0.2:
            day = c.arrival + timedelta(days=rng.randint(0, 3))
            _retail_topic(
                b,
                rng,
                c,
                day,
                rng.choice(
                    (
                        "praise",
                        "review_positive",
                        "review_negative",
                        "opening_hours",
                        "complaint_quality",
                    )
                ),
            )
        return
    last = min((c.leave + timedelta(days=20)) if c.leave else b.end, b.end)
    day = c.arrival + timedelta(days=round(rng.expovariate(rate / 30.4)))
    while day <= last:
        if c.segment == OFFICE_CATERING:
            _office_topic(b, rng, c, day)
        elif c.segment == CAFES:
            _cafe_topic(b, rng, c, day)
        else:
            # The chat widget invites quick questions: routine ones grow once the assistant answers.
            boost = 1.6 if day >= b.chatbot_start else 1.0
            topics = [
                (key, weight * boost if key in ROUTINE else weight) for key, weight in RETAIL_TOPICS
            ]
            if day.month in SEASONAL:
                topics.append(("seasonal_order", 8))
            if "allergy: nuts" in c.tags or "gluten-free" in c.tags:
                topics.append(("allergy" if "allergy: nuts" in c.tags else "gluten_free", 12))
            keys, weights = zip(*topics, strict=True)
            _retail_topic(b, rng, c, day, rng.choices(keys, weights)[0])
        day += timedelta(days=max(1, round(rng.expovariate(rate / 30.4))))


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    keys, weights = zip(*options, strict=True)
    return rng.choices(keys, weights)[0]


def _retail_topic(b: Builder, rng: random.Random, c: Customer, day: date, topic: str) -> None:
    bot_era = day >= b.chatbot_start
    bot = b.automations["chatbot"]
    shop_lead = b.members[SHOP_LEAD[c.shop]]
    office = b.members["office"]
    slots = texts.draw_slots(
        rng,
        first=c.first,
        shop=c.shop,
        ref=f"ML-{rng.randint(1000, 9999)}",
        price=rng.choice(CAKE_PRICES),
        seasonal=SEASONAL.get(day.month, "galette des rois"),
    )
    if "allergy: nuts" in c.tags:
        slots["allergen"] = "nuts"

    def say(key: str) -> str:
        return texts.render(rng, key, **slots)

    if topic == "counter_note":
        b.add(
            c.person,
            b.random_time(rng, day, 7, 19),
            Channel.VISIT,
            Direction.INBOUND,
            say(topic),
            by=shop_lead,
        )
        return
    if topic.startswith("review_"):
        steps = [(Direction.INBOUND, say(topic), b.members["owner"])]
        if rng.random() < (0.45 if topic == "review_positive" else 0.85):
            steps.append((Direction.OUTBOUND, say("review_reply"), b.members["owner"]))
        else:
            steps = [(Direction.INBOUND, steps[0][1], b.members["owner"])]
        b.conversation(
            rng,
            c.person,
            b.random_time(rng, day, 8, 22),
            Channel.REVIEW,
            steps,
            thread_prefix="cust",
        )
        return
    if topic == "praise":
        channel = _pick(rng, (("visit", 3), ("social", 3.5), ("email", 2), ("chat", 1.5)))
        steps = [(Direction.INBOUND, say("praise"), shop_lead)]
        if channel != "visit" and rng.random() < 0.7:
            if bot_era and channel in ("chat", "email"):
                steps.append((Direction.OUTBOUND, say("praise_bot"), bot))
            else:
                steps.append((Direction.OUTBOUND, say("praise_reply"), shop_lead))
        b.conversation(
            rng,
            c.person,
            b.random_time(rng, day, 7, 21),
            channel,
            steps,
            subject=texts.subject(rng, "praise") if channel == "email" else "",
            thread_prefix="cust",
        )
        return

    if topic in ("complaint_quality", "complaint_service"):
        options = (
            (("chat", 3), ("email", 3.5), ("phone", 2), ("visit", 1.5))
            if bot_era
            else (("email", 4.5), ("phone", 2.5), ("visit", 1.5), ("chat", 1.5))
        )
        handler = rng.choices((b.members["manager"], shop_lead, b.members["owner"]), (5, 3.5, 1.5))[
            0
        ]
        channel = _pick(rng, options)
        steps = [(Direction.INBOUND, say(topic), handler)]
        if channel in ("email", "chat"):
            if bot_era:
                steps.append((Direction.OUTBOUND, say("bot_handover"), bot))
            steps.append((Direction.OUTBOUND, say(f"{topic}_reply"), handler))
        b.conversation(
            rng,
            c.person,
            b.random_time(rng, day, 7, 22),
            channel,
            steps,
            subject=texts.subject(rng, topic) if channel == "email" else "",
            thread_prefix="cust",
            open_chance=0.6,
        )
        return

    if topic == "order_cake":
        options = (
            (("email", 4), ("chat", 3.5), ("phone", 1.2), ("visit", 1.3))
            if bot_era
            else (("email", 5), ("phone", 3), ("visit", 2))
        )
        channel = _pick(rng, options)
        handler = office if channel == "email" else shop_lead
        steps = [(Direction.INBOUND, say("order_cake"), handler)]
        if channel in ("email", "chat") and bot_era:
            # The assistant books standard cakes itself; a person steps in for special requests.
            steps.append((Direction.OUTBOUND, say("order_cake_bot"), bot))
            if rng.random() < 0.25:
                steps.append((Direction.OUTBOUND, say("order_cake_reply"), handler))
        elif channel == "email":
            steps.append((Direction.OUTBOUND, say("order_ack"), b.automations["autoresponder"]))
            steps.append((Direction.OUTBOUND, say("order_cake_reply"), handler))
        if "birthday cakes" not in c.tags:
            c.tags.append("birthday cakes")
        b.conversation(
            rng,
            c.person,
            b.random_time(rng, day, 8, 22),
            channel,
            steps,
            subject=texts.subject(rng, "order_cake") if channel == "email" else "",
            thread_prefix="cust",
            open_chance=0.5,
        )
        return

    # Routine questions: the chatbot's territory once it exists.
    options = (
        (("chat", 6), ("email", 2.5), ("phone", 1.2))
        if bot_era
        else (("phone", 3.5), ("email", 3.5), ("chat", 2))
    )
    channel = _pick(rng, options)
    if not c.person.email and channel == "email":
        channel = "chat"
    human = office if channel in ("email", "chat") and rng.random() < 0.6 else shop_lead
    steps = [(Direction.INBOUND, say(topic), human)]
    if channel in ("email", "chat"):
        bot_key = f"{topic}_bot"
        if bot_era and bot_key in texts.TEMPLATES and topic != "allergy" and rng.random() < 0.9:
            steps.append((Direction.OUTBOUND, say(bot_key), bot))
        elif bot_era:
            # Allergies and odd questions are handed to a person: human in the loop.
            steps.append(
                (
                    Direction.OUTBOUND,
                    say("allergy_bot" if topic == "allergy" else "bot_handover"),
                    bot,
                )
            )
            steps.append((Direction.OUTBOUND, say(f"{topic}_reply"), human))
        else:
            steps.append((Direction.OUTBOUND, say(f"{topic}_reply"), human))
    b.conversation(
        rng,
        c.person,
        b.random_time(rng, day, 7, 22),
        channel,
        steps,
        subject=texts.subject(rng, topic) if channel == "email" else "",
        thread_prefix="cust",
        open_chance=0.5,
    )


def _office_topic(b: Builder, rng: random.Random, c: Customer, day: date) -> None:
    cooling = b.progress(day)
    manager = b.members["manager"]
    topic = _pick(
        rng,
        (
            ("catering_request", 7 * (1 - 0.5 * cooling)),
            ("office_cooling", 0.5 + 7 * cooling),
            ("complaint_quality", 0.4),
            ("praise", 1.2 * (1 - 0.8 * cooling)),
        ),
    )
    slots = texts.draw_slots(
        rng, first=c.first, price=str(rng.choice((120, 140, 165, 190, 220))), shop=c.shop
    )
    channel = "email" if rng.random() < 0.7 else "phone"
    steps = [(Direction.INBOUND, texts.render(rng, topic, **slots), manager)]
    if channel == "email":
        if topic == "catering_request":
            slots["ref"] = f"ML-{rng.randint(1000, 9999)}"
            steps.append(
                (
                    Direction.OUTBOUND,
                    texts.render(rng, "order_ack", **slots),
                    b.automations["autoresponder"],
                )
            )
        reply = {
            "catering_request": "catering_reply",
            "office_cooling": "office_cooling_reply",
            "complaint_quality": "complaint_quality_reply",
            "praise": "praise_reply",
        }[topic]
        if topic != "office_cooling" or rng.random() < 0.8:
            steps.append((Direction.OUTBOUND, texts.render(rng, reply, **slots), manager))
    b.conversation(
        rng,
        c.person,
        b.random_time(rng, day, 8, 18),
        channel,
        steps,
        subject=texts.subject(rng, topic) if channel == "email" else "",
        thread_prefix="acct",
        open_chance=0.5,
    )


def _cafe_topic(b: Builder, rng: random.Random, c: Customer, day: date) -> None:
    handler = b.members["bakehouse"] if rng.random() < 0.6 else b.members["manager"]
    topic = _pick(rng, (("wholesale_order", 8), ("complaint_quality", 0.6), ("praise", 0.8)))
    slots = texts.draw_slots(rng, first=c.first, shop=c.shop)
    reply = {
        "wholesale_order": "wholesale_reply",
        "complaint_quality": "complaint_quality_reply",
        "praise": "praise_reply",
    }[topic]
    channel = _pick(rng, (("email", 5), ("phone", 3), ("chat", 2)))
    steps = [(Direction.INBOUND, texts.render(rng, topic, **slots), handler)]
    if channel != "phone":
        steps.append((Direction.OUTBOUND, texts.render(rng, reply, **slots), handler))
    b.conversation(
        rng,
        c.person,
        b.random_time(rng, day, 6, 20),
        channel,
        steps,
        subject=texts.subject(rng, topic) if channel == "email" else "",
        thread_prefix="acct",
        open_chance=0.2,
    )


# Which newsletter goes out in which month: seasonal first, evergreen otherwise.
NEWSLETTER_BY_MONTH = {9: 0, 10: 0, 11: 1, 12: 1, 1: 2, 2: 3, 3: 4, 4: 5, 5: 8, 6: 6, 7: 6, 8: 7}


def _newsletters(b: Builder, customers: list[Customer]) -> None:
    campaign = b.automations["newsletter"]
    rng = b.rng("newsletter")
    subscribers = [c for c in customers if "newsletter" in c.tags]
    send = b.start + timedelta(days=60)
    issue = 0
    while send <= b.end:
        issue += 1
        subject_line, body = texts.NEWSLETTERS[NEWSLETTER_BY_MONTH[send.month]]
        if issue % 5 == 0:
            subject_line, body = texts.NEWSLETTERS[9]
        when = b.at(send, 10, 0)
        for c in subscribers:
            if c.arrival > send or (c.leave and c.leave + timedelta(days=120) < send):
                continue
            b.add(
                c.person,
                when,
                Channel.EMAIL,
                Direction.OUTBOUND,
                body.format(first=c.first),
                by=campaign,
                subject=f"The Levain Letter: {subject_line}",
            )
            if rng.random() < 0.02:
                # Questions and answers are written in pairs, so pick them by the same index.
                pair = rng.randrange(len(texts.TEMPLATES["newsletter_reply"]))
                slots = texts.draw_slots(rng, first=c.first)
                question = texts.fill(rng, texts.TEMPLATES["newsletter_reply"][pair], **slots)
                answer = texts.fill(rng, texts.TEMPLATES["newsletter_reply_reply"][pair], **slots)
                steps = [
                    (Direction.INBOUND, question, b.members["office"]),
                    (Direction.OUTBOUND, answer, b.members["office"]),
                ]
                b.conversation(
                    rng,
                    c.person,
                    b.random_time(rng, send + timedelta(days=rng.randint(0, 3)), 11, 22),
                    Channel.EMAIL,
                    steps,
                    subject=f"Re: The Levain Letter: {subject_line}",
                    thread_prefix="cust",
                )
        send += timedelta(days=49)
