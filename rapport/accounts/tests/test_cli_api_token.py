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


def test_it_issues_a_read_only_token_that_expires(personas, capsys):
    argv = ["api-token", "--workspace", "alices-bakery", "--email", "bob@example.com"]
    assert main([*argv, "--name", "report", "--read-only", "--expires", "2099-12-31"]) == 0
    err = capsys.readouterr().err
    assert "read only, until the end of 2099-12-31 (UTC)" in err
    token = ApiToken.objects.get()
    assert token.scope == "read" and token.expires_at.isoformat() == "2100-01-01T00:00:00+00:00"
    event = AuditEvent.objects.get(object_type="apitoken")
    assert event.changes == {"scope": "read", "expires_at": "2100-01-01T00:00:00+00:00"}


def test_it_refuses_an_expiry_that_is_not_a_date_or_is_past(personas, capsys):
    argv = ["api-token", "--workspace", "alices-bakery", "--email", "bob@example.com"]
    assert main([*argv, "--name", "x", "--expires", "next week"]) == 2
    assert "--expires 'next week': give a date as YYYY-MM-DD" in capsys.readouterr().err
    assert main([*argv, "--name", "x", "--expires", "2001-01-01"]) == 2
    assert "--expires 2001-01-01: that day is already over" in capsys.readouterr().err
    assert not ApiToken.objects.exists()
