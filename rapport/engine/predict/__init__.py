"""Predictions with care: who is drifting away, and what they are worth (no Django).

Three estimators that follow the scikit-learn contract (settings in ``__init__``, ``fit``
returns ``self``, learned attributes end in ``_``):

- :class:`PurchaseModel` for non-contractual customers (a bakery's regulars): chance of a
  repeat purchase, expected purchases and value over a horizon, with reasons in words.
- :class:`ChurnModel` for contractual customers and employee attrition: any table in,
  calibrated probabilities and per-row reasons out.
- :class:`DeliveryRiskModel` for suppliers: the chance each upcoming delivery is late.

The methods were chosen by measurement (``benchmarks/bench_predict.py``); the model card is
``docs/predict.md``.
"""

from rapport.engine.predict.churn import ChurnModel
from rapport.engine.predict.delivery import DeliveryRiskModel
from rapport.engine.predict.purchase import PurchaseModel

__all__ = ["ChurnModel", "DeliveryRiskModel", "PurchaseModel"]
