"""API tokens: a scope (read only, or read and write) and an optional expiry."""

from datetime import timedelta

from django.utils import timezone

from rapport.accounts.choices import TokenScope
from rapport.accounts.models import ApiToken
from rapport.people.tests.factories import make_customer

TOUCH = {"occurred_at": "2026-03-01T09:30:00Z", "channel": "phone", "direction": "outbound"}


def bearer(membership, **kwargs):
    _, token = ApiToken.issue(membership, "till script", **kwargs)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_read_only_token_reads(client, personas):
    auth = bearer(personas.bob_member, scope=TokenScope.READ)
    assert client.get("/api/w/alices-bakery/people", **auth).status_code == 200


def test_a_read_only_token_gets_403_in_plain_words_on_a_write(client, personas):
    dana = make_customer(personas.bakery)
    response = client.post(
        f"/api/w/alices-bakery/people/{dana.pk}/interactions",
        TOUCH,
        content_type="application/json",
        **bearer(personas.bob_member, scope=TokenScope.READ),
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "The API token “till script” may only read; this call changes data."
    )
    assert not dana.interactions.exists()


def test_a_read_only_token_may_ask_which_entry_answers_a_text(client, personas):
    # A POST that changes nothing.
    response = client.post(
        "/api/w/alices-bakery/knowledge/match",
        {"texts": ["When are you open?"]},
        content_type="application/json",
        **bearer(personas.bob_member, scope=TokenScope.READ),
    )
    assert response.status_code == 200


def test_a_token_writes_by_default(client, personas):
    dana = make_customer(personas.bakery)
    response = client.post(
        f"/api/w/alices-bakery/people/{dana.pk}/interactions",
        TOUCH,
        content_type="application/json",
        **bearer(personas.bob_member),
    )
    assert response.status_code == 201


def test_an_expired_token_gets_401_saying_so(client, personas):
    expired = timezone.now() - timedelta(minutes=1)
    response = client.get(
        "/api/w/alices-bakery/people", **bearer(personas.bob_member, expires_at=expired)
    )
    assert response.status_code == 401
    assert response.json()["detail"].startswith(
        f"This API token expired on {expired:%Y-%m-%d %H:%M} UTC."
    )


def test_a_token_works_until_it_expires(client, personas):
    later = timezone.now() + timedelta(days=1)
    response = client.get(
        "/api/w/alices-bakery/people", **bearer(personas.bob_member, expires_at=later)
    )
    assert response.status_code == 200


def test_an_unknown_token_gets_401(client, personas):
    response = client.get("/api/w/alices-bakery/people", HTTP_AUTHORIZATION="Bearer rpt_nope")
    assert response.status_code == 401
