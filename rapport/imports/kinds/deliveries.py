"""Supplier deliveries: what was promised, when it came, and what arrived broken.

Vendor exports name their vendors rather than carrying our ids, so a supplier that is not
known yet (by external id, else by exact name) is created as a supplier organisation.
"""

from __future__ import annotations

from decimal import Decimal

from rapport.imports.kinds.base import ImportKindBase
from rapport.imports.kinds.cleaning import BatchResult, Cleaner, CleanRow, Context, digest
from rapport.imports.kinds.persons import write_person_facts
from rapport.imports.mapping import Field
from rapport.people.choices import Group
from rapport.people.models import Delivery

DELIVERY_FIELDS = {
    name: name
    for name in (
        "reference",
        "item",
        "ordered_on",
        "promised_on",
        "delivered_on",
        "quantity",
        "defective_quantity",
        "value",
    )
}


class DeliveriesKind(ImportKindBase):
    name = "deliveries"
    label = "Supplier deliveries"
    # Suppliers named in a delivery file are always created when missing.
    offers_create_missing = False
    fields = (
        Field(
            "supplier_external_id",
            "Supplier's external id",
            (
                "supplier id",
                "vendor id",
                "vendor code",
                "supplier code",
                "vendor number",
                "supplier number",
            ),
        ),
        Field(
            "supplier_name",
            "Supplier",
            ("vendor", "supplier name", "vendor name", "manufacturer", "carrier", "from"),
        ),
        Field(
            "line_id",
            "Delivery line id",
            ("id", "line id", "line item id", "delivery id", "shipment id", "record id"),
            help="identifies the line for re-imports; not shown anywhere",
        ),
        Field(
            "reference",
            "Reference",
            (
                "asn/dn #",
                "asn dn",
                "asn",
                "delivery note",
                "delivery note number",
                "dn",
                "delivery reference",
                "shipment number",
                "shipment reference",
                "tracking number",
                "po number",
                "po / so #",
                "purchase order",
                "order number",
                "po",
            ),
        ),
        Field(
            "item",
            "Item",
            (
                "item description",
                "description",
                "product",
                "product name",
                "article",
                "sku",
                "material",
            ),
        ),
        Field(
            "ordered_on",
            "Ordered on",
            ("order date", "po date", "po sent to vendor date", "ordered", "date ordered"),
            is_date=True,
        ),
        Field(
            "promised_on",
            "Promised on",
            (
                "scheduled delivery date",
                "scheduled date",
                "promised date",
                "due date",
                "expected date",
                "expected delivery date",
                "planned delivery date",
                "requested delivery date",
                "eta",
            ),
            required=True,
            is_date=True,
        ),
        Field(
            "delivered_on",
            "Delivered on",
            (
                "delivered to client date",
                "delivery date",
                "actual delivery date",
                "received date",
                "date received",
                "delivered",
                "receipt date",
                "arrival date",
            ),
            is_date=True,
        ),
        Field(
            "quantity",
            "Quantity",
            (
                "line item quantity",
                "qty",
                "quantity ordered",
                "units",
                "ordered quantity",
                "quantity delivered",
            ),
        ),
        Field(
            "defective_quantity",
            "Defective quantity",
            (
                "defective",
                "defects",
                "damaged",
                "rejected quantity",
                "returned quantity",
                "broken",
                "qty defective",
            ),
        ),
        Field(
            "value",
            "Value",
            (
                "line item value",
                "amount",
                "total",
                "line value",
                "order value",
                "cost",
                "total cost",
            ),
            patterns=(r"(value|amount)$",),
        ),
    )
    required_any = (
        (("supplier_external_id", "supplier_name"), "the supplier's external id or name"),
    )

    def clean(self, raw: dict[str, str], ctx: Context):
        c = Cleaner(raw, ctx)
        c.text("supplier_external_id", 100)
        c.text("supplier_name", 200)
        if not c.data.get("supplier_external_id") and not c.data.get("supplier_name"):
            c.error("supplier_name", "required: the supplier's external id or name")
        c.text("line_id", 100)
        c.text("reference", 100)
        c.text("item", 200)
        ordered = c.date("ordered_on", not_future=True)
        promised = c.date("promised_on", required=True)
        delivered = c.date("delivered_on", not_future=True)
        if ordered and promised and promised < ordered:
            c.error(
                "promised_on",
                f"{promised.isoformat()} is before the order date {ordered.isoformat()}",
            )
        if ordered and delivered and delivered < ordered:
            c.error(
                "delivered_on",
                f"{delivered.isoformat()} is before the order date {ordered.isoformat()}",
            )
        quantity = c.decimal(
            "quantity", minimum=Decimal(0), why_minimum="quantity cannot be negative"
        )
        defective = c.decimal(
            "defective_quantity",
            minimum=Decimal(0),
            why_minimum="defective quantity cannot be negative",
        )
        if quantity is not None and defective is not None and defective > quantity:
            c.error(
                "defective_quantity", f"{defective} defective is more than the {quantity} delivered"
            )
        c.decimal("value", minimum=Decimal(0), why_minimum="value cannot be negative")
        return c.data, c.errors

    def rejects_duplicates(self, data: dict) -> bool:
        return bool(data.get("line_id"))

    def identity(self, data: dict, ctx: Context) -> str:
        supplier = data.get("supplier_external_id") or data.get("supplier_name", "").casefold()
        if data.get("line_id"):
            return digest("delivery", "id", data["line_id"])
        return digest(
            "delivery",
            supplier,
            data.get("reference", ""),
            data.get("item", ""),
            data.get("ordered_on") or "",
            data["promised_on"].isoformat(),
        )

    def write(self, rows: list[CleanRow], ctx: Context) -> BatchResult:
        # Vendor exports name vendors rather than carry our ids: missing suppliers are created.
        result, _ = write_person_facts(
            Delivery,
            rows,
            ctx,
            group=Group.SUPPLIER,
            noun="supplier",
            fields=DELIVERY_FIELDS,
            always_create=True,
            fk="supplier_id",
            id_field="supplier_external_id",
            email_field="supplier_email",
            name_field="supplier_name",
        )
        return result
