"""Generate, find, delete and fingerprint the demo business, Maison Levain.

Generation is a pure function of ``(seed, as_of)``: every random draw comes from a stream
named after what it decides, timestamps are built from ``as_of`` in the workspace's time
zone, and nothing reads the clock. The whole demo is written in one transaction, so a crash
leaves either the previous demo or none, never half of one.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, AutomationKind, Role
from rapport.accounts.models import AuditEvent, Automation, Membership, User, Workspace
from rapport.demo import DEFAULT_SEED, DEMO_PASSWORD, DEMO_SLUG
from rapport.demo.builder import Builder
from rapport.demo.customers import generate_customers
from rapport.demo.inbox import generate_inbox
from rapport.demo.partners import generate_community, generate_suppliers
from rapport.demo.privacy import generate_privacy
from rapport.demo.staff import TEAMS, generate_staff
from rapport.demo.surveys import generate_surveys
from rapport.feedback.models import Answer, Response
from rapport.inbox.models import Conversation, ConversationEvent, Message
from rapport.insights.actions import refresh_snapshots
from rapport.knowledge.models import Entry
from rapport.people.actions import refresh_contact_dates, refresh_purchase_dates
from rapport.people.models import (
    CommunityEvent,
    Delivery,
    EmploymentEvent,
    Interaction,
    Person,
    Purchase,
    Tag,
    Team,
)
from rapport.predictions.actions import refresh as refresh_predictions

DEMO_NAME = "Maison Levain"
DEMO_TIME_ZONE = "Europe/Paris"
BATCH = 2000

TAG_NAMES = (
    "VIP",
    "newsletter",
    "wholesale",
    "office catering",
    "allergy: nuts",
    "gluten-free",
    "birthday cakes",
    "critical",
    "local",
    "community",
    "keyholder",
    "first-aid trained",
)


@dataclass(frozen=True)
class DemoLogin:
    key: str
    email: str
    name: str
    role: str
    what: str


DEMO_LOGINS = (
    DemoLogin("owner", "owner@demo.rapport.local", "Camille Roussel", Role.OWNER, "owner"),
    DemoLogin(
        "manager",
        "manager@demo.rapport.local",
        "Julien Marchetti",
        Role.MANAGER,
        "operations manager: shops, catering accounts, complaints",
    ),
    DemoLogin(
        "bakehouse",
        "bakehouse@demo.rapport.local",
        "Sofia Brandt",
        Role.MANAGER,
        "head baker: the Bakehouse team and its suppliers",
    ),
    DemoLogin(
        "oldtown", "staff@demo.rapport.local", "Lena Novak", Role.STAFF, "shop lead, Old Town"
    ),
    DemoLogin(
        "station",
        "station@demo.rapport.local",
        "Tomasz Wierzbicki",
        Role.STAFF,
        "shop lead, Station",
    ),
    DemoLogin(
        "office",
        "office@demo.rapport.local",
        "Noor Haddad",
        Role.STAFF,
        "office coordinator: web orders, invoices, payroll questions",
    ),
)

AUTOMATIONS = (
    ("chatbot", "Levain Assistant", AutomationKind.CHATBOT),
    ("autoresponder", "Order confirmations", AutomationKind.AUTORESPONDER),
    ("newsletter", "The Levain Letter", AutomationKind.CAMPAIGN),
)


@dataclass(frozen=True)
class DemoInfo:
    workspace: Workspace
    created: bool
    seed: int | None
    as_of: date | None


def find_demo(slug: str = DEMO_SLUG) -> Workspace | None:
    """The demo workspace, or None if it has not been generated."""
    return Workspace.objects.filter(slug=slug).first()


def demo_parameters(workspace: Workspace) -> tuple[int | None, date | None]:
    """The (seed, as_of) a demo was generated with, read back from its audit log."""
    event = (
        AuditEvent.objects.filter(workspace=workspace, via="demo", object_type="workspace")
        .order_by("at", "id")
        .first()
    )
    if event is None or "seed" not in event.changes:
        return None, None
    return event.changes["seed"][1], date.fromisoformat(event.changes["as_of"][1])


@transaction.atomic
def prepare_demo(*, seed: int = DEFAULT_SEED, as_of: date, reset: bool = False) -> DemoInfo:
    """Make sure the demo exists: reuse it, or (re)generate it when missing or ``reset``."""
    existing = find_demo()
    if existing is not None and not reset:
        used_seed, used_as_of = demo_parameters(existing)
        return DemoInfo(existing, False, used_seed, used_as_of)
    if existing is not None:
        delete_demo(existing)
    return DemoInfo(generate_demo(seed=seed, as_of=as_of), True, seed, as_of)


def delete_demo(workspace: Workspace) -> None:
    """Delete the demo workspace and everything in it. Demo logins are kept (they are users,
    not business data) and get their password and memberships back on the next generation."""
    workspace.delete()


@transaction.atomic
def generate_demo(
    *, seed: int = DEFAULT_SEED, as_of: date, slug: str = DEMO_SLUG, name: str = DEMO_NAME
) -> Workspace:
    """Generate the demo business into a new workspace ``slug`` and return it.

    The same ``seed`` and ``as_of`` always give the same rows; see ``fingerprint``.
    """
    workspace = Workspace.objects.create(
        name=name, slug=slug, time_zone=DEMO_TIME_ZONE, currency="EUR"
    )
    tz = workspace.zone
    members = {login.key: _member(workspace, login) for login in DEMO_LOGINS}
    b = Builder(workspace=workspace, seed=seed, as_of=as_of, tz=tz, members=members, automations={})
    for key, automation_name, kind in AUTOMATIONS:
        started = {"chatbot": b.chatbot_start, "autoresponder": b.start}.get(key, b.start)
        b.automations[key] = Automation.objects.create(
            workspace=workspace, name=automation_name, kind=kind, started_on=started
        )
    b.teams = {
        team.name: team
        for team in Team.objects.bulk_create(
            [Team(workspace=workspace, name=team_name) for team_name in TEAMS]
        )
    }
    b.tags = {
        tag.name: tag
        for tag in Tag.objects.bulk_create(
            [Tag(workspace=workspace, name=tag_name) for tag_name in TAG_NAMES]
        )
    }

    staff = generate_staff(b, {login.key: login.name for login in DEMO_LOGINS})
    generate_suppliers(b, staff)
    generate_community(b, staff)
    generate_customers(b)
    _write(b)

    person_ids = list(Person.objects.filter(workspace=workspace).values_list("pk", flat=True))
    refresh_contact_dates(person_ids)
    refresh_purchase_dates(person_ids)
    generate_surveys(b)
    generate_privacy(b)
    # The dashboards' snapshots, so that the stories show the moment the app opens (rows
    # were bulk-written: no signal marked them; messages read later are picked up by the
    # background refresh).
    refresh_snapshots(workspace, full=True, today=as_of)
    # Last: the inbox's stories read their messages with the text model and play its last
    # days through the real inbox (the dashboards pick them up on their next refresh).
    generate_inbox(b)
    # The predictions, with last quarter's replayed for the hold-out (the clock refreshes
    # them when the background worker has read the rest of the messages).
    refresh_predictions(workspace, as_of=as_of)
    record_audit(
        workspace,
        AuditAction.CREATE,
        workspace,
        via="demo",
        changes={"seed": [None, seed], "as_of": [None, as_of.isoformat()]},
    )
    return workspace


def _member(workspace: Workspace, login: DemoLogin) -> Membership:
    user = User.objects.filter(email=login.email).first()
    if user is None:
        user = User.objects.create_user(login.email, DEMO_PASSWORD, name=login.name)
    else:
        # A previous demo's login may have had its password changed: the printed one must work.
        user.name = login.name
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["name", "password"])
    return Membership.objects.create(workspace=workspace, user=user, role=login.role)


def _write(b: Builder) -> None:
    Interaction.objects.bulk_create(b.interactions, batch_size=BATCH)
    Purchase.objects.bulk_create(b.purchases, batch_size=BATCH)
    EmploymentEvent.objects.bulk_create(b.employment_events, batch_size=BATCH)
    Delivery.objects.bulk_create(b.deliveries, batch_size=BATCH)
    events = CommunityEvent.objects.bulk_create([event for event, _staff in b.community_events])
    StaffLink = CommunityEvent.staff_participants.through
    StaffLink.objects.bulk_create(
        [
            StaffLink(communityevent_id=event.pk, person_id=person.pk)
            for event, (_event, people) in zip(events, b.community_events, strict=True)
            for person in people
        ]
    )
    TagLink = Person.tags.through
    seen = set()
    links = []
    for person, tag_name in b.person_tags:
        if (person.pk, tag_name) not in seen:
            seen.add((person.pk, tag_name))
            links.append(TagLink(person_id=person.pk, tag_id=b.tags[tag_name].pk))
    TagLink.objects.bulk_create(links, batch_size=BATCH)


def fingerprint(workspace: Workspace) -> str:
    """A SHA-256 over the demo's content (names, texts, amounts, dates), blind to ids, slugs
    and creation times, so two generations can be compared for equality."""
    digest = hashlib.sha256()
    queries = (
        Person.objects.filter(workspace=workspace).values_list(
            "group",
            "kind",
            "name",
            "email",
            "phone",
            "address",
            "external_id",
            "segment",
            "job_title",
            "team__name",
            "manager__external_id",
            "start_date",
            "birthday",
            "end_date",
            "exit_reason",
            "category",
            "community_kind",
            "may_contact",
            "may_analyse",
            "owner__user__email",
            "referred_by__external_id",
            "organisation__name",
            "first_purchase_on",
            "last_purchase_on",
            "last_contact_at",
            "last_human_contact_at",
            "notes",
        ),
        Person.tags.through.objects.filter(person__workspace=workspace).values_list(
            "person__external_id", "person__name", "tag__name"
        ),
        Interaction.objects.filter(workspace=workspace).values_list(
            "person__name",
            "occurred_at",
            "channel",
            "direction",
            "handled_by__user__email",
            "handled_by_automation__name",
            "subject",
            "text",
            "thread_key",
            "is_open",
        ),
        Purchase.objects.filter(workspace=workspace).values_list(
            "person__external_id", "purchased_on", "amount", "quantity", "location"
        ),
        EmploymentEvent.objects.filter(workspace=workspace).values_list(
            "person__external_id", "kind", "date", "days", "reason"
        ),
        Delivery.objects.filter(workspace=workspace).values_list(
            "supplier__name",
            "reference",
            "item",
            "ordered_on",
            "promised_on",
            "delivered_on",
            "quantity",
            "defective_quantity",
            "value",
        ),
        CommunityEvent.objects.filter(workspace=workspace).values_list(
            "title", "date", "partner__name", "attendance", "notes"
        ),
        CommunityEvent.staff_participants.through.objects.filter(
            communityevent__workspace=workspace
        ).values_list("communityevent__title", "person__external_id"),
        Automation.objects.filter(workspace=workspace).values_list("name", "kind", "started_on"),
        Response.objects.filter(workspace=workspace).values_list(
            "survey__title",
            "person__name",
            "submitted_on",
            "submitted_at",
            "round",
            "actionable",
            "status",
            "owner__user__email",
        ),
        Answer.objects.filter(response__workspace=workspace).values_list(
            "response__survey__title",
            "response__person__name",
            "response__submitted_at",
            "question__key",
            "number",
            "text",
            "choices",
        ),
        Membership.objects.filter(workspace=workspace).values_list("user__email", "role"),
        Conversation.objects.filter(workspace=workspace).values_list(
            "person__name",
            "subject",
            "status",
            "owner__user__email",
            "last_owner__user__email",
            "priority",
            "rule",
            "draft_entry",
            "opened_at",
            "reply_due",
            "first_replied_at",
            "breached_at",
            "resolved_at",
            "sla_missed",
        ),
        Message.objects.filter(workspace=workspace).values_list(
            "conversation__subject", "author", "at", "entry_key", "delivery", "body"
        ),
        ConversationEvent.objects.filter(workspace=workspace).values_list(
            "conversation__subject", "kind", "at", "member__user__email", "detail"
        ),
        Entry.objects.filter(workspace=workspace).values_list("key", "questions", "answer"),
    )
    for query in queries:
        for row in sorted(repr(row) for row in query):
            digest.update(row.encode())
            digest.update(b"\n")
        digest.update(b"\x00")
    return digest.hexdigest()
