"""Drivers: hand-computed examples, edge cases, then properties for any answers."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.engine.drivers import (
    DRIVER,
    NO_CLEAR_LINK,
    NOT_ENOUGH,
    _newcombe,
    find_drivers,
    holm,
    t_p_value,
    t_quantile,
)
from rapport.engine.metrics import csat, nps

# --- the statistics, against published values --------------------------------------------


@pytest.mark.parametrize(
    "df, t", [(1, 12.7062), (5, 2.5706), (10, 2.2281), (18, 2.1009), (1e7, 1.9600)]
)
def test_t_quantiles_match_the_tables(df, t):
    assert t_quantile(df) == pytest.approx(t, abs=1e-4)
    assert t_p_value(t, df) == pytest.approx(0.05, abs=1e-4)


def test_holm_multiplies_the_sorted_p_values_and_keeps_them_monotone():
    # sorted: 0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → raised to 0.06
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([]) == []
    assert holm([0.5, 0.9]) == [1.0, 1.0]
    with pytest.raises(ValueError, match="must lie in 0–1"):
        holm([1.5])


def rows(counts, labels):
    return [(score, set(labels)) for score, count in counts.items() for _ in range(count)]


# --- hand-computed examples ---------------------------------------------------------------


def test_nps_is_compared_as_nps_on_each_side_with_the_trinomial_variance():
    # with: 2 promoters, 2 passives, 6 detractors of 10 → −40
    # without: 12 promoters, 6 passives, 2 detractors of 20 → +50
    data = rows({10: 2, 8: 2, 0: 6}, {"waiting times"}) + rows({10: 12, 7: 6, 0: 2}, ())
    report = find_drivers(data, "nps")
    [effect] = report.effects
    assert effect.with_value == -40 and effect.without_value == 50
    assert effect.difference == pytest.approx(-90)
    # adjusted: n' = 13, p = 2.75/13, d = 6.75/13 and n' = 23, p = 12.75/23, d = 2.75/23;
    # v = (p + d − (p − d)²) / n' on each side; −90 ± 1.96·100·√(v₁ + v₂)
    v1 = (9.5 / 13 - (4 / 13) ** 2) / 13
    v2 = (15.5 / 23 - (10 / 23) ** 2) / 23
    half = 1.959964 * 100 * math.sqrt(v1 + v2)
    assert effect.low == pytest.approx(-90 - half) and effect.high == pytest.approx(-90 + half)
    assert effect.low == pytest.approx(-141.86, abs=0.01)
    assert effect.p == pytest.approx(math.erfc(90 / (100 * math.sqrt(v1 + v2)) / math.sqrt(2)))
    assert effect.status == DRIVER and effect.p_adjusted == effect.p
    assert effect.sentence == (
        "Comments about waiting times come with an NPS 90 points lower (NPS −40 in the 10 "
        "answers with them, 50 in the 20 answers without): very likely a real link."
    )
    assert effect.how.startswith("95% interval: 38 to 142 points lower; p=0.0")


def test_csat_uses_newcombes_interval_as_published():
    # Newcombe (1998), Table II, example (a): 56/70 − 48/80 → 0.0524 to 0.3339.
    data = rows({5: 56, 2: 14}, {"friendly staff"}) + rows({4: 48, 3: 32}, ())
    [effect] = find_drivers(data, "csat").effects
    assert (effect.with_value, effect.without_value) == (80, 60)
    assert effect.difference == pytest.approx(20)
    assert effect.low == pytest.approx(5.24, abs=0.01)
    assert effect.high == pytest.approx(33.39, abs=0.01)
    assert effect.status == DRIVER
    assert effect.sentence.startswith(
        "Comments about friendly staff come with a CSAT 20 points higher (CSAT 80% in the 70 "
        "answers with them, 60% in the 80 answers without"
    )


def test_the_csat_p_value_is_the_one_its_interval_implies():
    data = rows({5: 56, 2: 14}, {"x"}) + rows({4: 48, 3: 32}, ())
    [effect] = find_drivers(data, "csat").effects
    z = -math.sqrt(2) * _inverse_erfc(effect.p)
    low, _ = _newcombe(56, 70, 48, 80, abs(z))
    assert low == pytest.approx(0, abs=1e-9)


def _inverse_erfc(p):
    low, high = -10.0, 0.0  # erfc is decreasing; find x ≤ 0 with erfc(−x) = p
    for _ in range(200):
        middle = (low + high) / 2
        if math.erfc(-middle) > p:
            high = middle
        else:
            low = middle
    return low


def test_means_are_compared_with_welchs_interval():
    # with: 4, 5 alternating (mean 4.5, s² = 2.5/9); without: 3, 4 (mean 3.5, same s²)
    # se = √(2·(2.5/9)/10) = 0.2357; equal n and s² give df = 18 exactly: t = 2.1009
    data = [(4 + i % 2, {"praise"}) for i in range(10)] + [(3 + i % 2, set()) for i in range(10)]
    [effect] = find_drivers(data, "mean", name="rating").effects
    assert effect.difference == pytest.approx(1)
    se = math.sqrt(2 * (2.5 / 9) / 10)
    assert effect.low == pytest.approx(1 - 2.100922 * se, abs=1e-5)
    assert effect.high == pytest.approx(1 + 2.100922 * se, abs=1e-5)
    assert effect.p == pytest.approx(t_p_value(1 / se, 18))
    assert effect.sentence.startswith(
        "Comments about praise come with a rating 1 higher (rating 4.5 in the 10 answers"
    )


def test_an_emotion_reads_with_its_own_phrase_and_eNPS_is_named():
    data = rows({2: 12}, {"frustration"}) + rows({9: 6, 10: 6}, ())
    report = find_drivers(data, "enps", phrases={"frustration": "comments showing frustration"})
    [effect] = report.effects
    assert effect.sentence.startswith("Comments showing frustration come with an eNPS 200 points")


def test_holms_correction_can_withhold_a_driver():
    # Labels a and b are on separate answers; each alone has p = 0.045 < 0.05, but two
    # comparisons at once need p < 0.025 for the smaller.
    base = [3, 4, 5, 3, 4, 5, 3, 4, 5, 4]
    other = [3, 5, 4, 3, 5, 4, 3, 5, 4, 4]
    data = (
        [(x + 1, {"a"}) for x in base]
        + [(x + 1, {"b"}) for x in other]
        + [(x, set()) for x in base * 2]
    )
    report = find_drivers(data, "mean")
    a = next(e for e in report.effects if e.label == "a")
    assert a.low > 0 and a.p == pytest.approx(0.0448, abs=1e-4)
    assert a.p_adjusted == pytest.approx(2 * a.p)
    assert a.status == NO_CLEAR_LINK and report.drivers == ()
    assert "with 2 themes and emotions compared, a difference like this could be chance" in (
        a.sentence
    )
    assert "Holm" not in a.sentence
    assert "Holm-adjusted p=0.0897 over 2 labels" in a.how
    alone = find_drivers([(x, labels - {"b"}) for x, labels in data], "mean")
    assert [e.label for e in alone.drivers] == ["a"]  # the same answers, one comparison


def test_a_label_whose_interval_includes_zero_is_no_clear_link():
    data = rows({10: 6, 3: 5}, {"parking"}) + rows({10: 12, 2: 8}, ())
    [effect] = find_drivers(data, "nps").effects
    assert effect.status == NO_CLEAR_LINK and effect.low < 0 < effect.high
    assert "but a difference this size could be chance" in effect.sentence
    assert effect.how.startswith("95% interval: from ")


def test_drivers_come_first_ordered_by_the_size_of_the_difference():
    data = (
        rows({0: 15}, {"rude"})
        + rows({6: 10, 9: 5}, {"late"})
        + rows({10: 30, 8: 10}, {"tasty"})
        + rows({10: 5}, {"rare"})
        + rows({9: 20, 7: 15, 5: 5}, ())
    )
    report = find_drivers(data, "nps")
    assert [(e.label, e.status) for e in report.effects] == [
        ("rude", DRIVER),  # −145
        ("tasty", DRIVER),  # +75
        ("late", DRIVER),  # −68
        ("rare", NOT_ENOUGH),
    ]
    assert report.summary == (
        "3 of the 3 themes and emotions compared go with a clearly higher or lower NPS "
        "(115 answers). "
        "1 more had too few answers to compare."
    )
    assert "Holm's correction" in report.method


# --- edge cases: words, never a crash -------------------------------------------------------


def test_no_answers_say_not_enough_data():
    report = find_drivers([], "nps")
    assert report.effects == () and report.n == 0 and report.compared == 0
    assert report.summary == "Not enough data: no answers with a score yet."


def test_one_answer_says_not_enough_data():
    report = find_drivers([(9, {"bread"})], "nps")
    assert report.summary.startswith("Not enough data: 1 answer;")
    [effect] = report.effects
    assert effect.status == NOT_ENOUGH and effect.difference is None
    assert "not enough data" in effect.sentence


def test_identical_scores_say_there_is_nothing_to_compare():
    report = find_drivers(rows({9: 15}, {"bread"}) + rows({9: 15}, ()), "nps")
    [effect] = report.effects
    assert effect.status == NOT_ENOUGH
    assert "every answer is 9, so nothing can go with a higher or lower NPS" in effect.sentence
    assert report.summary.startswith("Not enough data to compare: every one of the 30 answers")


def test_a_label_on_every_answer_has_nothing_to_compare_with():
    report = find_drivers(rows({9: 15, 3: 15}, {"bread"}), "csat", scale=10)
    [effect] = report.effects
    assert effect.status == NOT_ENOUGH and effect.n_without == 0
    assert effect.sentence == (
        "Comments about bread: not enough data to compare: they are on every one of the 30 "
        "answers, so there are none without them."
    )


def test_a_label_on_too_few_answers_says_how_many_it_has():
    data = rows({10: 9}, {"parking"}) + rows({3: 30}, ())
    [effect] = find_drivers(data, "nps").effects
    assert effect.sentence == (
        "Comments about parking: not enough data: 9 answers with them and 30 without; "
        "at least 10 on each side are needed."
    )
    assert find_drivers(data, "nps", minimum=5).effects[0].status == DRIVER


def test_blank_scores_and_missing_labels_are_not_counted():
    data = [(None, {"bread"}), (9, None), *rows({9: 10, 0: 10}, ())]
    report = find_drivers(data, "nps")
    assert report.n == 21
    [effect] = report.effects
    assert (effect.n_with, effect.n_without) == (0, 21)


def test_no_labels_at_all_say_there_is_nothing_to_compare():
    report = find_drivers(rows({9: 10, 3: 10}, ()), "nps")
    assert (
        report.summary == "Nothing to compare: none of the 20 answers carries a theme or emotion."
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: find_drivers([(11, set())], "nps"), "row 1: the score is 11, outside 0–10"),
        (lambda: find_drivers([(4, set()), (0, set())], "csat"), "row 2: the score is 0"),
        (lambda: find_drivers([(8.5, set())], "nps"), "not a whole number"),
        (lambda: find_drivers([("9", set())], "nps"), "row 1: the score is '9', not a number"),
        (lambda: find_drivers([(math.nan, set())], "mean"), "not a number"),
        (lambda: find_drivers([(9, "bread")], "nps"), "must be a collection of names, not str"),
        (lambda: find_drivers([(9, {""})], "nps"), "the label '' is not a name"),
        (lambda: find_drivers([9], "nps"), "row 1: expected \\(score, labels\\)"),
        (lambda: find_drivers([], "ces"), "unknown kind 'ces'"),
        (lambda: find_drivers([], "nps", minimum=1), "minimum must be"),
        (lambda: find_drivers([], "csat", scale=2), "at least 3 points"),
    ],
)
def test_bad_input_is_refused_naming_the_row(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- properties ----------------------------------------------------------------------------

LABELS = ("waiting", "price", "staff", "anger", "joy")


def answers(scores):
    return st.lists(
        st.tuples(scores, st.frozensets(st.sampled_from(LABELS), max_size=3)), max_size=120
    )


def check_report(report, data):
    counted = [(x, labels) for x, labels in data if x is not None]
    assert report.n == len(counted)
    seen = set().union(*(labels for _, labels in data)) if data else set()
    assert {e.label for e in report.effects} == seen
    assert report.compared == sum(1 for e in report.effects if e.status != NOT_ENOUGH)
    ranks = {DRIVER: 0, NO_CLEAR_LINK: 1, NOT_ENOUGH: 2}
    assert [ranks[e.status] for e in report.effects] == sorted(
        ranks[e.status] for e in report.effects
    )
    for status in (DRIVER, NO_CLEAR_LINK):
        sizes = [abs(e.difference) for e in report.effects if e.status == status]
        assert sizes == sorted(sizes, reverse=True)
    for e in report.effects:
        assert e.sentence and e.n_with + e.n_without == report.n
        if e.status == NOT_ENOUGH:
            assert e.difference is None
            continue
        assert e.low - 1e-9 <= e.difference <= e.high + 1e-9
        assert e.difference == pytest.approx(e.with_value - e.without_value)
        assert e.p <= e.p_adjusted <= 1
        if e.status == DRIVER:
            assert (e.low > 0 or e.high < 0) and e.p_adjusted < 0.05
    assert report.summary


@given(answers(st.integers(0, 10)), st.integers(2, 12))
@settings(max_examples=150)
def test_any_nps_answers_give_a_report_and_each_side_is_its_nps(data, minimum):
    report = find_drivers(data, "nps", minimum=minimum)
    check_report(report, data)
    for e in report.effects:
        if e.status != NOT_ENOUGH:
            with_ = nps([x for x, labels in data if e.label in labels], minimum=1)
            without = nps([x for x, labels in data if e.label not in labels], minimum=1)
            assert e.with_value == pytest.approx(with_.value)
            assert e.without_value == pytest.approx(without.value)


@given(answers(st.integers(1, 5)), st.integers(2, 12))
@settings(max_examples=150)
def test_any_csat_answers_give_a_report_whose_p_matches_its_interval(data, minimum):
    report = find_drivers(data, "csat", minimum=minimum)
    check_report(report, data)
    for e in report.effects:
        if e.status != NOT_ENOUGH:
            with_ = csat([x for x, labels in data if e.label in labels], minimum=1)
            assert e.with_value == pytest.approx(with_.value)
            excludes_zero = e.low > 1e-6 or e.high < -1e-6
            includes_zero = e.low < -1e-6 and e.high > 1e-6
            if excludes_zero:
                assert e.p < 0.05
            if includes_zero:
                assert e.p > 0.05


@given(answers(st.floats(-1000, 1000, allow_nan=False)), st.integers(2, 12))
@settings(max_examples=150)
def test_any_numbers_give_a_report_whose_welch_p_matches_its_interval(data, minimum):
    report = find_drivers(data, "mean", minimum=minimum)
    check_report(report, data)
    for e in report.effects:
        if e.status != NOT_ENOUGH and e.low != e.high:
            if e.low > 1e-6 or e.high < -1e-6:
                assert e.p < 0.05 + 1e-6
            if e.low < -1e-6 and e.high > 1e-6:
                assert e.p > 0.05 - 1e-6


@given(st.lists(st.tuples(st.integers(0, 10), st.booleans()), max_size=80))
def test_a_label_and_its_complement_mirror_each_other(data):
    # "a" on exactly the answers without "b": their differences and intervals are mirrored.
    rows_ = [(x, {"a"} if flag else {"b"}) for x, flag in data]
    effects = {e.label: e for e in find_drivers(rows_, "nps", minimum=2).effects}
    if "a" in effects and "b" in effects and effects["a"].difference is not None:
        a, b = effects["a"], effects["b"]
        assert a.difference == pytest.approx(-b.difference)
        assert a.low == pytest.approx(-b.high) and a.high == pytest.approx(-b.low)
        assert a.p == pytest.approx(b.p)
