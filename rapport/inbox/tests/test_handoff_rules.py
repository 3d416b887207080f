"""The handoff rules hold in the inbox itself, whatever happens in whatever order: random
sequences of customers writing, the automation, members taking, replying, giving back and
resolving, and a member leaving, on the real database with the real text model, checked
after every step."""

import random

import pytest
from django.utils import timezone

from rapport.accounts.actions import remove_member
from rapport.inbox import actions, automation
from rapport.inbox.choices import Author, EventKind, Status
from rapport.inbox.models import Conversation, Message
from rapport.inbox.tests.conftest import write_in
from rapport.people.choices import Channel
from rapport.people.models import Interaction
from rapport.understanding.actions import analyze_pending

TEXTS = [
    "What time do you open on Sunday?",
    "do you have gluten free bread",
    "I want to speak to a person, not a bot.",
    "You charged me twice and I will go elsewhere if this is not fixed today!",
    "Thanks, that's all.",
    "Could you bake 40 croissants for Friday?",
]


def check(c: Conversation) -> None:
    owned = c.status in (Status.ASSIGNED, Status.REPLIED)
    assert (c.owner_id is not None) == owned, (c.status, c.owner_id)
    timeline = list(c.messages.order_by("at", "id"))
    first_person = next(
        (i for i, m in enumerate(timeline) if m.author in (Author.MEMBER, Author.SYSTEM)), None
    )
    if first_person is not None:
        later_bot = [m for m in timeline[first_person:] if m.author == Author.AUTOMATION]
        assert not later_bot, "the automation answered after a person had taken over"
    assert c.messages.filter(author=Author.SYSTEM).count() <= 1, "handed off twice"
    inbound = Interaction.objects.filter(
        person=c.person, thread_key=c.thread_key, direction="inbound"
    )
    assert inbound.count() == c.messages.filter(author=Author.CUSTOMER).count(), (
        "a message was lost"
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_days_in_the_inbox_keep_the_rules(personas, customer, faq, seed):
    rng = random.Random(seed)
    members = [personas.alice_member, personas.bob_member]
    thread = f"chat-{seed}"
    removed = False
    for _ in range(14):
        c = Conversation.objects.filter(workspace=personas.bakery, thread_key=thread).first()
        move = rng.choice(
            ["write", "write", "process", "take", "reply", "release", "resolve", "leave"]
        )
        before = (c.status, c.last_owner_id) if c else None
        if move == "write" or c is None:
            write_in(customer, rng.choice(TEXTS), thread=thread, channel=Channel.CHAT)
            c = Conversation.objects.get(workspace=personas.bakery, thread_key=thread)
            back = before and before[0] == Status.RESOLVED and c.automation_stopped
            if back and before[1] and c.last_owner.removed_at is None:
                # reopening goes back to the last person when they can take it
                assert c.status == Status.ASSIGNED and c.owner_id == before[1]
        elif move == "process":
            analyze_pending(personas.bakery)
            automation.process(personas.bakery, now=timezone.now() + timezone.timedelta(minutes=5))
        elif move == "leave" and not removed and c.owner_id == personas.bob_member.pk:
            remove_member(personas.bob_member, actor=personas.alice)
            actions.member_left(personas.bob_member)
            members = [personas.alice_member]
            removed = True
        else:
            member = rng.choice(members)
            try:
                if move == "take":
                    actions.assign(c, member, actor=member)
                elif move == "reply":
                    actions.reply(c, "Thank you, I'll sort it out.", actor=member)
                elif move == "release":
                    actions.release(c, actor=c.owner or member)
                elif move == "resolve":
                    actions.resolve(c, actor=member)
            except actions.InboxError:
                pass  # refused, and said why: the conversation is unchanged
        c = Conversation.objects.get(workspace=personas.bakery, thread_key=thread)
        check(c)
    c = Conversation.objects.get(workspace=personas.bakery, thread_key=thread)
    handed = c.events.filter(kind=EventKind.HANDED_OFF).count()
    assert handed <= 1
    assert Message.objects.filter(conversation=c, author=Author.CUSTOMER).exists()
