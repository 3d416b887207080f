"""Telling respondents what changed: by email only when they allowed it, never when
anonymous; in their private conversation otherwise."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from rapport.feedback import actions, notify
from rapport.feedback.choices import Author, Channel, FollowUp, SurveyStatus
from rapport.feedback.models import FollowUpMessage, Response
from rapport.people.tests.factories import make_customer
from rapport.test import login


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message (the network edge)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


def open_survey(workspace, blueprint, **settings):
    survey = actions.create_survey(workspace, blueprint=blueprint, **settings)
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def answer(survey, answers: dict, **fields) -> Response:
    raw = {survey.questions.get(key=key): value for key, value in answers.items()}
    submitted = actions.submit_response(
        survey, raw, channel=fields.pop("channel", Channel.PUBLIC), **fields
    )
    return Response.objects.select_related("survey", "person", "workspace").get(
        pk=submitted.response.pk
    )


def done(response, member, what="We now bake the rye twice a day."):
    actions.move(response, FollowUp.DONE, member=member, what_we_did=what)
    return response


@pytest.fixture
def dana_response(personas):
    dana = make_customer(personas.bakery, name="Dana Hart", email="dana@example.com")
    survey = open_survey(personas.bakery, "customer_nps")
    return answer(
        survey, {"nps": "4", "reason": "The rye sells out by ten."}, person=dana, may_contact=True
    )


@pytest.fixture
def anonymous_response(personas):
    box = open_survey(personas.bakery, "suggestion_box")
    return answer(box, {"suggestion": "A bench outside would be nice."})


def test_an_identified_respondent_who_allowed_contact_is_emailed_what_we_did(
    personas, dana_response, mailoutbox
):
    done(dana_response, personas.alice_member)

    told = notify.tell_respondent(dana_response, personas.alice_member)

    assert told.emailed and not told.posted
    [email] = mailoutbox
    assert email.to == ["dana@example.com"]
    assert "Alice's Bakery" in email.subject
    assert "We now bake the rye twice a day." in email.body
    assert "Hello Dana Hart" in email.body
    dana_response.refresh_from_db()
    assert dana_response.told_at is not None
    message = FollowUpMessage.objects.get(response=dana_response)
    assert message.author == Author.BUSINESS and message.text == "We now bake the rye twice a day."


def test_an_anonymous_respondent_is_told_in_their_conversation_and_never_emailed(
    personas, anonymous_response, mailoutbox
):
    done(anonymous_response, personas.bob_member, "A bench goes in next week.")

    told = notify.tell_respondent(anonymous_response, personas.bob_member)

    assert told.posted and not told.emailed
    assert mailoutbox == []
    [message] = FollowUpMessage.objects.filter(response=anonymous_response)
    assert message.author == Author.BUSINESS and message.text == "A bench goes in next week."
    anonymous_response.refresh_from_db()
    assert anonymous_response.told_at is not None


def test_nobody_is_told_before_the_loop_is_closed(personas, dana_response, mailoutbox):
    with pytest.raises(notify.NotifyError, match="close the loop first"):
        notify.tell_respondent(dana_response, personas.alice_member)

    assert mailoutbox == [] and not FollowUpMessage.objects.exists()
    dana_response.refresh_from_db()
    assert dana_response.told_at is None


def test_a_respondent_who_did_not_allow_contact_is_not_told(personas, mailoutbox):
    ann = make_customer(personas.bakery, name="Ann", email="ann@example.com")
    survey = open_survey(personas.bakery, "customer_nps")
    response = done(
        answer(survey, {"nps": "6"}, person=ann, may_contact=False), personas.alice_member
    )

    with pytest.raises(notify.NotifyError, match="did not leave a way"):
        notify.tell_respondent(response, personas.alice_member)

    assert mailoutbox == []
    response.refresh_from_db()
    assert response.told_at is None


def test_a_person_who_later_withdrew_contact_consent_is_not_emailed(
    personas, dana_response, mailoutbox
):
    dana_response.person.may_contact = False
    dana_response.person.save(update_fields=["may_contact"])

    assert notify.email_address(dana_response) == ""
    message = actions.reply(dana_response, personas.alice_member, "Sorry about the rye.")
    assert notify.email_reply(dana_response, message) is False
    assert mailoutbox == []


def test_a_refused_email_leaves_the_item_untold(personas, dana_response, settings):
    settings.EMAIL_BACKEND = "rapport.feedback.tests.test_notify.RefusingBackend"
    done(dana_response, personas.alice_member)

    with pytest.raises(notify.NotifyError, match="could not be sent"):
        notify.tell_respondent(dana_response, personas.alice_member)

    dana_response.refresh_from_db()
    assert dana_response.told_at is None
    assert not FollowUpMessage.objects.filter(response=dana_response).exists()


def test_replies_are_emailed_to_identified_respondents_who_allowed_contact(
    client, personas, dana_response, mailoutbox
):
    login(client, personas.bob)
    url = reverse("feedback:item-reply", args=["alices-bakery", dana_response.pk])

    response = client.post(url, {"text": "So sorry, Dana. We are baking more rye."}, follow=True)

    assert "Reply sent: emailed to them." in response.content.decode()
    [email] = mailoutbox
    assert email.to == ["dana@example.com"]
    assert "So sorry, Dana. We are baking more rye." in email.body
    assert "Bob Okafor at Alice's Bakery wrote" in email.body
    # No private conversation link exists for a known person: they answer by email.
    assert email.reply_to == ["bob@example.com"]
    assert "private link" not in email.body
    dana_response.refresh_from_db()
    assert dana_response.status == FollowUp.ACKNOWLEDGED


def test_a_public_link_respondent_who_left_an_email_is_pointed_to_their_conversation(
    personas, mailoutbox
):
    survey = open_survey(personas.bakery, "post_visit_csat")
    response = answer(
        survey,
        {"csat": "2", "comment": "Long queue."},
        may_contact=True,
        contact_email="walkin@example.com",
    )
    message = actions.reply(response, personas.bob_member, "We added a second till.")

    assert notify.email_reply(response, message)

    [email] = mailoutbox
    assert email.to == ["walkin@example.com"]
    assert "private link you were given" in email.body
    assert email.reply_to == []


def test_replies_to_anonymous_respondents_are_never_emailed(
    client, personas, anonymous_response, mailoutbox
):
    login(client, personas.bob)
    url = reverse("feedback:item-reply", args=["alices-bakery", anonymous_response.pk])

    page = client.post(url, {"text": "Thanks, we are pricing benches."}, follow=True)

    assert mailoutbox == []
    assert "waiting for them in their private conversation" in page.content.decode()
    assert FollowUpMessage.objects.filter(response=anonymous_response).count() == 1


def test_the_item_page_tells_them_what_changed(client, personas, dana_response, mailoutbox):
    done(dana_response, personas.alice_member)
    login(client, personas.alice)

    page = client.post(
        reverse("feedback:item-tell", args=["alices-bakery", dana_response.pk]), follow=True
    )

    assert "They were told what changed, by email." in page.content.decode()
    assert len(mailoutbox) == 1
    assert "Told on" in page.content.decode()


def test_telling_before_done_says_why_on_the_page(client, personas, dana_response, mailoutbox):
    login(client, personas.alice)

    page = client.post(
        reverse("feedback:item-tell", args=["alices-bakery", dana_response.pk]), follow=True
    )

    assert "They were not told: close the loop first" in page.content.decode()
    assert mailoutbox == []
