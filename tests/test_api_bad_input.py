"""What schemathesis found on PostgreSQL, each answered 500 there: a NUL character in a
request (PostgreSQL text cannot hold one) and a time offset beyond ±15:59 (ISO 8601 allows
±23:59). Both are now read or refused in plain words on either database."""

import pytest

from rapport.accounts.models import ApiToken
from rapport.knowledge.models import Entry
from rapport.people.tests.factories import make_customer


@pytest.fixture
def auth(personas):
    _, token = ApiToken.issue(personas.alice_member, "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_nul_in_a_body_is_refused_naming_where(client, personas, auth):
    response = client.post(
        "/api/w/alices-bakery/knowledge/entries",
        {"questions": ["When\x00 are you open?"], "answer": "From 7."},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Nothing was done: body.questions.0: contains a NUL character (\\u0000), which "
        "cannot be stored"
    )
    assert not Entry.objects.exists()


def test_a_nul_in_the_query_is_refused(client, personas, auth):
    response = client.get("/api/w/alices-bakery/people", {"q": "Da\x00na"}, **auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.q"


def test_a_time_with_a_wide_offset_is_kept_as_the_same_instant(client, personas, auth):
    dana = make_customer(personas.bakery)
    response = client.post(
        f"/api/w/alices-bakery/people/{dana.pk}/interactions",
        {"occurred_at": "2026-03-01T21:47:00+21:47", "channel": "phone", "direction": "outbound"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    assert dana.interactions.get().occurred_at.isoformat() == "2026-03-01T00:00:00+00:00"


def test_a_time_beyond_the_calendar_in_utc_is_refused(client, personas, auth):
    dana = make_customer(personas.bakery)
    response = client.post(
        f"/api/w/alices-bakery/people/{dana.pk}/interactions",
        {"occurred_at": "9999-12-31T23:59:00-23:00", "channel": "phone", "direction": "outbound"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert "body.payload.occurred_at" in response.json()["detail"]
    assert not dana.interactions.exists()
