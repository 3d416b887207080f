from rapport.accounts.actions import add_member
from rapport.accounts.choices import Role
from rapport.test import login


def test_it_lists_only_the_businesses_the_user_belongs_to(client, personas):
    response = login(client, personas.alice).get("/w/alices-bakery/people/")
    assert list(response.context["switcher"]) == [("alices-bakery", "Alice's Bakery")]


def test_it_switches_to_another_business_of_the_user(client, personas):
    add_member(personas.garage, personas.alice, Role.VIEWER)
    login(client, personas.alice)

    response = client.get("/", {"ws": "charlies-garage"})

    assert response["Location"] == "/w/charlies-garage/people/"
    page = client.get("/w/charlies-garage/people/")
    assert [slug for slug, _ in page.context["switcher"]] == ["alices-bakery", "charlies-garage"]


def test_it_ignores_a_switch_to_a_business_the_user_is_not_in(client, personas):
    response = login(client, personas.bob).get("/", {"ws": "charlies-garage"})
    assert response["Location"] == "/w/alices-bakery/people/"


def test_it_remembers_the_last_business_used(client, personas):
    add_member(personas.garage, personas.alice, Role.VIEWER)
    login(client, personas.alice)
    client.get("/w/charlies-garage/people/")
    assert client.get("/")["Location"] == "/w/charlies-garage/people/"
