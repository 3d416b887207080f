"""One conversation: its messages of every kind, its log, the reply with its suggestion and
the knowledge base's draft, the member verbs and their errors, and the context card."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from rapport.accounts.models import AuditEvent
from rapport.inbox import actions, automation
from rapport.inbox.choices import Author, Status
from rapport.inbox.delivery import post_to_customer
from rapport.inbox.models import Conversation
from rapport.inbox.tests.conftest import later, read_as, write_in
from rapport.knowledge.entries import save_entry
from rapport.people.actions import create_person, record_purchase
from rapport.people.choices import Group
from rapport.people.models import Delivery, Person
from rapport.test import login


def page_url(c, slug="alices-bakery"):
    return reverse("inbox:conversation", args=[slug, c.pk])


def verb_url(c, verb):
    return reverse(f"inbox:{verb}", args=["alices-bakery", c.pk])


def handed_off(personas, customer):
    i = write_in(customer, "I was charged twice, I want my money back", subject="Charged twice")
    read_as(i, needs_human=True, reasons=("money",), sentiment=-0.8, feelings={"anger": 0.9})
    automation.process(personas.bakery, now=later())
    return Conversation.objects.get(workspace=personas.bakery, subject="Charged twice")


def test_the_page_shows_every_kind_of_message_with_its_delivery(client, personas, customer):
    c = handed_off(personas, customer)
    post_to_customer(
        c, "We open at 7.", author=Author.AUTOMATION, entry_key="hours", confidence=0.91
    )
    actions.reply(c, "Refunded today, sorry.", actor=personas.bob_member)
    actions.note(c, "Checked the card terminal log.", actor=personas.bob_member)
    html = login(client, personas.bob).get(page_url(c)).content.decode()
    for text in (
        "I was charged twice",  # the customer
        "needs a person",  # Rapport's handoff message
        "We open at 7.",  # an automatic answer
        "Refunded today, sorry.",  # a member's reply
        "Checked the card terminal log.",  # an internal note
        "Internal note by Bob Okafor",
        "Waiting to be sent",  # e-mails go out through the worker
        "Handed to a person",  # the log
        "confidence 0.91",  # the statistics, behind a click
    ):
        assert text in html, text
    assert "<details>" in html


def test_the_reply_is_prefilled_with_a_suggested_acknowledgement(client, personas, customer):
    c = handed_off(personas, customer)
    page = login(client, personas.bob).get(page_url(c))
    reply = page.context["reply_text"]
    assert reply.startswith("Dana, ") and "money" in reply
    assert reply == login(client, personas.bob).get(page_url(c)).context["reply_text"]


def test_the_knowledge_base_draft_can_be_inserted(client, personas, customer):
    c = handed_off(personas, customer)
    save_entry(
        personas.bakery,
        personas.alice_member,
        key="refunds",
        questions=["can I get a refund", "I was charged twice"],
        answer="Refunds reach your card within 3 working days.",
    )
    Conversation.objects.filter(pk=c.pk).update(draft_entry="refunds", draft_confidence=0.42)
    login(client, personas.bob)
    page = client.get(page_url(c))
    html = page.content.decode()
    assert "Refunds reach your card within 3 working days." in html
    assert "Insert the suggested answer" in html
    assert "within 3 working days" not in page.context["reply_text"]
    inserted = client.get(page_url(c), {"answer": "1"}).context["reply_text"]
    assert inserted.startswith("Dana, ") and inserted.endswith("within 3 working days.")


def test_take_reply_give_back_assign_and_resolve(client, personas, customer):
    c = handed_off(personas, customer)
    login(client, personas.bob)
    client.post(verb_url(c, "take"))
    c.refresh_from_db()
    assert c.owner == personas.bob_member
    sent = client.post(verb_url(c, "reply"), {"text": "Refunded, sorry."}, follow=True)
    assert "Reply sent" in sent.content.decode()
    c.refresh_from_db()
    assert c.status == Status.REPLIED
    assert c.messages.filter(author=Author.MEMBER, member=personas.bob_member).exists()
    client.post(verb_url(c, "give-back"))
    c.refresh_from_db()
    assert c.owner == personas.alice_member  # the next in turn
    client.post(verb_url(c, "assign"), {"member": personas.bob_member.pk})
    c.refresh_from_db()
    assert c.owner == personas.bob_member
    client.post(verb_url(c, "resolve"))
    c.refresh_from_db()
    assert c.status == Status.RESOLVED
    assert AuditEvent.objects.filter(object_type__in=("conversation", "reply")).count() >= 4


def test_errors_are_messages_never_a_trace(client, personas, customer):
    c = handed_off(personas, customer)
    actions.assign(c, personas.alice_member, actor=personas.alice_member)
    login(client, personas.bob)

    def said(verb, data=None):
        response = client.post(verb_url(c, verb), data or {}, follow=True)
        # A refused reply is shown again with what was typed (400); the rest redirect.
        assert response.status_code == (400 if verb == "reply" else 200)
        return response.content.decode()

    assert "Nothing was changed: Write a reply first." in said("reply", {"text": "  "})
    assert "Write the note first" in said("note", {"text": ""})
    assert "Only its owner or a manager can give it back" in said("give-back")
    assert "Choose a member from the list" in said("assign", {"member": personas.vera_member.pk})
    assert "at most 20,000 characters" in said("reply", {"text": "x" * 20_001})
    c.refresh_from_db()
    assert c.owner == personas.alice_member and c.status == Status.ASSIGNED


def test_strangers_and_viewers_cannot_see_or_act(client, personas, customer):
    c = handed_off(personas, customer)
    assert login(client, personas.vera).get(page_url(c)).status_code == 404
    assert login(client, personas.vera).post(verb_url(c, "take")).status_code == 404
    login(client, personas.charlie)
    assert client.get(page_url(c, "charlies-garage")).status_code == 404
    assert client.post(verb_url(c, "resolve")).status_code == 404
    c.refresh_from_db()
    assert c.status != Status.RESOLVED


def test_the_card_tells_who_a_customer_is(client, personas, customer):
    customer.owner = personas.bob_member
    customer.save()
    record_purchase(customer, purchased_on=dt.date(2026, 3, 1), amount=Decimal("40.00"))
    record_purchase(customer, purchased_on=dt.date(2026, 5, 2), amount=Decimal("12.50"))
    write_in(customer, "Earlier question", thread="old")
    old = Conversation.objects.get(thread_key="old")
    post_to_customer(old, "We open at 7.", author=Author.AUTOMATION, entry_key="hours")
    actions.resolve(old, actor=personas.bob_member)
    c = handed_off(personas, customer)
    page = login(client, personas.alice).get(page_url(c))
    card = page.context["card"]
    assert card.person == customer and ("Purchases", "52.50 in total") in card.value
    assert ("Last purchase", "2 May 2026") in card.value
    assert [o.pk for o in card.earlier] == [old.pk]
    assert [m.text for m in card.answers] == ["We open at 7."]
    html = page.content.decode()
    for text in ("Looked after by", "Bob Okafor", "How they feel", "Earlier conversations"):
        assert text in html, text


def test_the_card_gives_tenure_for_employees_and_on_time_rate_for_suppliers(personas):
    from rapport.inbox.context import card

    now = timezone.now()
    employee = create_person(
        personas.bakery, group=Group.EMPLOYEE, name="Sam", start_date=dt.date(2020, 1, 6)
    )
    supplier = create_person(personas.bakery, group=Group.SUPPLIER, name="Mill Co")
    for promised, delivered in ((1, 1), (2, 4), (3, 3), (4, None)):
        Delivery.objects.create(
            workspace=personas.bakery,
            supplier=supplier,
            promised_on=dt.date(2026, 1, promised),
            delivered_on=dt.date(2026, 1, delivered) if delivered else None,
        )
    write_in(employee, "Can I swap my shift?", thread="e")
    write_in(supplier, "Delivery note 778", thread="s")
    e = card(Conversation.objects.get(thread_key="e"), personas.alice_member, now=now)
    s = card(Conversation.objects.get(thread_key="s"), personas.alice_member, now=now)
    assert e.value[0][0] == "With us since" and "6 Jan 2020" in e.value[0][1]
    assert s.value == [("Deliveries on time", "2 of 3 (67%)")]


def visitor_conversation(personas, name="Jo Visitor", email="jo@example.com"):
    c = Conversation.objects.create(
        workspace=personas.bakery,
        source="widget",
        channel="chat",
        thread_key="widget:1",
        subject="Do you deliver?",
        visitor_name=name,
        visitor_email=email,
        awaiting_since=timezone.now(),
    )
    c.messages.create(workspace=personas.bakery, author=Author.CUSTOMER, body="Do you deliver?")
    return c


def test_a_visitor_is_shown_as_told_and_can_be_linked_to_a_person(client, personas, customer):
    c = visitor_conversation(personas, email="DANA@example.com")
    login(client, personas.bob)
    html = client.get(page_url(c)).content.decode()
    assert "not linked to a person yet" in html and "Jo Visitor" in html
    assert "Do you deliver?" in html
    done = client.post(verb_url(c, "link"), {"email": "dana@example.com"}, follow=True)
    assert "Linked to Dana Weiss" in done.content.decode()
    c.refresh_from_db()
    assert c.person == customer
    again = client.post(verb_url(c, "link"), {"email": "dana@example.com"}, follow=True)
    assert "already linked" in again.content.decode()


def test_a_visitor_nobody_knows_is_added_only_when_asked(client, personas):
    c = visitor_conversation(personas)
    login(client, personas.bob)
    refused = client.post(verb_url(c, "link"), {"email": "jo@example.com"}, follow=True)
    assert "Nobody in your people has that e-mail" in refused.content.decode()
    assert not Person.objects.filter(email="jo@example.com").exists()
    bad = client.post(verb_url(c, "link"), {"email": "not an address"}, follow=True)
    assert "valid e-mail" in bad.content.decode()
    client.post(verb_url(c, "link"), {"email": "jo@example.com", "name": "Jo Ng", "create": "on"})
    c.refresh_from_db()
    assert c.person.name == "Jo Ng" and c.person.group == Group.CUSTOMER


def test_the_page_is_a_fixed_number_of_queries(
    client, personas, customer, django_assert_max_num_queries
):
    c = handed_off(personas, customer)
    for n in range(10):
        write_in(customer, f"And another thing {n}", thread=c.thread_key)
        actions.note(c, f"note {n}", actor=personas.bob_member)
    login(client, personas.bob)
    with django_assert_max_num_queries(30):
        client.get(page_url(c))


def test_a_refused_reply_keeps_what_the_member_wrote(client, personas, customer):
    from rapport.inbox.actions import MAX_REPLY
    from rapport.inbox.models import Conversation
    from rapport.inbox.tests.conftest import write_in

    write_in(customer, "Is the cake ready?")
    c = Conversation.objects.get(workspace=personas.bakery)
    too_long = "Dear Dana, " + "x" * MAX_REPLY
    response = login(client, personas.alice).post(
        f"/w/alices-bakery/inbox/{c.pk}/reply/", {"text": too_long}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was changed" in html and "Dear Dana, xxxx" in html
    assert not c.messages.filter(author="member").exists()
