"""Sales from a till, a web shop or an invoice system.

A negative amount is a refund and is kept (revenue would be wrong without it); a negative
quantity is not, because refunds are recorded as a negative amount. Several rows may share
a purchase id (the lines of one invoice): each line is its own record, keyed by the id and
its position among the lines with that id, so a re-import matches line for line.
"""

from __future__ import annotations

from decimal import Decimal

from rapport.imports.kinds.base import ImportKindBase
from rapport.imports.kinds.cleaning import BatchResult, Cleaner, CleanRow, Context, digest
from rapport.imports.kinds.persons import (
    PERSON_EMAIL_SYNONYMS,
    PERSON_ID_SYNONYMS,
    write_person_facts,
)
from rapport.imports.mapping import Field
from rapport.people.actions import refresh_purchase_dates
from rapport.people.choices import Group
from rapport.people.models import Purchase

PURCHASE_FIELDS = {
    name: name for name in ("purchased_on", "amount", "quantity", "location", "external_id")
}


class PurchasesKind(ImportKindBase):
    name = "purchases"
    label = "Purchases"
    fields = (
        Field("person_external_id", "Customer's external id", PERSON_ID_SYNONYMS),
        Field("person_email", "Customer's email", PERSON_EMAIL_SYNONYMS),
        Field(
            "purchased_on",
            "Date",
            (
                "date",
                "purchase date",
                "order date",
                "invoice date",
                "invoicedate",
                "transaction date",
                "sale date",
                "sales date",
                "purchased on",
                "bought on",
                "receipt date",
            ),
            patterns=(r"date$",),
            required=True,
            is_date=True,
        ),
        Field(
            "amount",
            "Amount",
            (
                "total",
                "value",
                "dollar value",
                "price",
                "sales",
                "revenue",
                "order total",
                "invoice total",
                "invoice amount",
                "line total",
                "amount paid",
                "total amount",
                "gross",
                "net amount",
                "order value",
                "sale amount",
                "spend",
            ),
            patterns=(r"(amount|value|total|revenue|sales)$",),
        ),
        Field(
            "unit_price",
            "Unit price",
            ("unitprice", "price each", "item price", "unit cost"),
            help="used with the quantity when there is no amount column",
        ),
        Field(
            "quantity",
            "Quantity",
            ("qty", "items", "units", "number of items", "count", "pieces"),
            patterns=(r"^(numberof|num|nof|qty|quantity)",),
        ),
        Field(
            "location",
            "Location",
            ("store", "shop", "branch", "outlet", "channel", "site", "till", "country"),
        ),
        Field(
            "external_id",
            "Purchase id",
            (
                "id",
                "order id",
                "order number",
                "order no",
                "invoice no",
                "invoiceno",
                "invoice number",
                "invoice id",
                "transaction id",
                "receipt number",
                "receipt no",
                "sale id",
                "purchase id",
            ),
        ),
    )
    required_any = (
        (("person_external_id", "person_email"), "the customer's external id or email"),
        (("amount", "unit_price"), "an amount (or a unit price)"),
    )

    def clean(self, raw: dict[str, str], ctx: Context):
        c = Cleaner(raw, ctx)
        c.text("person_external_id", 100)
        c.email("person_email")
        if not c.data.get("person_external_id") and not c.data.get("person_email"):
            c.error("person_external_id", "required: the customer's external id or email")
        c.date("purchased_on", required=True, not_future=True)
        quantity = c.integer("quantity", minimum=0, maximum=1_000_000)
        if c.present("amount") or not c.present("unit_price"):
            c.decimal("amount", required=True)
        else:
            unit = c.decimal("unit_price")
            if unit is not None:
                amount = unit * (quantity if quantity is not None else 1)
                if abs(amount) >= Decimal("10000000"):
                    c.error("unit_price", f"{amount} is implausibly large (limit 10,000,000)")
                else:
                    c.data["amount"] = amount.quantize(Decimal("0.01"))
        c.text("location", 60)
        c.text("external_id", 100)
        return c.data, c.errors

    def rejects_duplicates(self, data: dict) -> bool:
        return False

    def identity(self, data: dict, ctx: Context) -> str:
        person = data.get("person_external_id") or data.get("person_email")
        if data.get("external_id"):
            return digest("purchase", "id", data["external_id"])
        return digest(
            "purchase",
            person,
            data["purchased_on"].isoformat(),
            data["amount"],
            data.get("quantity", 1),
            data.get("location", ""),
        )

    def write(self, rows: list[CleanRow], ctx: Context) -> BatchResult:
        result, pairs = write_person_facts(
            Purchase, rows, ctx, group=Group.CUSTOMER, noun="customer", fields=PURCHASE_FIELDS
        )
        if result.created or result.updated:
            refresh_purchase_dates(
                {values["person_id"] for _, values in pairs} | result.left_people
            )
        return result
