"""Erasing a person (privacy/actions.erase_person) also blanks the rejected rows of earlier
imports that named them: the errors page and its CSV keep no copy of their details."""

import pytest

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


def test_the_uploaded_files_of_ended_imports_go_once_the_erasure_commits(
    personas, db, settings, tmp_path, django_capture_on_commit_callbacks
):
    from rapport.imports.runs import upload_dir

    settings.MEDIA_ROOT = str(tmp_path / "media")
    workspace = personas.bakery
    dana = Person.objects.create(workspace=workspace, group="customer", name="Dana Petit")

    def upload(ws, status, where=None):
        path = where or upload_dir(ws) / f"{status}-{ws.pk}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Name\nDana Petit\n")
        ImportRun.objects.create(
            workspace=ws, kind="people", original_filename="a.csv", stored_path=path, status=status
        )
        return path

    done, failed = upload(workspace, "done"), upload(workspace, "failed")
    running = upload(workspace, "running")
    from_the_cli = upload(workspace, "done", where=tmp_path / "her-own-file.csv")
    elsewhere = upload(personas.garage, "done")

    with django_capture_on_commit_callbacks(execute=True):
        counts = erase_person(dana, typed="Dana Petit")

    assert counts["uploaded_import_files"] == 2
    assert not done.exists() and not failed.exists()
    assert running.exists() and from_the_cli.exists() and elsewhere.exists()
    erased = ImportRun.objects.get(stored_path=done)
    assert erased.options["upload_erased"] is True


def test_a_failed_erasure_deletes_no_file(
    personas, db, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from rapport.imports.runs import upload_dir
    from rapport.privacy import actions

    settings.MEDIA_ROOT = str(tmp_path / "media")
    dana = Person.objects.create(workspace=personas.bakery, group="customer", name="Dana Petit")
    path = upload_dir(personas.bakery) / "done.csv"
    path.parent.mkdir(parents=True)
    path.write_text("Name\nDana Petit\n")
    ImportRun.objects.create(
        workspace=personas.bakery, kind="people", stored_path=path, status="done"
    )

    def broken(*args, **kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr(actions, "record_audit", broken)
    dana_id = dana.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        erase_person(dana, typed="Dana Petit")
    assert not callbacks
    assert path.exists() and Person.objects.filter(pk=dana_id).exists()
