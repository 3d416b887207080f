import datetime as dt
from decimal import Decimal

import pytest

from rapport.people.actions import create_person
from rapport.people.models import Person, Purchase

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(personas):
    return create_person(personas.bakery, group="customer", name="Ann", external_id="C1")


def test_it_imports_purchases_and_refreshes_first_and_last_purchase(write_file, run_import, ann):
    text = "Customer ID,InvoiceDate,Amount,Qty,Store\nC1,2024-01-05,12.50,2,Main St\nC1,2024-03-01,4.00,1,Market\n"
    run = run_import("purchases", write_file("p.csv", text))
    assert run.created == 2
    ann.refresh_from_db()
    assert (ann.first_purchase_on, ann.last_purchase_on) == (
        dt.date(2024, 1, 5),
        dt.date(2024, 3, 1),
    )


def test_a_negative_amount_is_kept_as_a_refund(write_file, run_import, ann):
    run = run_import(
        "purchases", write_file("p.csv", "Customer ID,Date,Amount\nC1,2024-01-05,-3.20\n")
    )
    assert run.created == 1
    assert Purchase.objects.get(person=ann).amount == Decimal("-3.20")


def test_an_absurd_amount_is_rejected(write_file, run_import, ann):
    run = run_import(
        "purchases",
        write_file("p.csv", "Customer ID,Date,Amount\nC1,2024-01-05,25000000\nC1,2024-01-05,5\n"),
    )
    assert (run.created, run.rejected) == (1, 1)
    assert "implausibly large" in run.issues.get().reason


def test_a_purchase_in_the_future_is_rejected(write_file, run_import, ann):
    run = run_import("purchases", write_file("p.csv", "Customer ID,Date,Amount\nC1,2999-01-05,5\n"))
    issue = run.issues.get()
    assert (issue.line, issue.field) == (2, "purchased_on")
    assert "in the future" in issue.reason


def test_identical_rows_are_separate_purchases_and_stay_so_on_reimport(write_file, run_import, ann):
    path = write_file("p.csv", "Customer ID,Date,Amount\nC1,2024-01-05,5\nC1,2024-01-05,5\n")
    assert run_import("purchases", path).created == 2
    again = run_import("purchases", path)
    assert (again.created, again.unchanged) == (0, 2)
    assert Purchase.objects.filter(person=ann).count() == 2


def test_invoice_lines_sharing_an_id_are_all_kept(write_file, run_import, ann):
    text = "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n536365,C1,12/1/2010 8:26,6,2.55\n536365,C1,12/1/2010 8:26,8,2.75\n"
    run = run_import("purchases", write_file("p.csv", text))
    assert run.created == 2
    assert sorted(Purchase.objects.filter(person=ann).values_list("amount", flat=True)) == [
        Decimal("15.30"),
        Decimal("22.00"),
    ]


def test_a_corrected_amount_updates_the_purchase_with_that_id(write_file, run_import, ann):
    run_import(
        "purchases", write_file("a.csv", "Order ID,Customer ID,Date,Amount\nO1,C1,2024-01-05,5\n")
    )
    run = run_import(
        "purchases", write_file("b.csv", "Order ID,Customer ID,Date,Amount\nO1,C1,2024-01-05,6\n")
    )
    assert (run.created, run.updated) == (0, 1)
    assert Purchase.objects.get(person=ann).amount == Decimal("6.00")


def test_create_missing_adds_customers_named_only_by_id(write_file, run_import, personas):
    run = run_import(
        "purchases",
        write_file(
            "p.csv",
            "customer_id date number_of_cds dollar_value\n00007 19970101 1 11.77\n".replace(
                " ", "\t"
            ),
        ),
        create_missing=True,
    )
    assert run.options["extra"] == {"customers created": 1}
    assert Person.objects.get(workspace=personas.bakery, external_id="00007").group == "customer"


def test_a_reimport_without_a_column_keeps_what_that_column_stored(write_file, run_import, ann):
    run_import(
        "purchases",
        write_file("a.csv", "Order ID,Customer ID,Date,Amount,Store\nO1,C1,2024-01-05,5,Market\n"),
    )
    run = run_import(
        "purchases", write_file("b.csv", "Order ID,Customer ID,Date,Amount\nO1,C1,2024-01-05,5\n")
    )
    assert run.unchanged == 1
    assert Purchase.objects.get(person=ann).location == "Market"


def test_an_order_moved_to_another_customer_refreshes_both(write_file, run_import, ann, personas):
    ben = create_person(personas.bakery, group="customer", name="Ben", external_id="C2")
    header = "Order ID,Customer ID,Date,Amount\n"
    run_import("purchases", write_file("a.csv", header + "O1,C1,2024-01-05,5\n"))
    run_import("purchases", write_file("b.csv", header + "O1,C2,2024-01-05,5\n"))
    ann.refresh_from_db()
    ben.refresh_from_db()
    assert (ann.first_purchase_on, ann.last_purchase_on) == (None, None)
    assert ben.last_purchase_on == dt.date(2024, 1, 5)
