"""What the business says to the customer, and getting it to them.

:func:`post_to_customer` records a message of the business (a member's reply, an automatic
answer, Rapport telling the customer a person will reply) in the conversation. A member's
reply (a human touch) and an automatic answer (the business's automation) are also on the
person's timeline when the conversation has a person. Then it goes out on the conversation's own channel:

- **widget**: it waits (``pending``) until the visitor's widget fetches it, and is then
  ``delivered`` — the widget shows each message's state;
- **e-mail**: a background task sends it by SMTP (``send``), retried by the clock when the
  server refuses (``failed`` with the reason, visible in the inbox, until it goes through);
- otherwise (a message that came by the API with no address to write back to) it is
  ``recorded only``, and the inbox says so.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from rapport.accounts.choices import AutomationKind
from rapport.accounts.models import Automation, Membership
from rapport.inbox.choices import Author, Delivery, Source
from rapport.inbox.models import Conversation, InboxSettings, Message
from rapport.people.actions import record_interaction
from rapport.people.choices import Direction
from rapport.workers.leases import release, take

log = logging.getLogger(__name__)

AUTOMATION_NAME = "Rapport automatic answers"
MAX_ATTEMPTS = 6


def rapport_automation(workspace_id: int) -> Automation:
    found, _ = Automation.objects.get_or_create(
        workspace_id=workspace_id,
        name=AUTOMATION_NAME,
        defaults={"kind": AutomationKind.AUTORESPONDER, "started_on": timezone.localdate()},
    )
    return found


def post_to_customer(
    c: Conversation,
    text: str,
    *,
    author: str,
    at: dt.datetime | None = None,
    member: Membership | None = None,
    entry_key: str = "",
    confidence: float | None = None,
) -> Message:
    at = at or timezone.now()
    interaction = None
    # A reply and an automatic answer are on the person's timeline (a human touch, or the
    # automation's); Rapport's own notices (a handoff) live in the conversation only.
    if c.person_id and author in (Author.MEMBER, Author.AUTOMATION):
        handler = (
            {"handled_by": member}
            if author == Author.MEMBER
            else {"handled_by_automation": rapport_automation(c.workspace_id)}
        )
        interaction = record_interaction(
            c.person,
            occurred_at=at,
            channel=c.channel,
            direction=Direction.OUTBOUND,
            subject=c.subject[:200],
            text=text,
            thread_key=c.thread_key,
            **handler,
        )
    message = Message.objects.create(
        workspace_id=c.workspace_id,
        conversation=c,
        interaction=interaction,
        author=author,
        member=member,
        body="" if interaction else text,
        at=at,
        delivery=_route(c),
        entry_key=entry_key,
        confidence=confidence,
    )
    if message.delivery == Delivery.PENDING and c.source != Source.WIDGET:
        transaction.on_commit(lambda: _enqueue_send(message.pk))
    return message


def address_of(c: Conversation) -> str:
    """Where an e-mail to this conversation's customer goes ('' when nowhere)."""
    if c.person_id:
        return c.person.email if c.person.may_contact else ""
    return c.visitor_email


def reaches_customer(c: Conversation) -> bool:
    """Whether a message posted now would reach the customer (an e-mail address they allow
    us to use, or the chat widget they wrote from)."""
    return _route(c) == Delivery.PENDING


def _route(c: Conversation) -> str:
    if c.source == Source.WIDGET:
        return Delivery.PENDING
    if address_of(c):
        return Delivery.PENDING
    return Delivery.NOT_SENT


def _enqueue_send(message_id: int) -> None:
    send_message.enqueue(message_id)


@task()
def send_message(message_id: int) -> bool:
    """Send one e-mail of the inbox (runs in the background worker)."""
    message = (
        Message.objects.select_related(
            "conversation__person", "conversation__workspace", "member__user"
        )
        .filter(pk=message_id)
        .first()
    )
    # Sent already (a task run twice, or the clock's retry came first): never twice.
    if message is None or message.delivery not in (Delivery.PENDING, Delivery.FAILED):
        return False
    return send(message)


def send(message: Message) -> bool:
    """Send one pending or failed e-mail; True when the SMTP server took it. Another worker
    sending the same message at this moment (the task and the clock's retry) holds its
    lease: this one sends nothing."""
    key = f"inbox-send:{message.pk}"
    if not take(key):
        return False
    try:
        # Read again under the lease: the other sender may have just finished.
        if Message.objects.filter(pk=message.pk, delivery=Delivery.SENT).exists():
            return False
        return _send(message)
    finally:
        release(key)


def _send(message: Message) -> bool:
    c = message.conversation
    to = address_of(c)
    if not to:
        Message.objects.filter(pk=message.pk).update(
            delivery=Delivery.NOT_SENT, delivery_error="no address the customer may be written to"
        )
        return False
    settings = InboxSettings.objects.filter(workspace_id=c.workspace_id).first()
    sender = (settings.reply_from if settings else "") or django_settings.DEFAULT_FROM_EMAIL
    headers = {}
    last_in = (
        Message.objects.filter(conversation=c, author=Author.CUSTOMER, interaction__isnull=False)
        .select_related("interaction")
        .order_by("-at")
        .first()
    )
    if last_in and last_in.interaction.external_id.startswith("<"):
        headers = {
            "In-Reply-To": last_in.interaction.external_id,
            "References": last_in.interaction.external_id,
        }
    signature = f"\n\n— {message.member.user.name or c.workspace.name}" if message.member else ""
    email = mail.EmailMessage(
        subject=f"Re: {c.subject}" if c.subject else f"Your message to {c.workspace.name}",
        body=message.text + signature + f"\n{c.workspace.name}",
        from_email=sender,
        to=[to],
        reply_to=[sender],
        headers=headers,
    )
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        Message.objects.filter(pk=message.pk).update(
            delivery=Delivery.FAILED,
            attempts=message.attempts + 1,
            delivery_error=f"the e-mail server refused it ({error.__class__.__name__}); "
            "Rapport will try again",
        )
        log.warning("inbox e-mail %s not sent: %s", message.pk, error)
        return False
    Message.objects.filter(pk=message.pk).update(
        delivery=Delivery.SENT, attempts=message.attempts + 1, delivery_error=""
    )
    return True


def retry_failed(workspace_id: int) -> int:
    """Send again what the e-mail server refused (at most MAX_ATTEMPTS tries each)."""
    sent = 0
    for message in (
        Message.objects.filter(
            workspace_id=workspace_id,
            delivery__in=(Delivery.FAILED, Delivery.PENDING),
            attempts__lt=MAX_ATTEMPTS,
            at__lte=timezone.now() - dt.timedelta(minutes=1),
        )
        .exclude(conversation__source=Source.WIDGET)
        .select_related("conversation__person", "conversation__workspace", "member__user")
    ):
        sent += send(message)
    return sent
