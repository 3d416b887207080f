"""The chance that each upcoming delivery arrives late, from a supplier's record.

A delivery is late when it arrives after its due date (by more than ``grace_days``); one
never delivered and past due counts as late, one not yet due is left out. Each delivery is
described by its supplier's record as it stood a quarter before it was due (``LAG_DAYS``:
predictions are made ahead of time; the late share of all deliveries due before then and of
the last ten, both pulled towards the overall share when there are few), and every other
column of the table (mode,
category, country, value, quantity...). :class:`~rapport.engine.predict.churn.ChurnModel`
reads those features, so the probabilities are calibrated the same way.
"""

import numpy as np
import pandas as pd

from rapport.engine.predict.churn import ChurnModel
from rapport.engine.predict.common import MODEL_VERSION, check_columns, first_bad

RECENT = 10
RECORD_WORDS = {
    "supplier_recent_late_share": f"late share of its last {RECENT} deliveries (smoothed)",
    "supplier_late_share": "late share of all its deliveries (smoothed)",
}
SHRINK = 5.0  # pseudo-deliveries at the overall late share
# Training rows see their supplier's record as it stood this many days before they were due
# (a quarter: predictions are made ahead of time, from a record that is not fresh).
LAG_DAYS = 90


def _dates(frame: pd.DataFrame, column: str, required: bool) -> pd.Series:
    values = frame[column]
    at = pd.to_datetime(values, errors="coerce", format="mixed")
    if getattr(at.dt, "tz", None) is not None:
        at = at.dt.tz_localize(None)
    unreadable = at.isna() & values.notna() & (values.astype(str).str.strip() != "")
    missing = values.isna() if required else unreadable & False
    bad = first_bad(unreadable | missing)
    if bad is not None:
        raise ValueError(f"column '{column}', row {bad}: not a date ({values.loc[bad]!r})")
    return at.dt.normalize()


def _history(frame: pd.DataFrame, overall: float, lag_days: int = LAG_DAYS) -> pd.DataFrame:
    """Each row's supplier record as it stood ``lag_days`` before the row was due: the
    deliveries of the same supplier due earlier than that (``frame`` sorted by due date).

    The lag makes training look like use: a prediction is made ahead of time, from a record
    that is weeks or months old by the time the delivery is due.
    """
    share, recent = np.empty(len(frame)), np.empty(len(frame))
    suppliers = frame["supplier"].astype(str).to_numpy()
    due = frame["_due"].to_numpy()
    late = frame["_late"].to_numpy(dtype=float)
    for supplier in pd.unique(suppliers):
        rows = np.flatnonzero(suppliers == supplier)
        days, before = due[rows], np.concatenate([[0.0], np.cumsum(late[rows])])
        if lag_days:
            known = np.searchsorted(days, days - np.timedelta64(lag_days, "D"), side="left")
        else:
            known = np.arange(len(rows))
        n = known.astype(float)
        share[rows] = (before[known] + SHRINK * overall) / (n + SHRINK)
        recent_late = before[known] - before[np.maximum(known - RECENT, 0)]
        recent[rows] = (recent_late + SHRINK * overall) / (np.minimum(n, RECENT) + SHRINK)
    return pd.DataFrame(
        {"supplier_late_share": share, "supplier_recent_late_share": recent}, index=frame.index
    )


class DeliveryRiskModel:
    """Probability that each upcoming delivery arrives late.

    Parameters
    ----------
    grace_days : int
        Days after the due date that still count as on time.
    method : str
        Passed to :class:`ChurnModel` ("logistic", "blend" or "boosting").
    lag_days : int
        How far ahead predictions are made: each training delivery sees its supplier's record
        as it stood this many days before it was due. The default, a quarter, suits orders
        placed months ahead (SCMS); a business asking each night about next week's
        deliveries passes about 7, so a supplier who slipped last month counts at once.

    Attributes
    ----------
    late_share_ : float
        The share of training deliveries that were late.
    suppliers_ : pandas.DataFrame
        Per supplier: deliveries, late share overall and over the last ten.
    model_ : ChurnModel
    version_ : str

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> due = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300, 400), unit="D")
    >>> supplier = rng.choice(["mill", "dairy", "eggs"], 400)
    >>> late = rng.random(400) < np.where(supplier == "mill", 0.5, 0.1)
    >>> deliveries = pd.DataFrame({"supplier": supplier, "due": due,
    ...     "delivered": due + pd.to_timedelta(np.where(late, 3, 0), unit="D")})
    >>> dm = DeliveryRiskModel().fit(deliveries)
    >>> risk = dm.predict_proba(deliveries.drop(columns="delivered").head(3))[:, 1]
    >>> bool(((risk > 0) & (risk < 1)).all())
    True
    """

    def __init__(self, grace_days: int = 0, method: str = "logistic", lag_days: int = LAG_DAYS):
        self.grace_days = grace_days
        self.method = method
        self.lag_days = lag_days

    def fit(self, deliveries: pd.DataFrame) -> "DeliveryRiskModel":
        """Learn from past ``deliveries``: supplier, due, delivered and any other columns."""
        check_columns(deliveries, ["supplier", "due", "delivered"])
        if deliveries.empty:
            raise ValueError("no deliveries: the table has no rows")
        due = _dates(deliveries, "due", required=True)
        delivered = _dates(deliveries, "delivered", required=False)
        bad = first_bad(deliveries["supplier"].isna())
        if bad is not None:
            raise ValueError(f"column 'supplier', row {bad}: empty")
        today = delivered.max() if delivered.notna().any() else due.max()
        late = (delivered - due).dt.days > self.grace_days
        outstanding = delivered.isna()
        late = late.where(~outstanding, due < today - pd.Timedelta(days=self.grace_days))
        known = ~outstanding | (due < today)
        frame = deliveries.loc[known].assign(_due=due[known], _late=late[known].astype(int))
        frame = frame.sort_values("_due", kind="stable")
        self.late_share_ = float(frame["_late"].mean())
        self.features_ = [
            c for c in deliveries.columns if c not in ("supplier", "due", "delivered")
        ]
        X = self._features(frame, _history(frame, self.late_share_, self.lag_days))
        late_count = int(frame["_late"].sum())
        if min(late_count, len(frame) - late_count) < 5 or len(frame) < 20:
            raise ValueError(
                f"not enough data: {len(frame)} deliveries with a known outcome, {late_count} "
                "late; at least 20, with 5 late and 5 on time, are needed"
            )
        self.model_ = ChurnModel(method=self.method).fit(X, frame["_late"].to_numpy())
        self.suppliers_ = self._record(frame)
        self.version_ = f"{MODEL_VERSION}-delivery-{self.method}"
        return self

    def _record(self, frame: pd.DataFrame) -> pd.DataFrame:
        group = frame.groupby(frame["supplier"].astype(str))["_late"]
        return pd.DataFrame(
            {
                "deliveries": group.size(),
                "late_share": group.mean(),
                "recent_late_share": group.apply(lambda s: s.tail(RECENT).mean()),
                "late": group.sum(),
                "recent_late": group.apply(lambda s: s.tail(RECENT).sum()),
                "recent_n": group.apply(lambda s: min(len(s), RECENT)),
            }
        )

    def _features(self, frame: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
        X = frame[self.features_].copy()
        X["supplier"] = frame["supplier"].astype(str)
        # The record's columns as an owner would say them: the model's reasons name them.
        return pd.concat([X, history.rename(columns=RECORD_WORDS)], axis=1)

    def _upcoming(self, upcoming: pd.DataFrame) -> pd.DataFrame:
        if not hasattr(self, "model_"):
            raise ValueError("fit the model before predicting")
        check_columns(upcoming, ["supplier", "due", *map(str, self.features_)])
        frame = upcoming.assign(_due=_dates(upcoming, "due", required=True))
        record = self.suppliers_.reindex(frame["supplier"].astype(str))
        n = record["deliveries"].fillna(0).to_numpy()
        late = record["late"].fillna(0).to_numpy()
        recent_late = record["recent_late"].fillna(0).to_numpy()
        recent_n = record["recent_n"].fillna(0).to_numpy()
        history = pd.DataFrame(
            {
                "supplier_late_share": (late + SHRINK * self.late_share_) / (n + SHRINK),
                "supplier_recent_late_share": (recent_late + SHRINK * self.late_share_)
                / (recent_n + SHRINK),
            },
            index=frame.index,
        )
        return self._features(frame, history)

    def predict_proba(self, upcoming: pd.DataFrame) -> np.ndarray:
        """Probabilities of on time and of late for each upcoming delivery."""
        features = self._upcoming(upcoming)
        return self.model_.predict_proba(features)

    def predict_interval(
        self, upcoming: pd.DataFrame, level: float = 0.8
    ) -> tuple[np.ndarray, np.ndarray]:
        """Low and high ends of an interval of each upcoming delivery's chance of being late
        (see :meth:`ChurnModel.predict_interval`)."""
        return self.model_.predict_interval(self._upcoming(upcoming), level)

    def explain(self, upcoming: pd.DataFrame, top: int = 3) -> list[list[str]]:
        """Per delivery, the supplier's record and the factors behind the risk, in words."""
        words = self.model_.explain(self._upcoming(upcoming), top=top)
        out = []
        for supplier, factors in zip(upcoming["supplier"].astype(str), words, strict=True):
            if supplier not in self.suppliers_.index:
                out.append([f"no deliveries from {supplier} before", *factors])
                continue
            row = self.suppliers_.loc[supplier]
            before, recent = 1 - row["late_share"], 1 - row["recent_late_share"]
            trend = f"on time {before:.0%} of {int(row['deliveries'])} deliveries"
            if abs(recent - before) >= 0.1:
                trend = f"on-time rate {'fell' if recent < before else 'rose'} from {before:.0%} to {recent:.0%} over the last {int(row['recent_n'])}"
            out.append([trend, *factors])
        return out
