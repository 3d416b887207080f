"""Touchpoints on the timeline: emails, calls, chats, reviews, tickets.

The person is found by external id or email (within ``--group`` when given). The handler is
a member (by email) or an automation: ``handled_by`` holding an email means a member,
anything else must name an existing automation; the ``handled_by_automation`` column
creates automations it does not know, because chat-bot exports name their bots.
"""

from __future__ import annotations

from django.db.models.functions import Lower

from rapport.accounts.models import Automation, Membership
from rapport.imports.kinds.base import ImportKindBase
from rapport.imports.kinds.cleaning import BatchResult, Cleaner, CleanRow, Context, digest, words
from rapport.imports.kinds.persons import (
    PERSON_EMAIL_SYNONYMS,
    PERSON_ID_SYNONYMS,
    PersonResolver,
    supplied,
    upsert_facts,
)
from rapport.imports.mapping import Field
from rapport.people.actions import refresh_contact_dates
from rapport.people.choices import Channel, Direction
from rapport.people.models import Interaction
from rapport.understanding.arrival import queue_analysis

CHANNEL_WORDS = words(
    {
        Channel.EMAIL: ("e-mail", "mail", "emails", "newsletter"),
        Channel.PHONE: ("call", "phone call", "telephone", "voice", "voicemail", "tel"),
        Channel.VISIT: (
            "in person",
            "store",
            "shop",
            "walk in",
            "meeting",
            "face to face",
            "onsite",
        ),
        Channel.CHAT: (
            "live chat",
            "webchat",
            "web chat",
            "sms",
            "text",
            "whatsapp",
            "messenger",
            "im",
        ),
        Channel.REVIEW: ("reviews", "google review", "trustpilot", "rating"),
        Channel.SOCIAL: (
            "twitter",
            "x",
            "facebook",
            "instagram",
            "linkedin",
            "tiktok",
            "social media",
        ),
        Channel.TICKET: (
            "support ticket",
            "helpdesk",
            "case",
            "issue",
            "web form",
            "form",
            "contact form",
        ),
        Channel.SURVEY: ("questionnaire", "poll", "nps"),
        Channel.EVENT: ("events",),
        Channel.DELIVERY: ("deliveries", "shipment"),
        Channel.PURCHASE: ("order", "sale", "transaction"),
        Channel.OTHER: ("misc", "miscellaneous"),
    }
)
DIRECTION_WORDS = words(
    {
        Direction.INBOUND: (
            "in",
            "incoming",
            "received",
            "from customer",
            "from them",
            "customer",
            "inbound call",
        ),
        Direction.OUTBOUND: (
            "out",
            "outgoing",
            "sent",
            "reply",
            "response",
            "to customer",
            "to them",
            "agent",
            "company",
        ),
        Direction.INTERNAL: ("note", "internal note", "private"),
    }
)


INTERACTION_FIELDS = {
    name: name
    for name in (
        "occurred_at",
        "channel",
        "direction",
        "subject",
        "text",
        "thread_key",
        "is_open",
        "external_id",
    )
}
INTERACTION_DEFAULTS = {"channel": Channel.OTHER, "direction": Direction.INBOUND}


class InteractionsKind(ImportKindBase):
    name = "interactions"
    label = "Interactions"
    group_label = "Look people up among"
    fields = (
        Field("person_external_id", "Person's external id", PERSON_ID_SYNONYMS),
        Field("person_email", "Person's email", PERSON_EMAIL_SYNONYMS),
        Field(
            "occurred_at",
            "When",
            (
                "date",
                "datetime",
                "timestamp",
                "time",
                "created at",
                "created",
                "sent at",
                "received at",
                "occurred at",
                "date time",
                "interaction date",
                "contact date",
                "message date",
            ),
            patterns=(r"(date|time|timestamp)$",),
            required=True,
            is_date=True,
        ),
        Field("channel", "Channel", ("medium", "source", "via", "contact type", "type")),
        Field("direction", "Direction", ("inbound", "in out", "from to", "sender type")),
        Field(
            "handled_by",
            "Handled by (member email)",
            ("agent", "agent email", "handler", "owner", "assigned to", "staff", "user email"),
        ),
        Field(
            "handled_by_automation",
            "Handled by automation",
            ("bot", "automation", "bot name", "handled by bot", "chatbot"),
        ),
        Field("subject", "Subject", ("title", "topic", "summary")),
        Field(
            "text",
            "Text",
            (
                "message",
                "body",
                "content",
                "comment",
                "comments",
                "note",
                "notes",
                "review",
                "feedback",
                "description",
                "review text",
            ),
        ),
        Field(
            "thread_key",
            "Thread",
            (
                "thread",
                "thread id",
                "conversation",
                "conversation id",
                "ticket id",
                "ticket",
                "case id",
            ),
        ),
        Field("is_open", "Open", ("open", "is open", "awaiting reply", "unresolved")),
        Field(
            "external_id",
            "Interaction id",
            ("id", "message id", "interaction id", "tweet id", "activity id", "event id"),
        ),
    )
    required_any = ((("person_external_id", "person_email"), "the person's external id or email"),)

    def clean(self, raw: dict[str, str], ctx: Context):
        c = Cleaner(raw, ctx)
        c.text("person_external_id", 100)
        c.email("person_email")
        named = c.data.get("person_external_id") or c.data.get("person_email")
        if not named and not any(f in ("person_external_id", "person_email") for f, _ in c.errors):
            c.error("person_external_id", "required: the person's external id or email")
        c.datetime("occurred_at", required=True)
        c.choice("channel", CHANNEL_WORDS)
        c.choice("direction", DIRECTION_WORDS)
        c.text("handled_by", 254)
        c.text("handled_by_automation", 100)
        if c.data.get("handled_by") and c.data.get("handled_by_automation"):
            c.error(
                "handled_by_automation",
                "a touchpoint has one handler: a member or an automation, not both",
            )
        c.text("subject", 200)
        c.long_text("text")
        c.text("thread_key", 100)
        c.boolean("is_open")
        c.text("external_id", 100)
        return c.data, c.errors

    def rejects_duplicates(self, data: dict) -> bool:
        # A message id names one message; without one, two equal rows may be two messages.
        return bool(data.get("external_id"))

    def identity(self, data: dict, ctx: Context) -> str:
        person = data.get("person_external_id") or data.get("person_email")
        if data.get("external_id"):
            return digest("interaction", "id", data["external_id"])
        return digest(
            "interaction",
            person,
            data["occurred_at"].isoformat(),
            data.get("channel", Channel.OTHER),
            data.get("direction", Direction.INBOUND),
            data.get("subject", ""),
            data.get("text", ""),
            data.get("thread_key", ""),
        )

    def write(self, rows: list[CleanRow], ctx: Context) -> BatchResult:
        rejected: list = []
        create_group = (
            (ctx.options.get("group") or "customer") if ctx.options.get("create_missing") else None
        )
        resolver = PersonResolver(
            ctx, group=ctx.options.get("group") or None, create_group=create_group, noun="person"
        )
        people = resolver.resolve(rows, rejected)
        members, automations = self._handlers(rows, ctx)
        pairs = []
        for row in rows:
            if row.line not in people:
                continue
            data = row.data
            member_id = automation_id = None
            handler = data.get("handled_by")
            if handler:
                member_id = members.get(handler.lower()) if "@" in handler else None
                automation_id = None if "@" in handler else automations.get(handler)
                if member_id is None and automation_id is None:
                    what = "member with email" if "@" in handler else "member or automation named"
                    rejected.append((row.line, "handled_by", f"no {what} {handler!r}"))
                    continue
            elif data.get("handled_by_automation"):
                automation_id = automations[data["handled_by_automation"]]
            values = {"person_id": people[row.line], **supplied(data, INTERACTION_FIELDS)}
            if handler or data.get("handled_by_automation"):
                # Both columns together, so the one-handler constraint holds after an update.
                values["handled_by_id"], values["handled_by_automation_id"] = (
                    member_id,
                    automation_id,
                )
            pairs.append((row, values))
        result = upsert_facts(Interaction, pairs, ctx, defaults=INTERACTION_DEFAULTS)
        result.rejected = rejected
        if result.created or result.updated:
            refresh_contact_dates({values["person_id"] for _, values in pairs} | result.left_people)
        return result

    def _handlers(self, rows, ctx) -> tuple[dict[str, int], dict[str, int]]:
        emails = {r.data["handled_by"].lower() for r in rows if "@" in r.data.get("handled_by", "")}
        named = {
            r.data["handled_by"]
            for r in rows
            if r.data.get("handled_by") and "@" not in r.data["handled_by"]
        }
        created = {
            r.data["handled_by_automation"] for r in rows if r.data.get("handled_by_automation")
        }
        members = {}
        if emails:
            members = dict(
                Membership.objects.filter(workspace=ctx.workspace)
                .annotate(email=Lower("user__email"))
                .filter(email__in=emails)
                .values_list("email", "pk")
            )
        automations = {}
        if named | created:
            automations = self._automations(ctx, named | created)
        # Only the bots no batch has created yet are inserted (most batches name known ones).
        missing = {name for name in created if name not in automations}
        if missing:
            Automation.objects.bulk_create(
                [Automation(workspace=ctx.workspace, name=name[:100]) for name in missing],
                ignore_conflicts=True,
            )
            automations = self._automations(ctx, named | created)
        return members, automations

    def _automations(self, ctx, names) -> dict[str, int]:
        return dict(
            Automation.objects.filter(workspace=ctx.workspace, name__in=names).values_list(
                "name", "pk"
            )
        )

    def after_import(self, run) -> None:
        if run.created or run.updated:
            # Bulk writes bypass save(): ask for the new messages to be read.
            queue_analysis(run.workspace_id)
