"""Customers: the chance each one buys nothing in the next quarter, and what they are likely
to spend over the next year (``engine.predict.PurchaseModel`` over the purchases table)."""

import datetime as dt

import pandas as pd

from rapport.accounts.models import Workspace
from rapport.engine.predict import PurchaseModel
from rapport.people.choices import Group
from rapport.people.models import Purchase

# Risk: no purchase within a quarter (the hold-out checks it a quarter later).
RISK_DAYS = 91
# Value: purchases and spend over the next year.
VALUE_DAYS = 365


def purchases(workspace: Workspace, until: dt.date) -> pd.DataFrame:
    rows = (
        Purchase.objects.filter(
            workspace=workspace, person__group=Group.CUSTOMER, purchased_on__lte=until
        )
        .order_by()
        .values_list("person_id", "purchased_on", "amount")
    )
    frame = pd.DataFrame(list(rows), columns=["customer_id", "at", "amount"])
    frame["amount"] = frame["amount"].astype(float)
    return frame


def _number(x) -> float | None:
    return None if pd.isna(x) else float(x)


def forecast(workspace: Workspace, as_of: dt.date) -> tuple[dict, list[dict]]:
    """The run's fields and one row per customer with purchases up to ``as_of``."""
    frame = purchases(workspace, as_of)
    if frame.empty:
        return {"enough": False, "message": "No purchases recorded yet."}, []
    model = PurchaseModel().fit(frame, until=as_of)
    year_ago = as_of - dt.timedelta(days=VALUE_DAYS)
    recent = frame[(frame["at"] > year_ago) & (frame["amount"] > 0)]
    past = recent.groupby("customer_id")["amount"].sum()
    soon = model.predict(horizon_days=RISK_DAYS)
    year = model.predict(horizon_days=VALUE_DAYS)
    rows = []
    for pk, f in soon.iterrows():
        y = year.loc[pk]
        enough = bool(f["enough"])
        p = _number(f["p_purchase"])
        rows.append(
            {
                "person_id": int(pk),
                "enough": enough,
                "risk": None if p is None else 1 - p,
                "risk_low": None if p is None else 1 - float(f["p_purchase_high"]),
                "risk_high": None if p is None else 1 - float(f["p_purchase_low"]),
                "expected_purchases": _number(y["expected_purchases"]),
                "expected_purchases_low": _number(y["expected_purchases_low"]),
                "expected_purchases_high": _number(y["expected_purchases_high"]),
                "expected_value": _number(y["expected_value"]),
                "expected_value_low": _number(y["expected_value_low"]),
                "expected_value_high": _number(y["expected_value_high"]),
                "past_value": float(past.get(pk, 0.0)),
                "reasons": list(f["reasons"]),
                "used": str(f["used"])[:300],
                # Expected purchases within the risk's horizon, for the hold-out.
                "soon": _number(f["expected_purchases"]),
            }
        )
    enough = any(r["enough"] for r in rows)
    summary = {
        "customers": len(rows),
        "risk_days": RISK_DAYS,
        "value_days": VALUE_DAYS,
        "expected_purchases_soon": sum(r["soon"] or 0 for r in rows),
        "expected_value_year": sum(r["expected_value"] or 0 for r in rows),
        "backtested": bool(getattr(model, "backtested_", False)),
    }
    run = {
        "enough": enough,
        "message": "" if enough else (rows[0]["reasons"][0] if rows else ""),
        "used": str(soon["used"].iloc[0])[:300] if len(soon) else "",
        "model_version": str(soon["model_version"].iloc[0]) if len(soon) else "",
        "summary": summary,
        "horizon_days": RISK_DAYS,
    }
    return run, rows
