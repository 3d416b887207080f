"""``rapport privacy``: export, erase and retention from the terminal, audited."""

import json
import zipfile

from rapport.accounts.models import AuditEvent
from rapport.people.models import Person
from rapport.privacy.actions import retention_rules
from rapport.test import main


def test_it_exports_dana_by_email(bakery, tmp_path, capsys):
    out = tmp_path / "dana.zip"
    code = main(
        [
            "privacy",
            "export",
            "--workspace",
            "alices-bakery",
            "--email",
            "DANA@example.com",
            "--to",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "Wrote" in capsys.readouterr().out
    document = json.loads(zipfile.ZipFile(out).read("person.json"))
    assert document["person_id"] == bakery.dana.pk
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert (event.via, event.object_id) == ("cli", str(bakery.dana.pk))


def test_it_refuses_a_person_of_another_business(bakery, tmp_path, capsys):
    out = tmp_path / "dana.zip"
    args = ["privacy", "export", "--workspace", "charlies-garage", "--to", str(out)]
    assert main([*args, "--person", str(bakery.dana.pk)]) == 2
    assert main([*args, "--email", "dana@example.com"]) == 2
    err = capsys.readouterr().err
    assert f"charlies-garage has no person with id {bakery.dana.pk}" in err
    assert "nobody with the e-mail dana@example.com" in err
    assert not out.exists()


def test_it_erases_only_with_the_name_typed(bakery, capsys):
    args = ["privacy", "erase", "--workspace", "alices-bakery", "--person", str(bakery.dana.pk)]
    assert main([*args, "--confirm", "Eve Moreau"]) == 2
    assert "type the person's name" in capsys.readouterr().err
    assert Person.objects.filter(pk=bakery.dana.pk).exists()
    assert main([*args, "--confirm", "Dana Petit"]) == 0
    assert "Erased Dana Petit." in capsys.readouterr().out
    assert not Person.objects.filter(pk=bakery.dana.pk).exists()
    assert AuditEvent.objects.get(object_type="person", action="delete").via == "cli"


def test_it_sets_shows_and_applies_the_retention_rules(bakery, capsys):
    args = ["privacy", "retention", "--workspace", "alices-bakery"]
    assert main([*args, "--set", "message_text=24", "--set", "audit_log=keep"]) == 0
    out = capsys.readouterr().out
    assert "Words of messages: 24 months" in out
    assert "add --apply" in out
    assert retention_rules(bakery.workspace).message_text_months == 24
    assert main([*args, "--apply"]) == 0
    assert "Applied:" in capsys.readouterr().out
    assert main([*args, "--set", "message_text=soon"]) == 2
    assert "is not a number of months" in capsys.readouterr().err
