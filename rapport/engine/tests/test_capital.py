"""The Relational Capital Index: hand-computed examples, then properties for any metrics."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.engine.capital import (
    CATALOG,
    DEFAULT_COMPONENTS,
    GROUPS,
    NET_SCORE,
    RESPONSE_HOURS,
    TURNOVER,
    Component,
    History,
    Scale,
    capital_index,
    group_index,
)
from rapport.engine.metrics import Result, nps

# --- scales ---------------------------------------------------------------------------------


def test_nps_maps_from_minus_hundred_to_hundred_onto_zero_to_hundred():
    assert NET_SCORE(-100) == 0 and NET_SCORE(20) == 60 and NET_SCORE(100) == 100


def test_a_lower_is_better_scale_falls_between_its_anchors_and_stays_flat_beyond():
    # 1 h → 100, 24 h → 50, 72 h → 0
    assert RESPONSE_HOURS(0.25) == 100
    assert RESPONSE_HOURS(12.5) == pytest.approx(75)  # halfway from 1 h to 24 h
    assert RESPONSE_HOURS(48) == pytest.approx(25)
    assert RESPONSE_HOURS(500) == 0
    assert TURNOVER(10) == pytest.approx(80)
    assert not TURNOVER.increasing and NET_SCORE.increasing


def test_a_falling_scale_swaps_the_ends_of_an_interval():
    assert TURNOVER.interval(5, 20) == (pytest.approx(60), pytest.approx(90))


def test_a_scale_reads_in_words():
    assert RESPONSE_HOURS.describe() == "1 h or less → 100, 24 h → 50, 72 h or more → 0"
    assert NET_SCORE.describe() == "−100 points or less → 0, 100 points or more → 100"


@pytest.mark.parametrize(
    "anchors, message",
    [
        (((0, 0),), "at least two anchors"),
        (((0, 0), (0, 100)), "strictly increase"),
        (((0, 0), (5, 120)), "lie in 0–100"),
        (((0, 0), (5, 80), (10, 20)), "all rise or all fall"),
        (((0, 50), (5, 50)), "all rise or all fall"),
        (((0, 0), (math.nan, 100)), "not a finite number"),
    ],
)
def test_a_scale_that_is_not_monotone_is_refused(anchors, message):
    with pytest.raises(ValueError, match=message):
        Scale(anchors)


def test_every_default_group_uses_components_from_the_catalogue():
    assert set(DEFAULT_COMPONENTS) == set(GROUPS)
    assert [c.key for c in DEFAULT_COMPONENTS["employee"]] == [
        "enps",
        "engagement",
        "turnover",
        "absenteeism",
    ]
    for components in DEFAULT_COMPONENTS.values():
        assert all(CATALOG[c.key] is c and c.weight == 1 for c in components)


# --- shrinkage towards a prior ---------------------------------------------------------------


def test_a_small_sample_leans_on_last_quarters_score():
    metric = nps([10, 10, 10, 10, 9, 3, 3])  # 5 promoters, 2 detractors: NPS 42.86
    group = group_index(
        "customer",
        {"nps": metric},
        history={"nps": History(score=61, n=40, label="last quarter")},
    )
    c = group.component("nps")
    assert c.metric is metric and c.value == pytest.approx(300 / 7) and c.n == 7
    assert c.score == pytest.approx(500 / 7)  # (42.86 + 100) / 2
    # w = 7 / (7 + 20): 7/27 · 71.43 + 20/27 · 61
    assert c.pull == pytest.approx(20 / 27)
    assert c.shrunk == pytest.approx(7 / 27 * 500 / 7 + 20 / 27 * 61)
    assert c.prior == 61 and c.prior_source == "history"
    assert c.why.startswith("Leans on last quarter's 61 because only 7 answers")
    assert "today's 71.4 counts for 26%" in c.why
    # the interval is shrunk the same way, towards the fixed prior
    low, high = (x / 2 + 50 for x in (metric.low, metric.high))
    assert c.score_low == pytest.approx(low) and c.score_high == pytest.approx(high)
    assert c.shrunk_low == pytest.approx(7 / 27 * low + 20 / 27 * 61)
    assert c.shrunk_high == pytest.approx(7 / 27 * high + 20 / 27 * 61)


def test_without_history_a_score_is_pulled_towards_a_neutral_fifty():
    group = group_index("customer", {"csat": Result(80.0, 30, 62.0, 91.0, True)})
    c = group.component("csat")
    assert c.prior == 50 and c.prior_source == "neutral"
    assert c.shrunk == pytest.approx(0.6 * 80 + 0.4 * 50)  # w = 30 / 50
    assert c.why == (
        "Mostly today's 80 (30 answers); 40% comes from a neutral 50 (no history), giving 68."
    )


def test_a_history_resting_on_too_few_answers_is_not_used():
    group = group_index(
        "customer",
        {"csat": Result(80.0, 6, 40.0, 96.0, True)},
        history={"csat": History(90, 3, "last month")},
    )
    c = group.component("csat")
    assert c.prior == 50 and c.prior_source == "neutral"
    assert "a neutral 50 (last month's score rested on only 3 answers)" in c.why


def test_k_zero_turns_shrinkage_off():
    group = group_index("customer", {"csat": Result(80.0, 6, 40.0, 96.0, True)}, k=0)
    c = group.component("csat")
    assert c.shrunk == 80 and c.pull == 0 and "not shrunk" in c.why
    assert group.value == 80 and (group.low, group.high) == (40, 96)


# --- one group -----------------------------------------------------------------------------


def customers():
    return {
        "nps": Result(20.0, 80, 10.0, 30.0, True),  # score 60, interval 55–65, w = 0.8
        "csat": Result(90.0, 20, 80.0, 95.0, True),  # score 90, interval 80–95, w = 0.5
        "retention": Result(None, 0, None, None, False),
        "human_touch": Result(40.0, 3, 10.0, 80.0, False),
    }


def test_a_group_is_the_weighted_mean_over_the_components_with_enough_data():
    group = group_index("customer", customers())
    nps_, csat_ = group.component("nps"), group.component("csat")
    assert nps_.shrunk == pytest.approx(0.8 * 60 + 0.2 * 50)  # 58
    assert csat_.shrunk == pytest.approx(0.5 * 90 + 0.5 * 50)  # 70
    assert nps_.share == csat_.share == 0.5
    assert group.value == pytest.approx(64)
    assert nps_.contribution == pytest.approx(29) and csat_.contribution == pytest.approx(35)
    # interval: the same weighted mean of the shrunk lower ends and upper ends
    assert group.low == pytest.approx((0.8 * 55 + 10 + 0.5 * 80 + 25) / 2)  # 59.5
    assert group.high == pytest.approx((0.8 * 65 + 10 + 0.5 * 95 + 25) / 2)  # 67.25
    assert group.enough and group.label == "Customers"


def test_a_group_says_which_components_were_left_out_and_why():
    group = group_index("customer", customers())
    assert [c.key for c in group.included] == ["nps", "csat"]
    left = {c.key: (c.left_out, c.why) for c in group.left_out}
    assert left["retention"] == ("no_data", "Left out: no data.")
    assert left["human_touch"] == (
        "too_few",
        "Left out: only 3 interactions, fewer than the 5 needed.",
    )
    assert left["repeat_purchase"][0] == "no_data"  # not given at all
    assert group.component("human_touch").score == 40  # still shown, not counted
    assert group.why.startswith(
        "Weighted mean of 2 of 6 components, the weights renormalised over them. Left out: "
        "Retention (no data); Repeat purchase (no data); Human touch (only 3 interactions, "
        "fewer than the 5 needed)"
    )


def test_a_business_can_weigh_its_components():
    group = group_index("customer", customers(), weights={"nps": 3})
    assert group.component("nps").share == 0.75
    assert group.value == pytest.approx(0.75 * 58 + 0.25 * 70)
    zero = group_index("customer", customers(), weights={"csat": 0})
    assert zero.value == pytest.approx(58)
    assert zero.component("csat").left_out == "zero_weight"
    assert zero.component("csat").why == "Left out: its weight is set to 0."


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"nps": -1}, "the weight of nps is -1; it cannot be negative"),
        ({"nsp": 1}, "'nsp' is not one of them"),
        ({"nps": "high"}, "the weight of nps is 'high', not a number"),
        ({"nps": True}, "not a number"),
        ({"nps": math.inf}, "not a finite number"),
        ({"nps": None}, "the weight of nps is None, not a number"),
        (
            {c.key: 0 for c in DEFAULT_COMPONENTS["customer"]},
            "at least one must be above 0",
        ),
    ],
)
def test_bad_weights_are_refused_with_the_reason(weights, message):
    with pytest.raises(ValueError, match=message):
        group_index("customer", customers(), weights=weights)


def test_a_lower_is_better_metric_scores_higher_when_it_is_lower():
    group = group_index("employee", {"turnover": Result(10.0, 14, 5.0, 20.0, True)}, k=0)
    c = group.component("turnover")
    assert c.score == pytest.approx(80)
    assert (c.score_low, c.score_high) == (pytest.approx(60), pytest.approx(90))
    assert c.why == "Today's 80 (14 employees), not shrunk."


def test_a_metric_without_an_interval_adds_no_width():
    group = group_index("customer", {"response_time": Result(12.5, 30, None, None, True)})
    c = group.component("response_time")
    assert c.score_low == c.score_high == c.score == pytest.approx(75)
    assert "gave no interval" in c.why
    assert group.low == group.value == group.high


def test_a_group_with_no_data_says_so():
    group = group_index("supplier", {})
    assert group.value is None and group.low is None and not group.enough
    assert group.why.startswith("Not enough data: no component has enough.")


def test_metrics_that_are_not_components_are_listed_not_counted():
    group = group_index("customer", {**customers(), "churn": Result(3.0, 90, 1.0, 9.0, True)})
    assert group.ignored == ("churn",)
    assert group.value == pytest.approx(64)
    assert "Not counted: churn (not a component of this group)." in group.why


def test_a_caller_can_build_its_own_components():
    mine = (CATALOG["nps"], CATALOG["churn"], Component("reviews", "Reviews", NET_SCORE, 2))
    group = group_index(
        "customer",
        {
            "churn": Result(10.0, 200, 8.0, 12.0, True),
            "reviews": Result(0.0, 20, -10.0, 10.0, True),
        },
        components=mine,
        k=0,
    )
    assert group.component("churn").score == pytest.approx(80)
    assert group.component("reviews").share == pytest.approx(2 / 3)
    assert group.value == pytest.approx(80 / 3 + 2 * 50 / 3)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: group_index("customers", {}), "unknown group 'customers'"),
        (lambda: group_index("customer", {}, k=-1), "k must be 0 or more"),
        (lambda: group_index("customer", {}, components=()), "at least one component"),
        (
            lambda: group_index("customer", {}, components=(CATALOG["nps"], CATALOG["nps"])),
            "nps listed more than once",
        ),
        (lambda: group_index("customer", {"nps": 42}), "nps: expected a metric Result, not int"),
        (lambda: History(120, 10), "must lie in 0–100"),
        (lambda: History(60, -1), "whole number ≥ 0"),
        (
            lambda: group_index("customer", {}, history={"turnover": History(60, 10)}),
            "'turnover' is not one of them",
        ),
        (lambda: Component("x", "X", NET_SCORE, weight=-2), "cannot be negative"),
        (
            lambda: group_index("customer", {"nps": Result(math.nan, 10, None, None, True)}),
            "nps: metric value is nan, not a finite number",
        ),
    ],
)
def test_bad_input_is_refused_with_the_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- overall -------------------------------------------------------------------------------


def test_the_overall_index_is_the_mean_of_the_groups_with_an_index():
    index = capital_index(
        {
            "customer": customers(),
            "employee": {"enps": Result(0.0, 20, -30.0, 30.0, True)},  # 50, shrunk 50
        }
    )
    customer, employee = index.group("customer"), index.group("employee")
    assert customer.value == pytest.approx(64) and employee.value == pytest.approx(50)
    assert index.value == pytest.approx(57)
    assert customer.overall_share == employee.overall_share == 0.5
    assert customer.overall_contribution == pytest.approx(32)
    assert index.low == pytest.approx((customer.low + employee.low) / 2)
    assert index.high == pytest.approx((customer.high + employee.high) / 2)
    assert index.group("supplier").overall_share == 0
    assert index.why == (
        "Weighted mean of 2 of 4 groups, equally weighted. Left out: Suppliers and partners "
        "(no component has enough data); Community (no component has enough data)."
    )


def test_a_business_can_weigh_the_groups():
    index = capital_index(
        {"customer": customers(), "employee": {"enps": Result(0.0, 20, -30.0, 30.0, True)}},
        group_weights={"customer": 3, "employee": 1, "supplier": 5},
    )
    assert index.value == pytest.approx(0.75 * 64 + 0.25 * 50)
    assert index.group("supplier").overall_weight == 5


def test_every_number_expands_from_the_index_to_the_raw_metric():
    metric = Result(20.0, 80, 10.0, 30.0, True)
    index = capital_index({"customer": {"nps": metric}})
    component = index.group("customer").component("nps")
    assert component.metric is metric
    assert index.value == pytest.approx(component.contribution)


def test_with_no_data_anywhere_the_index_says_not_enough():
    index = capital_index({})
    assert index.value is None and not index.enough
    assert index.why.startswith("Not enough data: no group has an index.")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"group_weights": {"customer": -1}}, "group weights: the weight of customer"),
        ({"group_weights": dict.fromkeys(GROUPS, 0)}, "at least one must be above 0"),
        ({"weights": {"staff": {}}}, "weights: unknown group 'staff'"),
    ],
)
def test_bad_overall_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        capital_index({}, **kwargs)


def test_an_unknown_group_of_metrics_is_refused():
    with pytest.raises(ValueError, match="metrics: unknown group 'customers'"):
        capital_index({"customers": {}})


# --- properties ----------------------------------------------------------------------------


@st.composite
def scales(draw):
    xs = sorted(draw(st.sets(st.integers(-1000, 1000), min_size=2, max_size=5)))
    scores = sorted(draw(st.lists(st.integers(0, 100), min_size=len(xs), max_size=len(xs))))
    if scores[0] == scores[-1]:
        scores[0], scores[-1] = 0, 100
    if draw(st.booleans()):
        scores.reverse()
    return Scale(tuple(zip(xs, scores, strict=True)))


@given(scales(), st.floats(-2000, 2000), st.floats(-2000, 2000))
def test_a_scale_is_monotone_and_stays_in_zero_to_hundred(scale, a, b):
    a, b = min(a, b), max(a, b)
    sa, sb = scale(a), scale(b)
    assert 0 <= sa <= 100 and 0 <= sb <= 100
    assert (sa <= sb + 1e-9) if scale.increasing else (sa >= sb - 1e-9)


@st.composite
def results(draw):
    """A share in % with an interval around it, sometimes missing or too small."""
    n = draw(st.integers(0, 500))
    if n == 0:
        return Result(None, 0, None, None, False)
    value = draw(st.floats(0, 100))
    low = draw(st.floats(0, value))
    high = draw(st.floats(value, 100))
    return Result(value, n, low, high, n >= 5)


share_components = tuple(Component(key, key, Scale(((0, 0), (100, 100)))) for key in "abcd")


@given(
    st.dictionaries(st.sampled_from("abcd"), results()),
    st.dictionaries(st.sampled_from("abcd"), st.floats(0.01, 10)),
    st.dictionaries(
        st.sampled_from("abcd"),
        st.builds(History, st.floats(0, 100), st.integers(0, 100)),
    ),
    st.floats(0, 100),
)
@settings(max_examples=200)
def test_a_group_index_is_a_weighted_mean_within_its_interval(metrics, weights, history, k):
    group = group_index(
        "customer",
        metrics,
        components=share_components,
        weights=weights,
        history=history,
        k=k,
    )
    included = group.included
    assert group.enough == bool(included)
    for c in group.components:
        if c.included:
            assert min(c.score, c.prior) - 1e-9 <= c.shrunk <= max(c.score, c.prior) + 1e-9
            assert c.shrunk_low - 1e-9 <= c.shrunk <= c.shrunk_high + 1e-9
        else:
            assert c.share == 0 and c.contribution is None and c.why.startswith("Left out")
    if not included:
        assert group.value is None
        return
    assert sum(c.share for c in included) == pytest.approx(1)
    assert sum(c.contribution for c in included) == pytest.approx(group.value)
    assert 0 <= group.low <= group.value <= group.high <= 100
    shrunk = [c.shrunk for c in included]
    assert min(shrunk) - 1e-9 <= group.value <= max(shrunk) + 1e-9


@given(
    st.dictionaries(st.sampled_from("abcd"), results(), min_size=1),
    st.fixed_dictionaries({key: st.floats(0.01, 10) for key in "abcd"}),
    st.floats(0.1, 1000),
)
def test_scaling_every_weight_changes_nothing(metrics, weights, factor):
    one = group_index("customer", metrics, components=share_components, weights=weights)
    other = group_index(
        "customer",
        metrics,
        components=share_components,
        weights={key: w * factor for key, w in weights.items()},
    )
    if one.value is None:
        assert other.value is None
    else:
        assert other.value == pytest.approx(one.value)


@given(
    st.dictionaries(st.sampled_from("abcd"), results(), min_size=1),
    st.sampled_from("abcd"),
    st.floats(0, 100),
)
def test_a_better_metric_never_lowers_the_index(metrics, key, better):
    before = group_index("customer", metrics, components=share_components)
    metric = metrics.get(key)
    if metric is None or not metric.enough or metric.value >= better:
        return
    improved = {
        **metrics,
        key: Result(better, metric.n, metric.low, max(better, metric.high), True),
    }
    after = group_index("customer", improved, components=share_components)
    assert after.value >= before.value - 1e-9


@given(st.integers(5, 10_000), st.integers(1, 500))
def test_more_answers_lean_less_on_the_prior(n, more):
    few = group_index("customer", {"csat": Result(80.0, n, 70.0, 90.0, True)})
    many = group_index("customer", {"csat": Result(80.0, n + more, 70.0, 90.0, True)})
    assert many.component("csat").pull < few.component("csat").pull
    assert many.value > few.value  # closer to 80, away from the neutral 50


@given(
    st.fixed_dictionaries({g: st.dictionaries(st.sampled_from("abcd"), results()) for g in GROUPS}),
    st.dictionaries(st.sampled_from(GROUPS), st.floats(0.01, 10)),
)
@settings(max_examples=100)
def test_the_overall_index_lies_between_its_groups(metrics, group_weights):
    components = dict.fromkeys(GROUPS, share_components)
    index = capital_index(metrics, components=components, group_weights=group_weights)
    counted = [g for g in index.groups if g.overall_share]
    assert index.enough == bool(counted)
    if not counted:
        return
    values = [g.value for g in counted]
    assert min(values) - 1e-9 <= index.value <= max(values) + 1e-9
    assert sum(g.overall_contribution for g in counted) == pytest.approx(index.value)
    assert 0 <= index.low <= index.value <= index.high <= 100
