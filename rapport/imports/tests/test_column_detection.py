"""Columns are matched to fields from the names real exports use."""

import pytest

from rapport.imports.kinds import get_kind
from rapport.imports.mapping import apply_overrides, detect_mapping, mapping_problems


@pytest.mark.parametrize(
    ("kind", "header", "expected"),
    [
        (
            "people",
            ["Customer ID", "Full Name", "E-mail", "Tags"],
            {"Customer ID": "external_id", "Full Name": "name", "E-mail": "email", "Tags": "tags"},
        ),
        (
            "people",
            ["customerID", "gender", "Contract"],
            {"customerID": "external_id", "Contract": "segment"},
        ),
        (
            "people",
            ["EmployeeNumber", "Department", "JobRole", "Hire_Date"],
            {
                "EmployeeNumber": "external_id",
                "Department": "team",
                "JobRole": "job_title",
                "Hire_Date": "start_date",
            },
        ),
        (
            "purchases",
            ["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
            {
                "InvoiceNo": "external_id",
                "Quantity": "quantity",
                "InvoiceDate": "purchased_on",
                "UnitPrice": "unit_price",
                "CustomerID": "person_external_id",
            },
        ),
        (
            "purchases",
            ["customer_id", "date", "number_of_cds", "dollar_value"],
            {
                "customer_id": "person_external_id",
                "date": "purchased_on",
                "number_of_cds": "quantity",
                "dollar_value": "amount",
            },
        ),
        (
            "deliveries",
            [
                "ID",
                "PO / SO #",
                "ASN/DN #",
                "Scheduled Delivery Date",
                "Delivered to Client Date",
                "Vendor",
            ],
            {
                "ID": "line_id",
                "ASN/DN #": "reference",
                "Scheduled Delivery Date": "promised_on",
                "Delivered to Client Date": "delivered_on",
                "Vendor": "supplier_name",
            },
        ),
        (
            "interactions",
            ["Customer Email", "Created At", "Channel", "Message", "Agent Email"],
            {
                "Customer Email": "person_email",
                "Created At": "occurred_at",
                "Channel": "channel",
                "Message": "text",
                "Agent Email": "handled_by",
            },
        ),
        (
            "employment",
            ["Employee ID", "Event", "Effective Date", "Days Lost"],
            {
                "Employee ID": "person_external_id",
                "Event": "kind",
                "Effective Date": "date",
                "Days Lost": "days",
            },
        ),
    ],
)
def test_it_detects_columns_from_common_headers(kind, header, expected):
    assert detect_mapping(get_kind(kind), header) == expected


def test_a_map_override_moves_a_field_to_another_column():
    kind = get_kind("people")
    header = ["ID", "Legacy number", "Name"]
    mapping = apply_overrides(
        kind, header, detect_mapping(kind, header), {"legacy number": "external_id", "Name": ""}
    )
    assert mapping == {"Legacy number": "external_id"}


def test_it_names_the_required_field_no_column_gives():
    kind = get_kind("purchases")
    problems = mapping_problems(kind, ["Customer", "Amount"], {"Amount": "amount"})
    assert any("purchased_on" in p for p in problems)
    assert any("customer's external id or email" in p for p in problems)
