"""Members' duty on the settings page: on duty or off, capacity, away with cover; a member
going away hands their open conversations to the cover through the state machine."""

import datetime as dt

from rapport.accounts.choices import Role
from rapport.accounts.models import AuditEvent
from rapport.inbox import actions
from rapport.inbox.choices import EventKind, Status
from rapport.inbox.models import Conversation, ConversationEvent, Duty
from rapport.inbox.tests.conftest import write_in
from rapport.test import login

URL = "/w/alices-bakery/inbox/settings/duty/"


def open_for(member, customer, n, actor):
    for i in range(n):
        write_in(customer, f"Question {i}?", thread=f"t{member.pk}-{i}")
    conversations = list(Conversation.objects.filter(workspace=member.workspace, owner=None))
    for c in conversations:
        actions.assign(c, member, actor=actor)
    return conversations


def test_bob_goes_away_and_alice_gets_his_open_conversations(client, personas, customer):
    bob, alice = personas.bob_member, personas.alice_member
    open_for(bob, customer, 2, alice)
    resolved = Conversation.objects.filter(owner=bob).first()
    actions.resolve(resolved, actor=bob)
    login(client, personas.bob)
    until = (personas.bakery.today() + dt.timedelta(days=7)).isoformat()
    response = client.post(
        f"{URL}{bob.pk}/",
        {"on_duty": "on", "capacity": "10", "away_until": until, "covered_by": alice.pk},
        follow=True,
    )
    assert "1 open conversation moved to the cover" in response.content.decode()
    duty = Duty.objects.get(membership=bob)
    assert duty.away_until.isoformat() == until and duty.covered_by == alice
    moved = Conversation.objects.exclude(pk=resolved.pk).get()
    assert moved.owner == alice and moved.status == Status.ASSIGNED and moved.last_owner == alice
    assert Conversation.objects.get(pk=resolved.pk).status == Status.RESOLVED
    event = ConversationEvent.objects.filter(conversation=moved, kind=EventKind.ASSIGNED).last()
    assert event.member == alice and "covering for Bob Okafor" in event.detail
    assert AuditEvent.objects.filter(object_repr="duty of Bob Okafor").exists()


def test_a_cover_who_is_off_duty_gets_nothing_and_the_member_is_told(client, personas, customer):
    bob, alice = personas.bob_member, personas.alice_member
    open_for(bob, customer, 1, alice)
    Duty.objects.create(workspace=personas.bakery, membership=alice, on_duty=False)
    login(client, personas.bob)
    until = (personas.bakery.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"{URL}{bob.pk}/",
        {"capacity": "5", "away_until": until, "covered_by": alice.pk},
        follow=True,
    )
    assert "conversations stay where they are" in response.content.decode()
    assert Conversation.objects.get().owner == bob
    assert Duty.objects.get(membership=bob).on_duty is False  # the duty itself was saved


def test_staff_change_only_their_own_duty_and_managers_everyones(client, personas):
    login(client, personas.bob)
    page = client.get(URL).content.decode()
    assert f'action="{URL}{personas.bob_member.pk}/"' in page
    assert f'action="{URL}{personas.alice_member.pk}/"' not in page
    response = client.post(f"{URL}{personas.alice_member.pk}/", {"capacity": "1"})
    assert response.status_code == 404
    personas.bob_member.role = Role.MANAGER
    personas.bob_member.save()
    client.post(f"{URL}{personas.alice_member.pk}/", {"capacity": "3"})
    assert Duty.objects.get(membership=personas.alice_member).capacity == 3


def test_bad_duty_input_is_named_and_saves_nothing(client, personas):
    login(client, personas.alice)
    url = f"{URL}{personas.bob_member.pk}/"
    cases = [
        ({"capacity": "lots"}, "Bob Okafor, capacity: “lots” is not a number"),
        ({"capacity": "2", "away_until": "next week"}, "away until: “next week” is not a date"),
        ({"capacity": "2", "covered_by": "99999"}, "covered by: choose a member"),
        ({"capacity": "2", "covered_by": personas.vera_member.pk}, "choose a member"),
        ({"capacity": "2", "covered_by": personas.bob_member.pk}, "someone else must cover"),
        ({"capacity": "2", "covered_by": personas.charlie_member.pk}, "choose a member"),
    ]
    for data, said in cases:
        response = client.post(url, data, follow=True)
        assert said in response.content.decode(), data
    assert not Duty.objects.filter(membership=personas.bob_member).exists()
