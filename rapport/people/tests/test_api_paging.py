"""Listing pages of the API: limit and offset are checked, and a bad one is named in plain
words (a negative offset used to answer 500)."""

import pytest

from rapport.accounts.models import ApiToken
from rapport.people.tests.factories import make_customer, make_touch


@pytest.fixture
def auth(personas):
    _, token = ApiToken.issue(personas.bob_member, "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def dana(personas):
    dana = make_customer(personas.bakery, name="Dana Petit")
    make_touch(dana, text="First visit")
    return dana


@pytest.mark.parametrize(
    "params, reason",
    [
        ({"offset": -1}, "query.offset: must be 0 or more"),
        ({"limit": 0}, "query.limit: must be 1 or more"),
        ({"limit": 501}, "query.limit: must be 500 or less"),
        ({"offset": "ten"}, "query.offset: Input should be a valid integer"),
    ],
)
def test_a_bad_page_is_refused_with_its_reason(client, auth, dana, params, reason):
    for url in (
        "/api/w/alices-bakery/people",
        f"/api/w/alices-bakery/people/{dana.pk}/interactions",
    ):
        response = client.get(url, params, **auth)
        assert response.status_code == 422, url
        assert response.json()["detail"].startswith("Nothing was done: " + reason), url
        assert response.json()["errors"][0]["field"] == reason.split(":")[0]


def test_pages_follow_each_other(client, auth, personas):
    for name in ("Ana", "Ben", "Cleo"):
        make_customer(personas.bakery, name=name)
    first = client.get("/api/w/alices-bakery/people", {"limit": 2}, **auth).json()
    second = client.get("/api/w/alices-bakery/people", {"limit": 2, "offset": 2}, **auth).json()
    assert [p["name"] for p in first + second] == ["Ana", "Ben", "Cleo"]
