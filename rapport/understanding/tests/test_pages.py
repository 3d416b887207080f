import csv
import io

from django.urls import reverse

from rapport.accounts.models import AuditEvent
from rapport.people.tests.factories import make_customer
from rapport.test import login
from rapport.understanding.models import Correction, InteractionReading


def message_url(interaction):
    return reverse("understanding:message", args=["alices-bakery", interaction.pk])


def test_the_person_page_shows_each_message_reading_and_the_relationship_trend(
    client, personas, arrive
):
    dana = make_customer(personas.bakery, name="Dana Hart")
    for days_ago, text in [
        (50, "Absolutely love your sourdough, best in town!"),
        (40, "Nice bread again this week, thanks."),
        (30, "The loaf was fine."),
        (20, "Bread was a bit flat today."),
        (10, "Stale croissants and a long queue again. Really disappointing."),
    ]:
        arrive(dana, text, days_ago=days_ago)

    html = (
        login(client, personas.alice)
        .get(reverse("people:person", args=["alices-bakery", dana.pk]))
        .content.decode()
    )

    assert "How they feel" in html
    assert "From 5 messages they wrote" in html
    assert "Declining" in html
    for reading in InteractionReading.objects.filter(interaction__person=dana):
        assert f'class="sentiment {reading.sentiment}"' in html
    assert html.count("Why?") == 5


def test_the_person_page_says_when_messages_are_not_analysed(client, personas, arrive):
    dana = make_customer(personas.bakery, may_analyse=False)
    arrive(dana, "I am furious")

    html = (
        login(client, personas.alice)
        .get(reverse("people:person", args=["alices-bakery", dana.pk]))
        .content.decode()
    )

    assert "not analysed: they have not consented" in html
    assert "Why?" not in html


def test_the_message_view_explains_the_reading(client, personas, arrive):
    dana = make_customer(personas.bakery)
    touch = arrive(
        dana,
        "Thanks a lot for charging me twice. Call me on 020 7946 0958, "
        "or I will take my business elsewhere.",
    )

    html = login(client, personas.bob).get(message_url(touch)).content.decode()

    assert "What Rapport read in this message" in html
    assert f'<span class="sentiment {touch.reading.sentiment}">' in html
    assert "Does it need a human?" in html and "Yes" in html
    assert '<mark class="pii" title="Personal data: phone">020 7946 0958</mark>' in html
    assert "[PHONE]" in html
    assert "Strongest emotions" in html


def test_a_member_corrects_a_label_and_the_verdict_is_kept_shown_and_counted(
    client, personas, arrive
):
    dana = make_customer(personas.bakery)
    touch = arrive(dana, "Please update my address to 7 Orchard Road.")
    login(client, personas.bob)

    response = client.post(
        reverse("understanding:correct", args=["alices-bakery", touch.pk]),
        {"field": "sentiment", "value": "positive", "note": "she was happy on the phone"},
        follow=True,
    )

    correction = Correction.objects.get()
    assert correction.by == personas.bob_member
    assert correction.value == "positive" and correction.model_value == touch.reading.sentiment
    assert "corrected from" in response.content.decode() or correction.agrees
    overview = client.get(reverse("understanding:overview", args=["alices-bakery"]))
    assert "not enough verdicts for a rate" in overview.content.decode()


def test_a_correction_with_a_made_up_value_is_refused_and_nothing_is_saved(
    client, personas, arrive
):
    touch = arrive(make_customer(personas.bakery), "Lovely cake")
    login(client, personas.bob)

    response = client.post(
        reverse("understanding:correct", args=["alices-bakery", touch.pk]),
        {"field": "sentiment", "value": "ecstatic"},
        follow=True,
    )

    assert "Not saved: &#x27;ecstatic&#x27; is not a sentiment value" in response.content.decode()
    assert not Correction.objects.exists()


def test_viewers_cannot_correct(client, personas, arrive):
    touch = arrive(make_customer(personas.bakery), "Lovely cake")

    response = login(client, personas.vera).post(
        reverse("understanding:correct", args=["alices-bakery", touch.pk]),
        {"field": "sentiment", "value": "negative"},
    )

    assert response.status_code == 404
    assert not Correction.objects.exists()


def test_verdicts_export_as_redacted_training_data_for_managers_only_and_audited(
    client, personas, arrive
):
    touch = arrive(
        make_customer(personas.bakery), "=HYPERLINK(1) write to dana@example.com, cake was dry"
    )
    login(client, personas.bob)
    client.post(
        reverse("understanding:correct", args=["alices-bakery", touch.pk]),
        {"field": "needs_human", "value": "no"},
    )
    url = reverse("understanding:export-corrections", args=["alices-bakery"])
    assert client.get(url).status_code == 404

    response = login(client, personas.alice).get(url)

    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")  # Excel keeps accents with the byte-order mark
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    assert [(r["label"], r["value"]) for r in rows] == [("needs_human", "no")]
    assert "dana@example.com" not in rows[0]["text_redacted"]
    assert rows[0]["text_redacted"].startswith("'=")
    assert AuditEvent.objects.filter(object_type="correction", action="export").exists()


def test_the_overview_leads_to_the_inboxs_messages_that_need_a_person(client, personas, arrive):
    dana = make_customer(personas.bakery, name="Dana Hart")
    arrive(
        dana, "My son had an allergic reaction after eating your walnut bread, he is in hospital."
    )
    url = reverse("understanding:overview", args=["alices-bakery"])
    staff = login(client, personas.bob).get(url).content.decode()
    assert "/w/alices-bakery/inbox/?view=person" in staff and "Messages read</dt><dd>1" in staff
    viewer = login(client, personas.vera).get(url).content.decode()
    assert "?view=person" not in viewer and "allergic reaction" not in viewer


def test_the_message_view_shows_how_the_conversation_went(client, personas, arrive):
    dana = make_customer(personas.bakery)
    texts = [
        "Hello! Lovely to hear from you, thank you so much.",
        "Thanks, that sounds good.",
        "Hmm, it has not arrived yet.",
        "It still has not arrived and nobody replies. This is terrible.",
    ]
    touches = [
        arrive(dana, text, days_ago=10 - n, thread_key="order-77") for n, text in enumerate(texts)
    ]

    html = login(client, personas.vera).get(message_url(touches[-1])).content.decode()

    assert "This conversation" in html
    assert "4 messages" in html
