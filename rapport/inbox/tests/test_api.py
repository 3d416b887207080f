"""The inbox over the JSON API: lists and filters, one conversation, its messages and log, and
the member verbs (reply, note, assign, give back, resolve) with their refusals."""

import json

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from rapport.accounts.models import ApiToken, AuditEvent
from rapport.inbox import actions, automation
from rapport.inbox.choices import Author, Delivery, EventKind, Status
from rapport.inbox.models import Conversation, Duty, Message
from rapport.inbox.tests.conftest import later, read_as, write_in
from rapport.knowledge.actions import save_entry
from rapport.people.tests.factories import make_customer
from rapport.test import login

URL = "/api/w/alices-bakery/conversations"


@pytest.fixture
def inbox(personas, customer):
    """Dana's upset message, handed to Bob (her relationship's owner); Eve's question, not
    read yet and held by nobody."""
    customer.owner = personas.bob_member
    customer.save()
    i = write_in(customer, "I was charged twice, I want my money back", subject="Charged twice")
    read_as(i, needs_human=True, reasons=("money",), sentiment=-0.8, feelings={"anger": 0.8})
    automation.process(personas.bakery, now=later())
    eve = make_customer(personas.bakery, name="Eve Rousseau", email="eve@example.com")
    write_in(eve, "Do you bake rye on Saturdays?", subject="Rye", at=later(10))
    dana_c, eve_c = (Conversation.objects.get(person=p) for p in (customer, eve))
    assert dana_c.owner == personas.bob_member and eve_c.owner is None
    return {"dana": dana_c, "eve": eve_c}


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def ids(response):
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()]


def test_it_lists_conversations_latest_message_first(client, personas, inbox):
    listed = login(client, personas.bob).get(URL).json()
    assert [c["id"] for c in listed] == [inbox["eve"].pk, inbox["dana"].pk]
    dana = listed[1]
    assert dana["who"] == "Dana Weiss" and dana["person_id"] == inbox["dana"].person_id
    assert dana["owner"] == "Bob Okafor" and dana["owner_id"] == personas.bob_member.pk
    assert dana["status"] == "assigned" and dana["status_label"] == "Assigned"
    assert dana["priority"] == "high" and dana["needs_human"] is True
    assert dana["reply_due"] is not None and dana["source"] == "email"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"view": "mine"}, ["dana"]),
        ({"view": "unassigned"}, ["eve"]),
        ({"view": "needs_person"}, ["dana"]),
        ({"view": "open"}, ["eve", "dana"]),
        ({"view": "resolved"}, []),
        ({"owner": "me"}, ["dana"]),
        ({"owner": "none"}, ["eve"]),
        ({"status": "new"}, ["eve"]),
        ({"priority": "high"}, ["dana"]),
        ({"needs_human": "false"}, ["eve"]),
        ({"source": "widget"}, []),
    ],
)
def test_views_and_filters(client, personas, inbox, query, expected):
    listed = ids(login(client, personas.bob).get(URL, query))
    assert listed == [inbox[name].pk for name in expected]


def test_owner_by_member_id_and_a_resolved_view(client, personas, inbox):
    actions.resolve(inbox["dana"], actor=personas.bob_member)
    login(client, personas.alice)
    assert ids(client.get(URL, {"owner": personas.bob_member.pk})) == []  # resolved: no owner
    assert ids(client.get(URL, {"view": "resolved"})) == [inbox["dana"].pk]
    assert ids(client.get(URL, {"view": "mine"})) == []  # Alice holds nothing


def test_pages_are_limited_and_checked(client, personas, inbox):
    login(client, personas.bob)
    assert ids(client.get(URL, {"limit": 1})) == [inbox["eve"].pk]
    assert ids(client.get(URL, {"limit": 1, "offset": 1})) == [inbox["dana"].pk]
    assert ids(client.get(URL, {"offset": 5})) == []
    for bad in ({"offset": -1}, {"limit": 0}, {"limit": 501}, {"limit": "many"}):
        assert client.get(URL, bad).status_code == 422, bad


def test_filters_that_cannot_be_read_are_422_and_say_why(client, personas, inbox):
    login(client, personas.bob)
    response = client.get(URL, {"owner": "bob"})
    assert response.status_code == 422 and "'me' or 'none'" in response.json()["detail"]
    for bad in ({"view": "everything"}, {"status": "lost"}, {"priority": "3"}):
        assert client.get(URL, bad).status_code == 422, bad


def test_one_conversation_with_triage_sla_owner_and_draft(client, personas, customer):
    save_entry(
        personas.bakery,
        personas.alice_member,
        key="refunds",
        questions=["Can I get a refund?", "I was charged twice", "I want my money back"],
        answer="We refund double charges within 3 days.",
    )
    i = write_in(customer, "I was charged twice, I want my money back now")
    read_as(i, needs_human=True, reasons=("money",), sentiment=-0.8, feelings={"anger": 0.8})
    automation.process(personas.bakery, now=later())
    c = Conversation.objects.get()
    got = login(client, personas.vera).get(f"{URL}/{c.pk}").json()
    assert got["reasons"] == c.reasons and got["reasons"]
    assert got["reply_due"] and got["resolve_due"] and got["handoff_reason"]
    assert got["owner_id"] == c.owner_id and got["person_id"] == customer.pk
    assert got["emotion"] == "anger" and got["visitor_email"] == ""
    assert got["draft"]["entry"] == "refunds"
    assert got["draft"]["answer"] == "We refund double charges within 3 days."


def test_unknown_and_other_workspaces_conversations_are_404(client, personas, inbox):
    login(client, personas.bob)
    assert client.get(f"{URL}/999999").status_code == 404
    assert post(client, f"{URL}/999999/resolve").status_code == 404
    login(client, personas.charlie)
    pk = inbox["dana"].pk
    for path in ("", "/messages", "/events"):
        assert client.get(f"/api/w/charlies-garage/conversations/{pk}{path}").status_code == 404
    assert post(client, f"/api/w/charlies-garage/conversations/{pk}/resolve").status_code == 404
    _, token = ApiToken.issue(personas.charlie_member, "garage script")
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    assert Conversation.objects.get(pk=pk).status == Status.ASSIGNED


def test_messages_show_author_text_and_delivery_and_notes_only_to_staff(client, personas, inbox):
    c = inbox["dana"]
    actions.note(c, "She is a regular; refund at once.", actor=personas.bob_member)
    url = f"{URL}/{c.pk}/messages"
    staff = login(client, personas.bob).get(url).json()
    # In time order: the handoff was told to Dana five minutes on (automation ran "later").
    assert [m["author"] for m in staff] == ["customer", "note", "system"]
    customer, note, told = staff
    assert customer["text"].startswith("I was charged twice")
    assert told["delivery"] == "pending" and told["delivery_label"] == "Waiting to be sent"
    assert note["member"] == "Bob Okafor" and note["delivery"] == ""
    viewer = login(client, personas.vera).get(url).json()
    assert [m["author"] for m in viewer] == ["customer", "system"]
    assert ids(login(client, personas.bob).get(url, {"offset": 2})) == [told["id"]]
    assert client.get(url, {"offset": -1}).status_code == 422


def test_a_reply_is_a_human_touch_and_goes_out_by_email(
    client, personas, inbox, django_capture_on_commit_callbacks
):
    c = inbox["dana"]
    login(client, personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{URL}/{c.pk}/replies", {"text": "Refunded today, sorry!"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["author"] == "member" and body["member"] == "Bob Okafor"
    assert body["delivery"] == "pending"
    message = Message.objects.get(pk=body["id"])
    assert message.interaction.handled_by == personas.bob_member  # a human touch
    c.person.refresh_from_db()
    assert c.person.last_human_contact_at == message.at
    assert AuditEvent.objects.filter(object_type="reply", via="api").exists()
    mail.outbox.clear()
    # The worker's part: run the task the reply queued. (Not db_worker itself: it closes the
    # test's database connection on PostgreSQL.)
    [queued] = DBTaskResult.objects.filter(task_path="rapport.inbox.delivery.send_message")
    assert queued.args_kwargs["args"] == [body["id"]]
    queued.task.call(*queued.args_kwargs["args"])
    [sent] = [m for m in mail.outbox if m.to == ["dana@example.com"]]
    assert "Refunded today, sorry!" in sent.body
    assert Message.objects.get(pk=body["id"]).delivery == Delivery.SENT
    assert client.get(f"{URL}/{c.pk}").json()["status"] == "replied"


def test_an_empty_reply_or_note_is_refused_and_nothing_is_sent(client, personas, inbox):
    c = inbox["dana"]
    login(client, personas.bob)
    before = c.messages.count()
    for path, says in (("replies", "Write a reply first."), ("notes", "Write the note first.")):
        for body in ({"text": "   "}, {"text": ""}):
            response = post(client, f"{URL}/{c.pk}/{path}", body)
            assert response.status_code == 400 and response.json() == {"detail": says}
        for body in ({}, {"text": "x" * 20_001}, {"text": ["a list"]}):
            assert post(client, f"{URL}/{c.pk}/{path}", body).status_code == 422, (path, body)
    assert c.messages.count() == before


def test_a_note_is_kept_for_members(client, personas, inbox):
    c = inbox["dana"]
    response = post(login(client, personas.bob), f"{URL}/{c.pk}/notes", {"text": "Call her."})
    assert response.status_code == 201 and response.json()["author"] == "note"
    assert c.messages.get(pk=response.json()["id"]).author == Author.NOTE


def test_taking_assigning_giving_back_and_resolving(client, personas, inbox):
    eve = inbox["eve"]
    login(client, personas.bob)
    took = post(client, f"{URL}/{eve.pk}/assign", {"member_id": "me"})
    assert took.status_code == 200 and took.json()["owner"] == "Bob Okafor"
    given = post(client, f"{URL}/{eve.pk}/assign", {"member_id": personas.alice_member.pk})
    assert given.json()["owner_id"] == personas.alice_member.pk
    login(client, personas.alice)
    back = post(client, f"{URL}/{eve.pk}/release")
    assert back.status_code == 200 and back.json()["owner_id"] == personas.bob_member.pk
    done = post(client, f"{URL}/{eve.pk}/resolve")
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    events = [e["kind"] for e in client.get(f"{URL}/{eve.pk}/events").json()]
    assert events.count(EventKind.ASSIGNED) == 3
    assert EventKind.RELEASED in events and EventKind.RESOLVED in events


def test_what_the_inbox_refuses_is_409_with_its_reason(client, personas, inbox):
    dana, eve = inbox["dana"], inbox["eve"]
    Duty.objects.create(workspace=personas.bakery, membership=personas.alice_member, on_duty=False)
    login(client, personas.bob)

    def refused(path, body, reason):
        response = post(client, f"{URL}/{path}", body)
        assert response.status_code == 409, (path, response.content)
        assert reason in response.json()["detail"]

    refused(f"{dana.pk}/assign", {"member_id": personas.vera_member.pk}, "cannot take")
    refused(f"{dana.pk}/assign", {"member_id": personas.alice_member.pk}, "cannot take")
    refused(f"{eve.pk}/release", {}, "Nobody holds")
    actions.resolve(dana, actor=personas.bob_member)
    refused(f"{dana.pk}/resolve", {}, "Already resolved")
    refused(f"{dana.pk}/assign", {"member_id": "me"}, "is resolved")
    assert Conversation.objects.get(pk=dana.pk).status == Status.RESOLVED


def test_only_the_owner_or_a_manager_gives_a_conversation_back(client, personas, inbox):
    dana = inbox["dana"]
    actions.assign(dana, personas.alice_member, actor=personas.alice_member)
    response = post(login(client, personas.bob), f"{URL}/{dana.pk}/release")
    assert response.status_code == 409 and "owner or a manager" in response.json()["detail"]


def test_assigning_to_someone_outside_the_business_is_422(client, personas, inbox):
    login(client, personas.bob)
    for member_id in (personas.charlie_member.pk, 999999, "bob"):
        response = post(client, f"{URL}/{inbox['eve'].pk}/assign", {"member_id": member_id})
        assert response.status_code == 422, member_id
    assert Conversation.objects.get(pk=inbox["eve"].pk).owner is None


def test_a_viewer_reads_but_cannot_write(client, personas, inbox):
    c = inbox["dana"]
    login(client, personas.vera)
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}/{c.pk}/events").status_code == 200
    for path, body in (
        ("replies", {"text": "Hello"}),
        ("notes", {"text": "Hello"}),
        ("assign", {"member_id": "me"}),
        ("release", {}),
        ("resolve", {}),
    ):
        # Like every route of the API: a role too low is answered as if nothing were there.
        assert post(client, f"{URL}/{c.pk}/{path}", body).status_code == 404, path
    c.refresh_from_db()
    assert c.status == Status.ASSIGNED and c.messages.count() == 2


def test_an_api_token_works_like_a_login(client, personas, inbox):
    _, token = ApiToken.issue(personas.bob_member, "inbox script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert ids(client.get(URL, {"view": "mine"}, **auth)) == [inbox["dana"].pk]
    response = client.post(
        f"{URL}/{inbox['eve'].pk}/assign",
        json.dumps({"member_id": "me"}),
        content_type="application/json",
        **auth,
    )
    assert response.json()["owner"] == "Bob Okafor"


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    base = "/api/w/{slug}/conversations"
    assert "get" in paths[base]
    for tail in ("", "/messages", "/events"):
        assert "get" in paths[base + "/{conversation_id}" + tail]
    for verb in ("replies", "notes", "assign", "release", "resolve"):
        assert "post" in paths[base + "/{conversation_id}/" + verb]
    params = {p["name"] for p in paths[base]["get"]["parameters"]}
    assert {"view", "status", "priority", "owner", "limit", "offset"} <= params


def test_a_page_costs_the_same_queries_however_many_conversations(client, personas, inbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, personas.bob)

    def queries(url):
        with CaptureQueriesContext(connection) as done:
            assert client.get(url).status_code == 200
        return len(done)

    few = queries(URL), queries(f"{URL}/{inbox['dana'].pk}/messages")
    for n in range(4):
        other = make_customer(personas.bakery, name=f"Guest {n}", email=f"g{n}@example.com")
        write_in(other, f"Question {n}?")
        actions.note(inbox["dana"], f"Note {n}", actor=personas.bob_member)
    assert (queries(URL), queries(f"{URL}/{inbox['dana'].pk}/messages")) == few


def test_a_visitors_conversation_names_the_visitor_and_a_reply_waits_for_the_widget(
    client, personas
):
    # Written as the widget stores a visitor who is not known yet (its own verbs are the
    # widget's; this test is about what the API shows).
    c = Conversation.objects.create(
        workspace=personas.bakery,
        source="widget",
        channel="chat",
        thread_key="widget:abc",
        visitor_name="Sam",
        visitor_email="sam@example.com",
    )
    Message.objects.create(
        workspace=personas.bakery, conversation=c, author=Author.CUSTOMER, body="Open today?"
    )
    login(client, personas.bob)
    got = client.get(f"{URL}/{c.pk}").json()
    assert got["person_id"] is None and got["who"] == "Sam"
    assert got["visitor_email"] == "sam@example.com" and got["source"] == "widget"
    reply = post(client, f"{URL}/{c.pk}/replies", {"text": "Yes, until 6."})
    assert reply.status_code == 201 and reply.json()["delivery"] == "pending"
    texts = [m["text"] for m in client.get(f"{URL}/{c.pk}/messages").json()]
    assert texts == ["Open today?", "Yes, until 6."]
