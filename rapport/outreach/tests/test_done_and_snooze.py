"""Marking an item done or snoozed keeps it off the list while the list is recomputed, and
records what followed."""

from datetime import timedelta

import pytest

from rapport.engine import outreach as o
from rapport.outreach.actions import (
    DONE_REST_DAYS,
    NotOnList,
    OutreachError,
    done_recently,
    mark_done,
    reach_out_list,
    snooze,
)
from rapport.outreach.choices import ItemState
from rapport.outreach.models import OutreachItem
from rapport.people.tests.factories import make_touch


def keys(workspace, member, today=None):
    return {item.prompt.key for item in reach_out_list(workspace, member, today).items}


def test_done_takes_the_item_off_the_list_and_keeps_who_and_when(personas, bakery_week):
    bakery, bob, dana = personas.bakery, personas.bob_member, bakery_week["dana"]
    item = mark_done(bakery, bob, o.NO_HUMAN_CONTACT, dana.pk)
    assert item.state == ItemState.DONE and item.done_by == bob and item.done_at
    assert item.owner == bob and "100 days" in item.why
    assert item.numbers["days since the last human contact"] == 100
    assert (o.NO_HUMAN_CONTACT, dana.pk) not in keys(bakery, bob)
    # Recomputing the list keeps the state.
    listed = reach_out_list(bakery, bob)
    assert listed.resting == 1 and len(listed) == 1


def test_a_done_item_comes_back_after_its_rest_if_its_rule_still_holds(personas, bakery_week):
    bakery, bob, dana = personas.bakery, personas.bob_member, bakery_week["dana"]
    mark_done(bakery, bob, o.NO_HUMAN_CONTACT, dana.pk)
    later = bakery.today() + timedelta(days=DONE_REST_DAYS + 7)
    assert (o.NO_HUMAN_CONTACT, dana.pk) in keys(bakery, bob, later)


def test_the_next_human_contact_after_done_is_recorded(personas, bakery_week):
    bakery, bob, dana = personas.bakery, personas.bob_member, bakery_week["dana"]
    mark_done(bakery, bob, o.NO_HUMAN_CONTACT, dana.pk)
    [done] = done_recently(bakery, bakery.today())
    assert done.next_contact_at is None
    call = make_touch(dana, days_ago=-1, member=bob, text="Called Dana, all is well.")
    [done] = done_recently(bakery, bakery.today())
    assert done.next_contact_at == call.occurred_at


def test_snoozed_items_return_on_their_day(personas, bakery_week):
    bakery, alice, mill = personas.bakery, personas.alice_member, bakery_week["mill"]
    until = bakery.today() + timedelta(days=10)
    item = snooze(bakery, alice, o.SUPPLIER_SLIPPING, mill.pk, until)
    assert item.state == ItemState.SNOOZED and item.snoozed_by == alice
    assert (o.SUPPLIER_SLIPPING, mill.pk) not in keys(bakery, alice)
    assert (o.SUPPLIER_SLIPPING, mill.pk) in keys(bakery, alice, until)


def test_marking_the_same_item_twice_in_a_week_keeps_one_row(personas, bakery_week):
    bakery, alice, mill = personas.bakery, personas.alice_member, bakery_week["mill"]
    snooze(bakery, alice, o.SUPPLIER_SLIPPING, mill.pk, bakery.today() + timedelta(days=3))
    mark_done(bakery, alice, o.SUPPLIER_SLIPPING, mill.pk)
    assert OutreachItem.objects.get().state == ItemState.DONE


def test_bob_cannot_act_on_an_item_that_is_not_his(personas, bakery_week):
    with pytest.raises(NotOnList):
        mark_done(personas.bakery, personas.bob_member, o.UNHAPPY_ANSWER, bakery_week["eli"].pk)
    assert not OutreachItem.objects.exists()


def test_managers_may_act_on_anyones_item(personas, bakery_week):
    mark_done(personas.bakery, personas.alice_member, o.NO_HUMAN_CONTACT, bakery_week["dana"].pk)
    assert (o.NO_HUMAN_CONTACT, bakery_week["dana"].pk) not in keys(
        personas.bakery, personas.bob_member
    )


def test_a_snooze_must_be_after_today_and_within_a_year(personas, bakery_week):
    bakery, alice, mill = personas.bakery, personas.alice_member, bakery_week["mill"]
    for days in (0, 400):
        with pytest.raises(OutreachError):
            snooze(bakery, alice, o.SUPPLIER_SLIPPING, mill.pk, bakery.today() + timedelta(days))
