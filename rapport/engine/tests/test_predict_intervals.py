"""Every probability comes with its interval: narrow when the model learned from many rows,
wide when from few, and always around the probability itself."""

import numpy as np
import pytest

from rapport.engine.predict import ChurnModel, DeliveryRiskModel
from rapport.engine.tests.test_predict_contract import deliveries, table


@pytest.mark.parametrize("method", ["logistic", "boosting"])
def test_churn_interval_holds_the_probability(method):
    X, y = table(300)
    model = ChurnModel(method=method).fit(X, y)
    low, high = model.predict_interval(X, level=0.8)
    p = model.predict_proba(X)[:, 1]
    assert low.shape == high.shape == p.shape
    assert (low >= 0).all() and (low <= p).all() and (p <= high).all() and (high <= 1).all()
    assert (high - low).mean() > 0.01


def test_churn_interval_is_wider_after_learning_from_few_rows():
    X, y = table(3000, seed=1)
    test = X.head(200)
    small = ChurnModel().fit(X.head(80), y[:80]).predict_interval(test)
    large = ChurnModel().fit(X, y).predict_interval(test)
    assert np.median(small[1] - small[0]) > 2 * np.median(large[1] - large[0])


def test_a_wider_level_gives_a_wider_interval():
    model = ChurnModel().fit(*table())
    X = table()[0]
    narrow, wide = model.predict_interval(X, 0.5), model.predict_interval(X, 0.95)
    assert (wide[0] <= narrow[0]).all() and (wide[1] >= narrow[1]).all()


def test_a_level_outside_zero_and_one_is_a_clear_error():
    model = ChurnModel().fit(*table())
    with pytest.raises(ValueError, match="level"):
        model.predict_interval(table()[0], level=80)


def test_delivery_interval_holds_the_probability_and_narrows_with_data():
    upcoming = deliveries(100, seed=9).drop(columns="delivered")
    small = DeliveryRiskModel().fit(deliveries(80, seed=1))
    large = DeliveryRiskModel().fit(deliveries(3000, seed=2))
    for model in (small, large):
        low, high = model.predict_interval(upcoming)
        p = model.predict_proba(upcoming)[:, 1]
        assert (low <= p).all() and (p <= high).all()
    width = [np.median(np.subtract(*m.predict_interval(upcoming)[::-1])) for m in (small, large)]
    assert width[0] > 2 * width[1]


def test_the_chance_of_buying_again_has_an_interval_wider_for_a_small_business():
    from rapport.engine.predict import PurchaseModel
    from rapport.engine.tests.test_predict_contract import purchases

    def widths(customers):
        f = PurchaseModel().fit(purchases(customers, seed=3)).predict(horizon_days=91)
        f = f[f["enough"].astype(bool)]
        low, p, high = f["p_purchase_low"], f["p_purchase"], f["p_purchase_high"]
        assert ((low >= 0) & (low <= p) & (p <= high) & (high <= 1)).all()
        return float((high - low).median())

    assert widths(30) > widths(600)
