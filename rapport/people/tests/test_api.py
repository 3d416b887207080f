from rapport.accounts.models import ApiToken
from rapport.people.models import Person
from rapport.people.tests.factories import make_customer


def bearer(membership):
    _, token = ApiToken.issue(membership, "test script")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_it_lists_people_with_the_directory_filters(client, personas):
    make_customer(personas.bakery, name="Dana Petit", tags=["VIP"])
    make_customer(personas.bakery, name="Eli Roux")

    response = client.get(
        "/api/w/alices-bakery/people", {"tag": "VIP"}, **bearer(personas.bob_member)
    )

    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["Dana Petit"]


def test_it_records_an_interaction_handled_by_the_caller_and_updates_contact_dates(
    client, personas
):
    dana = make_customer(personas.bakery)

    response = client.post(
        f"/api/w/alices-bakery/people/{dana.pk}/interactions",
        {
            "occurred_at": "2026-03-01T09:30:00+01:00",
            "channel": "phone",
            "direction": "outbound",
            "text": "Called to say the cake is ready",
            "handled_by_me": True,
        },
        content_type="application/json",
        **bearer(personas.bob_member),
    )

    assert response.status_code == 201, response.content
    assert response.json()["handler_kind"] == "human"
    assert response.json()["handler_name"] == "Bob Okafor"
    assert (
        Person.objects.get(pk=dana.pk).last_human_contact_at.isoformat()
        == "2026-03-01T08:30:00+00:00"
    )


def test_it_refuses_writes_from_a_viewer(client, personas):
    dana = make_customer(personas.bakery)
    response = client.post(
        f"/api/w/alices-bakery/people/{dana.pk}/interactions",
        {"occurred_at": "2026-03-01T09:30:00Z", "channel": "phone", "direction": "outbound"},
        content_type="application/json",
        **bearer(personas.vera_member),
    )
    assert response.status_code == 404


def test_it_rejects_an_unknown_channel_with_a_clear_message(client, personas):
    dana = make_customer(personas.bakery)
    response = client.post(
        f"/api/w/alices-bakery/people/{dana.pk}/interactions",
        {"occurred_at": "2026-03-01T09:30:00Z", "channel": "pigeon", "direction": "inbound"},
        content_type="application/json",
        **bearer(personas.bob_member),
    )
    assert response.status_code == 422
    assert "channel" in response.content.decode()
