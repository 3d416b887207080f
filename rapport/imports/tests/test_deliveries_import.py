import datetime as dt

import pytest

from rapport.people.models import Delivery, Person

pytestmark = pytest.mark.django_db

DELIVERIES = """ID,Vendor,ASN/DN #,Item Description,PO Sent to Vendor Date,Scheduled Delivery Date,Delivered to Client Date,Line Item Quantity,Defective,Line Item Value
1,Flour Mill Ltd,ASN-8,Flour 25kg,Date Not Captured,02-Jun-06,02-Jun-06,19,0,551
2,Flour Mill Ltd,ASN-9,Flour 25kg,3/19/06,14-Jun-06,20-Jun-06,10,2,300
3,Egg Farm,ASN-10,Eggs,N/A - From RDC,14-Jun-06,,30,40,90
"""


def test_it_creates_missing_suppliers_and_their_deliveries(write_file, run_import, personas):
    run = run_import("deliveries", write_file("d.csv", DELIVERIES))
    assert (run.created, run.rejected) == (2, 1)
    mill = Person.objects.get(workspace=personas.bakery, name="Flour Mill Ltd")
    assert (mill.group, mill.kind) == ("supplier", "organisation")
    late = Delivery.objects.get(supplier=mill, reference="ASN-9")
    assert (late.ordered_on, late.days_late) == (dt.date(2006, 3, 19), 6)


def test_more_defective_than_delivered_is_rejected(write_file, run_import):
    run = run_import("deliveries", write_file("d.csv", DELIVERIES))
    issue = run.issues.get()
    assert (issue.line, issue.field) == (4, "defective_quantity")


def test_reimporting_deliveries_changes_nothing(write_file, run_import):
    path = write_file("d.csv", DELIVERIES)
    run_import("deliveries", path)
    again = run_import("deliveries", path)
    assert (again.created, again.unchanged, again.rejected) == (0, 2, 1)
    assert Person.objects.filter(group="supplier").count() == 1
