from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from rapport.people.choices import Channel, Direction
from rapport.people.models import Interaction
from rapport.people.tests.factories import make_customer, make_touch
from rapport.test import main
from rapport.understanding.models import InteractionReading


def test_several_messages_in_one_transaction_queue_one_reading_task(
    personas, django_capture_on_commit_callbacks
):
    dana = make_customer(personas.bakery)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(3):
            make_touch(dana, text=f"Message number {n}")
        make_touch(dana, text="")  # nothing to read: queues nothing more

    queued = [
        c for c in callbacks if getattr(c, "once_key", None) == ("analyze", personas.bakery.pk)
    ]
    assert len(queued) == 1


def bulk_messages(person, texts):
    now = timezone.now()
    Interaction.objects.bulk_create(
        Interaction(
            workspace=person.workspace,
            person=person,
            occurred_at=now - timedelta(hours=i),
            channel=Channel.CHAT,
            direction=Direction.INBOUND,
            text=text,
        )
        for i, text in enumerate(texts)
    )


def test_reanalyze_reads_what_bulk_writes_left_unread_and_resumes(personas, capsys):
    dana = make_customer(personas.bakery)
    bulk_messages(dana, [f"Order {n} was late again, not happy." for n in range(5)])

    assert main(["reanalyze", "--workspace", "alices-bakery", "--limit", "2"]) == 0
    assert InteractionReading.objects.count() == 2
    # `reanalyse`, the command's name before issue 15, still works.
    assert main(["reanalyse", "--workspace", "alices-bakery"]) == 0
    assert main(["reanalyze"]) == 0

    out = capsys.readouterr().out
    assert "alices-bakery: 2 messages read" in out
    assert "alices-bakery: 3 messages read" in out
    assert "alices-bakery: 0 messages read" in out and "charlies-garage: 0 messages read" in out
    assert InteractionReading.objects.count() == 5


def test_reanalyze_in_the_background_queues_the_reading_for_the_workers(personas, capsys, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    dana = make_customer(personas.bakery)
    bulk_messages(dana, [f"Order {n} was late again, not happy." for n in range(3)])
    assert main(["reanalyze", "--workspace", "alices-bakery", "--background"]) == 0
    assert "alices-bakery: 3 messages queued" in capsys.readouterr().out
    assert InteractionReading.objects.count() == 0
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("analyze_workspace") and queued.status == "READY"


def test_reanalyze_names_an_unknown_workspace_in_one_line(personas, capsys):
    assert main(["reanalyze", "--workspace", "nope"]) == 2
    assert "no workspace 'nope'" in capsys.readouterr().err


TOPICS = {
    "queue": [
        "The queue at the till was so long this morning",
        "Waited twenty minutes in the queue for one loaf",
        "Such a long wait at the counter again today",
        "The queue went out of the door, far too slow",
        "Slow service and a long queue at lunchtime",
        "Why is the wait at the till always this long?",
        "Queue was huge and only one person serving",
        "Another long wait in line for a coffee",
        "The line at the counter barely moved",
        "Too slow at the till, I nearly left the queue",
        "Waiting time at lunch is getting ridiculous",
        "Stood in the queue for fifteen minutes",
    ],
    "sourdough": [
        "Your sourdough loaf is the best bread in town",
        "The sourdough crust was perfect this week",
        "Lovely sourdough, chewy crumb and great crust",
        "Best sourdough bread I have had in years",
        "The seeded sourdough loaf is fantastic",
        "Your rye sourdough is wonderful bread",
        "Bought two sourdough loaves, both delicious",
        "The sourdough bread was fresh and tangy",
        "Great sourdough loaf, the crust crackles",
        "That sourdough bread keeps so well",
        "Sourdough loaf was beautifully baked",
        "Your country sourdough is superb bread",
    ],
    "parking": [
        "There is never anywhere to park near the shop",
        "Parking outside the bakery is impossible",
        "Got a parking ticket while buying bread",
        "The car park next door is always full",
        "Could you add a bike rack, parking is hard",
        "No parking spaces on the street again",
        "I had to park three streets away",
        "Parking near your shop is a nightmare",
        "The parking situation puts me off visiting",
        "Found no parking so I drove home",
        "Please sort out the parking at the back",
        "Parking wardens everywhere outside the bakery",
    ],
}


def test_themes_are_found_named_kept_and_given_to_new_messages(personas, capsys, arrive):
    from rapport.understanding.models import Theme

    dana = make_customer(personas.bakery)
    bulk_messages(dana, [text for texts in TOPICS.values() for text in texts])
    main(["reanalyze", "--workspace", "alices-bakery"])

    assert main(["themes", "--workspace", "alices-bakery"]) == 0

    themes = list(Theme.objects.filter(workspace=personas.bakery))
    names = " ".join(t.name for t in themes)
    assert len(themes) == 3, names
    assert "queue" in names and "sourdough" in names and "parking" in names
    first_keys = {t.key for t in themes}
    placed = InteractionReading.objects.exclude(themes=[]).count()
    assert placed >= 30

    main(["themes", "--workspace", "alices-bakery"])
    assert {t.key for t in Theme.objects.filter(workspace=personas.bakery)} == first_keys

    touch = arrive(dana, "The queue was so long I gave up waiting")
    queue_theme = next(t for t in themes if "queue" in t.name)
    assert InteractionReading.objects.get(interaction=touch).themes[:1] == [queue_theme.key]


def test_themes_say_when_there_are_too_few_messages(personas, capsys):
    bulk_messages(make_customer(personas.bakery), ["Lovely bread"] * 5)
    main(["reanalyze", "--workspace", "alices-bakery"])

    assert main(["themes", "--workspace", "alices-bakery"]) == 0
    assert "no themes (not enough texts: 5 < 30)" in capsys.readouterr().out
