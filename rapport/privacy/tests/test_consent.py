"""Consent changes take effect everywhere: analysis, predictions, surveys, outreach, inbox."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from rapport.accounts.models import AuditEvent
from rapport.feedback.actions import create_survey, invite, set_status, submit_response
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.distribution import send_invitations
from rapport.feedback.models import Invitation, ResponseReading
from rapport.inbox.delivery import address_of
from rapport.inbox.models import Conversation
from rapport.outreach.actions import reach_out_list
from rapport.people.actions import update_person
from rapport.people.models import Person
from rapport.predictions.actions import refresh
from rapport.predictions.choices import Subject
from rapport.predictions.models import Forecast
from rapport.privacy.tasks import apply_due
from rapport.understanding.actions import pending
from rapport.understanding.models import Correction, InteractionReading


def read_about(person):
    return {
        "readings": InteractionReading.objects.filter(interaction__person=person).count(),
        "corrections": Correction.objects.filter(interaction__person=person).count(),
        "survey_readings": ResponseReading.objects.filter(response__person=person).count(),
        "predictions": Forecast.objects.filter(person=person).count(),
    }


def test_withdrawing_analysis_removes_what_was_read_about_dana(bakery, personas):
    assert all(read_about(bakery.dana).values())
    eve_before = read_about(bakery.eve)
    update_person(bakery.dana, may_analyse=False, actor=personas.alice)
    assert read_about(bakery.dana) == {
        "readings": 0,
        "corrections": 0,
        "survey_readings": 0,
        "predictions": 0,
    }
    assert read_about(bakery.eve) == eve_before


def test_the_change_and_its_effect_are_audited(bakery, personas):
    update_person(bakery.dana, may_analyse=False, actor=personas.alice)
    change = AuditEvent.objects.filter(
        object_type="person", object_id=str(bakery.dana.pk), action="update"
    ).latest("pk")
    assert change.changes["may_analyse"] == [True, False]
    assert change.actor == personas.alice
    effect = AuditEvent.objects.get(object_type="consent")
    assert effect.changes["removed"]["readings"] == 1


def test_her_messages_are_not_read_again(bakery):
    update_person(bakery.dana, may_analyse=False)
    waiting = pending(bakery.workspace, "a newer model")
    assert not waiting.filter(person=bakery.dana).exists()
    assert waiting.filter(person=bakery.eve).exists()


def test_she_gets_no_prediction(bakery):
    update_person(bakery.dana, may_analyse=False)
    refresh(bakery.workspace, [Subject.CUSTOMERS])
    current = Forecast.objects.filter(run__current=True, run__subject=Subject.CUSTOMERS)
    assert current.filter(person=bakery.eve).exists()
    assert not current.filter(person=bakery.dana).exists()


def test_an_import_that_withdraws_consent_is_caught_by_the_clock(bakery):
    # The people import writes in bulk: no signal is sent.
    Person.objects.filter(pk=bakery.dana.pk).update(may_analyse=False)
    assert read_about(bakery.dana)["readings"] == 1
    apply_due.call()
    assert not any(read_about(bakery.dana).values())
    assert all(read_about(bakery.eve).values())


def test_no_contact_means_no_survey_invitation(bakery):
    Invitation.objects.all().delete()
    update_person(bakery.dana, may_contact=False)
    invited = invite(bakery.surveys.nps)
    assert {i.person_id for i in invited} == {bakery.eve.pk}
    # An invitation made before she withdrew is not sent either.
    Invitation.objects.create(
        workspace=bakery.workspace, survey=bakery.surveys.nps, person=bakery.dana
    )
    mail.outbox.clear()
    sent = send_invitations(bakery.surveys.nps)
    assert sent.skipped == 1
    assert [m.to for m in mail.outbox] == [["eve@example.com"]]


def test_no_contact_means_no_reach_out_prompt(bakery, personas):
    visit = create_survey(bakery.workspace, blueprint="post_visit_csat", title="Visit")
    set_status(visit, SurveyStatus.OPEN)
    for person in (bakery.dana, bakery.eve):
        submit_response(
            visit, {visit.questions.get(key="csat"): 1}, channel="public", person=person
        )

    def prompted(person):
        listed = reach_out_list(bakery.workspace, personas.alice_member, everyone=True)
        return [i for i in listed.items if i.prompt.subject_id == person.pk]

    assert prompted(bakery.dana), "her unhappy answer should be on the list"
    update_person(bakery.dana, may_contact=False)
    assert not prompted(bakery.dana)
    assert prompted(bakery.eve)


def test_no_contact_means_no_email_from_the_inbox(bakery):
    conversation = Conversation.objects.get(person=bakery.dana)
    assert address_of(conversation) == "dana@example.com"
    update_person(bakery.dana, may_contact=False)
    conversation = Conversation.objects.select_related("person").get(pk=conversation.pk)
    assert address_of(conversation) == ""


def test_no_contact_means_no_automatic_answer_by_email(personas):
    """The automation would answer a routine question by e-mail; for a person who may not be
    contacted it hands the question to a member, who decides (the reply is not sent)."""
    from rapport.inbox import automation
    from rapport.inbox.choices import Author
    from rapport.inbox.choices import Status as ConversationStatus
    from rapport.knowledge.actions import save_entry
    from rapport.people.actions import record_interaction
    from rapport.people.choices import Channel, Direction
    from rapport.people.tests.factories import make_customer

    save_entry(
        personas.bakery,
        personas.alice_member,
        key="hours",
        questions=["when do you open", "what are your opening hours", "are you open on sunday"],
        answer="We open at 7 every day.",
    )
    asked = {}
    for name, may_contact in (("Ann Keen", True), ("Noa Quiet", False)):
        person = make_customer(
            personas.bakery,
            name=name,
            email=f"{name[:3].lower()}@example.com",
            may_contact=may_contact,
        )
        record_interaction(
            person,
            occurred_at=timezone.now(),
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            text="When do you open on Sunday?",
            thread_key=name,
        )
        asked[may_contact] = name
    automation.process(personas.bakery, now=timezone.now() + dt.timedelta(minutes=30))
    keen = Conversation.objects.get(thread_key=asked[True])
    quiet = Conversation.objects.get(thread_key=asked[False])
    assert keen.status == ConversationStatus.ANSWERED_AUTOMATICALLY
    assert quiet.status != ConversationStatus.ANSWERED_AUTOMATICALLY
    assert not quiet.messages.filter(author=Author.AUTOMATION).exists()
    assert "may not be contacted" in quiet.handoff_reason
