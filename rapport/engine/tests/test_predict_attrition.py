"""The attrition prior: the directions of published research, a wide range, and the
business's own history taking over as its departures accrue."""

import numpy as np
import pandas as pd
from scipy import special

from rapport.engine.predict import attrition


def test_absence_low_mood_a_heavy_workload_and_short_tenure_raise_the_chance():
    calm = {"absence_days": 0, "absence_change": 0, "mood": 0.2, "team_workload": 4.0}
    X = pd.DataFrame(
        [
            {**calm, "tenure_years": 5},
            {**calm, "tenure_years": 5, "absence_days": 9, "absence_change": 6},
            {**calm, "tenure_years": 5, "mood": -0.7},
            {**calm, "tenure_years": 5, "team_workload": 2.2},
            {**calm, "tenure_years": 0.3},
        ]
    )
    logits = attrition.prior_logits(X, 0.1)
    assert (logits[1:] > logits[0]).all()


def test_missing_columns_and_values_add_nothing():
    X = pd.DataFrame({"mood": [np.nan], "absence_days": [None]})
    assert attrition.prior_logits(X, 0.1)[0] == special.logit(0.1)
    assert attrition.prior_logits(pd.DataFrame(index=[0]), 0.2)[0] == special.logit(0.2)


def test_the_base_rate_is_the_businesss_own_pulled_towards_the_trades():
    assert attrition.base_rate(0, 0) == attrition.BASE_RATE
    assert 0.1 < attrition.base_rate(30, 100) < 0.3


def test_the_own_model_takes_over_as_departures_accrue_and_the_range_narrows():
    prior = np.array([special.logit(0.1)])
    learned, interval = np.array([0.5]), (np.array([0.45]), np.array([0.55]))
    alone = attrition.blend(prior, None, 0)
    few = attrition.blend(prior, learned, 2, learned_interval=interval)
    many = attrition.blend(prior, learned, 200, learned_interval=interval)
    assert alone[3] == 0 and np.isclose(alone[0][0], 0.1)
    assert alone[0][0] < few[0][0] < many[0][0] < 0.5
    widths = [b[2][0] - b[1][0] for b in (alone, few, many)]
    assert widths[0] > 0.1 and widths[2] < widths[0]
