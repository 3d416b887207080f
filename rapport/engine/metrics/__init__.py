"""Metric formulas: plain functions over plain rows, each returning a ``Result`` that carries
its sample size, its 95% interval and whether there was enough data to say anything.

``scores``: NPS, eNPS, CSAT, CES, Likert favourability and mean ratings.
``customers``: retention and churn (contractual and not), repeat purchase, historical
lifetime value, referral rate.
``employees``: engagement index, turnover, absenteeism.
``suppliers``: on-time delivery, defect rate.
``relationships``: response rate, responsiveness, loop closure and time to acknowledge,
human-touch share, days since human contact.
``community``: community participation. ``ideas``: innovation output, time to implement.

docs/metrics.md gives each metric's definition, formula, interval, minimum and source.
"""

from rapport.engine.metrics._common import MEDIAN_MINIMUM, MINIMUM
from rapport.engine.metrics.community import community_participation
from rapport.engine.metrics.customers import (
    contractual_churn,
    contractual_retention,
    historical_clv,
    historical_clv_by_cohort,
    noncontractual_churn,
    noncontractual_retention,
    referral_rate,
    repeat_purchase_of_counts,
    repeat_purchase_of_totals,
    repeat_purchase_rate,
    retention_of_active,
    retention_of_counts,
)
from rapport.engine.metrics.employees import absenteeism_rate, engagement_index, turnover
from rapport.engine.metrics.ideas import innovation_output, time_to_implement
from rapport.engine.metrics.relationships import (
    days_since_human_contact,
    human_touch_of_counts,
    human_touch_share,
    loop_closure_rate,
    response_rate,
    responsiveness,
    responsiveness_of_hours,
    time_to_acknowledge,
)
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
from rapport.engine.metrics.suppliers import defect_rate, on_time_rate

__all__ = [
    "MEDIAN_MINIMUM",
    "MINIMUM",
    "Result",
    "absenteeism_rate",
    "ces",
    "community_participation",
    "contractual_churn",
    "contractual_retention",
    "csat",
    "days_since_human_contact",
    "defect_rate",
    "engagement_index",
    "enps",
    "favourable",
    "historical_clv",
    "historical_clv_by_cohort",
    "human_touch_of_counts",
    "human_touch_share",
    "innovation_output",
    "loop_closure_rate",
    "mean_rating",
    "noncontractual_churn",
    "noncontractual_retention",
    "retention_of_active",
    "retention_of_counts",
    "nps",
    "on_time_rate",
    "referral_rate",
    "repeat_purchase_of_counts",
    "repeat_purchase_of_totals",
    "repeat_purchase_rate",
    "response_rate",
    "responsiveness",
    "responsiveness_of_hours",
    "time_to_acknowledge",
    "time_to_implement",
    "turnover",
    "wilson",
]
