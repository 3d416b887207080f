"""A person's data comes out as one archive: JSON (complete), one CSV per kind, a README."""

import csv
import io
import json
import zipfile

from django.apps import apps

from rapport.accounts.models import AuditEvent
from rapport.people.models import Person
from rapport.privacy.actions import export_person
from rapport.privacy.holdings import HOLDINGS
from rapport.test import login

# Models that point at a person but hold nothing of theirs: the person's links to other
# people (their organisation, manager, referrer) are columns of the person's own record.
NOT_THEIR_DATA = {Person}


def models_linked_to_person():
    """Every model reachable from Person through foreign keys pointing at it, recursively
    (a reading points at an interaction, which points at the person)."""
    found, todo = set(), [Person]
    while todo:
        model = todo.pop()
        for relation in model._meta.related_objects:
            related = relation.related_model
            if related not in found:
                found.add(related)
                todo.append(related)
    return found


def test_every_model_linked_to_a_person_is_exported():
    held = {h.model for h in HOLDINGS}
    missing = {m._meta.label for m in models_linked_to_person() - held - NOT_THEIR_DATA}
    assert not missing, (
        f"{sorted(missing)} point at a person but are not in privacy/holdings.py: add them "
        "(export and erasure read that list)"
    )


def test_the_walk_reaches_models_several_links_away():
    # The test above would pass vacuously if the walk stopped at the first link.
    labels = {m._meta.label for m in models_linked_to_person()}
    assert {
        "understanding.InteractionReading",
        "feedback.Answer",
        "inbox.ConversationEvent",
    } <= labels
    assert apps.get_model("privacy", "RetentionRules") not in models_linked_to_person()


def open_archive(data: bytes):
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_archive_holds_every_kind_of_dana_data(bakery):
    data, counts = export_person(bakery.dana)
    archive = open_archive(data)
    names = set(archive.namelist())
    assert names == {"person.json", "README.txt"} | {f"{h.name}.csv" for h in HOLDINGS}
    document = json.loads(archive.read("person.json"))
    empty = [kind for kind, rows in document["data"].items() if not rows]
    assert not empty, f"Dana has data of every kind, but these came out empty: {empty}"
    assert document["data"]["person"][0]["email"] == "dana@example.com"
    assert "the rye was stale" in document["data"]["timeline"][0]["text"]
    assert counts == {kind: len(rows) for kind, rows in document["data"].items()}


def test_the_archive_holds_nothing_of_eve_and_not_the_anonymous_answer(bakery):
    data, _ = export_person(bakery.dana)
    text = open_archive(data).read("person.json").decode()
    assert "Eve" not in text
    assert "anonymous idea" not in text
    assert str(bakery.anonymous.pk) not in text


def test_csv_files_open_in_a_spreadsheet(bakery):
    archive = open_archive(export_person(bakery.dana)[0])
    raw = archive.read("person.csv").decode("utf-8")
    assert raw.startswith("\ufeff"), "Excel needs the byte-order mark to read accents"
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert rows[0]["name"] == "Dana Petit"
    # A tag that looks like a formula stays text.
    assert "'=cmd" in rows[0]["tags"] or rows[0]["tags"].startswith("'")
    answers = list(csv.DictReader(io.StringIO(archive.read("survey_answers.csv").decode()[1:])))
    assert any("stale rye" in a["text"] for a in answers)


def test_the_readme_describes_each_file(bakery):
    readme = open_archive(export_person(bakery.dana)[0]).read("README.txt").decode()
    assert "What Alice's Bakery holds about Dana Petit" in readme
    for holding in HOLDINGS:
        assert f"{holding.name}.csv" in readme


def test_an_export_is_audited(bakery, personas):
    export_person(bakery.dana, actor=personas.alice)
    event = AuditEvent.objects.filter(action="export", object_type="person").latest("at")
    assert event.object_id == str(bakery.dana.pk)
    assert event.actor == personas.alice
    assert event.changes["rows"]["timeline"] == 1


def test_a_manager_downloads_it_from_the_person_page(client, bakery, personas):
    login(client, personas.alice)
    page = client.get(f"/w/alices-bakery/people/{bakery.dana.pk}/")
    url = f"/w/alices-bakery/privacy/people/{bakery.dana.pk}/export/"
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "person.json" in open_archive(response.content).namelist()


def test_staff_can_neither_see_the_link_nor_export(client, bakery, personas):
    login(client, personas.bob)
    page = client.get(f"/w/alices-bakery/people/{bakery.dana.pk}/")
    assert "/privacy/" not in page.content.decode()
    assert (
        client.get(f"/w/alices-bakery/privacy/people/{bakery.dana.pk}/export/").status_code == 404
    )


def test_charlie_cannot_export_dana_through_his_own_business(client, bakery, personas):
    login(client, personas.charlie)
    url = f"/w/charlies-garage/privacy/people/{bakery.dana.pk}/export/"
    assert client.get(url).status_code == 404


def test_only_the_owner_exports_an_employee(client, bakery, personas):
    from rapport.accounts.actions import add_member
    from rapport.accounts.choices import Role
    from rapport.accounts.models import User
    from rapport.people.actions import create_person

    sam = create_person(bakery.workspace, group="employee", name="Sam Baker", via="test")
    mia = User.objects.create_user("mia@example.com", "x", name="Mia")
    add_member(bakery.workspace, mia, Role.MANAGER)
    url = f"/w/alices-bakery/privacy/people/{sam.pk}/export/"
    login(client, mia)
    assert client.get(url).status_code == 404
    assert (
        client.get(f"/w/alices-bakery/privacy/people/{bakery.dana.pk}/export/").status_code == 200
    )
    assert (
        "Only an owner can export"
        in client.get(f"/w/alices-bakery/people/{sam.pk}/").content.decode()
    )
    login(client, personas.alice)
    assert client.get(url).status_code == 200
