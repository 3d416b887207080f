from datetime import timedelta

from django.utils import timezone

from rapport.engine.text import EMOTION_GROUPS
from rapport.people.choices import Channel, Direction
from rapport.people.models import Interaction
from rapport.people.tests.factories import make_customer
from rapport.understanding import actions
from rapport.understanding.models import InteractionReading


def test_a_message_is_read_when_it_arrives_and_the_reading_names_its_model(personas, arrive):
    dana = make_customer(personas.bakery)

    touch = arrive(
        dana, "Water is coming through the ceiling where your plumber worked. Send someone now!"
    )

    reading = InteractionReading.objects.get(interaction=touch)
    assert reading.workspace_id == personas.bakery.pk
    assert reading.model_version == actions.current_version()
    assert reading.language == "en" and reading.language_supported
    assert reading.sentiment in ("negative", "neutral", "positive")
    assert -1 <= reading.sentiment_score <= 1
    assert set(reading.emotion_groups) == set(EMOTION_GROUPS)
    assert reading.needs_human
    assert "fear_or_safety" in [r["code"] for r in reading.reasons]
    assert all(r["label"] and r["evidence"] for r in reading.reasons)


def test_pii_is_marked_by_offsets_into_the_text_and_redacted(personas, arrive):
    dana = make_customer(personas.bakery)
    text = "Please call me back on 020 7946 0958 or write to dana.k@example.com, thanks."

    touch = arrive(dana, text)

    reading = InteractionReading.objects.get(interaction=touch)
    spans = {(text[s["start"] : s["end"]], s["kind"]) for s in reading.pii}
    assert ("dana.k@example.com", "email") in spans
    assert "dana.k@example.com" not in reading.redacted
    assert "[EMAIL]" in reading.redacted


def test_people_who_did_not_consent_are_not_read(personas, arrive):
    dana = make_customer(personas.bakery, may_analyse=False)

    touch = arrive(dana, "I am furious about my order")

    assert not InteractionReading.objects.filter(interaction=touch).exists()
    assert actions.analyze_pending(personas.bakery) == 0


def test_messages_without_text_are_not_read_but_a_subject_alone_is(personas, arrive):
    dana = make_customer(personas.bakery)
    empty = arrive(dana, "")
    subject_only = arrive(dana, "", subject="Awful, rude service. I am furious and disgusted.")

    assert not InteractionReading.objects.filter(interaction=empty).exists()
    reading = InteractionReading.objects.get(interaction=subject_only)
    assert reading.source_field == "subject"
    assert reading.sentiment == "negative"


def test_readings_by_another_model_version_are_redone_and_current_ones_kept(personas, arrive):
    dana = make_customer(personas.bakery)
    old = arrive(dana, "Lovely bread as always, thank you!")
    current = arrive(dana, "The croissants were stale today.")
    InteractionReading.objects.filter(interaction=old).update(model_version="old-model@2020")
    kept = InteractionReading.objects.get(interaction=current)

    assert actions.pending(personas.bakery).count() == 1
    assert actions.analyze_pending(personas.bakery) == 1

    assert (
        InteractionReading.objects.get(interaction=old).model_version == actions.current_version()
    )
    assert InteractionReading.objects.get(interaction=current).pk == kept.pk


def test_a_failing_text_is_stored_with_its_error_and_does_not_stop_the_others(personas):
    dana = make_customer(personas.bakery)
    now = timezone.now()
    texts = [
        "Thank you so much!",
        "🙂🙂🙂",
        "Merci beaucoup pour le pain, il était délicieux.",
        "\x01\x02\x03",
    ]
    Interaction.objects.bulk_create(
        Interaction(
            workspace=personas.bakery,
            person=dana,
            occurred_at=now - timedelta(minutes=i),
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            text=text,
        )
        for i, text in enumerate(texts)
    )

    assert actions.analyze_pending(personas.bakery) == 4

    readings = {
        r.interaction.text: r for r in InteractionReading.objects.select_related("interaction")
    }
    assert readings["Thank you so much!"].sentiment == "positive"
    assert readings["Merci beaucoup pour le pain, il était délicieux."].language == "fr"
    assert not readings["Merci beaucoup pour le pain, il était délicieux."].language_supported
    assert readings["Merci beaucoup pour le pain, il était délicieux."].sentiment == ""
    assert readings["\x01\x02\x03"].error


def test_unanswered_earlier_messages_count_as_repeated_contact(personas):
    dana = make_customer(personas.bakery)
    now = timezone.now()

    def add(days_ago, direction, text="Where is my refund?"):
        return Interaction.objects.create(
            workspace=personas.bakery,
            person=dana,
            occurred_at=now - timedelta(days=days_ago),
            channel=Channel.EMAIL,
            direction=direction,
            text=text,
        )

    first = add(10, Direction.INBOUND)
    add(9, Direction.OUTBOUND, "We are looking into it.")
    second = add(5, Direction.INBOUND)
    third = add(3, Direction.INBOUND)
    fourth = add(1, Direction.INBOUND)
    stale = add(40, Direction.INBOUND)

    counts = actions._prior_contacts([first, second, third, fourth, stale])

    assert counts == [0, 0, 1, 2, 0]
