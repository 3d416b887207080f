"""Signed webhooks: only a fresh, correctly signed body is read; each item is kept or named
with its index, field and reason; a resend adds nothing."""

import json
import time

import pytest
from django.test import Client

from rapport.feedback import actions as feedback
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.models import Response
from rapport.intake.actions import create_webhook, revoke_webhook
from rapport.intake.webhooks import MAX_ITEMS, sign
from rapport.people.actions import create_person
from rapport.people.models import Interaction, Person


@pytest.fixture
def hook(personas):
    return create_webhook(
        personas.bakery, name="Till system", kind="interactions", created_by=personas.alice_member
    )


@pytest.fixture
def survey(personas):
    survey = feedback.create_survey(personas.bakery, blueprint="customer_nps")
    feedback.set_status(survey, SurveyStatus.OPEN)
    return survey


def send(endpoint, payload, *, secret=None, timestamp=None, body=None, client=None):
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    client = client or Client(enforce_csrf_checks=True)  # no CSRF token: must not be needed
    return client.post(
        endpoint.path,
        body,
        content_type="application/json",
        HTTP_X_RAPPORT_TIMESTAMP=timestamp,
        HTTP_X_RAPPORT_SIGNATURE=sign(secret or endpoint.secret, timestamp, body),
    )


def touch(item_id="till-1", **fields):
    return {
        "id": item_id,
        "occurred_at": "2025-02-03T09:30:00+01:00",
        "channel": "visit",
        "text": "Bought a birthday cake, very happy with the decoration",
        "person": {"email": "ann@example.com", "name": "Ann Lee"},
        **fields,
    }


def test_a_signed_item_is_stored_and_its_person_created(personas, hook):
    response = send(hook, touch())

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 1 and body["errors"] == []
    stored = Interaction.objects.get(workspace=personas.bakery)
    assert body["results"] == [
        {"index": 0, "id": "till-1", "status": "created", "object_id": str(stored.pk)}
    ]
    assert stored.channel == "visit" and stored.external_id == "till-1"
    assert stored.person.name == "Ann Lee" and stored.person.email == "ann@example.com"
    assert stored.occurred_at.isoformat() == "2025-02-03T08:30:00+00:00"
    hook.refresh_from_db()
    assert hook.last_used_at is not None


def test_the_same_item_sent_again_adds_nothing(personas, hook):
    send(hook, touch())
    again = send(hook, [touch()])
    assert again.status_code == 200
    assert again.json()["duplicates"] == 1 and again.json()["created"] == 0
    assert Interaction.objects.count() == 1 and Person.objects.count() == 1


def test_a_wrong_signature_is_refused_and_nothing_is_stored(hook):
    response = send(hook, touch(), secret="whsec_not-the-secret")
    assert response.status_code == 401
    assert "signature does not match" in response.json()["error"]
    assert not Interaction.objects.exists()


def test_a_body_changed_after_signing_is_refused(hook):
    timestamp = str(int(time.time()))
    signed = json.dumps(touch()).encode()
    response = Client().post(
        hook.path,
        json.dumps(touch(text="tampered")),
        content_type="application/json",
        HTTP_X_RAPPORT_TIMESTAMP=timestamp,
        HTTP_X_RAPPORT_SIGNATURE=sign(hook.secret, timestamp, signed),
    )
    assert response.status_code == 401


def test_an_old_request_replayed_is_refused(hook):
    response = send(hook, touch(), timestamp=int(time.time()) - 301)
    assert response.status_code == 401
    assert "seconds away from our clock" in response.json()["error"]
    assert send(hook, touch(), timestamp=int(time.time()) + 400).status_code == 401


def test_missing_headers_are_named(hook):
    response = Client().post(hook.path, b"{}", content_type="application/json")
    assert response.status_code == 401
    assert "X-Rapport-Timestamp" in response.json()["error"]


def test_good_items_are_kept_and_bad_ones_named_by_index_field_and_reason(personas, hook):
    create_person(personas.bakery, group="customer", name="Bo", email="bo@example.com")
    items = [
        touch("a"),
        touch("b", occurred_at="yesterday", channel="pigeon"),
        touch("c", person={"email": "bo@example.com"}, handled_by="nobody@example.com"),
        {"occurred_at": "2025-02-03T10:00:00Z", "person": {"email": "x@example.com"}},
        "not an object",
        touch("d", person={"id": 999999}),
    ]
    response = send(hook, items)

    assert response.status_code == 207
    body = response.json()
    assert (body["received"], body["created"], body["rejected"]) == (6, 1, 5)
    errors = {(e["index"], e["field"]): e["reason"] for e in body["errors"]}
    assert errors[(1, "occurred_at")] == "'yesterday' is not an ISO 8601 time"
    assert errors[(1, "channel")].startswith("'pigeon' is not one of: email, phone")
    assert errors[(2, "handled_by")] == "no member with email 'nobody@example.com'"
    assert errors[(3, "id")] == "required"
    assert errors[(4, "")] == "must be a JSON object"
    assert errors[(5, "person.id")] == "no person with id 999999"
    assert list(Interaction.objects.values_list("external_id", flat=True)) == ["a"]


def test_a_delivery_with_only_bad_items_is_422(hook):
    response = send(hook, [touch("x", occurred_at="2999-01-01T00:00:00Z")])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occurred_at"


def test_too_many_items_or_bytes_are_refused(hook):
    response = send(hook, [touch(str(n)) for n in range(MAX_ITEMS + 1)])
    assert response.status_code == 413
    big = json.dumps(touch(text="x" * (1024 * 1024))).encode()
    assert send(hook, None, body=big).status_code == 413
    assert not Interaction.objects.exists()


def test_a_body_that_is_not_json_is_refused(hook):
    response = send(hook, None, body=b"id=1&text=hello")
    assert response.status_code == 400 and "not JSON" in response.json()["error"]


def test_a_body_nested_beyond_reason_is_refused_not_a_crash(hook):
    deep = b"[" * 200_000 + b"]" * 200_000  # under the size limit, beyond the parser's stack
    response = send(hook, None, body=deep)
    assert response.status_code == 400 and "nested too deeply" in response.json()["error"]
    assert not Interaction.objects.exists()


def test_a_revoked_or_unknown_endpoint_takes_nothing(personas, hook):
    revoke_webhook(hook)
    assert send(hook, touch()).status_code == 410
    hook.pk = "00000000-0000-0000-0000-000000000000"
    assert send(hook, touch()).status_code == 404
    assert Client().get(hook.path).status_code == 405
    assert not Interaction.objects.exists()


def test_answers_arrive_through_the_survey_verb(personas, survey):
    hook = create_webhook(personas.bakery, name="Kiosk", kind="responses", survey=survey)
    nps = survey.questions.get(key="nps")
    items = [
        {"id": "k1", "answers": {"nps": 9, "reason": "Lovely bread"}},
        {"id": "k2", "answers": {str(nps.pk): "10"}},
        {"id": "k3", "answers": {"nps": 11, "colour": "red"}},
    ]
    response = send(hook, items)

    assert response.status_code == 207
    body = response.json()
    errors = {(e["index"], e["field"]): e["reason"] for e in body["errors"]}
    assert errors == {
        (2, "answers.colour"): "no such question in this survey",
        (2, "answers.nps"): "11 is outside 0–10",
    }
    stored = Response.objects.filter(survey=survey)
    assert sorted(r.external_id for r in stored) == ["k1", "k2"]
    assert {r.channel for r in stored} == {"api"}
    assert sorted(a.number for r in stored for a in r.answers.filter(question=nps)) == [9, 10]

    again = send(hook, items[:2])
    assert again.json()["duplicates"] == 2 and stored.count() == 2


def test_a_bad_answer_is_named_by_its_question(personas, survey):
    hook = create_webhook(personas.bakery, name="Kiosk", kind="responses", survey=survey)
    response = send(hook, {"id": "k9", "answers": {"nps": 11}})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"index": 0, "id": "k9", "field": "answers.nps", "reason": "11 is outside 0–10"}
    ]


def test_a_webhook_writes_only_to_its_own_business(personas, hook):
    garage_hook = create_webhook(personas.garage, name="Garage till", kind="interactions")
    send(garage_hook, touch())
    assert not Interaction.objects.filter(workspace=personas.bakery).exists()
    # The garage's secret does not open the bakery's endpoint.
    assert send(hook, touch(), secret=garage_hook.secret).status_code == 401


def send_raw(endpoint, body: bytes, *, timestamp: str | None = None):
    """Post ``body`` as it is, signed: for what ``json.dumps`` will not write."""
    timestamp = timestamp or str(int(time.time()))
    signature = sign(endpoint.secret, timestamp, body) if timestamp.isascii() else "sha256=00"
    return Client().post(
        endpoint.path,
        body,
        content_type="application/json",
        HTTP_X_RAPPORT_TIMESTAMP=timestamp,
        HTTP_X_RAPPORT_SIGNATURE=signature,
    )


@pytest.mark.parametrize(
    "timestamp",
    ["1" * 400, "1" * 5000, "-1", "+1738571400", "1_738_571_400", "1738571400.5", "soon"],
)
def test_an_absurd_timestamp_is_refused_in_plain_words_not_a_crash(hook, timestamp):
    response = send_raw(hook, json.dumps(touch()).encode(), timestamp=timestamp)
    assert response.status_code == 401
    reason = response.json()["error"]
    assert reason.startswith("X-Rapport-Timestamp must be unix seconds"), reason
    assert len(reason) < 200
    assert not Interaction.objects.exists()


def items_body(*raw_items: bytes) -> bytes:
    return b"[" + b",".join(raw_items) + b"]"


GOOD = json.dumps(touch("good")).encode()
ABOUT_ZOE = b'"occurred_at":"2025-02-03T09:30:00Z","person":{"email":"zoe@example.com"}'


def test_a_lone_surrogate_rejects_its_item_by_name_and_keeps_the_others(hook):
    body = items_body(
        GOOD,
        b'{"id":"s1",' + ABOUT_ZOE + b',"text":"half a pair \\ud800 here"}',
        b'{"id":"s2","occurred_at":"2025-02-03T09:30:00Z","person":{"email":"z\\udc00@example.com"}}',
        b'{"id":"\\ud83d",' + ABOUT_ZOE + b"}",
    )
    response = send_raw(hook, body)

    assert response.status_code == 207, response.content
    body = response.json()
    assert (body["created"], body["rejected"]) == (1, 3)
    errors = {(e["index"], e["field"]): e["reason"] for e in body["errors"]}
    assert set(errors) == {(1, "text"), (2, "person.email"), (3, "id")}
    assert "\\ud800" in errors[(1, "text")] and "not text" in errors[(1, "text")]
    assert list(Interaction.objects.values_list("external_id", flat=True)) == ["good"]


def test_a_number_too_long_to_read_rejects_its_item_only(hook):
    body = items_body(
        GOOD,
        b'{"id":"n1",' + ABOUT_ZOE + b',"text":' + b"9" * 5000 + b"}",
        b'{"id":"n2","occurred_at":"2025-02-03T09:30:00Z","person":{"id":' + b"7" * 400 + b"}}",
        b'{"id":"n3",' + ABOUT_ZOE + b',"subject":NaN,"text":-Infinity}',
    )
    response = send_raw(hook, body)

    assert response.status_code == 207, response.content
    body = response.json()
    assert (body["created"], body["rejected"]) == (1, 3)
    errors = {(e["index"], e["field"]): e["reason"] for e in body["errors"]}
    assert errors[(1, "text")] == "is a number of 5,000 digits; at most 100 are read"
    assert errors[(2, "person.id")] == "is a number of 400 digits; at most 100 are read"
    assert errors[(3, "subject")] == errors[(3, "text")] == "is not a number (NaN or infinity)"
    assert list(Interaction.objects.values_list("external_id", flat=True)) == ["good"]


def test_unreadable_answers_are_named_in_plain_words_and_the_good_kept(personas, survey):
    hook = create_webhook(personas.bakery, name="Kiosk", kind="responses", survey=survey)
    body = items_body(
        b'{"id":"k1","answers":{"nps":9}}',
        b'{"id":"k2","answers":{"nps":9,"reason":"\\udc00"}}',
        b'{"id":"k3","answers":{"nps":NaN}}',
        b'{"id":"k4","answers":{"nps":1e400}}',
        b'{"id":"k5","answers":{"nps":"' + b"9" * 5000 + b'"}}',
        b'{"id":"k6","answers":{"nps":' + b"9" * 5000 + b"}}",
    )
    response = send_raw(hook, body)

    assert response.status_code == 207, response.content
    body = response.json()
    assert (body["created"], body["rejected"]) == (1, 5)
    errors = {(e["index"], e["field"]): e["reason"] for e in body["errors"]}
    assert set(errors) == {(2 + n, "answers.nps") for n in range(4)} | {(1, "answers.reason")}
    assert errors[(2, "answers.nps")] == errors[(3, "answers.nps")]
    assert errors[(4, "answers.nps")] == errors[(5, "answers.nps")]
    assert errors[(5, "answers.nps")] == "is a number of 5,000 digits; at most 100 are read"
    for reason in errors.values():
        assert not any(word in reason for word in ("convert", "sys.", "Exceeds", "literal"))
    assert Response.objects.filter(survey=survey).get().external_id == "k1"


def test_nul_characters_are_removed_from_text_and_answers(personas, hook, survey):
    # PostgreSQL refuses NUL in text; it is never meant, so it is dropped, not the item.
    person = {"email": "ann@example.com", "name": "Ann\x00 Lee"}
    send(hook, touch("nul-1", subject="Cake\x00", text="Lovely\x00 cake", person=person))
    stored = Interaction.objects.get(external_id="nul-1")
    assert (stored.subject, stored.text, stored.person.name) == ("Cake", "Lovely cake", "Ann Lee")

    kiosk = create_webhook(personas.bakery, name="Kiosk", kind="responses", survey=survey)
    response = send(kiosk, {"id": "k\x00", "answers": {"nps": 9, "reason": "Fresh\x00 bread"}})
    assert response.status_code == 200, response.content
    assert Response.objects.get().answers.get(question__key="reason").text == "Fresh bread"


def test_a_body_that_is_not_json_is_refused_in_plain_words(hook):
    assert send(hook, None, body=b"").json()["error"] == (
        "the body is empty: send one JSON object or a list of them"
    )
    reason = send(hook, None, body=b'{"id": "a",\n  "text": oops}').json()["error"]
    assert reason == "the body is not JSON: it stops making sense at line 2, column 11"
