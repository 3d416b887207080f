"""The reach-out list over the API."""

import json

from rapport.engine import outreach as o
from rapport.outreach.models import OutreachItem
from rapport.test import login

URL = "/api/w/alices-bakery/outreach"


def test_it_lists_bobs_items_with_why_and_numbers(client, personas, bakery_week):
    items = login(client, personas.bob).get(URL).json()
    assert {(i["kind"], i["subject"]) for i in items} == {
        (o.NO_HUMAN_CONTACT, "Dana Petit"),
        (o.GOING_QUIET, "Fay Leroy"),
    }
    dana = next(i for i in items if i["subject"] == "Dana Petit")
    assert dana["person_id"] == bakery_week["dana"].pk and dana["owner"] == "Bob Okafor"
    assert dana["numbers"]["days since the last human contact"] == 100


def test_an_unhappy_answer_points_at_its_response(client, personas, bakery_week):
    items = login(client, personas.alice).get(URL).json()
    eli = next(i for i in items if i["kind"] == o.UNHAPPY_ANSWER)
    assert eli["ref"] == str(bakery_week["eli"].responses.get().pk)


def test_it_marks_an_item_done(client, personas, bakery_week):
    body = {"kind": o.NO_HUMAN_CONTACT, "subject_id": bakery_week["dana"].pk}
    response = login(client, personas.bob).post(
        URL + "/done", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "done"
    assert OutreachItem.objects.get().done_by == personas.bob_member


def test_it_snoozes_and_refuses_a_day_in_the_past(client, personas, bakery_week):
    login(client, personas.alice)
    body = {"kind": o.SUPPLIER_SLIPPING, "subject_id": bakery_week["mill"].pk}
    refused = client.post(
        URL + "/snooze", json.dumps(body | {"until": "2000-01-01"}), content_type="application/json"
    )
    assert refused.status_code == 422
    until = personas.bakery.today().replace(year=personas.bakery.today().year + 1)
    ok = client.post(
        URL + "/snooze",
        json.dumps(body | {"until": until.isoformat()}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["snoozed_until"] == until.isoformat()


def test_an_item_not_on_the_list_is_404(client, personas, bakery_week):
    body = {"kind": o.UNHAPPY_ANSWER, "subject_id": bakery_week["eli"].pk}
    response = login(client, personas.bob).post(
        URL + "/done", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 404


def test_viewers_cannot_read_the_list(client, personas, bakery_week):
    assert login(client, personas.vera).get(URL).status_code == 404


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/w/{slug}/outreach"]
    assert "post" in paths["/api/w/{slug}/outreach/done"]
    assert "post" in paths["/api/w/{slug}/outreach/snooze"]
