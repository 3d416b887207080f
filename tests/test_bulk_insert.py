"""lib/bulk's inserts store what Django's own save would: prepared dates, decimals and
times, each field's default for a column left out, and the new rows' keys in order."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from rapport.lib.bulk import among, insert, insert_rows
from rapport.people.actions import create_person
from rapport.people.models import Interaction, Person, Purchase

pytestmark = pytest.mark.django_db


def test_insert_rows_returns_the_new_keys_in_order_and_fills_defaults(personas):
    bakery = personas.bakery
    when = timezone.now()
    rows = [
        {"workspace_id": bakery.pk, "group": "customer", "name": f"Ann {i}", "created_at": when}
        for i in range(3)
    ]
    rows[1]["birthday"] = dt.date(1990, 5, 17)
    keys = insert_rows(Person, rows, returning=True)
    stored = {p.pk: p for p in Person.objects.filter(pk__in=keys)}
    assert [stored[k].name for k in keys] == ["Ann 0", "Ann 1", "Ann 2"]
    assert stored[keys[1]].birthday == dt.date(1990, 5, 17)
    assert stored[keys[0]].birthday is None
    assert stored[keys[0]].kind == "person" and stored[keys[0]].may_contact is True
    assert stored[keys[0]].created_at == when
    # updated_at was left out: its default, the clock, read once for the whole insert.
    assert stored[keys[0]].updated_at == stored[keys[2]].updated_at >= when


def test_insert_rows_prepares_decimals_and_times(personas):
    ann = Person.objects.create(workspace=personas.bakery, group="customer", name="Ann")
    insert_rows(
        Purchase,
        [
            {
                "workspace_id": ann.workspace_id,
                "person_id": ann.pk,
                "purchased_on": dt.date(2024, 3, 1),
                "amount": Decimal(f"{i}.50"),
            }
            for i in range(1, 4)
        ],
    )
    assert sorted(Purchase.objects.values_list("amount", "quantity")) == [
        (Decimal("1.50"), 1),
        (Decimal("2.50"), 1),
        (Decimal("3.50"), 1),
    ]
    at = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)
    insert_rows(
        Interaction,
        [
            {
                "workspace_id": ann.workspace_id,
                "person_id": ann.pk,
                "occurred_at": at + dt.timedelta(minutes=i),
                "channel": "email",
                "direction": "inbound",
            }
            for i in range(2)
        ],
    )
    assert list(
        Interaction.objects.order_by("occurred_at").values_list("occurred_at", flat=True)
    ) == [
        at,
        at + dt.timedelta(minutes=1),
    ]


def test_insert_rows_stores_the_instant_of_a_time_in_any_zone(personas):
    # Aware times skip the field's preparation for the backend's own: the stored instant,
    # and its text on SQLite, are what Django's save stores.
    ann = Person.objects.create(workspace=personas.bakery, group="customer", name="Ann")
    summer = dt.datetime(2024, 7, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    saved = Interaction.objects.create(
        workspace=ann.workspace, person=ann, occurred_at=summer, channel="email"
    )
    insert_rows(
        Interaction,
        [
            {
                "workspace_id": ann.workspace_id,
                "person_id": ann.pk,
                "occurred_at": summer,
                "channel": "chat",
                "direction": "inbound",
            }
        ],
    )
    stored = dict(Interaction.objects.values_list("channel", "occurred_at"))
    assert stored == {"email": summer, "chat": summer}
    assert stored["chat"].utcoffset() == dt.timedelta(0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT channel, occurred_at FROM people_interaction WHERE person_id = %s", [ann.pk]
        )
        raw = dict(cursor.fetchall())
    assert raw["chat"] == raw["email"]
    assert saved.occurred_at == summer


def test_insert_sets_each_objects_key(personas):
    people = [Person(workspace=personas.bakery, group="supplier", name=n) for n in "ABC"]
    insert(Person, people)
    assert [p.pk for p in people] == sorted(p.pk for p in people)
    assert {p.pk: p.name for p in Person.objects.filter(group="supplier")} == {
        p.pk: p.name for p in people
    }


def test_insert_keeps_the_keys_objects_already_have(personas):
    # Answers draw a UUID as they are built: it is stored as it is, with their JSON choices.
    from rapport.feedback import actions
    from rapport.feedback.models import Answer, Response

    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    first, second = survey.questions.all()[:2]
    response = Response.objects.create(
        workspace=personas.bakery, survey=survey, submitted_on=dt.date(2026, 5, 4)
    )
    answers = [
        Answer(response=response, question=first, number=9),
        Answer(response=response, question=second, choices=["Fast", "Kind"], text="Lovely"),
    ]
    keys = [answer.pk for answer in answers]
    insert(Answer, answers)
    assert [answer.pk for answer in answers] == keys
    assert not answers[0]._state.adding
    stored = {a.pk: (a.question_id, a.number, a.choices, a.text) for a in Answer.objects.all()}
    assert stored == {
        keys[0]: (first.pk, 9, [], ""),
        keys[1]: (second.pk, None, ["Fast", "Kind"], "Lovely"),
    }


def test_insert_rows_refuses_a_column_the_model_does_not_have(personas):
    with pytest.raises(TypeError, match="no columns"):
        insert_rows(Person, [{"workspace": personas.bakery, "name": "Ann"}])


def test_among_finds_what_in_finds_without_preparing_each_value(personas):
    bakery = personas.bakery
    for ref in ("C1", "C2", "C3"):
        create_person(bakery, name=f"Person {ref}", external_id=ref)
    asked = ["C1", "C3", "C9", "x' OR '1'='1"]
    people = Person.objects.filter(workspace=bakery)
    assert sorted(
        people.filter(external_id__in=among(asked)).values_list("external_id", flat=True)
    ) == [
        "C1",
        "C3",
    ]
    ids = list(people.values_list("pk", flat=True))
    assert people.filter(pk__in=among(ids)).count() == len(ids) == 3
    with pytest.raises(ValueError, match="at least one"):
        among([])
    with pytest.raises(TypeError, match="text and whole numbers"):
        among([True])


def test_insert_rows_stores_the_text_django_stores_for_any_aware_time(personas):
    # On SQLite the rows' times are written without Django's adaptation: the stored text must
    # be Django's to the byte (microseconds or none, either side of a clock change, any zone).
    ann = Person.objects.create(workspace=personas.bakery, group="customer", name="Ann")
    london, auckland = ZoneInfo("Europe/London"), ZoneInfo("Pacific/Auckland")
    times = [
        dt.datetime(2024, 7, 1, 9, 30, tzinfo=london),
        dt.datetime(2024, 1, 15, 23, 59, 59, 999999, tzinfo=auckland),
        dt.datetime(2024, 10, 27, 1, 30, tzinfo=london),
        dt.datetime(2024, 10, 27, 1, 30, fold=1, tzinfo=london),
        dt.datetime(2024, 3, 1, 0, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(1900, 1, 1, tzinfo=dt.UTC),
    ]
    for n, at in enumerate(times):
        Interaction.objects.create(
            workspace=ann.workspace, person=ann, occurred_at=at, channel="email", subject=str(n)
        )
    insert_rows(
        Interaction,
        [
            {
                "workspace_id": ann.workspace_id,
                "person_id": ann.pk,
                "occurred_at": at,
                "channel": "chat",
                "direction": "inbound",
                "subject": str(n),
            }
            for n, at in enumerate(times)
        ],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT channel, subject, CAST(occurred_at AS TEXT) FROM people_interaction"
            " WHERE person_id = %s",
            [ann.pk],
        )
        raw = cursor.fetchall()
    saved = {subject: at for channel, subject, at in raw if channel == "email"}
    inserted = {subject: at for channel, subject, at in raw if channel == "chat"}
    assert inserted == saved
    # The text, not a value read back through a converter; the two 01:30s an hour apart.
    assert all(isinstance(at, str) for at in inserted.values())
    assert len(set(inserted.values())) == len(times)
    stored = Interaction.objects.filter(channel="chat").values_list("subject", "occurred_at")
    # Instants compared as timestamps: PEP 495 makes a time in a fold unequal to any other zone's.
    assert {n: at.timestamp() for n, at in stored} == {
        str(n): at.timestamp() for n, at in enumerate(times)
    }
