"""Metric formulas: plain functions over plain numbers, each returning a ``Result`` that carries
its sample size, its 95% interval and whether there was enough data to say anything.

``scores``: NPS, eNPS, CSAT, CES, Likert favourability and mean ratings.
"""

from rapport.engine.metrics.scores import (
    Result,
    ces,
    csat,
    enps,
    favourable,
    mean_rating,
    nps,
    wilson,
)

__all__ = ["Result", "ces", "csat", "enps", "favourable", "mean_rating", "nps", "wilson"]
