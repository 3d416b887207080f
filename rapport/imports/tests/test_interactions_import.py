import datetime as dt

import pytest

from rapport.accounts.models import Automation
from rapport.people.actions import create_person
from rapport.people.models import Interaction, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(personas):
    return create_person(
        personas.bakery, group="customer", name="Ann", external_id="C1", email="ann@example.com"
    )


def test_it_reads_naive_timestamps_in_the_workspace_time_zone(
    write_file, run_import, personas, ann
):
    personas.bakery.time_zone = "Europe/Paris"
    personas.bakery.save()
    run_import(
        "interactions",
        write_file("i.csv", "Customer ID,Date,Channel,Message\nC1,2024-07-01 09:30,email,Hello\n"),
    )
    assert Interaction.objects.get(person=ann).occurred_at == dt.datetime(
        2024, 7, 1, 7, 30, tzinfo=dt.UTC
    )


def test_it_links_the_member_who_handled_it_and_updates_contact_dates(write_file, run_import, ann):
    text = "Customer Email,Created At,Channel,Direction,Agent Email,Message\nann@example.com,2024-05-02T10:00:00Z,phone,outbound,BOB@example.com,Called back\n"
    run = run_import("interactions", write_file("i.csv", text))
    interaction = Interaction.objects.get(person=ann)
    assert run.created == 1
    assert interaction.handled_by.user.email == "bob@example.com"
    ann.refresh_from_db()
    assert ann.last_human_contact_at == dt.datetime(2024, 5, 2, 10, tzinfo=dt.UTC)


def test_a_bot_column_creates_the_automation_once(write_file, run_import, personas, ann):
    text = "Customer ID,Timestamp,Bot,Message\nC1,2024-05-02T10:00:00Z,Croissant Bot,Hi\nC1,2024-05-03T10:00:00Z,Croissant Bot,Bye\n"
    run_import("interactions", write_file("i.csv", text))
    assert Automation.objects.filter(workspace=personas.bakery, name="Croissant Bot").count() == 1
    assert (
        Interaction.objects.filter(person=ann, handled_by_automation__name="Croissant Bot").count()
        == 2
    )


def test_an_unknown_person_rejects_the_row_and_keeps_the_others(write_file, run_import, ann):
    text = "Customer ID,Date,Message\nC1,2024-05-02,ok\nNOPE,2024-05-02,lost?\n"
    run = run_import("interactions", write_file("i.csv", text))
    assert (run.created, run.rejected) == (1, 1)
    issue = run.issues.get()
    assert (issue.line, issue.field) == (3, "person_external_id")
    assert "--create-missing" in issue.reason


def test_create_missing_adds_the_people_an_interaction_file_names(write_file, run_import, personas):
    run = run_import(
        "interactions",
        write_file("i.csv", "Customer ID,Date\nNEW1,2024-05-02\n"),
        create_missing=True,
    )
    assert run.created == 1
    assert Person.objects.get(workspace=personas.bakery, external_id="NEW1").group == "customer"


def test_an_interaction_in_the_future_is_rejected(write_file, run_import, ann):
    run = run_import("interactions", write_file("i.csv", "Customer ID,Date\nC1,2999-01-01 10:00\n"))
    assert run.rejected == 1
    assert "in the future" in run.issues.get().reason


def test_an_unknown_channel_is_rejected_with_the_accepted_values(write_file, run_import, ann):
    run = run_import(
        "interactions",
        write_file("i.csv", "Customer ID,Date,Channel\nC1,2024-01-01,carrier pigeon\n"),
    )
    assert "accepted: chat, delivery, email" in run.issues.get().reason


def test_reimporting_interactions_without_ids_creates_nothing(write_file, run_import, ann):
    path = write_file("i.csv", "Customer ID,Date,Message\nC1,2024-05-02,same\nC1,2024-05-02,same\n")
    first = run_import("interactions", path)
    again = run_import("interactions", path)
    assert (first.created, again.created, again.unchanged) == (2, 0, 2)


def test_an_interactions_import_queues_reading(
    personas, tmp_path, django_capture_on_commit_callbacks
):
    from rapport.imports.actions import create_run, execute_run
    from rapport.people.tests.factories import make_customer
    from rapport.understanding.models import InteractionReading

    make_customer(personas.bakery, name="Dana Hart", email="dana@example.com")
    path = tmp_path / "messages.csv"
    path.write_text(
        "email,date,channel,direction,text\n"
        "dana@example.com,2026-01-05,email,inbound,Awful cake and rude staff. I am furious.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = execute_run(
            create_run(personas.bakery, "interactions", path, original_filename="m.csv")
        )

    assert run.created == 1
    reading = InteractionReading.objects.get(interaction__person__email="dana@example.com")
    assert reading.sentiment == "negative"


def test_a_message_moved_to_another_person_refreshes_both(write_file, run_import, personas, ann):
    ben = create_person(personas.bakery, group="customer", name="Ben", external_id="C2")
    header = "Message ID,Customer ID,Created At,Agent Email,Message\n"
    row = ",2024-03-01 10:00,alice@example.com,Hi\n"
    run_import("interactions", write_file("a.csv", header + "M1,C1" + row))
    run_import("interactions", write_file("b.csv", header + "M1,C2" + row))
    ann.refresh_from_db()
    ben.refresh_from_db()
    assert (ann.last_contact_at, ann.last_human_contact_at) == (None, None)
    assert ben.last_human_contact_at == dt.datetime(2024, 3, 1, 10, 0, tzinfo=dt.UTC)
