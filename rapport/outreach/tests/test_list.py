"""Who sees which items: the relationship's keeper, otherwise the managers and owners."""

from rapport.accounts.actions import remove_member
from rapport.engine import outreach as o
from rapport.feedback.actions import move
from rapport.feedback.choices import FollowUp
from rapport.outreach.actions import reach_out_list
from rapport.people.tests.factories import make_touch


def listed(workspace, member, **kwargs):
    return {(item.kind, item.subject) for item in reach_out_list(workspace, member, **kwargs).items}


def test_bob_sees_the_relationships_he_keeps(personas, bakery_week):
    assert listed(personas.bakery, personas.bob_member) == {
        (o.NO_HUMAN_CONTACT, "Dana Petit"),
        (o.GOING_QUIET, "Fay Leroy"),
    }


def test_alice_sees_what_nobody_keeps(personas, bakery_week):
    assert listed(personas.bakery, personas.alice_member) == {
        (o.UNHAPPY_ANSWER, "Eli Moreau"),
        (o.SUPPLIER_SLIPPING, "Mill"),
    }


def test_alice_sees_everyones_list_when_she_asks(personas, bakery_week):
    everything = reach_out_list(personas.bakery, personas.alice_member, everyone=True)
    assert len(everything) == 4
    assert [g.kind for g in everything.groups] == [
        o.NO_HUMAN_CONTACT,
        o.UNHAPPY_ANSWER,
        o.GOING_QUIET,
        o.SUPPLIER_SLIPPING,
    ]
    dana = next(i for i in everything.items if i.subject == "Dana Petit")
    assert dana.owner == personas.bob_member and dana.person_id == bakery_week["dana"].pk


def test_staff_cannot_ask_for_everyones_list(personas, bakery_week):
    assert len(reach_out_list(personas.bakery, personas.bob_member, everyone=True)) == 2


def test_it_says_why_in_plain_words_with_the_numbers(personas, bakery_week):
    [item] = [
        i
        for i in reach_out_list(personas.bakery, personas.bob_member).items
        if i.kind == o.NO_HUMAN_CONTACT
    ]
    assert item.prompt.why == (
        "No one from the business has been in touch with Dana Petit for 100 days (the limit is 60)."
    )
    assert item.prompt.numbers["days since the last human contact"] == 100


def test_an_acknowledged_detractor_leaves_the_list(personas, bakery_week):
    move(bakery_week["eli"].responses.get(), FollowUp.ACKNOWLEDGED, member=personas.alice_member)
    assert (o.UNHAPPY_ANSWER, "Eli Moreau") not in listed(personas.bakery, personas.alice_member)


def test_a_human_contact_clears_the_no_contact_item(personas, bakery_week):
    make_touch(bakery_week["dana"], days_ago=0, member=personas.bob_member)
    assert (o.NO_HUMAN_CONTACT, "Dana Petit") not in listed(personas.bakery, personas.bob_member)


def test_an_automated_contact_does_not_count_as_a_human_one(personas, bakery_week):
    from rapport.accounts.models import Automation

    bot = Automation.objects.create(workspace=personas.bakery, name="Levain Assistant")
    make_touch(bakery_week["dana"], days_ago=0, automation=bot)
    assert (o.NO_HUMAN_CONTACT, "Dana Petit") in listed(personas.bakery, personas.bob_member)


def test_a_former_members_relationships_go_to_the_managers(personas, bakery_week):
    remove_member(personas.bob_member)
    assert (o.NO_HUMAN_CONTACT, "Dana Petit") in listed(personas.bakery, personas.alice_member)


def test_charlie_sees_nothing_of_alices_bakery_in_his_own_list(personas, bakery_week):
    assert len(reach_out_list(personas.garage, personas.charlie_member, everyone=True)) == 0


def test_a_suppliers_named_contact_counts_as_the_supplier(personas, bakery_week):
    from rapport.people.actions import create_person
    from rapport.people.choices import Group, PartyKind

    def supplier(name, days_ago):
        org = create_person(
            personas.bakery, group=Group.SUPPLIER, kind=PartyKind.ORGANISATION, name=name
        )
        contact = create_person(
            personas.bakery, group=Group.SUPPLIER, name=f"{name} rep", organisation=org
        )
        make_touch(contact, days_ago=days_ago, member=personas.alice_member)

    supplier("Dairy", 5)
    supplier("Eggs", 100)
    untouched = {
        subject
        for kind, subject in listed(personas.bakery, personas.alice_member)
        if kind == o.NO_HUMAN_CONTACT
    }
    assert untouched == {"Eggs"}
