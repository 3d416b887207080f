"""The public exports in ../shared/data, imported as a small business would."""

import pytest

from rapport.imports.tests.conftest import data_file
from rapport.people.models import Delivery, Person, Purchase

pytestmark = pytest.mark.django_db


def _head(path, tmp_path, lines):
    """The first ``lines`` lines of ``path``, as a file of the same name."""
    out = tmp_path / path.name
    with path.open("rb") as source, out.open("wb") as target:
        for _, line in zip(range(lines), source, strict=False):
            target.write(line)
    return out


def test_ibm_hr_attrition_imports_as_employees_with_teams(run_import, personas):
    path = data_file("ibm_hr_attrition", "WA_Fn-UseC_-HR-Employee-Attrition.csv")
    run = run_import("people", path, group="employee")
    assert (run.created, run.rejected) == (1470, 0)
    assert (
        Person.objects.filter(
            workspace=personas.bakery, group="employee", team__name="Sales"
        ).count()
        == 446
    )
    assert run_import("people", path, group="employee").unchanged == 1470


def test_ibm_telco_churn_imports_as_customers(run_import, personas):
    path = data_file("ibm_telco_churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    run = run_import("people", path, group="customer")
    assert (run.created, run.rejected) == (7043, 0)
    assert (
        Person.objects.get(workspace=personas.bakery, external_id="7590-VHVEG").segment
        == "Month-to-month"
    )


def test_usaid_deliveries_import_with_vendors_created(run_import, personas):
    path = data_file("usaid_scms_delivery", "SCMS_Delivery_History_2006_2012.csv")
    run = run_import("deliveries", path)
    assert run.rows_done == 6507
    assert run.created + run.rejected == 6507
    # The rejected rows have an order date after the delivery: an error in the source.
    assert run.rejected < 200
    assert all("before the order date" in i.reason for i in run.issues.all())
    assert (
        Person.objects.filter(workspace=personas.bakery, group="supplier").count()
        == run.options["extra"]["suppliers created"]
    )
    assert Delivery.objects.filter(
        workspace=personas.bakery, delivered_on__gt=models_f("promised_on")
    ).exists()


def models_f(name):
    from django.db.models import F

    return F(name)


def test_cdnow_purchases_create_their_customers_when_asked(run_import, personas, tmp_path):
    path = _head(data_file("cdnow_transactions", "CDNOW_master.txt"), tmp_path, 5001)
    rejected = run_import("purchases", path)
    assert rejected.rejected == 5000 and "--create-missing" in rejected.issues.first().reason
    run = run_import("purchases", path, create_missing=True)
    assert (run.created, run.rejected) == (5000, 0)
    assert Purchase.objects.filter(workspace=personas.bakery).count() == 5000
    assert run_import("purchases", path, create_missing=True).unchanged == 5000
