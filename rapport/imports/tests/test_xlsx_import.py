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


def test_a_workbook_cut_short_keeps_the_rows_before_the_damage_and_says_where(
    tmp_path, run_import, personas
):
    import zipfile

    from rapport.people.models import Person

    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Name"])
    for i in range(200):
        sheet.append([f"C{i}", f"Person {i}"])
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(whole) as zin, zipfile.ZipFile(cut, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]  # the sheet's XML stops half-way
            zout.writestr(item, body)

    run = run_import("people", cut, group="customer")

    assert run.status == "done" and 0 < run.created < 200 and run.rejected == 1
    issue = run.issues.get()
    assert "the workbook is damaged from this row on" in issue.reason
    assert issue.line == run.created + 2  # the header, then the rows read
    assert Person.objects.filter(workspace=personas.bakery).count() == run.created
