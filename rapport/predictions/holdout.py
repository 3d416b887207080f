"""Were the predictions right? The customers' run of a quarter ago against what customers did
since: the business's own live hold-out.

The run used is the latest one made at least a quarter (the risk's horizon) ago: a live
quarter checkpoint where there is one, otherwise one *replayed* now from the data up to that
day (said so on the page). Outcomes are the purchases recorded in the quarter after it.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count

from rapport.accounts.models import Workspace
from rapport.engine.stats import wilson
from rapport.people.models import Purchase
from rapport.predictions import actions
from rapport.predictions.models import Forecast, PredictionRun

# Fewer customers than this with a number, or fewer than this many of each outcome: the
# hold-out says "not enough data" rather than an AUC.
MIN_CUSTOMERS = 30
MIN_EACH = 5
BANDS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0001))


@dataclass
class Band:
    label: str
    n: int
    predicted: float
    observed: float
    low: float
    high: float


@dataclass
class Holdout:
    run: PredictionRun | None
    until: dt.date | None = None
    complete: bool = False
    n: int = 0
    enough: bool = False
    message: str = ""
    auc: float | None = None
    brier: float | None = None
    predicted_buyers: float = 0.0
    actual_buyers: int = 0
    predicted_purchases: float | None = None
    actual_purchases: int = 0
    bands: list[Band] = field(default_factory=list)


def _auc(scores: np.ndarray, outcomes: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(outcomes, scores))


def customers(workspace: Workspace, today: dt.date | None = None) -> Holdout:
    """Last quarter's customer predictions against this quarter's purchases."""
    today = today or workspace.today()
    run = actions.holdout_run(workspace, today, make=False)
    if run is None:
        return Holdout(None, message="No prediction from a quarter ago to check yet.")
    until = min(today, run.as_of + dt.timedelta(days=run.horizon_days))
    scored = Forecast.objects.filter(run=run, enough=True, risk__isnull=False)
    rows = list(scored.values_list("person_id", "risk"))
    bought = dict(
        Purchase.objects.filter(
            workspace=workspace,
            purchased_on__gt=run.as_of,
            purchased_on__lte=until,
            person_id__in=scored.values("person_id"),
        )
        .values("person_id")
        .annotate(days=Count("purchased_on", distinct=True))
        .values_list("person_id", "days")
    )
    result = Holdout(
        run, until=until, complete=until >= run.as_of + dt.timedelta(days=run.horizon_days)
    )
    result.n = len(rows)
    if not rows:
        result.message = "That prediction had no customer with enough data."
        return result
    p = np.array([1 - risk for _, risk in rows])
    y = np.array([1 if bought.get(pk) else 0 for pk, _ in rows])
    result.predicted_buyers = float(p.sum())
    result.actual_buyers = int(y.sum())
    result.actual_purchases = int(sum(bought.values()))
    if result.complete:
        result.predicted_purchases = run.summary.get("expected_purchases_soon")
    if len(rows) < MIN_CUSTOMERS or min(y.sum(), len(y) - y.sum()) < MIN_EACH:
        result.message = (
            f"Not enough data to score it: {len(rows)} customers, {int(y.sum())} bought again "
            f"(it takes {MIN_CUSTOMERS} customers and {MIN_EACH} of each outcome)."
        )
        return result
    result.enough = True
    result.auc = _auc(p, y)
    result.brier = float(np.mean((p - y) ** 2))
    for lo, hi in BANDS:
        inside = (p >= lo) & (p < hi)
        k = int(inside.sum())
        if not k:
            continue
        interval = wilson(int(y[inside].sum()), k)
        result.bands.append(
            Band(
                f"{lo:.0%}–{min(hi, 1):.0%}",
                k,
                float(p[inside].mean()),
                float(y[inside].mean()),
                interval[0],
                interval[1],
            )
        )
    return result
