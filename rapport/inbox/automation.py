"""What happens to a customer's message once it has been read: triage, then an automatic
answer from the knowledge base or a handoff to a person.

:func:`process` runs in the background (after the readings are stored, and on the clock for
anything missed). For each conversation with a message it has not looked at yet:

1. **Triage** over the whole conversation (``engine.triage``): every customer message's
   reading, the relationship (group, key account, time since a human contact, other open
   conversations), the wait, and the business's own escalation rules. The priority, its
   reasons and the rule that applied are stored; the reply clock follows the priority.
2. **Who answers.** While the automation still holds the conversation, a routine question the
   knowledge base answers with enough confidence gets the automatic answer
   (``engine.answers``: never for a text that needs a human, is upset, asks for a person or
   is in another language). Anything else is handed to a person — the relationship's owner
   (or whoever covers for them), the member a rule names, or the next member in turn — with
   the closest entry offered as a draft, and the customer is told in plain words.
3. A conversation already with a person only gets its triage updated: the automation never
   speaks over a person (``engine.handoff``).

A message with no ``Interaction`` (a widget visitor not known yet) is read here, in the
worker, with ``engine.text.analyze``. A message whose reading does not come (the person does
not allow analysis, or the reader failed) is handled after :data:`READ_WAIT` without one: it
goes to a person.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from rapport.accounts.choices import Role
from rapport.accounts.models import Workspace
from rapport.engine import handoff, triage
from rapport.engine.text import analyze, needs_human
from rapport.inbox import flow
from rapport.inbox.choices import Author, EventKind, Status
from rapport.inbox.clocks import start_clocks
from rapport.inbox.delivery import post_to_customer, reaches_customer
from rapport.inbox.models import Conversation, EscalationRule, Message
from rapport.inbox.routing import Availability
from rapport.knowledge.actions import knowledge_base
from rapport.knowledge.models import KnowledgeSettings
from rapport.people.choices import Group
from rapport.understanding.actions import reading_values
from rapport.understanding.models import InteractionReading

log = logging.getLogger(__name__)

READ_WAIT = dt.timedelta(minutes=2)
HOLDS = (Status.NEW, Status.ANSWERED_AUTOMATICALLY)


def pending(workspace: Workspace):
    """Conversations with a customer message not looked at yet."""
    return Conversation.objects.filter(workspace=workspace, read_at__isnull=True)


def process(workspace: Workspace, *, now: dt.datetime | None = None, limit: int = 500) -> int:
    now = now or timezone.now()
    who = Availability(workspace, now=now)
    rules = kb = None  # read when the first conversation is decided
    done = 0
    for c in pending(workspace).select_related("person", "workspace")[:limit]:
        messages = list(
            flow.customer_messages(c).select_related("interaction").order_by("at", "id")
        )
        readings = _readings(messages)
        unread = [m for m in messages if m.pk not in readings]
        if unread and now - max(m.at for m in unread) < READ_WAIT and _will_be_read(c):
            continue
        if rules is None:
            rules, kb = engine_rules(workspace), _knowledge(workspace)
        with transaction.atomic():
            c = (
                Conversation.objects.select_for_update(of=("self",))
                .select_related("person", "workspace")
                .get(pk=c.pk)
            )
            if c.read_at is not None:
                continue
            _decide(c, messages, readings, who, rules, kb, now)
        done += 1
    return done


def engine_rules(workspace: Workspace) -> list[triage.EscalationRule]:
    return [
        triage.EscalationRule(
            name=r.name,
            all_of=frozenset(r.all_of or ()),
            any_of=frozenset(r.any_of or ()),
            groups=frozenset(r.groups or ()),
            key_account=r.key_account,
            priority=triage.Priority(r.priority),
            route_to=r.route_to,
            within=dt.timedelta(minutes=r.within_minutes) if r.within_minutes else None,
        )
        for r in EscalationRule.objects.filter(workspace=workspace, active=True)
    ]


def _will_be_read(c: Conversation) -> bool:
    return c.person_id is not None and c.person.may_analyse


def _readings(messages: list[Message]) -> dict[int, InteractionReading]:
    ids = {m.interaction_id: m.pk for m in messages if m.interaction_id}
    stored = {
        ids[r.interaction_id]: r
        for r in InteractionReading.objects.filter(interaction_id__in=list(ids)).exclude(
            error__gt=""
        )
    }
    return stored | _read_here([m for m in messages if not m.interaction_id])


def _read_here(messages: list[Message]) -> dict[int, InteractionReading]:
    """Messages with no ``Interaction`` (a widget visitor not known yet) have no stored
    reading: read them now, in the worker, and keep the reading only for this decision."""
    messages = [m for m in messages if m.body.strip()]
    if not messages:
        return {}
    analyses = analyze([m.body for m in messages], pii=False)
    readings = (
        (m.pk, InteractionReading(**reading_values(a)))
        for m, a in zip(messages, analyses, strict=True)
    )
    return {pk: r for pk, r in readings if not r.error}


def _knowledge(workspace: Workspace):
    """The business's knowledge base, or None when automatic answers are off or it is empty."""
    on = (
        KnowledgeSettings.objects.filter(workspace=workspace)
        .values_list("auto_answer", flat=True)
        .first()
    )
    if on is False:
        return None
    kb = knowledge_base(workspace)
    return kb if kb.entries else None


def _message_reading(m: Message, r: InteractionReading | None) -> triage.MessageReading:
    text = m.text
    if r is None:
        return triage.MessageReading(at=m.at, asks=needs_human.asks_something(text))
    return triage.MessageReading(
        at=m.at,
        asks=needs_human.asks_something(text),
        needs_human=r.needs_human,
        reasons=tuple(x["code"] for x in (r.reasons or ()) if r.needs_human),
        sentiment=r.sentiment_score,
    )


def relationship(c: Conversation, now: dt.datetime) -> triage.Relationship:
    p = c.person
    if p is None:
        return triage.Relationship()
    days = (now - p.last_human_contact_at).days if p.last_human_contact_at else None
    others = (
        Conversation.objects.filter(workspace_id=c.workspace_id, person=p)
        .exclude(pk=c.pk)
        .exclude(status=Status.RESOLVED)
        .count()
    )
    return triage.Relationship(
        group=p.group,
        key_account=p.owner_id is not None or p.group in (Group.SUPPLIER, Group.COMMUNITY),
        days_since_human_contact=days,
        open_items=others,
    )


def _decide(c, messages, readings, who, rules, kb, now) -> None:
    read = [_message_reading(m, readings.get(m.pk)) for m in messages]
    result = triage.triage(
        read, relationship(c, now), now=now, rules=rules, waiting_since=c.awaiting_since
    )
    last = readings.get(messages[-1].pk) if messages else None
    codes = sorted({code for r in read for code in r.reasons})
    c.priority = int(result.priority)
    c.reasons = list(result.reasons)
    c.reason_codes = codes
    c.rule = result.rule or ""
    c.needs_human = any(r.needs_human for r in read)
    c.asked_for_person = c.asked_for_person or "asks_for_person" in codes
    c.sentiment = last.sentiment_score if last else None
    c.emotion = top_feeling(last)
    c.read_at = now
    c.save()
    flow.log(
        c,
        EventKind.TRIAGED,
        now,
        detail=f"{result.priority.label}: " + "; ".join(result.reasons[:3]),
    )
    within = int(result.respond_within.total_seconds() // 60) if result.rule else None
    if c.status in HOLDS and not c.automation_stopped and messages:
        _answer_or_hand_off(c, messages[-1], result, who, kb, now)
    elif c.status == Status.WAITING:
        assign_in_turn(c, who, now)
    start_clocks(c, within_minutes=within)


def top_feeling(r: InteractionReading | None) -> str:
    if r is None or not r.emotion_groups:
        return ""
    group, score = max(r.emotion_groups.items(), key=lambda kv: kv[1])
    return group if score >= 0.3 else ""


def _answer_or_hand_off(c, last: Message, result, who, kb, now) -> None:
    match = kb.match([last.text])[0] if kb is not None else None
    if match is not None and match.entry_id:
        c.draft_entry, c.draft_confidence = match.entry_id, round(match.confidence, 3)
        c.save(update_fields=["draft_entry", "draft_confidence"])
    # A person who may not be contacted (``may_contact`` off) gets no automatic e-mail:
    # a member reads the question and decides (docs/privacy.md).
    unreachable = not reaches_customer(c)
    if (
        match is not None
        and match.answer
        and not c.asked_for_person
        and not c.needs_human
        and not unreachable
    ):
        answer = next(e.answer for e in kb.entries if e.id == match.entry_id)
        outcome = flow.apply(c, handoff.AnsweredAutomatically(now), who)
        if not outcome.refused:
            post_to_customer(
                c,
                answer,
                author=Author.AUTOMATION,
                at=now,
                entry_key=match.entry_id,
                confidence=match.confidence,
            )
            c.awaiting_since = None
            c.save(update_fields=["awaiting_since"])
            return
    reason = (
        "may not be contacted: a person decides whether to reply"
        if unreachable and match is not None and match.answer
        else _handoff_reason(c, result, match)
    )
    target = route(c, result.route_to, who)
    flow.apply(c, handoff.HandOff(now, reason, to=str(target) if target else None), who)


def _handoff_reason(c, result, match) -> str:
    if c.asked_for_person:
        return "asked for a person"
    if result.reasons and c.needs_human:
        return result.reasons[0]
    if match is None:
        return "no automatic answers in this business"
    if match.reasons:
        return match.reasons[0]
    return "no entry of the knowledge base answers it"


def route(c: Conversation, route_to: str | None, who: Availability) -> int | None:
    """Who a handoff goes to: a rule's choice, else the relationship's owner (or whoever
    covers for them), else the next member in turn; None when nobody can take it now."""
    if route_to == "owner":
        owners = (
            c.workspace.memberships.filter(role=Role.OWNER, removed_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return next((m for m in owners if who.is_available(m)), None)
    if route_to and route_to.isdigit():
        return who.stand_in(int(route_to))
    if c.person_id and c.person.owner_id:
        keeper = who.stand_in(c.person.owner_id)
        if keeper is not None:
            return keeper
    return who.next_in_turn()


def assign_in_turn(c: Conversation, who: Availability, now: dt.datetime) -> None:
    member = who.next_in_turn()
    if member is not None:
        flow.apply(c, handoff.Assign(now, str(member)), who, detail="next in turn")
