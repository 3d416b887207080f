"""Employees appear as their team unless the business chose to name them."""

from rapport.engine import outreach as o
from rapport.outreach.actions import reach_out_list, set_individual_employees
from rapport.outreach.models import OutreachSettings
from rapport.outreach.tests.conftest import make_bakehouse


def test_the_bakehouse_appears_as_a_team_with_no_names(personas):
    team, _ = make_bakehouse(personas)
    [item] = reach_out_list(personas.bakery, personas.alice_member).items
    assert item.kind == o.TEAM_MOOD and item.prompt.subject_id == team.pk
    assert item.person_id is None and item.subject == "Bakehouse"
    assert item.prompt.why.startswith(
        "The Bakehouse team: two people's messages are cooling over the last 60 days "
        "(2 of the 3 who wrote)."
    )
    assert "Ines" not in item.prompt.why and "Jon" not in item.prompt.why


def test_team_items_go_to_managers_and_owners_only(personas):
    make_bakehouse(personas)
    assert len(reach_out_list(personas.bakery, personas.bob_member)) == 0


def test_one_unhappy_baker_is_not_told_even_as_a_team(personas):
    make_bakehouse(personas, unhappy=("Ines",))
    assert len(reach_out_list(personas.bakery, personas.alice_member)) == 0


def test_naming_employees_is_off_by_default(personas):
    assert OutreachSettings.objects.filter(individual_employees=True).count() == 0
    make_bakehouse(personas)
    reach_out_list(personas.bakery, personas.alice_member)
    assert OutreachSettings.objects.get(workspace=personas.bakery).individual_employees is False


def test_with_naming_enabled_the_bakers_appear_by_name(personas):
    _, bakers = make_bakehouse(personas)
    set_individual_employees(personas.bakery, True, actor=personas.alice)
    items = reach_out_list(personas.bakery, personas.alice_member).items
    assert {(i.kind, i.subject) for i in items} == {
        (o.DECLINING_SENTIMENT, "Ines Baker"),
        (o.DECLINING_SENTIMENT, "Jon Baker"),
    }
    assert all(i.person_id in (bakers["Ines"].pk, bakers["Jon"].pk) for i in items)


def test_the_choice_is_audited(personas):
    set_individual_employees(personas.bakery, True, actor=personas.alice)
    event = personas.bakery.audit_events.get(object_type="outreachsettings")
    assert event.changes == {"individual_employees": [False, True]}
    assert event.actor == personas.alice
