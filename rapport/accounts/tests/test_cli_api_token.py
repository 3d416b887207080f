"""`rapport api-token`: a token bound to one member, printed once, audited."""

from rapport.accounts.models import ApiToken, AuditEvent
from rapport.test import main


def test_it_prints_a_token_that_reads_the_api_as_that_member(client, personas, capsys):
    assert (
        main(
            [
                "api-token",
                "--workspace",
                "alices-bakery",
                "--email",
                "BOB@example.com",
                "--name",
                "till",
            ]
        )
        == 0
    )
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert token.membership == personas.bob_member and token.token_hash == ApiToken.hash(secret)
    assert secret not in str(AuditEvent.objects.filter(object_type="apitoken").values())
    reply = client.get("/api/w/alices-bakery/people", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert reply.status_code == 200


def test_a_stranger_gets_no_token(personas, capsys):
    assert (
        main(
            [
                "api-token",
                "--workspace",
                "alices-bakery",
                "--email",
                "charlie@example.com",
                "--name",
                "x",
            ]
        )
        == 2
    )
    assert "is not a member of alices-bakery" in capsys.readouterr().err
    assert not ApiToken.objects.exists()
