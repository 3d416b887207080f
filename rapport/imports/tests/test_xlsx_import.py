import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook

from rapport.people.actions import create_person
from rapport.people.models import Purchase

pytestmark = pytest.mark.django_db


def test_it_imports_purchases_from_an_xlsx_workbook(tmp_path, run_import, personas):
    ann = create_person(personas.bakery, group="customer", name="Ann", external_id="1001")
    book = Workbook()
    sheet = book.active
    sheet.append(["CustomerID", "InvoiceDate", "Amount"])
    sheet.append([1001, dt.datetime(2024, 2, 29, 9, 15), 19.99])
    sheet.append([1001, "not a date", 5])
    path = tmp_path / "sales.xlsx"
    book.save(path)
    run = run_import("purchases", path)
    assert (run.created, run.rejected) == (1, 1)
    assert run.issues.get().line == 3
    purchase = Purchase.objects.get(person=ann)
    assert (purchase.purchased_on, purchase.amount) == (dt.date(2024, 2, 29), Decimal("19.99"))
