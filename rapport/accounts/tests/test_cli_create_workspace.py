"""``rapport create-workspace``: the owner's password passes Django's validators, and can be
given on standard input where there is no terminal."""

import io

from rapport.accounts.models import User, Workspace
from rapport.test import main

ARGS = [
    "create-workspace",
    "Dana's Deli",
    "--slug",
    "danas-deli",
    "--owner-email",
    "dana@example.com",
]


def test_a_password_on_standard_input_creates_the_business_and_its_owner(monkeypatch, db, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("rye-and-caraway-42\n"))
    assert main([*ARGS, "--password-stdin"]) == 0
    assert Workspace.objects.filter(slug="danas-deli").exists()
    assert User.objects.get(email="dana@example.com").check_password("rye-and-caraway-42")


def test_a_common_or_short_password_is_refused_by_the_validators(monkeypatch, db, capsys):
    for weak in ("password123", "short"):
        monkeypatch.setattr("sys.stdin", io.StringIO(weak + "\n"))
        assert main([*ARGS, "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "too common" in err and "at least 10 characters" in err
    assert not Workspace.objects.exists() and not User.objects.exists()


def test_without_a_terminal_it_says_how_to_give_the_password(monkeypatch, db, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(ARGS) == 2
    assert "--password-stdin" in capsys.readouterr().err
    assert not Workspace.objects.exists()
