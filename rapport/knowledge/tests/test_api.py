"""The knowledge base over the API: entries and matching, by role, errors as 4xx."""

import json

import pytest

from rapport.accounts.models import ApiToken
from rapport.knowledge.models import Entry
from rapport.test import login

URL = "/api/w/alices-bakery/knowledge"


def send(client, method, url, body=None, **extra):
    return getattr(client, method)(
        url,
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        **extra,
    )


def test_staff_list_and_read_entries(client, personas, faq):
    login(client, personas.bob)
    listed = client.get(URL + "/entries").json()
    assert [e["key"] for e in listed] == ["gluten-free", "hours"]
    hours = client.get(URL + "/entries/hours").json()
    assert hours["questions"][0] == "When do you open?" and hours["language"] == "en"
    assert [e["key"] for e in client.get(URL + "/entries?q=gluten").json()] == ["gluten-free"]
    assert client.get(URL + "/entries/nope").status_code == 404
    # Paged like every list: one at a time, in key order.
    assert [e["key"] for e in client.get(URL + "/entries?limit=1&offset=1").json()] == ["hours"]
    assert client.get(URL + "/entries?limit=0").status_code == 422


def test_a_manager_adds_changes_and_removes_an_entry(client, personas):
    login(client, personas.alice)
    body = {"questions": ["Do you deliver?"], "answer": "Yes, within 5 km."}
    created = send(client, "post", URL + "/entries", body)
    assert created.status_code == 201 and created.json()["key"] == "do-you-deliver"
    again = send(client, "post", URL + "/entries", {**body, "key": "do-you-deliver"})
    assert again.status_code == 409
    put = send(client, "put", URL + "/entries/do-you-deliver", {**body, "answer": "No."})
    assert put.status_code == 200 and put.json()["answer"] == "No."
    assert client.delete(URL + "/entries/do-you-deliver").status_code == 204
    assert client.delete(URL + "/entries/do-you-deliver").status_code == 404
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"questions": [], "answer": "Yes."}, "give at least one example question"),
        ({"questions": ["Hi?"], "answer": "x" * 1_048_576}, "1,048,576 characters"),
        ({"questions": ["Hi?"], "answer": "Yes.", "language": "klingon"}, "two-letter code"),
    ],
)
def test_a_bad_entry_is_a_422_that_says_why(client, personas, body, message):
    response = send(login(client, personas.alice), "put", URL + "/entries/hello", body)
    assert response.status_code == 422 and message in response.json()["detail"]


def test_a_wrong_shape_is_a_422_not_a_500(client, personas):
    login(client, personas.alice)
    assert send(client, "put", URL + "/entries/x", {"questions": "Hi?"}).status_code == 422
    assert send(client, "post", URL + "/match", {"texts": [1, None]}).status_code == 422
    assert send(client, "post", URL + "/match", {"text": "Hi"}).status_code == 422
    assert (
        send(
            client, "put", URL + "/entries/Not%20A%20Key", {"questions": ["a"], "answer": "b"}
        ).status_code
        == 422
    )


def test_staff_cannot_change_entries(client, personas, faq):
    login(client, personas.bob)
    body = {"questions": ["Hi?"], "answer": "Hello."}
    assert send(client, "put", URL + "/entries/hours", body).status_code == 404
    assert client.delete(URL + "/entries/hours").status_code == 404


def test_it_matches_texts_with_a_token(client, personas, faq):
    token = ApiToken.issue(personas.bob_member, "test")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = send(
        client,
        "post",
        URL + "/match",
        {"texts": ["What time do you open on Sunday?", "My cake was stale, I am furious."]},
        **auth,
    )
    routine, upset = response.json()
    assert routine["entry"] == "hours" and routine["answer"] is True
    assert routine["answer_text"] == "We open at 7, Sundays at 8."
    assert upset["answer"] is False and upset["reasons"]


def test_a_viewer_gets_404(client, personas, faq):
    login(client, personas.vera)
    assert client.get(URL + "/entries").status_code == 404
    assert send(client, "post", URL + "/match", {"texts": ["Hi"]}).status_code == 404
