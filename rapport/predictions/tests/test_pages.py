"""Where predictions show: the person page, the directory's sortable columns, the dashboards,
the predictions page; who may see an employee's own score; the command line."""

from django.contrib.auth import get_user_model

from rapport.accounts.actions import add_member
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.models import AuditEvent
from rapport.predictions import actions
from rapport.predictions.models import PredictionSettings
from rapport.test import login, main

BASE = "/w/alices-bakery"


def test_a_customers_page_says_the_chance_the_value_and_why(client, personas, shop):
    actions.refresh(personas.bakery)
    html = login(client, personas.vera).get(f"{BASE}/people/{shop['stopped'][0].pk}/")
    html = html.content.decode()
    assert "chance of no purchase in the next 3 months" in html
    assert "Over the next 12 months" in html and "Why:" in html and "nothing for" in html
    assert "Model predict-" in html and "-purchase-" in html


def test_a_suppliers_page_says_the_chance_its_next_delivery_is_late(client, personas, shop):
    actions.refresh(personas.bakery)
    html = login(client, personas.vera).get(f"{BASE}/people/{shop['mill'].pk}/").content.decode()
    assert "chance the next delivery is late" in html and "fell from" in html


def _first_row(html: str) -> str:
    body = html[html.index("<tbody>") :]
    return body[body.index('<th scope="row">') :][:300]


def test_the_directory_sorts_by_risk_and_by_value(client, personas, shop):
    actions.refresh(personas.bakery)
    login(client, personas.vera)
    riskiest = client.get(f"{BASE}/people/?group=customer&sort=-risk").content.decode()
    assert "Once" in _first_row(riskiest) or "Stopped" in _first_row(riskiest)
    assert 'aria-sort="descending"' in riskiest
    safest = client.get(f"{BASE}/people/?group=customer&sort=risk").content.decode()
    assert "Regular" in _first_row(safest) and 'aria-sort="ascending"' in safest
    valued = client.get(f"{BASE}/people/?group=customer&sort=-value").content.decode()
    assert "Regular" in _first_row(valued)
    # An unknown sort is ignored rather than an error.
    assert client.get(f"{BASE}/people/?sort=-salary").status_code == 200


def test_the_dashboards_show_customers_at_risk_teams_suppliers_and_the_holdout(
    client, personas, shop
):
    actions.refresh(personas.bakery)
    login(client, personas.vera)
    customers = client.get(f"{BASE}/insights/customers/").content.decode()
    assert "Customers drifting away" in customers and "Stopped" in customers
    assert "at risk with no human contact for 6 weeks or more" in customers
    assert "Were last quarter's predictions right?" in customers
    teams = client.get(f"{BASE}/insights/employees/").content.decode()
    assert "Chance of losing someone" in teams and "Ovens" in teams
    assert "Ovens person" not in teams
    suppliers = client.get(f"{BASE}/insights/suppliers/").content.decode()
    assert "Slipping Mill" in suppliers
    overview = client.get(f"{BASE}/insights/").content.decode()
    assert "replayed" in overview and "Ranking (AUC)" in overview
    page = client.get(f"{BASE}/predictions/").content.decode()
    assert "Predicted against observed, by band" in page and "Refresh now" not in page


def test_only_the_owner_turns_individual_scores_on_and_it_is_audited(client, personas, shop):
    login(client, personas.bob)
    assert (
        client.post(
            f"{BASE}/predictions/settings/", {"individual_employee_scores": "on"}
        ).status_code
        == 404
    )
    login(client, personas.alice)
    client.post(f"{BASE}/predictions/settings/", {"individual_employee_scores": "on"})
    assert PredictionSettings.objects.get().individual_employee_scores
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_repr="prediction settings"
    ).exists()


def test_an_employees_score_is_for_their_manager_and_the_owner_and_each_view_is_audited(
    client, personas, shop
):
    ovens = [p for p in shop["staff"] if p.team.name == "Ovens"]
    lead, worker = ovens[0], ovens[1]
    worker.manager = lead
    worker.save(update_fields=["manager"])
    lead.email = "lea@example.com"
    lead.save(update_fields=["email"])
    manager = get_user_model().objects.create_user("lea@example.com", "x" * 12, name="Lea")
    add_member(personas.bakery, manager, Role.STAFF)
    url = f"{BASE}/people/{worker.pk}/"
    # Off: nobody sees a score, not even the owner.
    actions.refresh(personas.bakery)
    assert (
        "A conversation worth having?"
        not in login(client, personas.alice).get(url).content.decode()
    )
    actions.set_individual_scores(personas.bakery, True, actor=personas.alice)
    for user, sees in ((personas.alice, True), (manager, True), (personas.bob, False)):
        html = login(client, user).get(url).content.decode()
        assert ("A conversation worth having?" in html) is sees, user
    views = AuditEvent.objects.filter(action=AuditAction.VIEW)
    assert views.count() == 2
    assert {v.actor for v in views} == {personas.alice, manager}
    # Never in the directory, even when on.
    html = login(client, personas.alice).get(f"{BASE}/people/?group=employee&sort=-risk")
    assert "%" not in html.content.decode().split("<tbody>")[1]


def test_managers_refresh_from_the_page(client, personas, shop):
    login(client, personas.bob)
    assert client.post(f"{BASE}/predictions/refresh/").status_code == 404
    login(client, personas.alice)
    assert client.post(f"{BASE}/predictions/refresh/").status_code == 302
    assert actions.current_run(personas.bakery, "customers") is not None


def test_the_command_refreshes_and_prints(personas, shop, capsys):
    assert main(["predictions", "--workspace", "alices-bakery", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "Slipping Mill" in out and "Ovens" in out and "Stopped" in out
    assert "Last quarter's customer predictions" in out
