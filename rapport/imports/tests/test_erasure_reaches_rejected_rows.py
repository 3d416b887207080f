"""Erasing a person (privacy/actions.erase_person) also blanks the rejected rows of earlier
imports that named them: the errors page and its CSV keep no copy of their details."""

from rapport.imports.models import ImportIssue, ImportRun
from rapport.people.models import Person
from rapport.privacy.actions import erase_person


def test_rejected_rows_that_named_the_person_lose_their_cells(personas, db):
    workspace = personas.bakery
    dana = Person.objects.create(
        workspace=workspace, group="customer", name="Dana Petit", email="dana@example.com"
    )
    run = ImportRun.objects.create(workspace=workspace, kind="people", original_filename="a.csv")
    hers = ImportIssue.objects.create(
        run=run,
        line=2,
        field="phone",
        reason="not a phone number",
        values=["Dana Petit", "DANA@example.com", "call me maybe"],
    )
    others = ImportIssue.objects.create(
        run=run,
        line=3,
        field="phone",
        reason="not a phone number",
        values=["Eve Moreau", "eve@example.com", "no"],
    )
    elsewhere = ImportRun.objects.create(
        workspace=personas.garage, kind="people", original_filename="b.csv"
    )
    not_ours = ImportIssue.objects.create(
        run=elsewhere, line=2, field="phone", reason="x", values=["dana@example.com"]
    )

    counts = erase_person(dana, typed="Dana Petit")

    hers.refresh_from_db(), others.refresh_from_db(), not_ours.refresh_from_db()
    assert hers.values == [] and hers.reason == "not a phone number"
    assert others.values == ["Eve Moreau", "eve@example.com", "no"]
    assert not_ours.values == ["dana@example.com"]  # another business's person
    assert counts["rejected_import_rows"] == 1
