"""The Relational Capital Index: one transparent 0–100 score per group of people a business
depends on (customers, employees, suppliers, community) and one overall.

::

    from rapport.engine.capital import History, capital_index
    from rapport.engine.metrics import csat, nps

    index = capital_index(
        {"customer": {"nps": nps(answers), "csat": csat(ratings)}},
        history={"customer": {"nps": History(score=61, n=40, label="last quarter")}},
    )
    index.value, index.low, index.high        # the overall score and its 95% interval
    customers = index.group("customer")
    customers.component("nps").why            # "Leans on last quarter's 61 because only 7 ..."
    customers.component("nps").metric         # the metric's own Result: the raw NPS, n, ...

How a number is built, in three steps that a page can show one by one (docs/relational-capital.md
gives the reasons):

1. **Score.** Each component is a metric ``Result`` (NPS, CSAT, retention, turnover...) put on
   0–100 by its ``Scale``: a documented, monotone, piecewise-linear map between anchor points
   (NPS −100 → 0 and +100 → 100; turnover 0% → 100 and 50% or more → 0). Values beyond the
   end anchors score like the end anchor. The metric's interval is mapped the same way.
2. **Shrink.** A component resting on few answers is pulled towards a prior:
   ``shrunk = w·score + (1 − w)·prior`` with ``w = n / (n + k)`` and ``k = K = 20``: with 20
   answers today's score counts for half. The prior is the business's own score for that
   component in an earlier period (``History``) when that rested on at least the metric's
   minimum number of answers, otherwise a neutral 50. The interval is shrunk the same way
   (the prior is taken as fixed).
3. **Weigh.** A group's index is the weighted mean of the shrunk scores of the components
   with enough data (``Result.enough``), the weights renormalised over them; every left-out
   component says why. Its interval is the same weighted mean of the lower ends and of the
   upper ends: the standard deviation of a weighted sum is at most the weighted sum of the
   standard deviations, whatever the correlation between components, so this interval is
   never narrower than a 95% one (it is exact when components move together, and wider
   than needed when they are independent). The overall index is the weighted mean of the
   groups that have an index (equal weights by default), its interval built the same way.

Every component, group and the whole index keep all their pieces (raw value, n, interval,
score, shrunk score, weight, contribution, prior and why), so a page can expand index →
group → component → the metric's own ``Result``. Only ``Result`` comes from the metric
library: any metric that returns one can be a component.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rapport.engine.metrics.scores import Result

# The four groups, keyed as people are grouped in the app (``people.choices.Group``).
GROUPS: tuple[str, ...] = ("customer", "employee", "supplier", "community")
GROUP_LABELS: dict[str, str] = {
    "customer": "Customers",
    "employee": "Employees",
    "supplier": "Suppliers and partners",
    "community": "Community",
}

# How many answers a prior is worth: with n answers today's score counts n / (n + K). With
# 20, a score from 5 answers counts for a fifth, from 20 for half, from 180 for nine tenths.
K = 20.0
NEUTRAL = 50.0

SCALE_WIDTH = 100.0


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} is {value!r}, not a number")
    if not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}, not a finite number")
    return float(value)


def _fmt(x: float) -> str:
    """A number as a page prints it: whole numbers without decimals, others to one."""
    text = f"{x:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text.replace("-", "−")


@dataclass(frozen=True)
class Scale:
    """A monotone, piecewise-linear map from a metric's own unit to 0–100.

    anchors: (metric value, score) pairs with strictly increasing metric values and scores
        in [0, 100] that all rise or all fall, so that a better metric never scores lower.
        Between anchors the score is interpolated; beyond the first or last anchor it is
        that anchor's score.
    unit: how the metric's values read ("%", "h", "days", "points"), for ``describe``.
    """

    anchors: tuple[tuple[float, float], ...]
    unit: str = ""

    def __post_init__(self) -> None:
        anchors = tuple(
            (_number(x, f"anchor {i} value"), _number(s, f"anchor {i} score"))
            for i, (x, s) in enumerate(self.anchors, start=1)
        )
        if len(anchors) < 2:
            raise ValueError("a scale needs at least two anchors")
        xs = [x for x, _ in anchors]
        scores = [s for _, s in anchors]
        if any(b <= a for a, b in zip(xs, xs[1:], strict=False)):
            raise ValueError(f"anchor values must strictly increase: {xs}")
        if any(not 0 <= s <= SCALE_WIDTH for s in scores):
            raise ValueError(f"anchor scores must lie in 0–100: {scores}")
        rising = all(b >= a for a, b in zip(scores, scores[1:], strict=False))
        falling = all(b <= a for a, b in zip(scores, scores[1:], strict=False))
        if not (rising or falling) or scores[0] == scores[-1]:
            raise ValueError(f"anchor scores must all rise or all fall: {scores}")
        object.__setattr__(self, "anchors", anchors)

    @property
    def increasing(self) -> bool:
        """True when a higher metric value is better (it scores higher)."""
        return self.anchors[-1][1] > self.anchors[0][1]

    def __call__(self, value: float) -> float:
        value = _number(value, "metric value")
        (x0, s0), (xn, sn) = self.anchors[0], self.anchors[-1]
        if value <= x0:
            return s0
        if value >= xn:
            return sn
        for (xa, sa), (xb, sb) in zip(self.anchors, self.anchors[1:], strict=False):
            if value <= xb:
                return sa + (sb - sa) * (value - xa) / (xb - xa)
        raise AssertionError("unreachable: value lies within the anchors")

    def interval(self, low: float, high: float) -> tuple[float, float]:
        """The metric's interval on 0–100; the ends swap for a falling scale."""
        a, b = self(low), self(high)
        return (a, b) if a <= b else (b, a)

    def describe(self) -> str:
        """The anchors in words: "1 h or less → 100, 24 h → 50, 72 h or more → 0"."""
        unit = f" {self.unit}" if self.unit and self.unit != "%" else self.unit
        words = [f"{_fmt(x)}{unit}" for x, _ in self.anchors]
        words[0] += " or less"
        words[-1] += " or more"
        return ", ".join(f"{w} → {_fmt(s)}" for w, (_, s) in zip(words, self.anchors, strict=True))


@dataclass(frozen=True)
class Component:
    """One part of a group's index: which metric, how it maps to 0–100, how much it weighs.

    key: the metric's name in the ``metrics`` mapping passed to ``group_index``.
    label: the name shown on a page.
    scale: the ``Scale`` from the metric's unit to 0–100.
    weight: its default weight within the group (non-negative; renormalised).
    counted: what its n counts, in words ("answers", "customers", "deliveries").
    about: what the metric is, in one line, for the page that expands it.
    """

    key: str
    label: str
    scale: Scale
    weight: float = 1.0
    counted: str = "answers"
    about: str = ""

    @property
    def scoring(self) -> str:
        """How its values become 0–100, in words (``Scale.describe``)."""
        return self.scale.describe()

    def __post_init__(self) -> None:
        if not self.key or not isinstance(self.key, str):
            raise ValueError(f"a component needs a key, not {self.key!r}")
        weight = _number(self.weight, f"the weight of {self.key}")
        if weight < 0:
            raise ValueError(
                f"the weight of {self.key} is {self.weight}; weights cannot be negative"
            )


# --- the scales and components shipped as defaults --------------------------------------------

NET_SCORE = Scale(((-100, 0), (100, 100)), "points")  # NPS, eNPS: −100..100 → 0..100
PERCENT = Scale(((0, 0), (100, 100)), "%")  # a share in % (0..100), higher is better
RATING_5 = Scale(((1, 0), (5, 100)), "stars")  # a 1–5 mean rating
EFFORT_7 = Scale(((1, 0), (7, 100)), "")  # CES 2.0, 1–7 agreement that it was easy
# Lower is better. The anchors are where the score reaches 100 and 0; documented and
# argued in docs/relational-capital.md, and a business can pass its own.
RESPONSE_HOURS = Scale(((1, 100), (24, 50), (72, 0)), "h")
TURNOVER = Scale(((0, 100), (50, 0)), "%")  # people leaving per year, % of headcount
CHURN = Scale(((0, 100), (50, 0)), "%")  # customers lost in the period, %
ABSENTEEISM = Scale(((0, 100), (10, 0)), "%")  # scheduled working days lost, %
DEFECT_RATE = Scale(((0, 100), (10, 0)), "%")  # deliveries with a defect, %
DAYS_SINCE_CONTACT = Scale(((7, 100), (90, 0)), "days")  # since a person last reached out

# Every metric the index knows how to score. The default sets below pick from it; a caller
# may build its own sets from it (or from new ``Component``s).
CATALOG: dict[str, Component] = {
    c.key: c
    for c in (
        Component("nps", "NPS", NET_SCORE, about="% promoters − % detractors, −100 to 100"),
        Component("csat", "CSAT", PERCENT, about="% of satisfaction answers that are 4 or 5"),
        Component(
            "retention",
            "Retention",
            PERCENT,
            counted="customers",
            about="% of the customers at the start of the period still buying at its end",
        ),
        Component(
            "repeat_purchase",
            "Repeat purchase",
            PERCENT,
            counted="customers",
            about="% of buying customers who bought more than once",
        ),
        Component(
            "human_touch",
            "Human touch",
            PERCENT,
            counted="interactions",
            about="% of interactions handled by a person rather than automation",
        ),
        Component(
            "response_time",
            "Responsiveness",
            RESPONSE_HOURS,
            counted="conversations",
            about="median hours until a person first replied",
        ),
        Component(
            "churn",
            "Churn",
            CHURN,
            counted="customers",
            about="% of customers lost in the period",
        ),
        Component(
            "days_since_contact",
            "Days since human contact",
            DAYS_SINCE_CONTACT,
            counted="relationships",
            about="days since a person last reached out, per relationship "
            "(metrics.days_since_human_contact); across relationships the caller chooses "
            "the summary (e.g. the median over key relationships)",
        ),
        Component("ces", "Customer effort", EFFORT_7, about="mean 1–7 agreement it was easy"),
        Component("enps", "eNPS", NET_SCORE, about="employee NPS, −100 to 100"),
        Component(
            "engagement",
            "Engagement",
            PERCENT,
            about="engagement index, 0 to 100 (% favourable on the engagement items)",
        ),
        Component(
            "turnover",
            "Turnover",
            TURNOVER,
            counted="employees",
            about="% of headcount leaving per year",
        ),
        Component(
            "absenteeism",
            "Absenteeism",
            ABSENTEEISM,
            counted="employees",
            about="% of scheduled working days lost to absence",
        ),
        Component(
            "on_time",
            "On-time deliveries",
            PERCENT,
            counted="deliveries",
            about="% of deliveries that arrived when promised",
        ),
        Component(
            "defect_rate",
            "Defect rate",
            DEFECT_RATE,
            counted="units",
            about="% of delivered quantity that was defective (metrics.defect_rate)",
        ),
        Component("supplier_nps", "Supplier NPS", NET_SCORE, about="NPS asked of suppliers"),
        Component(
            "supplier_response_time",
            "Responsiveness",
            RESPONSE_HOURS,
            counted="requests",
            about="median hours until the supplier replied",
        ),
        Component(
            "participation",
            "Participation",
            PERCENT,
            counted="staff",
            about="% of staff who took part in community events (metrics.community_participation)",
        ),
        Component(
            "community_rating",
            "Community rating",
            RATING_5,
            about="mean 1–5 rating given by community partners",
        ),
    )
}

# The default component set of each group, all weighted 1: with no evidence that one part
# matters more for a given business, equal weights are the easiest to explain and to argue
# with (OECD/JRC, Handbook on Constructing Composite Indicators, 2008, section 6).
DEFAULT_COMPONENTS: dict[str, tuple[Component, ...]] = {
    "customer": tuple(
        CATALOG[k]
        for k in ("nps", "csat", "retention", "repeat_purchase", "human_touch", "response_time")
    ),
    "employee": tuple(CATALOG[k] for k in ("enps", "engagement", "turnover", "absenteeism")),
    "supplier": tuple(
        CATALOG[k] for k in ("on_time", "defect_rate", "supplier_nps", "supplier_response_time")
    ),
    "community": tuple(CATALOG[k] for k in ("participation", "community_rating")),
}


@dataclass(frozen=True)
class History:
    """A component's own earlier score, used as the prior it is shrunk towards.

    score: the component's 0–100 score then (its ``score``, before shrinkage, so that a
        prior is not shrunk twice).
    n: how many answers (customers, deliveries...) it rested on.
    label: the period in words, as it reads after "leans on": "last quarter".
    """

    score: float
    n: int
    label: str = "the previous period"

    def __post_init__(self) -> None:
        score = _number(self.score, "a history score")
        if not 0 <= score <= SCALE_WIDTH:
            raise ValueError(f"a history score must lie in 0–100, not {self.score}")
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 0:
            raise ValueError(f"a history's n must be a whole number ≥ 0, not {self.n!r}")


# Why a component is not counted. Codes are stable; ``why`` gives the words.
NO_DATA = "no_data"
TOO_FEW = "too_few"
ZERO_WEIGHT = "zero_weight"


@dataclass(frozen=True)
class ComponentScore:
    """One component of one group's index, with everything behind it.

    metric: the metric's ``Result`` as given (None when none was given).
    score, score_low, score_high: the metric and its interval on 0–100 (None without data).
    prior: the score it was shrunk towards; prior_source: "history" or "neutral".
    pull: how much the prior counts, k / (n + k); 0 when nothing is shrunk.
    shrunk, shrunk_low, shrunk_high: the score and interval after shrinkage.
    weight: the weight asked for; share: that weight renormalised over the included
        components (0 when left out); contribution: share × shrunk, the points it adds to
        the group's index.
    included: counted in the index; left_out: why not ("no_data", "too_few", "zero_weight").
    why: all of it in one or two sentences.
    """

    component: Component
    metric: Result | None
    score: float | None
    score_low: float | None
    score_high: float | None
    prior: float | None
    prior_source: str
    pull: float
    shrunk: float | None
    shrunk_low: float | None
    shrunk_high: float | None
    weight: float
    share: float
    contribution: float | None
    included: bool
    left_out: str
    why: str

    @property
    def key(self) -> str:
        return self.component.key

    @property
    def label(self) -> str:
        return self.component.label

    @property
    def value(self) -> float | None:
        """The raw metric value, in the metric's own unit."""
        return None if self.metric is None else self.metric.value

    @property
    def n(self) -> int:
        return 0 if self.metric is None else self.metric.n


@dataclass(frozen=True)
class GroupIndex:
    """One group's index: the weighted mean of its included components' shrunk scores.

    value, low, high: the index and its interval on 0–100; None when no component has
        enough data (enough is then False).
    components: every component, in the order given, included or not.
    k: the prior's worth in answers that was used.
    why: a sentence on what it rests on and what was left out.
    ignored: keys of metrics given that are not components of this group (not counted).
    overall_weight, overall_share, overall_contribution: the group's weight in the overall
        index as asked, renormalised over the groups with an index, and the points it adds
        to the overall index (set by ``capital_index``; None before).
    """

    group: str
    label: str
    value: float | None
    low: float | None
    high: float | None
    enough: bool
    components: tuple[ComponentScore, ...]
    k: float
    why: str
    ignored: tuple[str, ...] = ()
    overall_weight: float | None = None
    overall_share: float | None = None
    overall_contribution: float | None = None

    @property
    def included(self) -> tuple[ComponentScore, ...]:
        return tuple(c for c in self.components if c.included)

    @property
    def left_out(self) -> tuple[ComponentScore, ...]:
        return tuple(c for c in self.components if not c.included)

    def component(self, key: str) -> ComponentScore:
        for c in self.components:
            if c.key == key:
                return c
        raise KeyError(f"{self.group} has no component {key!r}")


@dataclass(frozen=True)
class CapitalIndex:
    """The overall index: the weighted mean of the groups that have an index.

    value, low, high: on 0–100, None when no group has one (enough is then False).
    groups: the four ``GroupIndex``es, in ``GROUPS`` order, with their share of the whole.
    why: a sentence on which groups it rests on and which were left out.
    """

    value: float | None
    low: float | None
    high: float | None
    enough: bool
    groups: tuple[GroupIndex, ...]
    k: float
    why: str

    def group(self, key: str) -> GroupIndex:
        for g in self.groups:
            if g.group == key:
                return g
        raise KeyError(f"no group {key!r}; the groups are {', '.join(GROUPS)}")


def _check_k(k: float) -> float:
    k = _number(k, "k")
    if k < 0:
        raise ValueError(f"k must be 0 or more, not {k}")
    return k


def _check_weights(weights: Mapping[str, object], known: Sequence[str], what: str) -> None:
    for key, weight in weights.items():
        if key not in known:
            raise ValueError(f"{what}: {key!r} is not one of them (they are {', '.join(known)})")
        value = _number(weight, f"{what}: the weight of {key}")
        if value < 0:
            raise ValueError(f"{what}: the weight of {key} is {weight}; it cannot be negative")


def _plural(n: int, noun: str) -> str:
    if n == 1 and noun.endswith("s"):
        noun = noun[:-1]
    return f"{n} {noun}"


def _reason(left_out: str, metric: Result | None, counted: str) -> str:
    """Why a component is left out, in words."""
    if left_out == NO_DATA or metric is None:
        return "no data"
    if left_out == TOO_FEW:
        return f"only {_plural(metric.n, counted)}, fewer than the {metric.minimum} needed"
    return "its weight is set to 0"


def _score_component(
    component: Component,
    metric: Result | None,
    weight: float,
    history: History | None,
    k: float,
) -> ComponentScore:
    """Everything about one component except its share, which needs the whole group."""
    if metric is not None and not isinstance(metric, Result):
        raise ValueError(f"{component.key}: expected a metric Result, not {type(metric).__name__}")

    def left(code: str, **scores: float) -> ComponentScore:
        return ComponentScore(
            component=component,
            metric=metric,
            score=scores.get("score"),
            score_low=scores.get("low"),
            score_high=scores.get("high"),
            prior=None,
            prior_source="",
            pull=0.0,
            shrunk=None,
            shrunk_low=None,
            shrunk_high=None,
            weight=weight,
            share=0.0,
            contribution=None,
            included=False,
            left_out=code,
            why=f"Left out: {_reason(code, metric, component.counted)}.",
        )

    if metric is None or metric.value is None or metric.n == 0:
        return left(NO_DATA)
    try:
        score = component.scale(metric.value)
        has_interval = metric.low is not None and metric.high is not None
        if metric.low is not None and metric.high is not None:
            low, high = component.scale.interval(metric.low, metric.high)
            low, high = min(low, score), max(high, score)
        else:
            low = high = score  # no interval from the metric: it adds no width of its own
    except ValueError as error:
        raise ValueError(f"{component.key}: {error}")
    if not metric.enough:
        return left(TOO_FEW, score=score, low=low, high=high)
    if weight == 0:
        return left(ZERO_WEIGHT, score=score, low=low, high=high)

    if history is not None and history.n >= metric.minimum:
        prior, source = history.score, "history"
        prior_words = f"{history.label}'s {_fmt(history.score)}"
    else:
        prior, source = NEUTRAL, "neutral"
        prior_words = f"a neutral {_fmt(NEUTRAL)}"
        if history is None:
            prior_words += " (no history)"
        else:
            prior_words += (
                f" ({history.label}'s score rested on only {_plural(history.n, component.counted)})"
            )
    pull = k / (metric.n + k)

    def shrink(x: float) -> float:
        return (1 - pull) * x + pull * prior

    shrunk = shrink(score)
    n_words = _plural(metric.n, component.counted)
    if pull >= 0.5:
        why = (
            f"Leans on {prior_words} because only {n_words}: today's {_fmt(score)} "
            f"counts for {round(100 * (1 - pull))}%, giving {_fmt(shrunk)}."
        )
    elif pull > 0:
        why = (
            f"Mostly today's {_fmt(score)} ({n_words}); {round(100 * pull)}% comes from "
            f"{prior_words}, giving {_fmt(shrunk)}."
        )
    else:
        why = f"Today's {_fmt(score)} ({n_words}), not shrunk."
    if not has_interval:
        why += " The metric gave no interval, so it adds no uncertainty of its own."
    return ComponentScore(
        component=component,
        metric=metric,
        score=score,
        score_low=low,
        score_high=high,
        prior=prior,
        prior_source=source,
        pull=pull,
        shrunk=shrunk,
        shrunk_low=shrink(low),
        shrunk_high=shrink(high),
        weight=weight,
        share=0.0,
        contribution=None,
        included=True,
        left_out="",
        why=why,
    )


def _weighted(parts: Sequence[tuple[float, float, float, float]]) -> tuple[float, float, float]:
    """The weighted mean of (share, value, low, high), the shares summing to 1, and the same
    weighted mean of the ends: whatever the correlation between the parts, the standard
    deviation of a weighted sum is at most the weighted sum of their standard deviations."""

    def clamp(x: float) -> float:  # against rounding just outside 0–100
        return min(SCALE_WIDTH, max(0.0, x))

    value = clamp(sum(w * v for w, v, _, _ in parts))
    low = clamp(sum(w * lo for w, _, lo, _ in parts))
    high = clamp(sum(w * hi for w, _, _, hi in parts))
    return value, min(low, value), max(high, value)


def group_index(
    group: str,
    metrics: Mapping[str, Result],
    *,
    components: Sequence[Component] | None = None,
    weights: Mapping[str, float] | None = None,
    history: Mapping[str, History] | None = None,
    k: float = K,
) -> GroupIndex:
    """The index of one group (``customer``, ``employee``, ``supplier``, ``community``).

    metrics: component key → the metric's ``Result`` for the period. Keys that are not
        components of this group are not counted and are listed in ``ignored``.
    components: the group's components (default ``DEFAULT_COMPONENTS[group]``).
    weights: component key → weight, overriding the components' own weights. Weights must be
        non-negative with at least one positive; they are renormalised over the components
        that have enough data.
    history: component key → its ``History``, the prior for small samples.
    k: how many answers the prior is worth (``K``); 0 turns shrinkage off.

    Raises ValueError, naming the group, component and reason, for an unknown group or
    component, a duplicate component, a negative or non-numeric weight, or all weights 0.
    """
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}; the groups are {', '.join(GROUPS)}")
    k = _check_k(k)
    components = tuple(DEFAULT_COMPONENTS[group] if components is None else components)
    label = GROUP_LABELS[group]
    what = f"{label.lower()} components"
    if not components:
        raise ValueError(f"{what}: at least one component is needed")
    for c in components:
        if not isinstance(c, Component):
            raise ValueError(f"{what}: expected Components, not {type(c).__name__}")
    keys = [c.key for c in components]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"{what}: {', '.join(duplicates)} listed more than once")
    weights = dict(weights or {})
    _check_weights(weights, keys, f"weights of the {what}")
    chosen = {c.key: float(weights.get(c.key, c.weight)) for c in components}
    if not any(w > 0 for w in chosen.values()):
        raise ValueError(f"weights of the {what}: at least one must be above 0")
    history = dict(history or {})
    for key, past in history.items():
        if key not in keys:
            raise ValueError(
                f"history of the {what}: {key!r} is not one of them (they are {', '.join(keys)})"
            )
        if not isinstance(past, History):
            raise ValueError(f"history of {key}: expected a History, not {type(past).__name__}")

    scored = [
        _score_component(c, metrics.get(c.key), chosen[c.key], history.get(c.key), k)
        for c in components
    ]
    total = sum(c.weight for c in scored if c.included)
    final = tuple(
        replace(c, share=c.weight / total, contribution=c.weight / total * c.shrunk)
        if c.included and c.shrunk is not None
        else c
        for c in scored
    )
    ignored = tuple(sorted(key for key in metrics if key not in keys))

    included = [c for c in final if c.included]
    left_words = "; ".join(
        f"{c.label} ({_reason(c.left_out, c.metric, c.component.counted)})"
        for c in final
        if not c.included
    )
    tail = ""
    if ignored:
        noun = "a component" if len(ignored) == 1 else "components"
        tail = f" Not counted: {', '.join(ignored)} (not {noun} of this group)."
    if not included:
        why = f"Not enough data: no component has enough. Left out: {left_words}.{tail}"
        return GroupIndex(group, label, None, None, None, False, final, k, why, ignored)
    value, low, high = _weighted(
        [
            (c.share, c.shrunk, c.shrunk_low, c.shrunk_high)
            for c in included
            if c.shrunk is not None and c.shrunk_low is not None and c.shrunk_high is not None
        ]
    )
    why = f"Weighted mean of {len(included)} of {len(final)} components"
    if left_words:
        why += f", the weights renormalised over them. Left out: {left_words}."
    else:
        why += "."
    return GroupIndex(group, label, value, low, high, True, final, k, why + tail, ignored)


def capital_index(
    metrics: Mapping[str, Mapping[str, Result]],
    *,
    components: Mapping[str, Sequence[Component]] | None = None,
    weights: Mapping[str, Mapping[str, float]] | None = None,
    group_weights: Mapping[str, float] | None = None,
    history: Mapping[str, Mapping[str, History]] | None = None,
    k: float = K,
) -> CapitalIndex:
    """The Relational Capital Index of a business for one period: every group and overall.

    metrics: group → component key → ``Result``; a group may be missing.
    components, weights, history: group → what ``group_index`` takes for that group.
    group_weights: group → weight in the overall index (default 1 each); non-negative, at
        least one positive, renormalised over the groups that have an index.
    k: see ``group_index``.
    """
    k = _check_k(k)
    components = components or {}
    weights = weights or {}
    history = history or {}
    for what, given in (
        ("metrics", metrics),
        ("components", components),
        ("weights", weights),
        ("history", history),
    ):
        for key in given:
            if key not in GROUPS:
                raise ValueError(
                    f"{what}: unknown group {key!r}; the groups are {', '.join(GROUPS)}"
                )
    group_weights = dict(group_weights or {})
    _check_weights(group_weights, GROUPS, "group weights")
    chosen = {g: float(group_weights.get(g, 1.0)) for g in GROUPS}
    if not any(w > 0 for w in chosen.values()):
        raise ValueError("group weights: at least one must be above 0")

    groups = [
        group_index(
            g,
            metrics.get(g, {}),
            components=components.get(g),
            weights=weights.get(g),
            history=history.get(g),
            k=k,
        )
        for g in GROUPS
    ]
    total = sum(chosen[g.group] for g in groups if g.enough)
    final = []
    left = []
    for g in groups:
        weight = chosen[g.group]
        if g.enough and g.value is not None and weight > 0:
            share = weight / total
            final.append(
                replace(
                    g,
                    overall_weight=weight,
                    overall_share=share,
                    overall_contribution=share * g.value,
                )
            )
        else:
            final.append(replace(g, overall_weight=weight, overall_share=0.0))
            reason = "no component has enough data" if not g.enough else "its weight is set to 0"
            left.append(f"{g.label} ({reason})")
    counted = [g for g in final if g.overall_share]
    if not counted:
        why = f"Not enough data: no group has an index. Left out: {'; '.join(left)}."
        return CapitalIndex(None, None, None, False, tuple(final), k, why)
    value, low, high = _weighted(
        [
            (g.overall_share, g.value, g.low, g.high)
            for g in counted
            if g.overall_share and g.value is not None and g.low is not None and g.high is not None
        ]
    )
    equal = len({chosen[g.group] for g in counted}) == 1
    why = f"Weighted mean of {len(counted)} of {len(GROUPS)} groups"
    why += ", equally weighted" if equal and len(counted) > 1 else ""
    why += f". Left out: {'; '.join(left)}." if left else "."
    return CapitalIndex(value, low, high, True, tuple(final), k, why)
