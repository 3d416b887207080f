"""The scikit-learn contract, checked on every estimator of rapport.engine.predict."""

import doctest
import inspect

import numpy as np
import pandas as pd
import pytest

import rapport.engine.predict as predict
from rapport.engine.predict import (
    ChurnModel,
    DeliveryRiskModel,
    PurchaseModel,
    churn,
    delivery,
    purchase,
)

ESTIMATORS = [PurchaseModel, ChurnModel, DeliveryRiskModel]


def purchases(customers=60, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(customers):
        start = rng.integers(0, 100)
        for day in np.arange(start, 300, 5 + c % 40)[: 1 + c % 12]:
            rows.append(
                (f"c{c}", pd.Timestamp("2026-01-01") + pd.Timedelta(days=int(day)), 5.0 + c % 7)
            )
    return pd.DataFrame(rows, columns=["customer_id", "at", "amount"])


def table(rows=200, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "tenure": rng.integers(1, 60, rows).astype(float),
            "plan": rng.choice(["monthly", "yearly", "two years"], rows),
            "paper_bill": rng.random(rows) < 0.5,
        }
    )
    X.loc[::17, "tenure"] = np.nan
    risk = np.where(X.plan == "monthly", 0.5, 0.1) + np.where(X.tenure.fillna(30) < 10, 0.2, 0)
    return X, (rng.random(rows) < risk).astype(int)


def deliveries(rows=300, seed=0):
    rng = np.random.default_rng(seed)
    due = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300, rows), unit="D")
    supplier = rng.choice(["mill", "dairy", "eggs", "farm"], rows)
    late = rng.random(rows) < np.where(supplier == "mill", 0.6, 0.1)
    return pd.DataFrame(
        {
            "supplier": supplier,
            "due": due,
            "delivered": due + pd.to_timedelta(np.where(late, 4, -1), unit="D"),
            "mode": rng.choice(["road", "air"], rows),
        }
    )


def fitted(cls):
    if cls is PurchaseModel:
        return cls().fit(purchases())
    if cls is ChurnModel:
        return cls().fit(*table())
    return cls().fit(deliveries())


def test_package_exports_exactly_the_three_models():
    assert sorted(predict.__all__) == ["ChurnModel", "DeliveryRiskModel", "PurchaseModel"]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_contract(cls):
    # __init__ only stores its settings, under their own names, with defaults.
    signature = inspect.signature(cls.__init__)
    settings = [p for p in signature.parameters if p != "self"]
    model = cls()
    assert vars(model) == {name: signature.parameters[name].default for name in settings}
    # fit returns self; learned attributes end in _ and appear only after fit.
    learned = fitted(cls)
    assert isinstance(learned, cls)
    new = set(vars(learned)) - set(settings)
    assert new and all(name.endswith("_") for name in new)
    assert learned.version_.startswith("predict-")
    # The docstring documents Parameters, Attributes and a runnable Example.
    doc = cls.__doc__
    assert "Parameters" in doc and "Attributes" in doc and ">>>" in doc


@pytest.mark.parametrize("module", [purchase, churn, delivery])
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_predicting_before_fit_is_a_clear_error(cls):
    with pytest.raises(ValueError, match="fit the model"):
        if cls is PurchaseModel:
            cls().predict(30)
        elif cls is ChurnModel:
            cls().predict_proba(table()[0])
        else:
            cls().predict_proba(deliveries())
