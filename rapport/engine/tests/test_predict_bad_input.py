"""Small numbers and bad input: a result, "not enough data" or a clear error, never a crash,
a NaN or a misleading number."""

import numpy as np
import pandas as pd
import pytest

from rapport.engine.predict import ChurnModel, DeliveryRiskModel, PurchaseModel
from rapport.engine.tests.test_predict_contract import deliveries, purchases, table

NUMBERS = [
    "p_purchase",
    "expected_purchases",
    "expected_value",
    "expected_value_low",
    "expected_value_high",
]


@pytest.mark.parametrize("customers", [50, 200, 2000])
def test_purchase_model_gives_numbers_at_every_size(customers):
    f = PurchaseModel().fit(purchases(customers, seed=customers)).predict(horizon_days=182)
    assert len(f) == customers and f["enough"].all()
    assert not f[NUMBERS].isna().any().any()
    assert f["p_purchase"].between(0, 1).all()
    assert (f["expected_value_low"] <= f["expected_value_high"]).all()
    assert all(isinstance(r, list) and r for r in f["reasons"])


def test_one_time_buyers_are_not_all_certainly_alive():
    f = PurchaseModel().fit(purchases(200)).predict(182)
    once = f[f["reasons"].map(lambda r: r[0].startswith("bought once"))]
    assert len(once) > 5
    assert once["p_alive"].max() < 1 and once["p_alive"].nunique() > 1


def test_a_regular_gone_quiet_is_said_in_words():
    rows = [("regular", pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=w), 6.0) for w in range(52)]
    data = pd.concat([purchases(60), pd.DataFrame(rows, columns=["customer_id", "at", "amount"])])
    f = (
        PurchaseModel()
        .fit(data, until=pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=5))
        .predict(90)
    )
    assert (
        f.loc["regular", "reasons"][0]
        == "bought 52 times over 12 months (about every 7 days), nothing for 6 weeks"
    )


@pytest.mark.parametrize(
    "case",
    ["one customer", "all buy once", "single day"],
)
def test_purchase_model_says_not_enough_data(case):
    day = pd.Timestamp("2026-03-01")
    if case == "one customer":
        rows = [("a", day + pd.Timedelta(days=d), 3.0) for d in range(0, 100, 7)]
    elif case == "all buy once":
        rows = [(f"c{i}", day + pd.Timedelta(days=i), 3.0) for i in range(100)]
    else:
        rows = [(f"c{i % 30}", day, 3.0) for i in range(90)]
    f = PurchaseModel().fit(pd.DataFrame(rows, columns=["customer_id", "at", "amount"])).predict(30)
    assert not f["enough"].any()
    assert f["reasons"].map(lambda r: r[0].startswith("not enough data")).all()


def test_returns_duplicates_and_zero_amounts_give_numbers():
    data = purchases(80)
    data = pd.concat(
        [data, data.head(20), data.head(10).assign(amount=-4.0), data.tail(5).assign(amount=0.0)]
    )
    data = pd.concat(
        [
            data,
            pd.DataFrame([("refund-only", pd.Timestamp("2026-02-01"), -9.0)], columns=data.columns),
        ]
    )
    f = PurchaseModel().fit(data).predict(60)
    assert not f.loc[f["enough"], NUMBERS].isna().any().any()
    assert (f.loc[f["enough"], "expected_value"] >= 0).all()
    assert not f.loc["refund-only", "enough"]


def test_purchase_bad_input_is_a_clear_error():
    data = purchases(30)
    with pytest.raises(ValueError, match="column 'amount' is missing"):
        PurchaseModel().fit(data.drop(columns="amount"))
    bad = data.astype({"at": object})
    bad.loc[3, "at"] = "not a date"
    with pytest.raises(ValueError, match="column 'at', row 3"):
        PurchaseModel().fit(bad)
    future = data.copy()
    future.loc[5, "at"] = pd.Timestamp.today() + pd.Timedelta(days=400)
    with pytest.raises(ValueError, match="row 5.*future"):
        PurchaseModel().fit(future)
    # With until=, later rows are simply outside the observation.
    assert len(PurchaseModel().fit(future, until=pd.Timestamp("2026-12-31")).predict(30)) == 30


@pytest.mark.parametrize("amount", [5.0, 0.0])
def test_one_amount_for_everyone(amount):
    f = PurchaseModel().fit(purchases(80).assign(amount=amount)).predict(60)
    assert f["enough"].all() and not f[NUMBERS].isna().any().any()
    # Within a cent in ten thousand: the MAP estimate keeps the prior's small pull.
    assert np.allclose(f["spend_per_purchase"], amount, rtol=1e-4)


def test_aware_datetimes_are_read():
    data = purchases(40)
    data["at"] = data["at"].dt.tz_localize("Europe/Paris")
    assert PurchaseModel().fit(data).predict(30)["enough"].all()


def test_churn_unseen_categories_missing_values_and_a_constant_column():
    X, y = table(300)
    X["country"] = "FR"
    model = ChurnModel().fit(X, y)
    assert model.dropped_ == ["country"]
    new = X.head(3).copy()
    new.loc[new.index[0], "plan"] = "lifetime"
    new.loc[new.index[1], "tenure"] = np.nan
    risk = model.predict_proba(new)[:, 1]
    assert np.isfinite(risk).all() and ((risk > 0) & (risk < 1)).all()
    words = model.explain(new.set_axis([7, 7, 7]))
    assert len(words) == 3
    assert all(w.endswith("the risk") or w.startswith("nothing") for row in words for w in row)


def test_churn_probabilities_are_calibrated_and_ranked():
    X, y = table(1500, seed=1)
    model = ChurnModel().fit(X.iloc[:1000], y[:1000])
    risk = model.predict_proba(X.iloc[1000:])[:, 1]
    from sklearn.metrics import brier_score_loss, roc_auc_score

    assert roc_auc_score(y[1000:], risk) > 0.7
    assert abs(risk.mean() - y[1000:].mean()) < 0.05
    assert brier_score_loss(y[1000:], risk) < brier_score_loss(
        y[1000:], np.full(500, y[:1000].mean())
    )


def test_churn_bad_input_is_a_clear_error():
    X, y = table(100)
    with pytest.raises(ValueError, match="not enough data"):
        ChurnModel().fit(X.head(10), y[:10])
    with pytest.raises(ValueError, match="not enough data"):
        ChurnModel().fit(X, np.zeros(100))
    with pytest.raises(ValueError, match="y, row 4"):
        ChurnModel().fit(X, ["yes"] * 4 + ["maybe"] + ["no"] * 95)
    model = ChurnModel().fit(X, ["yes" if v else "no" for v in y])
    with pytest.raises(ValueError, match="column 'plan' is missing"):
        model.predict_proba(X.drop(columns="plan"))


def test_delivery_risk_beats_the_suppliers_own_late_rate():
    data = deliveries(1200, seed=2)
    # Air freight is late more often, whoever the supplier.
    data.loc[data["mode"] == "air", "delivered"] += pd.Timedelta(days=3)
    data = data.sort_values("due").reset_index(drop=True)
    train, test = data.iloc[:800], data.iloc[800:]
    model = DeliveryRiskModel().fit(train)
    risk = model.predict_proba(test.drop(columns="delivered"))[:, 1]
    late = (test["delivered"] > test["due"]).to_numpy()
    own = model.suppliers_["late_share"].reindex(test["supplier"]).to_numpy()
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(late, risk) > roc_auc_score(late, own) + 0.02
    words = model.explain(test.head(2).drop(columns="delivered"))
    assert words[0][0].startswith(("on time", "on-time rate"))


def test_delivery_bad_input():
    data = deliveries(200)
    with pytest.raises(ValueError, match="not enough data: 200 deliveries .* 0 late"):
        DeliveryRiskModel().fit(data.assign(delivered=data["due"]))
    with pytest.raises(ValueError, match="column 'due' is missing"):
        DeliveryRiskModel().fit(data.drop(columns="due"))
    bad = data.astype({"due": object})
    bad.loc[7, "due"] = "soon"
    with pytest.raises(ValueError, match="column 'due', row 7"):
        DeliveryRiskModel().fit(bad)
    # Not yet delivered: late when past due, left out when not yet due; unseen supplier.
    data.loc[:5, "delivered"] = pd.NaT
    model = DeliveryRiskModel().fit(data)
    upcoming = data.head(2).drop(columns="delivered").assign(supplier=["new mill", "mill"])
    risk = model.predict_proba(upcoming)[:, 1]
    assert np.isfinite(risk).all()
    assert model.explain(upcoming)[0][0] == "no deliveries from new mill before"


def test_each_prediction_says_what_it_used():
    f = PurchaseModel().fit(purchases(400), until=pd.Timestamp("2026-11-01")).predict(60)
    assert (
        f["used"].str.contains("learned from 400 customers up to 2026-11-01, checked against").all()
    )
    assert f["model_version"].str.endswith("-backtested").all()


def test_a_regular_who_comes_half_as_often_lately_is_expected_to_keep_the_new_pace():
    """The counts model keeps one rate per customer for life; the recent pace corrects it
    for a customer who still comes, but less often (an office ordering fewer platters)."""
    import datetime as dt

    import pandas as pd

    from rapport.engine.predict import PurchaseModel

    end = dt.date(2026, 6, 30)
    rows = []
    for c in range(40):
        weekly = [end - dt.timedelta(days=7 * w + c % 7) for w in range(104)]
        # Customer 0 came weekly for 18 months, then every other week.
        days = [d for w, d in enumerate(weekly) if c != 0 or w >= 26 or w % 2 == 0]
        rows += [(c, d, 20.0) for d in days]
    f = PurchaseModel().fit(pd.DataFrame(rows, columns=["customer_id", "at", "amount"]), until=end)
    ahead = f.predict(horizon_days=182)
    slowed, steady = ahead.loc[0], ahead.loc[1]
    assert slowed["expected_purchases"] < 0.75 * steady["expected_purchases"]
    assert any("buying less often lately" in r for r in slowed["reasons"])
    assert not any("lately" in r for r in steady["reasons"])
