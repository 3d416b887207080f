"""Maison Levain's inbox: a knowledge base, opening hours, duty and escalation rules, and the
last days of conversations played through the real inbox.

The stories are played in time order on the demo's own clock, ending on the last business day
before ``as_of``: each customer message is filed as the intake files it (``inbox.gather``), read
by the real text model, then triaged and answered or handed off by ``inbox.automation``;
members take, answer and resolve through ``inbox.actions``; and the SLA clock
(``inbox.clocks.tick``) runs every business hour. So the inbox holds conversations in every
state — new, answered automatically, waiting for a person, assigned, replied, resolved, one
reopened back to its last person — with SLAs met and breached, and the recent messages the
history left open (mostly the cooling office accounts) waiting in it too.

Everything happened in the demo's past: the alerts it raised were never e-mailed and what the
business wrote is marked sent (delivered, in the chat widget), so nothing goes out when the
demo is served.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.db.models import Q

from rapport.accounts.choices import AutomationKind
from rapport.accounts.models import Automation, Membership
from rapport.demo.builder import Builder
from rapport.demo.customers import (
    CAFES,
    OCCASIONAL,
    OFFICE_CATERING,
    WEEKDAY_REGULARS,
    WEEKEND_REGULARS,
)
from rapport.demo.faq import ENTRIES
from rapport.feedback.models import Response
from rapport.inbox import actions, automation, clocks, gather, surveys
from rapport.inbox.choices import AWAITING_US, Author, Delivery, Priority, Source
from rapport.inbox.delivery import AUTOMATION_NAME
from rapport.inbox.models import Conversation, Duty, EscalationRule, Message
from rapport.inbox.routing import inbox_settings
from rapport.knowledge.actions import save_entry
from rapport.people.choices import Channel, Direction, Group
from rapport.people.models import Interaction, Person
from rapport.understanding.actions import analyze_pending

OPEN = dt.time(7)
CLOSE = dt.time(18)
# France's public holidays with a fixed date: the inbox's clocks stop on them.
HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
# How long after a message arrives the automation looks at it (it waits for the reading).
PROCESS_AFTER = dt.timedelta(minutes=2)
# The chat widget is on, so its page (/chat/<key>/, linked from the settings) works in the demo.
WIDGET_TITLE = "Questions? Ask Maison Levain."


def holidays(as_of: dt.date) -> list[dt.date]:
    return [
        dt.date(year, month, day)
        for year in (as_of.year - 1, as_of.year, as_of.year + 1)
        for month, day in HOLIDAYS
    ]


def business_days_before(as_of: dt.date, n: int) -> list[dt.date]:
    """The last ``n`` days before ``as_of`` on which the inbox is open, oldest first."""
    closed = set(holidays(as_of))
    days, day = [], as_of - dt.timedelta(days=1)
    while len(days) < n:
        if day.weekday() < 6 and day not in closed:
            days.append(day)
        day -= dt.timedelta(days=1)
    return days[::-1]


@dataclass(frozen=True)
class Say:
    """A customer's message: ``day`` counts business days back (1: the last one)."""

    day: int
    time: str
    text: str
    subject: str = ""


@dataclass(frozen=True)
class Act:
    """What a member does: "reply" (with ``text``), "resolve" or "assign" (to ``member``);
    ``member`` "owner" means whoever holds the conversation then."""

    day: int
    time: str
    verb: str
    text: str = ""
    member: str = "owner"


@dataclass(frozen=True)
class Story:
    key: str
    who: dict  # a filter on Person picking who writes
    channel: str
    steps: tuple = ()
    # Filed but not read yet: the story that is still new.
    unread: bool = False


# Each story names who writes (the first matching person, by their customer number) and what
# happens. Times are wall-clock times in the business's zone.
STORIES = (
    Story(
        "sunday-hours",
        {"segment": WEEKEND_REGULARS},
        Channel.CHAT,
        (Say(1, "10:12", "Hello, are you open on Sundays?"),),
    ),
    Story(
        "gluten-free",
        {"segment": OCCASIONAL},
        Channel.EMAIL,
        (Say(2, "08:31", "Hi! Do you have gluten-free bread?", "Gluten-free"),),
    ),
    Story(
        "parking",
        {"segment": OCCASIONAL},
        Channel.CHAT,
        (Say(1, "15:05", "Where can I park near the shop?"),),
    ),
    Story(
        "loyalty-card",
        {"segment": WEEKDAY_REGULARS, "owner__isnull": True},
        Channel.CHAT,
        (Say(3, "12:20", "Hello, do you have a loyalty card?"),),
    ),
    # Money and a threat to leave: the owner's own rule sends it to her, within two hours,
    # and she answers in time.
    Story(
        "invoiced-twice",
        {"segment": OFFICE_CATERING},
        Channel.EMAIL,
        (
            Say(
                2,
                "09:05",
                "We were invoiced twice for last month's breakfasts, €480 each time. Fix it "
                "this week or we will move our catering to another supplier.",
                "Invoice for last month's breakfasts",
            ),
            Act(
                2,
                "10:20",
                "reply",
                "I am so sorry: you were charged twice. I have cancelled the second invoice "
                "and the €480 is on its way back to you; you will see it within three days. "
                "May I call you tomorrow to hear how the breakfasts have been going lately?",
            ),
        ),
    ),
    # A regular whose keeper is away: the one covering for her takes it.
    Story(
        "retirement-party",
        {"segment": WEEKDAY_REGULARS, "owner__user__email": "staff@demo.rapport.local"},
        Channel.EMAIL,
        (
            Say(
                1,
                "16:50",
                "Hello, could I speak to someone about a big order? I would like 40 croissants "
                "and two large fruit tarts for my retirement party.",
                "Retirement party",
            ),
        ),
    ),
    # Answered too late, then closed: a missed SLA.
    Story(
        "stale-croissants",
        {"segment": WEEKDAY_REGULARS, "owner__isnull": True},
        Channel.EMAIL,
        (
            Say(
                3,
                "09:40",
                "The croissants were stale again this morning. Third time this month.",
                "Stale croissants",
            ),
            Act(
                2,
                "08:15",
                "reply",
                "I am sorry, and sorry too that it took us until today to answer. A batch was "
                "baked the evening before by mistake; it will not happen again. Your next "
                "coffee and croissant are on us.",
            ),
            Act(2, "08:16", "resolve"),
        ),
    ),
    # Answered within the hour by the account's keeper, and closed.
    Story(
        "delivery-time",
        {"segment": CAFES},
        Channel.EMAIL,
        (
            Say(
                3,
                "14:10",
                "Can we move tomorrow's delivery from 8:00 to 9:30? We have a late start.",
                "Tomorrow's delivery",
            ),
            Act(3, "14:40", "reply", "Of course: the van will be with you at 9:30 tomorrow."),
            Act(3, "14:45", "resolve"),
        ),
    ),
    # Resolved, then the customer writes again: back to the same person, not a new handoff.
    Story(
        "birthday-cake",
        {"segment": OCCASIONAL, "owner__isnull": True},
        Channel.EMAIL,
        (
            Say(
                3,
                "11:00",
                "I need a cake for my daughter's birthday on Saturday, is it too late to order?",
                "Birthday cake",
            ),
            Act(
                3,
                "11:30",
                "reply",
                "Not too late at all! A chocolate cake for 8 is €42; you can pick it up from "
                "9:00 on Saturday at the Old Town shop.",
            ),
            Act(3, "11:32", "resolve"),
            Say(
                1,
                "09:15",
                "Wonderful, thank you. Could the cake say 'Happy 7th birthday Léa'? And could I "
                "pick it up at 10 instead?",
                "Birthday cake",
            ),
        ),
    ),
    # An allergic reaction: the rule sends it to the head baker, who is off the inbox today,
    # so it waits — and the clock raises the alarm.
    Story(
        "allergic-reaction",
        {"segment": WEEKEND_REGULARS, "owner__isnull": True},
        Channel.EMAIL,
        (
            Say(
                1,
                "16:20",
                "My son had a reaction after eating one of your cookies, he is allergic to nuts "
                "and the label said nothing. I need to talk to someone today.",
                "Allergic reaction",
            ),
        ),
    ),
    Story(
        "walnut-loaf",
        {"segment": WEEKDAY_REGULARS, "owner__isnull": True},
        Channel.EMAIL,
        (Say(1, "17:38", "Hello, is the walnut loaf back this week?", "Walnut loaf"),),
        unread=True,
    ),
)

RULES = (
    dict(
        name="Money or legal, and a threat to leave: the owner, within 2 business hours",
        all_of=["threat_to_leave"],
        any_of=["money", "legal"],
        priority=Priority.URGENT,
        route_to="owner",
        within_minutes=120,
    ),
    dict(
        name="An allergy or a reaction: the head baker, within 1 business hour",
        any_of=["health"],
        priority=Priority.URGENT,
        route_to="bakehouse",
        within_minutes=60,
    ),
    dict(
        name="A key account asking again: its keeper",
        any_of=["repeated_contact", "anger"],
        key_account=True,
        priority=Priority.HIGH,
        route_to="relationship_owner",
    ),
)


@dataclass
class Timeline:
    """What happens when, played in order (ties keep the order they were added in)."""

    events: list = field(default_factory=list)

    def add(self, at: dt.datetime, what, *args) -> None:
        self.events.append((at, len(self.events), what, args))

    def play(self) -> None:
        for _at, _n, what, args in sorted(self.events, key=lambda e: e[:2]):
            what(*args)


def generate_inbox(b: Builder) -> None:
    """Set up Maison Levain's inbox and play its last days through it."""
    owner = b.members["owner"]
    days = business_days_before(b.as_of, 3)
    _settings(b)
    for key, questions, answer in ENTRIES:
        save_entry(
            b.workspace, owner, key=key, questions=list(questions), answer=answer, via="demo"
        )
    # Created here so that it carries the story's date, not the day the demo was generated.
    Automation.objects.create(
        workspace=b.workspace,
        name=AUTOMATION_NAME,
        kind=AutomationKind.AUTORESPONDER,
        started_on=days[0] - dt.timedelta(days=30),
    )
    used: set[int] = set()
    said: list[tuple[Interaction, bool]] = []
    timeline = Timeline()
    for story in STORIES:
        person = _pick(b, story.who, story.channel, used)
        thread = f"demo-inbox-{story.key}"
        for step in story.steps:
            at = b.at(days[-step.day], *map(int, step.time.split(":")))
            if isinstance(step, Say):
                said.append((_message(b, person, story.channel, step, thread, at), story.unread))
                if not story.unread:
                    timeline.add(at, _file, said[-1][0], at)
                    timeline.add(at + PROCESS_AFTER, _process, b, at + PROCESS_AFTER)
            else:
                timeline.add(at, _act, b, thread, step, at)
    # The messages the history left waiting (office accounts, allergy questions, a lost
    # umbrella…) arrive on their own days.
    waiting = list(
        Interaction.objects.filter(workspace=b.workspace, is_open=True, text__gt="")
        .filter(channel__in=gather.CONVERSATIONAL, direction=Direction.INBOUND)
        .exclude(pk__in=[i.pk for i, _unread in said])
        .order_by("occurred_at", "pk")
    )
    for interaction in waiting:
        after = min(interaction.occurred_at + PROCESS_AFTER, b.cutoff - dt.timedelta(seconds=1))
        timeline.add(interaction.occurred_at, _file, interaction, interaction.occurred_at)
        timeline.add(after, _process, b, after)
    analyze_pending(
        b.workspace,
        only=Q(pk__in=[i.pk for i, unread in said if not unread] + [i.pk for i in waiting]),
    )
    last = max(at for at, *_ in timeline.events)
    for interaction, unread in said:
        if unread:  # after everything else, so the automation has not looked at it yet
            at = min(max(interaction.occurred_at, last), b.cutoff - dt.timedelta(seconds=1))
            Interaction.objects.filter(pk=interaction.pk).update(occurred_at=at, created_at=at)
            timeline.add(at, _file, interaction, at)
    first = min(at for at, *_ in timeline.events).date()
    # The clock: every business hour over the last days, at closing time before (it only
    # decides when an older breach is noticed, and each tick costs time).
    for day in b.days(first):
        hours = range(OPEN.hour + 1, CLOSE.hour + 1) if day >= days[0] else (CLOSE.hour,)
        for hour in hours:
            timeline.add(b.at(day, hour), _tick, b, b.at(day, hour))
    with _no_mail():
        timeline.play()
        _survey_followups(b)
    _settle(b)


def _survey_followups(b: Builder) -> None:
    """The clock files the survey feedback to act on as follow-ups at the end of the story,
    all of it at once (the worker would otherwise file the rest on the real clock when the
    demo is served), in an order drawn from the demo's seed so that every generation gives
    the same conversations: a follow-up's triage counts the person's other open items, so
    the order shows. Response ids are random UUIDs, so they are put in the order of what
    the responses say before the seeded shuffle."""
    actionable = Response.objects.filter(workspace=b.workspace, actionable=True)
    keys = {
        pk: (title, str(day), str(at), number or "")
        for pk, title, day, at, number in actionable.values_list(
            "pk", "survey__title", "submitted_on", "submitted_at", "person__external_id"
        )
    }
    rng = b.rng("inbox", "survey-followups")

    def order(ids: list) -> None:
        ids.sort(key=keys.__getitem__)
        rng.shuffle(ids)

    surveys.sync_survey_followups(
        b.workspace, now=b.cutoff - dt.timedelta(seconds=1), limit=len(keys), order=order
    )


def _settings(b: Builder) -> None:
    s = inbox_settings(b.workspace)
    s.hours = {str(day): [[OPEN.strftime("%H:%M"), CLOSE.strftime("%H:%M")]] for day in range(6)}
    s.holidays = [day.isoformat() for day in holidays(b.as_of)]
    s.warn_before_minutes = 60
    s.reply_from = "hello@maison-levain.example.com"
    s.widget_enabled = True
    s.widget_title = WIDGET_TITLE
    s.save()
    m = b.members
    # Lena is on holiday and Tomasz covers for her; Sofia bakes and is off the inbox.
    Duty.objects.create(
        workspace=b.workspace,
        membership=m["oldtown"],
        away_until=b.as_of + dt.timedelta(days=6),
        covered_by=m["station"],
    )
    Duty.objects.create(workspace=b.workspace, membership=m["bakehouse"], on_duty=False)
    for position, rule in enumerate(RULES):
        route = rule["route_to"]
        EscalationRule.objects.create(
            workspace=b.workspace,
            position=position,
            **{**rule, "route_to": str(m[route].pk) if route in m else route},
        )


def _pick(b: Builder, who: dict, channel: str, used: set[int]) -> Person:
    """The first person (by customer number) who fits and can be written back to."""
    candidates = (
        Person.objects.filter(
            workspace=b.workspace, group=Group.CUSTOMER, may_contact=True, may_analyse=True, **who
        )
        .exclude(pk__in=used)
        .exclude(email="")
        .order_by("external_id")
    )
    person = candidates.first()
    if person is None:
        raise AssertionError(f"no demo customer fits {who}")
    used.add(person.pk)
    return person


def _message(b: Builder, person: Person, channel: str, say: Say, thread: str, at) -> Interaction:
    # Written without signals, like the rest of the demo: the story files it at its own time.
    [interaction] = Interaction.objects.bulk_create(
        [
            Interaction(
                workspace=b.workspace,
                person=person,
                occurred_at=at,
                channel=channel,
                direction=Direction.INBOUND,
                subject=say.subject,
                text=say.text,
                thread_key=thread if channel == Channel.EMAIL else f"widget:{thread}",
                is_open=True,
                created_at=at,
            )
        ]
    )
    return interaction


def _file(interaction: Interaction, at: dt.datetime) -> None:
    interaction = Interaction.objects.select_related("workspace", "person").get(pk=interaction.pk)
    gather.attach(interaction, now=at)


def _process(b: Builder, at: dt.datetime) -> None:
    automation.process(b.workspace, now=at)


def _tick(b: Builder, at: dt.datetime) -> None:
    clocks.tick(b.workspace, now=at)


def _act(b: Builder, thread: str, act: Act, at: dt.datetime) -> None:
    c = Conversation.objects.select_related("workspace", "person", "owner").get(
        workspace=b.workspace, thread_key__endswith=thread
    )
    member: Membership = c.owner if act.member == "owner" else b.members[act.member]
    if act.verb == "reply":
        actions.reply(c, act.text, actor=member, via="demo", at=at)
    elif act.verb == "resolve":
        actions.resolve(c, actor=member, via="demo", at=at)
    else:
        actions.assign(c, member, actor=member, via="demo", at=at)


@contextlib.contextmanager
def _no_mail():
    """The alerts of the story's past were never sent: nobody gets them now either."""
    backend = django_settings.EMAIL_BACKEND
    django_settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    try:
        yield
    finally:
        django_settings.EMAIL_BACKEND = backend


def _settle(b: Builder) -> None:
    """What the business wrote went out when it was written; a customer's message is open
    until someone answers it, and then handled by whoever answered first."""
    sent = Message.objects.filter(workspace=b.workspace, delivery=Delivery.PENDING)
    sent.filter(conversation__source=Source.WIDGET).update(delivery=Delivery.DELIVERED)
    sent.update(delivery=Delivery.SENT)
    opened, answered = [], []
    for c in Conversation.objects.filter(workspace=b.workspace).prefetch_related("messages"):
        waiting: list[int] = []
        for m in c.messages.all():
            if m.author == Author.CUSTOMER:
                waiting.append(m.interaction_id)
            elif m.author == Author.MEMBER and waiting:
                answered.append((waiting, {"handled_by_id": m.member_id}))
                waiting = []
            elif m.author == Author.AUTOMATION and waiting:
                automation_id = m.interaction.handled_by_automation_id
                answered.append((waiting, {"handled_by_automation_id": automation_id}))
                waiting = []
        if waiting and c.status in AWAITING_US:
            opened.extend(waiting)
        elif waiting and c.last_owner_id:
            answered.append((waiting, {"handled_by_id": c.last_owner_id}))
        else:
            opened.extend(waiting)
    Interaction.objects.filter(pk__in=opened).update(is_open=True)
    for ids, handler in answered:
        Interaction.objects.filter(pk__in=ids).update(is_open=False, **handler)
