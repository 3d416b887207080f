"""A consent changed by the people import is audited per person and takes effect at once,
as it does when a member changes it on the person's page (docs/privacy.md)."""

from rapport.accounts.models import AuditEvent
from rapport.people.tests.factories import make_customer, make_touch
from rapport.test import main
from rapport.understanding.models import InteractionReading


def read(interaction):
    return InteractionReading.objects.create(
        workspace_id=interaction.workspace_id, interaction=interaction, model_version="test"
    )


def test_a_withdrawn_consent_is_audited_and_takes_effect(personas, write_file, run_import):
    dana = make_customer(personas.bakery, name="Dana Petit", email="dana@example.com")
    eve = make_customer(personas.bakery, name="Eve Moreau", email="eve@example.com")
    read(make_touch(dana))
    read(make_touch(eve))
    path = write_file(
        "consent.csv",
        "Email,Name,May analyse,May contact\n"
        "dana@example.com,Dana Petit,no,yes\n"
        "eve@example.com,Eve Moreau,yes,no\n",
    )
    run = run_import("people", path, group="customer")
    assert run.updated == 2
    assert not InteractionReading.objects.filter(interaction__person=dana).exists()
    assert InteractionReading.objects.filter(interaction__person=eve).exists()
    changes = {
        e.object_id: e.changes
        for e in AuditEvent.objects.filter(object_type="person", action="update", via="import")
    }
    assert changes == {
        str(dana.pk): {"may_analyse": [True, False]},
        str(eve.pk): {"may_contact": [True, False]},
    }


def test_a_dry_run_changes_and_records_nothing(personas, write_file):
    dana = make_customer(personas.bakery, name="Dana Petit", email="dana@example.com")
    read(make_touch(dana))
    path = write_file("consent.csv", "Email,Name,May analyse\ndana@example.com,Dana Petit,no\n")
    args = ["import", "people", str(path), "--workspace", "alices-bakery", "--group", "customer"]
    assert main([*args, "--dry-run"]) == 0
    assert InteractionReading.objects.filter(interaction__person=dana).exists()
    assert not AuditEvent.objects.filter(via="import", object_type="person").exists()
