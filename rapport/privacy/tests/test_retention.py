"""Retention rules remove old personal data and keep what the dashboards count."""

import datetime as dt

import pytest
from django.utils import timezone

from rapport.accounts.models import AuditEvent
from rapport.feedback.actions import submit_response
from rapport.feedback.models import Answer
from rapport.inbox.choices import Status
from rapport.inbox.models import Conversation
from rapport.insights.actions import refresh_snapshots
from rapport.insights.models import Snapshot
from rapport.people.tests.factories import make_touch
from rapport.privacy.actions import (
    PrivacyError,
    apply_due,
    apply_retention,
    retention_rules,
    set_retention_rules,
)
from rapport.privacy.tests.conftest import read_as
from rapport.test import login
from rapport.understanding.models import InteractionReading

LONG_AGO = 30 * 31  # days: about 30 months


@pytest.fixture
def old_and_new(bakery):
    old = make_touch(bakery.dana, text="Dana's old words", days_ago=LONG_AGO, subject="Old")
    read_as(old, -0.7, redacted="[NAME]'s old words")
    new = make_touch(bakery.dana, text="Dana's new words", days_ago=10)
    read_as(new, 0.8, redacted="[NAME]'s new words")
    return old, new


def test_old_words_go_and_their_reading_stays(bakery, old_and_new):
    old, new = old_and_new
    set_retention_rules(bakery.workspace, message_text_months=24)
    done = apply_retention(bakery.workspace)
    assert done["message_text_months"] >= 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.text, old.subject) == ("", "")
    assert new.text == "Dana's new words"
    reading = InteractionReading.objects.get(interaction=old)
    assert (reading.sentiment, reading.sentiment_score, reading.themes) == (
        "negative",
        -0.7,
        ["t1"],
    )
    assert reading.redacted == ""
    assert InteractionReading.objects.get(interaction=new).redacted == "[NAME]'s new words"


def test_an_old_conversation_loses_its_subject(bakery):
    long_ago = timezone.now() - dt.timedelta(days=LONG_AGO)
    Conversation.objects.filter(person=bakery.dana).update(
        subject="Dana's stale rye", last_message_at=long_ago
    )
    set_retention_rules(bakery.workspace, message_text_months=24)
    apply_retention(bakery.workspace)
    assert Conversation.objects.get(person=bakery.dana).subject == ""
    assert Conversation.objects.get(person=bakery.eve).subject.startswith("Eve Moreau writes")


def test_nothing_goes_without_a_rule(bakery, old_and_new):
    assert apply_retention(bakery.workspace) == {}
    old, _ = old_and_new
    old.refresh_from_db()
    assert old.text == "Dana's old words"


def test_the_dashboards_read_the_same_after_the_words_go(bakery, old_and_new):
    def figures():
        refresh_snapshots(bakery.workspace, full=True)
        return sorted(
            Snapshot.objects.filter(workspace=bakery.workspace).values_list(
                "group", "metric", "every", "start", "dimension", "member", "value", "n"
            ),
            key=str,
        )

    before = figures()
    assert any(metric == "sentiment" or "sentiment" in metric for _, metric, *_ in before), before
    set_retention_rules(bakery.workspace, message_text_months=24)
    apply_retention(bakery.workspace)
    assert figures() == before


def test_a_message_without_words_is_shown_and_never_read_again(
    client, bakery, old_and_new, personas
):
    from rapport.understanding.actions import pending

    old, _ = old_and_new
    set_retention_rules(bakery.workspace, message_text_months=24)
    apply_retention(bakery.workspace)
    assert not pending(bakery.workspace, "a newer model").filter(pk=old.pk).exists()
    login(client, personas.alice)
    assert client.get(f"/w/alices-bakery/understanding/messages/{old.pk}/").status_code == 200
    assert client.get(f"/w/alices-bakery/people/{bakery.dana.pk}/").status_code == 200


def test_closed_conversations_go_after_their_months(bakery):
    conversation = Conversation.objects.get(person=bakery.dana)
    long_ago = timezone.now() - dt.timedelta(days=LONG_AGO)
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Status.RESOLVED, resolved_at=long_ago
    )
    open_one = Conversation.objects.get(person=bakery.eve)
    set_retention_rules(bakery.workspace, closed_conversation_months=12)
    assert apply_retention(bakery.workspace)["closed_conversation_months"] == 1
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert Conversation.objects.filter(pk=open_one.pk).exists()
    assert bakery.dana.interactions.exists(), "the timeline keeps its entries"


def test_old_written_answers_go_and_scores_stay(bakery):
    survey = bakery.surveys.nps
    long_ago = timezone.now() - dt.timedelta(days=LONG_AGO)
    old = submit_response(
        survey,
        {survey.questions.get(key="nps"): 9, survey.questions.get(key="reason"): "Old praise"},
        channel="public",
        now=long_ago,
        check_open=False,
    ).response
    set_retention_rules(bakery.workspace, survey_text_months=24)
    apply_retention(bakery.workspace)
    answers = {
        a.question.key: a for a in Answer.objects.filter(response=old).select_related("question")
    }
    assert answers["reason"].text == ""
    assert answers["nps"].number == 9
    assert Answer.objects.filter(text="Dana Petit's reason: stale rye").exists()


def test_old_audit_entries_go(bakery):
    AuditEvent.objects.filter(workspace=bakery.workspace).update(
        at=timezone.now() - dt.timedelta(days=LONG_AGO)
    )
    set_retention_rules(bakery.workspace, audit_log_months=24)
    removed = apply_retention(bakery.workspace)["audit_log_months"]
    assert removed > 0
    # What is left: the rule's own change and this run.
    assert set(
        AuditEvent.objects.filter(workspace=bakery.workspace).values_list("object_type", flat=True)
    ) == {"retention"}


def test_each_run_and_each_change_of_a_rule_is_audited(bakery, old_and_new, personas):
    set_retention_rules(bakery.workspace, message_text_months=24, actor=personas.alice)
    change = AuditEvent.objects.get(object_type="retention", action="update")
    assert change.changes == {"message_text_months": [None, 24]}
    apply_retention(bakery.workspace, via="cli")
    run = AuditEvent.objects.get(object_type="retention", action="delete")
    assert run.via == "cli"
    assert run.changes["removed"]["message_text_months"] >= 1


def test_the_clock_applies_the_rules_once_a_day(bakery, old_and_new):
    set_retention_rules(bakery.workspace, message_text_months=24)
    assert "retention" in apply_due(bakery.workspace)
    assert "retention" not in apply_due(bakery.workspace)
    assert AuditEvent.objects.filter(object_type="retention", action="delete").count() == 1


def test_a_rule_out_of_range_is_refused(bakery):
    with pytest.raises(PrivacyError, match="from 1 to 600"):
        set_retention_rules(bakery.workspace, message_text_months=0)
    with pytest.raises(PrivacyError, match="no retention rule named"):
        set_retention_rules(bakery.workspace, forever_months=3)
    assert retention_rules(bakery.workspace).message_text_months is None


def test_the_owner_sets_and_applies_the_rules_on_the_web(client, bakery, old_and_new, personas):
    login(client, personas.alice)
    page = client.get("/w/alices-bakery/privacy/")
    assert page.status_code == 200 and "Words of messages" in page.content.decode()
    bad = client.post("/w/alices-bakery/privacy/", {"message_text_months": "0"})
    assert bad.status_code == 400
    saved = client.post("/w/alices-bakery/privacy/", {"message_text_months": "24"})
    assert saved.status_code == 302
    assert client.post("/w/alices-bakery/privacy/apply/").status_code == 302
    old, _ = old_and_new
    old.refresh_from_db()
    assert old.text == ""


def test_a_manager_sees_the_rules_but_cannot_change_them(client, bakery, personas):
    from rapport.accounts.actions import add_member
    from rapport.accounts.choices import Role
    from rapport.accounts.models import User

    mia = User.objects.create_user("mia@example.com", "x", name="Mia")
    add_member(bakery.workspace, mia, Role.MANAGER)
    login(client, mia)
    assert client.get("/w/alices-bakery/privacy/").status_code == 200
    assert client.post("/w/alices-bakery/privacy/", {"message_text_months": "1"}).status_code == 403
    assert client.post("/w/alices-bakery/privacy/apply/").status_code == 404
    assert retention_rules(bakery.workspace).message_text_months is None
    login(client, personas.bob)
    assert client.get("/w/alices-bakery/privacy/").status_code == 404


def test_the_settings_page_leads_to_the_rules(client, bakery, personas):
    login(client, personas.alice)
    page = client.get("/w/alices-bakery/settings/")
    assert 'href="/w/alices-bakery/privacy/"' in page.content.decode()


def test_finding_themes_again_leaves_a_message_without_words_in_its_themes(bakery, old_and_new):
    from rapport.understanding.actions import discover_workspace_themes

    old, _ = old_and_new
    set_retention_rules(bakery.workspace, message_text_months=24)
    apply_retention(bakery.workspace)
    discover_workspace_themes(bakery.workspace)
    assert InteractionReading.objects.get(interaction=old).themes == ["t1"]
