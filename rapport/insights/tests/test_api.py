"""The dashboards' metrics over the API: managers and owners, the same figures and the same
anonymity rule as the CSV export, and a period or cut that cannot be read named in words."""

import pytest

from rapport.accounts.models import ApiToken
from rapport.insights.actions import refresh_snapshots
from rapport.insights.tests.factories import Bakery


@pytest.fixture
def bakery(personas) -> Bakery:
    found = Bakery(personas)
    refresh_snapshots(found.workspace, full=True)
    return found


def bearer(membership):
    _, token = ApiToken.issue(membership, "metrics script")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_owner_reads_last_months_metrics_as_the_export_has_them(client, personas, bakery):
    response = client.get(
        "/api/w/alices-bakery/metrics",
        {"every": "month", "period": bakery.month.label, "limit": 500},
        **bearer(personas.alice_member),
    )

    assert response.status_code == 200, response.content
    rows = {(r["group"], r["key"]): r for r in response.json()}
    assert {r["period"] for r in rows.values()} == {bakery.month.label}
    nps = rows["customer", "nps"]
    assert nps["n"] == 6 and nps["hidden"] == "" and nps["cut"] == ""


def test_survey_scores_of_a_team_by_month_are_hidden_with_the_reason(client, personas, bakery):
    rows = client.get(
        "/api/w/alices-bakery/metrics",
        {"every": "month", "period": bakery.month.label, "segment": "Regulars", "limit": 500},
        **bearer(personas.alice_member),
    ).json()

    nps = next(r for r in rows if (r["group"], r["key"]) == ("customer", "nps"))
    assert nps["value"] is None and nps["n"] is None
    assert nps["hidden"].startswith("hidden to protect anonymity")


@pytest.mark.parametrize(
    "params, words",
    [
        ({"period": "someday"}, "“someday” is not a period"),
        ({"segment": "Regulars", "team": "Kitchen"}, "One filter at a time"),
        ({"period": "2026-Q1", "every": "month"}, "“2026-Q1” is not a month: give every=quarter."),
    ],
)
def test_a_period_or_cut_that_cannot_be_read_is_named(client, personas, params, words):
    response = client.get("/api/w/alices-bakery/metrics", params, **bearer(personas.alice_member))
    assert response.status_code == 422 and words in response.json()["detail"]


def test_staff_do_not_get_the_metrics(client, personas):
    response = client.get("/api/w/alices-bakery/metrics", **bearer(personas.bob_member))
    assert response.status_code == 404
