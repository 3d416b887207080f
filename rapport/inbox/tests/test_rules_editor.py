"""The escalation rules editor: a rule made on the page is the rule the automation applies
(automation.engine_rules), said as a sentence; edit, reorder, switch off, remove, all
audited; bad input named; the "try it" box reads a message with the real model."""

import datetime as dt

from rapport.accounts.models import AuditEvent
from rapport.engine import triage
from rapport.inbox.automation import engine_rules
from rapport.inbox.choices import Priority
from rapport.inbox.models import EscalationRule
from rapport.inbox.rules import sentence
from rapport.test import login

URL = "/w/alices-bakery/inbox/settings/rules/"


def rule_form(**changes):
    data = {
        "name": "Leaving over money",
        "any_of": ["money", "legal"],
        "all_of": ["threat_to_leave"],
        "priority": str(Priority.URGENT.value),
        "route_to": "owner",
        "within": "2",
    }
    data.update(changes)
    return data


def test_a_rule_made_on_the_page_is_the_rule_the_automation_applies(client, personas):
    login(client, personas.alice)
    assert client.get(URL + "new/").status_code == 200
    response = client.post(URL + "new/", rule_form(groups=["customer"]), follow=True)
    said = "money or legal + threat to leave from customers → the owner, within 2 business hours"
    assert said in response.content.decode()
    [rule] = engine_rules(personas.bakery)
    assert rule == triage.EscalationRule(
        name="Leaving over money",
        all_of=frozenset({"threat_to_leave"}),
        any_of=frozenset({"money", "legal"}),
        groups=frozenset({"customer"}),
        key_account=False,
        priority=triage.Priority.URGENT,
        route_to="owner",
        within=dt.timedelta(hours=2),
    )
    stored = EscalationRule.objects.get()
    event = AuditEvent.objects.get(object_type="escalationrule", action="create")
    assert event.object_id == str(stored.pk) and event.changes["name"] == [None, stored.name]


def test_editing_a_rule_shows_its_values_and_saves_the_change(client, personas):
    login(client, personas.alice)
    client.post(URL + "new/", rule_form())
    rule = EscalationRule.objects.get()
    page = client.get(f"{URL}{rule.pk}/").content.decode()
    assert 'value="2:00"' in page and 'value="threat_to_leave" checked' in page
    client.post(
        f"{URL}{rule.pk}/",
        rule_form(route_to=str(personas.bob_member.pk), within="", key_account="on", any_of=[]),
    )
    rule.refresh_from_db()
    assert rule.route_to == str(personas.bob_member.pk) and rule.within_minutes is None
    assert sentence(rule, {str(personas.bob_member.pk): "Bob Okafor"}) == (
        "threat to leave, key accounts only → Bob Okafor (urgent priority at least)"
    )
    assert AuditEvent.objects.filter(object_type="escalationrule", action="update").exists()


def test_rules_are_reordered_switched_off_and_removed(client, personas):
    login(client, personas.alice)
    for name in ("First", "Second", "Third"):
        client.post(URL + "new/", rule_form(name=name))
    first, second, third = EscalationRule.objects.all()
    client.post(f"{URL}{third.pk}/move/", {"to": "up"})
    assert [r.name for r in EscalationRule.objects.all()] == ["First", "Third", "Second"]
    client.post(f"{URL}{first.pk}/move/", {"to": "up"})  # already first: nothing moves
    client.post(f"{URL}{first.pk}/move/", {"to": "down"})
    assert [r.name for r in EscalationRule.objects.all()] == ["Third", "First", "Second"]
    client.post(f"{URL}{second.pk}/switch/", {})
    assert [r.name for r in engine_rules(personas.bakery)] == ["Third", "First"]
    client.post(f"{URL}{second.pk}/switch/", {"active": "on"})
    client.post(f"{URL}{first.pk}/delete/")
    assert [r.name for r in engine_rules(personas.bakery)] == ["Third", "Second"]
    assert AuditEvent.objects.filter(object_type="escalationrule", action="delete").count() == 1


def test_bad_rules_are_named_and_nothing_is_saved(client, personas):
    login(client, personas.alice)
    response = client.post(
        URL + "new/",
        {
            "name": "",
            "any_of": ["bribery"],
            "groups": ["aliens"],
            "priority": "9",
            "route_to": str(personas.charlie_member.pk),
            "within": "forever",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    for said in (
        "Name: give the rule a name",
        "Any of: “bribery” is not one of the reasons listed",
        "Groups: choose among",
        "Priority: choose urgent, high, normal or low",
        "Route to: choose the owner",
        "Within: “forever” is not a time",
    ):
        assert said in text
    nothing = client.post(URL + "new/", rule_form(any_of=[], all_of=[]))
    assert "a rule with no condition would take every message" in nothing.content.decode()
    assert not EscalationRule.objects.exists()


def test_staff_see_the_rules_but_cannot_change_them(client, personas):
    login(client, personas.alice)
    client.post(URL + "new/", rule_form())
    rule = EscalationRule.objects.get()
    login(client, personas.bob)
    page = client.get(URL).content.decode()
    assert "money or legal + threat to leave → the owner" in page and "Edit" not in page
    assert client.post(URL + "new/", rule_form()).status_code == 404
    assert client.post(f"{URL}{rule.pk}/delete/").status_code == 404
    assert EscalationRule.objects.count() == 1


def test_try_it_reads_the_message_and_applies_the_rules(client, personas):
    login(client, personas.alice)
    client.post(URL + "new/", rule_form(any_of=["money"], all_of=[], within="30m"))
    response = client.post(
        URL + "try/",
        {
            "text": "You charged me twice for the wedding cake and I want my money back now.",
            "group": "customer",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Leaving over money" in text and "the owner" in text and "30 business minutes" in text
    assert "Money is at stake" in text
    empty = client.post(URL + "try/", {"text": "   "})
    assert empty.status_code == 400 and "Paste a message to try" in empty.content.decode()
    huge = client.post(URL + "try/", {"text": "a" * 6000})
    assert "at most 5,000 characters" in huge.content.decode()
