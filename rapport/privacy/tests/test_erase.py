"""Erasing a person removes everything linked to them, in one transaction, and nothing else."""

import datetime as dt

import pytest

from rapport.accounts.models import AuditEvent
from rapport.feedback.models import Answer, Response
from rapport.insights.models import InsightSettings
from rapport.people.models import CommunityEvent, Person, Tag
from rapport.privacy import actions
from rapport.privacy.actions import PrivacyError, erase_person
from rapport.privacy.holdings import HOLDINGS, Erasure, find
from rapport.test import login


def held(person):
    found = find(person)
    return {h.name: h.rows(found).count() for h in HOLDINGS}


def test_erasure_removes_everything_linked_to_dana(bakery):
    dana = bakery.dana
    before = held(dana)
    assert all(before.values()), before
    found, dana_id = find(dana), dana.pk
    erase_person(dana, typed="Dana Petit")
    assert not Person.objects.filter(pk=dana_id).exists()
    dana.pk = dana_id  # Django forgets a deleted row's key; the rows are looked up by it
    for holding in HOLDINGS:
        if holding.erasure == Erasure.DELETE:
            assert not holding.rows(found).exists(), f"{holding.name} outlived the erasure"


def test_the_business_keeps_its_tags_and_events_without_dana(bakery):
    event = CommunityEvent.objects.get(workspace=bakery.workspace, partner=bakery.dana)
    erase_person(bakery.dana, typed="Dana Petit")
    event.refresh_from_db()
    assert event.partner_id is None
    assert not event.staff_participants.exists()
    assert Tag.objects.filter(workspace=bakery.workspace, name="regular").exists()


def test_anonymous_answers_and_eve_stay_untouched(bakery):
    eve_before = held(bakery.eve)
    anonymous_answers = list(
        Answer.objects.filter(response=bakery.anonymous).values_list("pk", "text", "number")
    )
    erase_person(bakery.dana, typed="Dana Petit")
    assert held(bakery.eve) == eve_before
    assert Response.objects.filter(pk=bakery.anonymous.pk).exists()
    assert (
        list(Answer.objects.filter(response=bakery.anonymous).values_list("pk", "text", "number"))
        == anonymous_answers
    )


def test_the_audit_log_keeps_the_erasure_but_not_her_name_or_address(bakery, personas):
    dana_id = bakery.dana.pk
    erase_person(bakery.dana, typed="Dana Petit", actor=personas.alice)
    log = list(AuditEvent.objects.filter(workspace=bakery.workspace))
    text = " ".join(f"{e.object_repr} {e.changes}" for e in log)
    assert "Dana" not in text
    assert "dana@example.com" not in text
    erased = [e for e in log if e.action == "delete" and e.object_type == "person"]
    assert len(erased) == 1
    assert erased[0].object_id == str(dana_id)
    assert erased[0].actor == personas.alice
    assert erased[0].changes["erased"]["timeline"] == 1
    # Eve's entries still name her.
    assert "Eve Moreau" in text


def test_the_dashboards_recompute_from_her_first_day(bakery):
    InsightSettings.objects.create(workspace=bakery.workspace)
    erase_person(bakery.dana, typed="Dana Petit")
    settings = InsightSettings.objects.get(workspace=bakery.workspace)
    assert settings.dirty_since is not None
    assert (
        settings.dirty_since
        <= bakery.dana.purchases.model.objects.filter(person=bakery.eve).first().purchased_on
    )


def test_a_wrong_name_erases_nothing(bakery):
    with pytest.raises(PrivacyError, match="type the person's name"):
        erase_person(bakery.dana, typed="Dana")
    assert Person.objects.filter(pk=bakery.dana.pk).exists()


def test_it_is_all_or_nothing(bakery, monkeypatch):
    before = held(bakery.dana)

    def fails(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # The last step fails: everything before it must be rolled back.
    monkeypatch.setattr(actions, "record_audit", fails)
    dana_id = bakery.dana.pk
    with pytest.raises(RuntimeError):
        erase_person(bakery.dana, typed="dana petit")
    assert held(Person.objects.get(pk=dana_id)) == before
    assert "Dana Petit" in str(AuditEvent.objects.filter(object_id=str(dana_id)).first())


def test_only_an_owner_erases_from_the_web_after_typing_the_name(client, bakery, personas):
    url = f"/w/alices-bakery/privacy/people/{bakery.dana.pk}/erase/"
    login(client, personas.bob)
    assert client.get(url).status_code == 404
    assert client.post(url, {"typed": "Dana Petit"}).status_code == 404
    assert Person.objects.filter(pk=bakery.dana.pk).exists()
    login(client, personas.alice)
    page = client.get(url)
    assert page.status_code == 200
    assert "Type the person&#x27;s name" in page.content.decode()
    wrong = client.post(url, {"typed": "Eve Moreau"})
    assert wrong.status_code == 400
    assert Person.objects.filter(pk=bakery.dana.pk).exists()
    done = client.post(url, {"typed": " dana  petit "})
    assert done.status_code == 302
    assert not Person.objects.filter(pk=bakery.dana.pk).exists()


def test_charlie_cannot_erase_dana(client, bakery, personas):
    login(client, personas.charlie)
    for slug in ("alices-bakery", "charlies-garage"):
        url = f"/w/{slug}/privacy/people/{bakery.dana.pk}/erase/"
        assert client.post(url, {"typed": "Dana Petit"}).status_code == 404
    assert Person.objects.filter(pk=bakery.dana.pk).exists()


def test_the_audit_log_page_shows_the_erasure_without_her_name(client, bakery, personas):
    dana_id = bakery.dana.pk
    erase_person(bakery.dana, typed="Dana Petit", actor=personas.alice)
    login(client, personas.alice)
    page = client.get("/w/alices-bakery/audit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"person #{dana_id} (erased)" in text
    assert "Dana" not in text and "dana@example.com" not in text


def test_the_dashboards_keep_no_figure_under_her_name(bakery):
    from rapport.insights.actions import refresh_snapshots
    from rapport.insights.models import Snapshot

    refresh_snapshots(bakery.workspace, full=True)
    named = Snapshot.objects.filter(workspace=bakery.workspace, member="Dana Petit")
    assert named.exists(), "Dana delivers: the suppliers' dashboard has her own figures"
    from rapport.insights.models import Finding

    alert = dict(workspace=bakery.workspace, kind="alert", group="supplier", every="month")
    alert["start"] = dt.date(2026, 1, 1)
    hers = Finding.objects.create(**alert, key="late", sentence="Suppliers, Dana Petit: late")
    eves = Finding.objects.create(**alert, key="late", sentence="Suppliers, Eve Moreau: late")
    erase_person(bakery.dana, typed="Dana Petit")
    assert not named.exists()
    assert not Finding.objects.filter(pk=hers.pk).exists()
    assert Finding.objects.filter(pk=eves.pk).exists()
    refresh_snapshots(bakery.workspace)
    assert not named.exists()
    assert Snapshot.objects.filter(workspace=bakery.workspace, member="Eve Moreau").exists()


def test_her_name_leaves_the_themes(bakery, personas):
    from rapport.understanding.models import Theme

    def theme(workspace, key, name, phrases):
        return Theme.objects.create(workspace=workspace, key=key, name=name, phrases=phrases)

    named = theme(
        bakery.workspace, "t-1", "dana · fresh bread", ["dana", "fresh bread", "thanks petit"]
    )
    plain = theme(bakery.workspace, "t-2", "long queue", ["long queue", "waiting"])
    elsewhere = theme(personas.garage, "t-1", "dana · tyres", ["dana", "tyres"])

    counts = erase_person(bakery.dana, typed="Dana Petit")

    named.refresh_from_db(), plain.refresh_from_db(), elsewhere.refresh_from_db()
    assert (named.name, named.phrases) == ("fresh bread", ["fresh bread"])
    assert (plain.name, plain.phrases) == ("long queue", ["long queue", "waiting"])
    assert elsewhere.phrases == ["dana", "tyres"]
    assert counts["theme_phrases"] == 1
