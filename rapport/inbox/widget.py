"""The chat widget on the business's website: a visitor's side of a conversation.

A visitor is known by a random secret key that their browser makes and keeps (the widget's
``localStorage``; no cookies). Rapport stores only its SHA-256 hash
(``Conversation.visitor_key``) and files all of that visitor's messages in one conversation
(source widget, channel chat, thread key ``widget:<first 32 hex digits of the hash>``). The
key itself is 256 random bits, so an unsalted hash is enough: nobody can find a key from its
hash, and the hash alone opens nothing.

- :func:`receive` stores one message the visitor wrote. Each carries the widget's own id
  (``Message.client_id``): sending it again after a lost answer stores nothing new, so a
  flaky connection never doubles a message. The conversation is then read and triaged like
  any other by the worker (the view queues ``tasks.process_workspace``;
  ``inbox/automation.py`` reads a message with no ``Interaction`` itself).
- :func:`fetch` is what the widget polls: the conversation's messages after the last one it
  has, plus any the business wrote that the widget has not fetched yet; fetching marks them
  delivered.
- :func:`ask_for_person` is the "talk to a person" button; :func:`set_contact` the optional
  name and e-mail, after which replies the widget does not fetch within
  :data:`EMAIL_AFTER` also go by e-mail (:func:`email_unfetched`, on the clock).
- :func:`notice` says honestly when nobody will answer soon: closed, or nobody on duty.
- :func:`snippet` is the line the business pastes into its website. Switching the widget
  on, its title, the sites that may show it and a new key are the inbox settings' verbs
  (``policy.set_widget``, ``policy.new_widget_key``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import Truncator

from rapport.inbox import flow
from rapport.inbox.actions import InboxError, hand_to_person
from rapport.inbox.choices import Author, Delivery, EventKind, Source, Status
from rapport.inbox.delivery import send
from rapport.inbox.gather import customer_wrote
from rapport.inbox.models import Conversation, InboxSettings, Message
from rapport.inbox.routing import Availability, business_hours
from rapport.people.choices import Channel

MAX_TEXT = 5_000
MAX_NAME = 120
# Business messages the widget has not fetched after this long go by e-mail, when the
# visitor left an address.
EMAIL_AFTER = dt.timedelta(minutes=3)
ASKED_FOR_PERSON = "asked for a person"
SHOWN = (Author.CUSTOMER, Author.MEMBER, Author.AUTOMATION, Author.SYSTEM)
_KEY = re.compile(r"[A-Za-z0-9_-]{32,128}")
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class WidgetError(InboxError):
    """What the visitor sent cannot be taken; the message says why, in plain words."""


def settings_for(widget_key: str) -> InboxSettings | None:
    """The settings of the business whose widget this is; None when unknown or switched off."""
    return (
        InboxSettings.objects.select_related("workspace")
        .filter(widget_key=widget_key, widget_enabled=True)
        .first()
    )


def snippet(settings: InboxSettings) -> str:
    """The script tag for the business's website, exactly as docs/inbox-widget.md gives it,
    with this server's public address and the business's key (shown escaped by the page)."""
    src = django_settings.RAPPORT_PUBLIC_URL + static("rapport/widget.js")
    return (
        f'<script src="{src}"\n        data-rapport-widget="{settings.widget_key}" defer></script>'
    )


def visitor_hash(visitor_key: str) -> str:
    if not _KEY.fullmatch(visitor_key or ""):
        raise WidgetError("This chat could not be recognised; reload the page.")
    return hashlib.sha256(visitor_key.encode()).hexdigest()


def conversation_of(settings: InboxSettings, visitor_key: str) -> Conversation | None:
    return (
        Conversation.objects.select_related("workspace")
        .filter(
            workspace_id=settings.workspace_id,
            thread_key=_thread_key(visitor_hash(visitor_key)),
        )
        .first()
    )


def clean_text(text) -> str:
    # PostgreSQL refuses NUL characters in text; nobody types them.
    text = str(text or "").replace("\x00", "").strip()
    if not text:
        raise WidgetError("Write a message first.")
    if len(text) > MAX_TEXT:
        raise WidgetError(
            f"A message can be at most {MAX_TEXT:,} characters; this one has {len(text):,}."
        )
    return text


def clean_contact(name, email) -> tuple[str, str]:
    name = " ".join(str(name or "").split())[:MAX_NAME]
    email = str(email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise WidgetError("That e-mail address does not look right.") from None
    return name, email


def receive(
    settings: InboxSettings,
    visitor_key: str,
    client_id: str,
    text,
    *,
    name: str = "",
    email: str = "",
    now: dt.datetime | None = None,
) -> tuple[Message, bool]:
    """Store one message from the visitor; returns it and whether it is new (False: the
    same ``client_id`` was stored before, nothing changed)."""
    hashed = visitor_hash(visitor_key)
    if not _CLIENT_ID.fullmatch(client_id or ""):
        raise WidgetError("This message has no proper id; reload the page.")
    text = clean_text(text)
    name, email = clean_contact(name, email)
    now = now or timezone.now()
    with transaction.atomic():
        c = _open_conversation(settings, hashed, text, now)
        found = Message.objects.filter(conversation=c, client_id=client_id).first()
        if found:
            return found, False
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    workspace_id=c.workspace_id,
                    conversation=c,
                    author=Author.CUSTOMER,
                    body=text,
                    at=now,
                    client_id=client_id,
                )
        except IntegrityError:  # the same message, sent twice at once
            return Message.objects.get(conversation=c, client_id=client_id), False
        _keep_contact(c, name, email)
        customer_wrote(c, now, Availability(c.workspace, now=now))
    return message, True


def _thread_key(hashed: str) -> str:
    return f"widget:{hashed[:32]}"


def _open_conversation(settings, hashed: str, text: str, now: dt.datetime) -> Conversation:
    key = _thread_key(hashed)
    mine = Conversation.objects.select_for_update().select_related("workspace")
    found = mine.filter(workspace_id=settings.workspace_id, thread_key=key).first()
    if found:
        return found
    try:
        with transaction.atomic():
            c = Conversation.objects.create(
                workspace_id=settings.workspace_id,
                source=Source.WIDGET,
                channel=Channel.CHAT,
                thread_key=key,
                visitor_key=hashed,
                subject=Truncator(text).words(8)[:200],
                opened_at=now,
                last_message_at=now,
                awaiting_since=now,
            )
    except IntegrityError:  # the visitor's first message, sent twice at once
        return mine.get(workspace_id=settings.workspace_id, thread_key=key)
    flow.log(c, EventKind.OPENED, now, detail=Source.WIDGET)
    return mine.get(pk=c.pk)


def _keep_contact(c: Conversation, name: str, email: str) -> None:
    changed = [f for f, v in (("visitor_name", name), ("visitor_email", email)) if v]
    if changed:
        c.visitor_name = name or c.visitor_name
        c.visitor_email = email or c.visitor_email
        c.save(update_fields=changed)


def set_contact(settings: InboxSettings, visitor_key: str, name, email) -> Conversation | None:
    """Keep the visitor's name and e-mail on their conversation (None: no conversation yet;
    the widget sends them with the first message instead)."""
    name, email = clean_contact(name, email)
    c = conversation_of(settings, visitor_key)
    if c is not None:
        _keep_contact(c, name, email)
    return c


def ask_for_person(settings: InboxSettings, visitor_key: str) -> Conversation:
    """The visitor pressed "talk to a person": hand the conversation to one now."""
    c = conversation_of(settings, visitor_key)
    if c is None:
        raise WidgetError("Write your question first; a person will read it.")
    if c.status in (Status.NEW, Status.ANSWERED_AUTOMATICALLY, Status.RESOLVED):
        if c.status == Status.RESOLVED:
            raise WidgetError("Write a new message and a person will pick it up.")
        hand_to_person(c, ASKED_FOR_PERSON)
        c.refresh_from_db()
    return c


@dataclass
class Fetched:
    conversation: Conversation | None
    messages: list[Message]


def fetch(settings: InboxSettings, visitor_key: str, *, after: int = 0) -> Fetched:
    """The messages the widget has not shown yet: those after message ``after``, and any of
    the business's still waiting to be fetched (a reply stored while a later message was
    already out is never skipped). The business's messages are marked delivered."""
    c = conversation_of(settings, visitor_key)
    if c is None:
        return Fetched(None, [])
    fresh = Message.objects.filter(conversation=c, author__in=SHOWN)
    pending_ = fresh.filter(delivery=Delivery.PENDING)
    messages = list(
        (fresh.filter(pk__gt=after) | pending_).select_related("member__user").order_by("at", "id")
    )
    due = [m.pk for m in messages if m.delivery == Delivery.PENDING]
    if due:
        Message.objects.filter(pk__in=due, delivery=Delivery.PENDING).update(
            delivery=Delivery.DELIVERED
        )
        for m in messages:
            if m.pk in due:
                m.delivery = Delivery.DELIVERED
    return Fetched(c, messages)


def author_name(m: Message, business: str) -> str:
    if m.author == Author.CUSTOMER:
        return "You"
    if m.author == Author.MEMBER and m.member_id:
        return m.member.user.name or business
    if m.author == Author.AUTOMATION:
        return f"{business} (automatic answer)"
    return business


def notice(settings: InboxSettings, now: dt.datetime | None = None) -> str:
    """What the widget says when nobody will answer soon; '' when someone is there."""
    now = now or timezone.now()
    workspace = settings.workspace
    hours = business_hours(workspace, settings)
    if not hours.is_open(now):
        opens = next(hours.open_spans(now), None)
        when = f"we open {_when(opens[0], now, workspace.zone)}" if opens else "we are closed"
        return f"We're closed now; {when}. Leave your e-mail and we'll reply then."
    if not Availability(workspace, now=now).available:
        return (
            "Nobody is available to chat right now. Leave your e-mail and we'll reply as "
            "soon as someone is."
        )
    return ""


def _when(at: dt.datetime, now: dt.datetime, zone) -> str:
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    clock = f"{local.hour}:{local.minute:02d}"
    days = (local.date() - today).days
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    if days < 7:
        return f"{local:%A} at {clock}"
    return f"on {local.day} {local:%B} at {clock}"


def email_unfetched(workspace_id: int, *, now: dt.datetime | None = None) -> int:
    """E-mail the business's messages that a visitor who left an address did not fetch in
    the widget within EMAIL_AFTER; returns how many went."""
    now = now or timezone.now()
    waiting = Message.objects.filter(
        workspace_id=workspace_id,
        conversation__source=Source.WIDGET,
        author__in=SHOWN,
        delivery=Delivery.PENDING,
        at__lte=now - EMAIL_AFTER,
    ).exclude(author=Author.CUSTOMER)
    waiting = waiting.exclude(conversation__visitor_email="").select_related(
        "conversation__workspace", "member__user"
    )
    return sum(send(m) for m in waiting)
