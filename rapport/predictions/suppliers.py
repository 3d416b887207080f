"""Suppliers: the chance each supplier's next delivery arrives late
(``engine.predict.DeliveryRiskModel`` over the deliveries table, read by supplier
organisation: a named contact's deliveries count as their organisation's)."""

import datetime as dt

import pandas as pd

from rapport.accounts.models import Workspace
from rapport.engine.predict import DeliveryRiskModel
from rapport.people.models import Delivery, Person

# A supplier with no delivery booked is judged on a delivery due this many days ahead; the
# model learns from records as they stood that long before each delivery (refreshed nightly,
# a prediction is about a week ahead at most).
NEXT_DAYS = 7


def deliveries(workspace: Workspace, until: dt.date) -> tuple[pd.DataFrame, dict[str, int]]:
    """The deliveries due up to ``until``, each under its supplier's label, and the labels'
    person ids. The model's reasons name the supplier ("supplier is Moulin des Trois Ponts"):
    the label is its name, with its number only where two share one."""
    rows = (
        Delivery.objects.filter(workspace=workspace, promised_on__lte=until)
        .order_by("promised_on", "pk")
        .values_list("supplier_id", "supplier__organisation_id", "promised_on", "delivered_on")
    )
    frame = pd.DataFrame(
        [(org or pk, due, got if got and got <= until else None) for pk, org, due, got in rows],
        columns=["supplier", "due", "delivered"],
    )
    names = dict(Person.objects.filter(pk__in=set(frame["supplier"])).values_list("pk", "name"))
    seen = pd.Series(names, dtype=object).value_counts()
    label = {pk: name if seen[name] == 1 else f"{name} (#{pk})" for pk, name in names.items()}
    frame["supplier"] = frame["supplier"].map(label)
    return frame, {name: pk for pk, name in label.items()}


def _upcoming(workspace: Workspace, as_of: dt.date, suppliers: dict[str, int]) -> pd.DataFrame:
    """Each supplier's next delivery: the first one booked after ``as_of``, or one due a week
    ahead when none is booked."""
    label = {pk: name for name, pk in suppliers.items()}
    booked = {}
    for pk, org, due in (
        Delivery.objects.filter(workspace=workspace, promised_on__gt=as_of)
        .order_by("promised_on")
        .values_list("supplier_id", "supplier__organisation_id", "promised_on")
    ):
        if (org or pk) in label:
            booked.setdefault(label[org or pk], due)
    default = as_of + dt.timedelta(days=NEXT_DAYS)
    return pd.DataFrame(
        [(name, booked.get(name, default)) for name in sorted(suppliers)],
        columns=["supplier", "due"],
    )


def forecast(workspace: Workspace, as_of: dt.date) -> tuple[dict, list[dict]]:
    frame, suppliers = deliveries(workspace, as_of)
    if frame.empty:
        return {"enough": False, "message": "No deliveries recorded yet."}, []
    summary = {"deliveries": len(frame), "suppliers": len(suppliers)}
    try:
        model = DeliveryRiskModel(lag_days=NEXT_DAYS).fit(frame)
    except ValueError as error:
        message = f"Not enough deliveries to learn from yet ({len(frame)} in all): {error}"
        return {"enough": False, "message": message[:300], "summary": summary}, []
    upcoming = _upcoming(workspace, as_of, suppliers)
    p = model.predict_proba(upcoming)[:, 1]
    low, high = model.predict_interval(upcoming)
    reasons = model.explain(upcoming)
    each = frame["supplier"].value_counts()
    rows = [
        {
            "person_id": suppliers[name],
            "enough": True,
            "risk": float(p[i]),
            "risk_low": float(low[i]),
            "risk_high": float(high[i]),
            "reasons": list(reasons[i]),
            "used": f"{each[name]} deliveries of this supplier, {len(frame)} of all suppliers, "
            f"next one due {due:%d %b %Y}",
        }
        for i, (name, due) in enumerate(zip(upcoming["supplier"], upcoming["due"], strict=True))
    ]
    run = {
        "enough": True,
        "used": f"{len(frame)} deliveries from {len(suppliers)} suppliers up to {as_of:%d %b %Y}",
        "model_version": model.version_,
        "horizon_days": NEXT_DAYS,
        "summary": summary,
    }
    return run, rows
