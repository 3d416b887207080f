"""Finding people by e-mail (rapport.people.lookup): ignoring case, one business at a time."""

from rapport.people.actions import create_person
from rapport.people.lookup import by_email, ignoring_case, person_ids_by_email
from rapport.people.models import Person


def test_it_finds_people_ignoring_case_both_ways(personas):
    ann = create_person(personas.bakery, group="customer", name="Ann", email="Ann@Example.com")
    bea = create_person(personas.bakery, group="customer", name="Bea", email="bea@example.com")

    found = by_email(personas.bakery, {"ann@example.com", "bea@example.com", "zoe@example.com"})

    assert found == {"ann@example.com": [ann], "bea@example.com": [bea]}
    assert person_ids_by_email(personas.bakery, {"ann@example.com"}) == {"ann@example.com": ann.pk}


def test_it_never_finds_a_person_of_another_business(personas):
    create_person(personas.garage, group="customer", name="Ann G.", email="ann@example.com")

    assert by_email(personas.bakery, {"ann@example.com"}) == {}
    assert person_ids_by_email(personas.bakery, {"ann@example.com"}) == {}
    garage = Person.objects.filter(workspace=personas.garage)
    bakery = Person.objects.filter(workspace=personas.bakery)
    assert (
        bakery.filter(ignoring_case(bakery, "email", {"ANN@example.com"}, personas.bakery)).count()
        == 0
    )
    assert (
        garage.filter(ignoring_case(garage, "email", {"ANN@example.com"}, personas.garage)).count()
        == 1
    )


def test_a_shared_address_gives_every_holder_oldest_first(personas):
    old = create_person(personas.bakery, group="customer", name="Sam", email="Sam@example.com")
    new = create_person(personas.bakery, group="employee", name="Sam B.", email="SAM@example.com")

    assert by_email(personas.bakery, {"sam@example.com"}) == {"sam@example.com": [old, new]}
    # Callers choose: mail import and the intake API take the preferred group, then the
    # oldest; imports call two holders ambiguous.
    assert person_ids_by_email(personas.bakery, {"sam@example.com"}) == {"sam@example.com": old.pk}
    assert person_ids_by_email(personas.bakery, {"sam@example.com"}, "employee") == {
        "sam@example.com": new.pk
    }


def test_a_group_narrows_the_search(personas):
    create_person(personas.bakery, group="customer", name="Sam", email="sam@example.com")
    staff = create_person(personas.bakery, group="employee", name="Sam B.", email="Sam@Example.com")

    assert by_email(personas.bakery, {"sam@example.com"}, group="employee") == {
        "sam@example.com": [staff]
    }
    assert by_email(personas.bakery, {"sam@example.com"}, group="supplier") == {}


def test_no_address_asks_nothing(personas, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert by_email(personas.bakery, set()) == {}
        assert by_email(personas.bakery, {""}) == {}
