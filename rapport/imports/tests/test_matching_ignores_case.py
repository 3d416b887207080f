"""An email or a name typed with capitals in the app matches the same one in a file."""

import pytest

from rapport.people.models import Interaction, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(personas):
    return Person.objects.create(
        workspace=personas.bakery, group="customer", name="Ann Smith", email="Ann.Smith@Example.COM"
    )


def test_an_interaction_finds_the_person_whose_email_has_capitals(ann, run_import, write_file):
    path = write_file("i.csv", "Email,When\nann.smith@example.com,2024-01-05 10:00\n")
    run = run_import("interactions", path)
    assert (run.created, run.rejected) == (1, 0)
    assert Interaction.objects.get().person == ann


def test_a_purchase_by_email_with_capitals_finds_the_person(ann, run_import, write_file):
    path = write_file("p.csv", "Email,Date,Amount\nANN.SMITH@example.com,2024-01-05,3.50\n")
    run = run_import("purchases", path)
    assert (run.created, run.rejected) == (1, 0)
    assert ann.purchases.count() == 1


def test_a_people_import_by_email_updates_instead_of_duplicating(ann, run_import, write_file):
    path = write_file("p.csv", "Email,Phone\nann.smith@example.com,0123\n")
    run = run_import("people", path, group="customer")
    assert (run.created, run.updated) == (0, 1)
    assert Person.objects.get().phone == "0123"


def test_a_people_import_by_name_ignores_case(ann, run_import, write_file):
    run = run_import(
        "people", write_file("p.csv", "Name,Phone\nann smith,0123\n"), group="customer"
    )
    assert (run.created, run.updated) == (0, 1)
    assert Person.objects.get().phone == "0123"
