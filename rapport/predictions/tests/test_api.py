"""Predictions over the API, under the pages' rules: runs, customers, suppliers and teams
for any member; a customer's forecast as their page shows it; never an employee's own
score; nothing of another business."""

from rapport.accounts.choices import AuditAction
from rapport.accounts.models import ApiToken, AuditEvent
from rapport.predictions import actions

API = "/api/w/alices-bakery"


def bearer(membership):
    _, token = ApiToken.issue(membership, "test script")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_each_models_current_run_is_listed(client, personas, shop):
    assert client.get(f"{API}/predictions", **bearer(personas.vera_member)).json() == []
    actions.refresh(personas.bakery)
    runs = client.get(f"{API}/predictions", **bearer(personas.vera_member)).json()
    assert {r["subject"] for r in runs} == {"customers", "employees", "suppliers"}
    customers = next(r for r in runs if r["subject"] == "customers")
    assert customers["enough"] and customers["horizon_days"] > 0 and customers["used"]


def test_customers_come_riskiest_first_with_intervals_and_reasons(client, personas, shop):
    actions.refresh(personas.bakery)
    got = client.get(
        f"{API}/predictions/customers",
        {"limit": 5, "enough_only": True},
        **bearer(personas.vera_member),
    )
    assert got.status_code == 200
    rows = got.json()
    assert len(rows) == 5
    risks = [r["risk"]["value"] for r in rows]
    assert risks == sorted(risks, reverse=True)
    first = rows[0]
    assert first["name"].startswith(("Stopped", "Once")) and first["reasons"]
    assert first["risk"]["low"] <= first["risk"]["value"] <= first["risk"]["high"]
    assert first["expected_value"] is not None and first["team"] is None
    # Paging goes on where the first page ended; by value puts a regular first.
    more = client.get(
        f"{API}/predictions/customers",
        {"limit": 5, "offset": 5, "enough_only": True},
        **bearer(personas.vera_member),
    ).json()
    assert {r["person_id"] for r in more}.isdisjoint(r["person_id"] for r in rows)
    by_value = client.get(
        f"{API}/predictions/customers",
        {"order": "value", "limit": 1},
        **bearer(personas.vera_member),
    ).json()
    assert by_value[0]["name"].startswith("Regular")
    bad = client.get(
        f"{API}/predictions/customers", {"order": "salary"}, **bearer(personas.vera_member)
    )
    assert bad.status_code == 422


def test_suppliers_and_teams(client, personas, shop):
    actions.refresh(personas.bakery)
    suppliers = client.get(f"{API}/predictions/suppliers", **bearer(personas.vera_member))
    assert suppliers.json()[0]["name"] == "Slipping Mill"
    assert suppliers.json()[0]["expected_value"] is None
    teams = client.get(f"{API}/predictions/teams", **bearer(personas.vera_member)).json()
    assert {t["team"] for t in teams} == {"Ovens", "Shop", "Van"}
    van = next(t for t in teams if t["team"] == "Van")
    assert not van["enough"] and van["risk"]["value"] is None and "not shown" in van["reasons"][0]
    assert all(t["person_id"] is None for t in teams)


def test_one_person_as_their_page_shows_it(client, personas, shop):
    actions.refresh(personas.bakery)
    stopped = shop["stopped"][0]
    got = client.get(f"{API}/people/{stopped.pk}/prediction", **bearer(personas.vera_member)).json()
    assert got["person_id"] == stopped.pk and got["subject"] == "customers"


def test_an_employees_own_score_is_never_served_even_to_the_owner_when_turned_on(
    client, personas, shop
):
    actions.set_individual_scores(personas.bakery, True, actor=personas.alice)
    actions.refresh(personas.bakery)
    worker = shop["staff"][0]
    assert worker.forecasts.exists(), "individual scores are on: hers is stored"
    got = client.get(f"{API}/people/{worker.pk}/prediction", **bearer(personas.alice_member))
    assert got.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_another_business_sees_nothing(client, personas, shop):
    actions.refresh(personas.bakery)
    charlie = bearer(personas.charlie_member)
    assert client.get(f"{API}/predictions/customers", **charlie).status_code == 404
    stopped = shop["stopped"][0]
    garage = f"/api/w/charlies-garage/people/{stopped.pk}/prediction"
    assert client.get(garage, **charlie).status_code == 404
