"""The settings page lists the business's API tokens with their scope and expiry; an owner
revokes one, and the audit log keeps it."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from rapport.accounts.choices import TokenScope
from rapport.accounts.models import ApiToken, AuditEvent
from rapport.test import login


def test_the_owner_sees_each_tokens_scope_and_expiry(client, personas):
    ApiToken.issue(personas.bob_member, "till script")
    ApiToken.issue(
        personas.vera_member,
        "monthly report",
        scope=TokenScope.READ,
        expires_at=datetime(2099, 7, 1, tzinfo=UTC),
    )
    ApiToken.issue(
        personas.vera_member, "old export", expires_at=timezone.now() - timedelta(days=1)
    )
    ApiToken.issue(personas.charlie_member, "garage script")

    html = login(client, personas.alice).get("/w/alices-bakery/settings/").content.decode()

    def row(name: str) -> str:
        start = html.index(f'<th scope="row">{name}</th>')
        return html[start : html.index("</tr>", start)]

    assert "Read and write" in row("till script") and "No expiry" in row("till script")
    assert "Read only" in row("monthly report") and "1 Jul 2099" in row("monthly report")
    assert "<strong>Expired</strong>" in html
    assert "garage script" not in html


def test_the_owner_revokes_a_token_and_it_stops_working(client, personas):
    token, secret = ApiToken.issue(personas.bob_member, "till script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/w/alices-bakery/people", **auth).status_code == 200

    login(client, personas.alice)
    response = client.post(f"/w/alices-bakery/settings/tokens/{token.pk}/revoke/", follow=True)

    assert "The API token “till script” no longer works." in response.content.decode()
    assert not ApiToken.objects.exists()
    client.logout()
    assert client.get("/api/w/alices-bakery/people", **auth).status_code == 401
    event = AuditEvent.objects.get(object_type="apitoken", action="delete")
    assert event.object_repr == "API token “till script” for bob@example.com"
    assert event.actor == personas.alice


def test_a_manager_cannot_revoke(client, personas):
    from rapport.accounts.choices import Role

    personas.bob_member.role = Role.MANAGER
    personas.bob_member.save(update_fields=["role"])
    token, _ = ApiToken.issue(personas.vera_member, "report")

    login(client, personas.bob)
    page = client.get("/w/alices-bakery/settings/").content.decode()
    response = client.post(f"/w/alices-bakery/settings/tokens/{token.pk}/revoke/")

    assert "report" in page and "Revoke" not in page
    assert response.status_code == 404 and ApiToken.objects.exists()


def test_a_member_issues_a_token_on_the_page_and_sees_it_only_once(client, personas):
    login(client, personas.alice)
    page = client.post(
        "/w/alices-bakery/settings/tokens/",
        {"name": "till sync", "read_only": "on", "expires": "2099-07-01"},
    )
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    secret = html.split('<code class="secret">')[1].split("</code>")[0]
    assert secret.startswith("rpt_") and "shown only this once" in html
    token = ApiToken.objects.get()
    assert (token.name, token.scope, token.membership) == (
        "till sync",
        TokenScope.READ,
        personas.alice_member,
    )
    assert token.expires_at == datetime(2099, 7, 2, tzinfo=UTC)
    event = AuditEvent.objects.get(object_type="apitoken", action="create")
    assert event.actor == personas.alice and event.via == "web"
    assert secret not in client.get("/w/alices-bakery/settings/").content.decode()
    client.logout()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/w/alices-bakery/people", **auth).status_code == 200
    write = client.post(
        "/api/w/alices-bakery/knowledge/entries",
        {"questions": ["Open on Sunday?"], "answer": "Yes, 8 to 12."},
        content_type="application/json",
        **auth,
    )
    assert write.status_code == 403 and "may only read" in write.json()["detail"]


def test_a_token_asked_for_badly_is_not_issued_and_the_page_says_why(client, personas):
    login(client, personas.alice)
    past = client.post(
        "/w/alices-bakery/settings/tokens/", {"name": "x", "expires": "2001-01-01"}, follow=True
    )
    assert "API token not issued: Last day: 2001-01-01: that day is already over" in (
        past.content.decode()
    )
    unnamed = client.post("/w/alices-bakery/settings/tokens/", {"name": "  "}, follow=True)
    assert "API token not issued: Name:" in unnamed.content.decode()
    assert not ApiToken.objects.exists()


def test_staff_cannot_issue_tokens_on_the_page(client, personas):
    login(client, personas.bob)
    answer = client.post("/w/alices-bakery/settings/tokens/", {"name": "mine"})
    assert answer.status_code in (403, 404)
    assert not ApiToken.objects.exists()
