"""The erasure ledger: each committed erasure is noted beside the backups, without personal
data, and a restore erases again exactly the people it names."""

import json

import pytest

from rapport.accounts.models import AuditEvent
from rapport.people.models import Person
from rapport.people.tests.factories import make_customer
from rapport.privacy import actions, ledger
from rapport.privacy.actions import erase_person


@pytest.fixture
def backups(settings, tmp_path):
    settings.RAPPORT_BACKUP_DIR = str(tmp_path / "backups")
    return tmp_path / "backups"


def lines(folder):
    path = folder / ledger.NAME
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_committed_erasure_is_noted_without_personal_data(
    bakery, backups, django_capture_on_commit_callbacks
):
    dana = bakery.dana
    dana_id, created = dana.pk, dana.created_at
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(dana, typed="Dana Petit")
    [entry] = lines(backups)
    assert entry["workspace"] == bakery.workspace.pk and entry["person"] == dana_id
    assert entry["created_at"] == created.isoformat()
    text = (backups / ledger.NAME).read_text()
    assert "Dana" not in text and "dana@example.com" not in text


def test_an_erasure_that_rolls_back_notes_nothing(
    bakery, backups, monkeypatch, django_capture_on_commit_callbacks
):
    def fails(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(actions, "record_audit", fails)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        erase_person(bakery.dana, typed="Dana Petit")
    assert lines(backups) == []


def test_erase_again_takes_the_person_it_names_and_no_one_given_the_same_number(
    bakery, backups, django_capture_on_commit_callbacks
):
    dana, eve = bakery.dana, bakery.eve
    # Dana's line, and a line for Eve's number with another creation moment: a person erased
    # from a newer database whose number the restored one later gave to Eve.
    ledger._append(
        json.dumps({"workspace": bakery.workspace.pk, "person": dana.pk,
                    "created_at": dana.created_at.isoformat(), "erased_at": "2026-12-01T10:00:00+00:00"})
    )  # fmt: skip
    ledger._append(
        json.dumps({"workspace": bakery.workspace.pk, "person": eve.pk,
                    "created_at": "2020-01-01T00:00:00+00:00", "erased_at": "2026-12-02T10:00:00+00:00"})
    )  # fmt: skip
    (backups / ledger.NAME).open("a").write("not json\n")
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.erase_again(backups, backups) == 1
    assert not Person.objects.filter(pk=dana.pk).exists()
    assert Person.objects.filter(pk=eve.pk).exists()
    event = AuditEvent.objects.get(object_type="person", object_id=str(dana.pk), action="delete")
    assert event.via == "restore"
    # Erasing again did not note her twice.
    assert len((backups / ledger.NAME).read_text().splitlines()) == 3


def test_a_person_of_another_business_with_that_number_is_left_alone(bakery, backups, personas):
    other = make_customer(personas.garage, name="Gus Leroy")
    ledger._append(
        json.dumps({"workspace": bakery.workspace.pk, "person": other.pk,
                    "created_at": other.created_at.isoformat(), "erased_at": "2026-12-01T10:00:00+00:00"})
    )  # fmt: skip
    assert actions.erase_again(backups) == 0
    assert Person.objects.filter(pk=other.pk).exists()
