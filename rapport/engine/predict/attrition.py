"""A prior for employee attrition, for a business too small to learn it alone.

A bakery with 24 staff sees a handful of departures in three years: far too few for any
model to learn from, and nothing public may ship as a prior (the IBM attrition set is
evaluation-only). What is known in general comes from meta-analyses of many studies:

- absence goes before leaving: Mitra, Jenkins & Gupta (1992), *A meta-analysis of the
  relationship between absence and turnover*, J. Applied Psychology 77(6), 879-889
  (corrected r about 0.33), and a rising absence more so;
- low satisfaction, low commitment, a heavy workload and short tenure go with leaving:
  Griffeth, Hom & Gaertner (2000), *A meta-analysis of antecedents and correlates of employee
  turnover*, J. Management 26(3), 463-488 (satisfaction about -0.19, tenure about -0.20).

``prior_logits`` turns these *directions* into log-odds with sizes set by hand (written down
in ``EFFECTS``, not fitted on any data), around the business's own base rate; ``blend`` lets
the business's own model take over as departures accrue (weight d / (d + ``PRIOR_DEPARTURES``)).
The prior's interval is wide on purpose (``PRIOR_SD`` on the log-odds).

Columns read (any may be missing, then it adds nothing): days absent over the last 90 days,
their change against the 90 before, how the person's messages read (-1 to 1), the team's
pulse and workload answers (1-5) and eNPS answers (0-10), tenure in years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

# Log-odds added per unit of each column, and the column's neutral value (no push there).
# Per 5 days absent over 90 days: +0.5; per 5 more days than the 90 before: +0.3; per point
# of mood below 0: +1.0; per point of a team's pulse or workload answer below 3.5: +0.3 and
# +0.4; per point of eNPS answers below 7: +0.1; per halving of tenure below 2 years: +0.2.
EFFECTS = {
    "absence_days": (0.1, 0.0),
    "absence_change": (0.06, 0.0),
    "mood": (-1.0, 0.0),
    "team_pulse": (-0.3, 3.5),
    "team_workload": (-0.4, 3.5),
    "team_enps": (-0.1, 7.0),
}
TENURE_EFFECT = -0.2 / np.log(2)  # per log-year, below 2 years
TENURE_CAP = 2.0
# Where the business has no history of its own: about 10% of staff leave in six months
# (a high-turnover trade such as food retail), as a pseudo-history of this many snapshots.
BASE_RATE, BASE_WEIGHT = 0.10, 40
PRIOR_SD = 0.8
PRIOR_DEPARTURES = 20


def base_rate(leavers: int, rows: int) -> float:
    """The business's own share of snapshots followed by a departure, pulled towards
    ``BASE_RATE`` by ``BASE_WEIGHT`` pseudo-snapshots."""
    return (leavers + BASE_RATE * BASE_WEIGHT) / (rows + BASE_WEIGHT)


def prior_contributions(X: pd.DataFrame) -> pd.DataFrame:
    """Each column's push on the log-odds (0 at its neutral value; missing adds nothing)."""
    parts = {}
    for column, (effect, neutral) in EFFECTS.items():
        if column in X:
            values = pd.to_numeric(X[column], errors="coerce")
            parts[column] = (effect * (values - neutral)).fillna(0.0)
    if "tenure_years" in X:
        years = pd.to_numeric(X["tenure_years"], errors="coerce").clip(lower=0.1)
        short = TENURE_EFFECT * (np.log(years.clip(upper=TENURE_CAP)) - np.log(TENURE_CAP))
        parts["tenure_years"] = short.fillna(0.0)
    return pd.DataFrame(parts, index=X.index)


def prior_logits(X: pd.DataFrame, rate: float) -> np.ndarray:
    return special.logit(rate) + prior_contributions(X).sum(axis=1).to_numpy()


def blend(
    prior: np.ndarray,
    learned: np.ndarray | None,
    departures: int,
    level: float = 0.8,
    learned_interval: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Probability, low, high and the learned model's weight: the prior's log-odds and the
    business's model's, weighed by its departures. The prior's interval is +-``PRIOR_SD``;
    the learned one's comes from the model."""
    z = stats.norm.ppf(0.5 + level / 2)
    weight = departures / (departures + PRIOR_DEPARTURES) if learned is not None else 0.0
    spread = np.full(len(prior), PRIOR_SD * z)
    logit = prior
    if learned is not None:
        own = special.logit(np.clip(learned, 1e-6, 1 - 1e-6))
        logit = (1 - weight) * prior + weight * own
        if learned_interval is not None:
            own_spread = (
                special.logit(np.clip(learned_interval[1], 1e-6, 1 - 1e-6))
                - special.logit(np.clip(learned_interval[0], 1e-6, 1 - 1e-6))
            ) / 2
            spread = (1 - weight) * spread + weight * own_spread
    return (
        special.expit(logit),
        special.expit(logit - spread),
        special.expit(logit + spread),
        weight,
    )
