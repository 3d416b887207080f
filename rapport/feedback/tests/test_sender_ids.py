"""An anonymous response keeps no id from the system that sent it: the id can lead back to a
person there. A resend is still spotted, through an import key keyed with the server's
secret that no one holding only the database can try ids against."""

import datetime as dt
import hashlib
import importlib

import pytest
from django.apps import apps

from rapport.feedback import actions
from rapport.feedback.choices import Channel, SurveyStatus
from rapport.feedback.models import Response

NOON = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)


def open_survey(workspace, blueprint="customer_nps", **settings):
    survey = actions.create_survey(workspace, blueprint=blueprint, **settings)
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def prepared(survey, **sent):
    nps = survey.questions.get(key="nps")
    return actions.prepare_response(
        survey, {nps: 4}, channel=Channel.API, now=NOON, **sent
    ).response


def plain_key(survey, sender_id: str) -> str:
    """The import key the intake stored before: a hash anyone can recompute from an id."""
    text = "\x1f".join(("intake", "response", str(survey.pk), sender_id))
    return hashlib.sha256(text.encode()).hexdigest()


def test_an_anonymous_response_drops_the_senders_id_and_a_confidential_one_keeps_it(personas):
    anonymous = open_survey(personas.bakery, anonymity="anonymous")
    confidential = open_survey(personas.bakery, anonymity="confidential")

    assert prepared(anonymous, external_id="crm-contact-4711").external_id == ""
    assert prepared(confidential, external_id="crm-contact-4711").external_id == "crm-contact-4711"


def test_an_anonymous_surveys_import_key_is_keyed_with_the_secret(personas, settings):
    anonymous = open_survey(personas.bakery, anonymity="anonymous")
    confidential = open_survey(personas.bakery, anonymity="confidential")

    key = actions.response_import_key(anonymous, "intake", "crm-contact-4711")
    assert key == actions.response_import_key(anonymous, "intake", "crm-contact-4711")
    assert key != plain_key(anonymous, "crm-contact-4711") and len(key) == 64
    settings.SECRET_KEY = "another-secret"
    assert actions.response_import_key(anonymous, "intake", "crm-contact-4711") != key
    # Not anonymous: the key stays what it was, so a resend after an upgrade is still spotted.
    assert actions.response_import_key(confidential, "intake", "a-1") == plain_key(
        confidential, "a-1"
    )


def test_the_migration_forgets_the_ids_anonymous_responses_already_kept(personas):
    anonymous = open_survey(personas.bakery, anonymity="anonymous")
    confidential = open_survey(personas.bakery, anonymity="confidential")
    for survey in (anonymous, confidential):
        response = prepared(survey, import_key=plain_key(survey, "crm-4711"))
        response.external_id = "crm-4711"  # as stored before the fix
        response.save(force_insert=True)
    migration = importlib.import_module(
        "rapport.feedback.migrations.0002_forget_anonymous_sender_ids"
    )

    migration.forget_sender_ids(apps, None)

    forgotten = Response.objects.get(survey=anonymous)
    assert forgotten.external_id == ""
    assert forgotten.import_key == actions.response_import_key(anonymous, "intake", "crm-4711")
    kept = Response.objects.get(survey=confidential)
    assert (kept.external_id, kept.import_key) == ("crm-4711", plain_key(confidential, "crm-4711"))


@pytest.mark.parametrize("anonymity", ["anonymous", "confidential"])
def test_an_id_sent_again_through_the_api_adds_nothing(client, personas, anonymity):
    from rapport.accounts.models import ApiToken

    token = ApiToken.issue(personas.bob_member, "till script")[1]
    survey = open_survey(personas.bakery, anonymity=anonymity)
    url = f"/api/w/alices-bakery/surveys/{survey.pk}/responses"
    payload = {"answers": {"nps": 3}, "external_id": "crm-contact-4711"}

    def post():
        return client.post(
            url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    first, again = post(), post()

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "duplicate" and again.json()["id"] == first.json()["id"]
    stored = Response.objects.get()
    if anonymity == "anonymous":
        assert stored.external_id == ""
        assert stored.import_key != plain_key(survey, "crm-contact-4711")
    else:
        assert stored.external_id == "crm-contact-4711"
