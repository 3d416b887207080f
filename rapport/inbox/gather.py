"""Messages into conversations.

A message from a person arrives as an ``Interaction`` (e-mail, the REST intake, webhooks, the
widget once the visitor is known). :func:`attach` files it in its conversation in the same
transaction that stores it (``inbox/signals.py``), so a message that was accepted is in the
inbox whether or not the worker runs; :func:`gather` does the same for messages written in
bulk (imports, the e-mail importer) and is the clock's safety net.

Which conversation: the one with the message's thread key (an e-mail thread, a chat); a
message without one joins the person's open conversation on the same channel when it is less
than :data:`JOIN_DAYS` old, and otherwise starts its own. Only messages on conversational
channels become conversations, and only live ones: an inbound message of the last
:data:`RECENT_DAYS`, or one marked open (awaiting the business) — a history imported from
another system stays on the timeline and does not flood the inbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from rapport.accounts.models import Workspace
from rapport.engine import handoff
from rapport.inbox import flow
from rapport.inbox.choices import AWAITING_US, Author, EventKind, Source, Status
from rapport.inbox.clocks import start_clocks
from rapport.inbox.models import Conversation, Message
from rapport.inbox.routing import Availability
from rapport.people.choices import Channel, Direction
from rapport.people.models import Interaction

CONVERSATIONAL = (Channel.EMAIL, Channel.CHAT, Channel.TICKET, Channel.SOCIAL, Channel.OTHER)
RECENT_DAYS = 14
JOIN_DAYS = 7
SOURCE_OF_CHANNEL = {Channel.EMAIL: Source.EMAIL, Channel.CHAT: Source.WIDGET}


def eligible(interaction: Interaction, now: dt.datetime) -> bool:
    return (
        interaction.direction == Direction.INBOUND
        and interaction.channel in CONVERSATIONAL
        and bool((interaction.text or "").strip())
        and (interaction.is_open or interaction.occurred_at >= now - dt.timedelta(days=RECENT_DAYS))
    )


def attach(
    interaction: Interaction, *, now: dt.datetime | None = None, source: str = ""
) -> Message | None:
    """File one customer message in its conversation; None when it is not for the inbox (or
    already filed)."""
    now = now or timezone.now()
    if not eligible(interaction, now) or Message.objects.filter(interaction=interaction).exists():
        return None
    workspace = interaction.workspace
    c = _conversation_for(interaction, source)
    message = Message.objects.create(
        workspace=workspace,
        conversation=c,
        interaction=interaction,
        author=Author.CUSTOMER,
        at=interaction.occurred_at,
    )
    customer_wrote(c, interaction.occurred_at, Availability(workspace, now=now))
    return message


def customer_wrote(c: Conversation, at: dt.datetime, who: Availability) -> None:
    """The bookkeeping of a customer's message: the clocks, and the state machine (a
    resolved conversation reopens to its last person; a replied one awaits that person).
    Whether it needs a person is decided once it is read (``inbox/automation.py``)."""
    c.last_message_at = max(c.last_message_at, at)
    c.read_at = None
    if c.awaiting_since is None or c.status not in AWAITING_US:
        c.awaiting_since = at
    c.save()
    flow.apply(c, handoff.CustomerWrote(at), who)
    start_clocks(c)


def gather(workspace: Workspace, *, now: dt.datetime | None = None, limit: int = 2000) -> int:
    """File every live customer message of ``workspace`` not in a conversation yet."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=RECENT_DAYS)
    pending = (
        Interaction.objects.filter(
            workspace=workspace,
            direction=Direction.INBOUND,
            channel__in=CONVERSATIONAL,
            inbox_message__isnull=True,
        )
        .exclude(text="")
        .filter(Q(occurred_at__gte=since) | Q(is_open=True))
        .order_by("occurred_at", "id")[:limit]
    )
    done = 0
    for interaction in pending:
        with transaction.atomic():
            interaction = Interaction.objects.select_related("workspace", "person").get(
                pk=interaction.pk
            )
            if attach(interaction, now=now):
                done += 1
    return done


def _conversation_for(interaction: Interaction, source: str) -> Conversation:
    workspace_id = interaction.workspace_id
    source = source or SOURCE_OF_CHANNEL.get(interaction.channel, Source.API)
    key = interaction.thread_key
    if not key:
        recent = (
            Conversation.objects.filter(
                workspace_id=workspace_id,
                person_id=interaction.person_id,
                channel=interaction.channel,
                last_message_at__gte=interaction.occurred_at - dt.timedelta(days=JOIN_DAYS),
            )
            .exclude(status=Status.RESOLVED)
            .order_by("-last_message_at")
            .first()
        )
        if recent:
            return recent
        key = f"message:{interaction.pk}"
    found = Conversation.objects.filter(workspace_id=workspace_id, thread_key=key).first()
    if found:
        return found
    fields = dict(
        workspace_id=workspace_id,
        person_id=interaction.person_id,
        source=source,
        channel=interaction.channel,
        thread_key=key,
        subject=(interaction.subject or _first_words(interaction.text))[:200],
        opened_at=interaction.occurred_at,
        last_message_at=interaction.occurred_at,
        awaiting_since=interaction.occurred_at,
    )
    try:
        with transaction.atomic():
            c = Conversation.objects.create(**fields)
    except IntegrityError:  # another process opened it a moment ago
        return Conversation.objects.get(workspace_id=workspace_id, thread_key=key)
    flow.log(c, EventKind.OPENED, interaction.occurred_at, detail=source)
    return c


def _first_words(text: str, n: int = 8) -> str:
    words = (text or "").split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def attach_all(interactions: Iterable[Interaction], *, now=None) -> int:
    return sum(attach(i, now=now) is not None for i in interactions)
