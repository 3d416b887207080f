"""PurchaseModel's priors: fitted on public data, shipped with the package, and read on the
business's own time and money scale."""

import numpy as np
import pandas as pd

from rapport.engine.predict import PurchaseModel, purchase
from rapport.engine.tests.test_predict_contract import purchases


def test_the_shipped_priors_say_where_they_come_from():
    priors = purchase.load_priors()
    assert priors is not None and priors == purchase.PRIORS
    assert "CDNOW" in priors["provenance"]["data"] and "MIT" in priors["provenance"]["licence"]
    for part in ("bg", "gg"):
        for centre, sd in priors[part].values():
            assert np.isfinite(centre) and 0.5 <= sd <= 3


def test_alpha_is_centred_on_the_business_own_clock():
    rng = np.random.default_rng(0)
    x, T = rng.poisson(3, 100).astype(float), rng.uniform(5, 40, 100)
    weekly, slower = purchase.bg_prior(x, T), purchase.bg_prior(x, T * 7)
    # The same purchases spread over seven times as long: alpha's centre is 7 times larger,
    # the scale-free parts (r, a, b) and every sd are unchanged.
    assert np.isclose(slower[1, 0] - weekly[1, 0], np.log(7), atol=0.01)
    assert np.allclose(np.delete(slower, 1, axis=0), np.delete(weekly, 1, axis=0))
    assert np.allclose(slower[:, 1], weekly[:, 1])


def test_spend_scale_is_centred_on_the_business_own_spend():
    m = np.array([0.5, 1.0, 1.0, 2.5])
    shifted = purchase.gg_prior(m * 2)
    assert np.isclose(shifted[2, 0] - purchase.gg_prior(m)[2, 0], np.log(2))


def test_a_bakery_with_weekly_regulars_gets_a_weekly_scale():
    rows = [
        (f"c{c}", pd.Timestamp("2026-01-05") + pd.Timedelta(days=d), 6.0)
        for c in range(30)
        for d in range(c % 5, 120, 7 + c % 3)
    ]
    model = PurchaseModel().fit(pd.DataFrame(rows, columns=["customer_id", "at", "amount"]))
    # Customers buying every 7-9 days: the mean rate r / alpha is near one a week.
    assert 0.5 < model.params_["r"] / model.params_["alpha"] < 2


def test_fourteen_customers_get_wide_intervals_or_not_enough_never_nan():
    for seed in range(10):
        f = PurchaseModel().fit(purchases(14, seed=seed)).predict(182)
        if f["enough"].all():
            numbers = f[["p_purchase", "expected_purchases", "expected_purchases_low"]]
            assert not numbers.isna().any().any()
            width = f["expected_purchases_high"] - f["expected_purchases_low"]
            assert (width > 0.1 * f["expected_purchases"]).mean() > 0.5
        else:
            assert f["reasons"].map(lambda r: r[0].startswith("not enough data")).all()


def test_without_the_shipped_priors_the_hand_set_ones_are_used(monkeypatch):
    monkeypatch.setattr(purchase, "PRIORS", None)
    model = PurchaseModel(backtest=False).fit(purchases(60))
    assert np.array_equal(model.bg_prior_, purchase.BG_PRIOR)
