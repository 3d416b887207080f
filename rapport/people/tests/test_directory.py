from django.urls import reverse

from rapport.people.actions import create_person
from rapport.people.choices import Group
from rapport.people.models import Team
from rapport.people.tests.factories import make_customer
from rapport.test import login


def names(response):
    return [p.name for p in response.context["page"]]


def test_it_searches_by_name_email_and_external_id(client, personas):
    make_customer(personas.bakery, name="Dana Petit", email="dana@example.com", external_id="C-17")
    make_customer(personas.bakery, name="Eli Roux")
    login(client, personas.alice)
    url = reverse("people:directory", args=["alices-bakery"])

    assert names(client.get(url, {"q": "petit"})) == ["Dana Petit"]
    assert names(client.get(url, {"q": "dana@"})) == ["Dana Petit"]
    assert names(client.get(url, {"q": "C-17"})) == ["Dana Petit"]


def test_it_filters_by_group_tag_team_and_owner(client, personas):
    bakehouse = Team.objects.create(workspace=personas.bakery, name="Bakehouse")
    create_person(personas.bakery, group=Group.EMPLOYEE, name="Noor Haddad", team=bakehouse)
    make_customer(personas.bakery, name="Dana Petit", tags=["VIP"], owner=personas.bob_member)
    make_customer(personas.bakery, name="Eli Roux")
    login(client, personas.alice)
    url = reverse("people:directory", args=["alices-bakery"])

    assert names(client.get(url, {"group": "employee"})) == ["Noor Haddad"]
    assert names(client.get(url, {"tag": "VIP"})) == ["Dana Petit"]
    assert names(client.get(url, {"team": "Bakehouse"})) == ["Noor Haddad"]
    assert names(client.get(url, {"owner": personas.bob_member.pk})) == ["Dana Petit"]
    assert names(client.get(url, {"owner": "none", "group": "customer"})) == ["Eli Roux"]


def test_it_matches_nobody_for_an_unknown_group_rather_than_everybody(client, personas):
    make_customer(personas.bakery)
    response = login(client, personas.alice).get(
        reverse("people:directory", args=["alices-bakery"]), {"group": "aliens"}
    )
    assert names(response) == []


def test_it_pages_and_keeps_a_fixed_query_count(client, personas, django_assert_max_num_queries):
    bakehouse = Team.objects.create(workspace=personas.bakery, name="Bakehouse")
    for i in range(120):
        create_person(
            personas.bakery,
            group=Group.EMPLOYEE,
            name=f"Person {i:03}",
            team=bakehouse,
            owner=personas.bob_member,
            tags=["crew"],
            via="test",
        )
    login(client, personas.alice)

    with django_assert_max_num_queries(13):  # 12, and the menu's inbox count
        response = client.get(reverse("people:directory", args=["alices-bakery"]))

    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.num_pages == 3
