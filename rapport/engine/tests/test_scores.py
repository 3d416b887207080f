"""Survey scores: hand-computed examples, then properties that hold for any answers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.engine.metrics import ces, csat, enps, favourable, mean_rating, nps, wilson

# --- hand-computed examples ---------------------------------------------------------------


def test_nps_is_promoters_minus_detractors_with_the_adjusted_wald_interval():
    result = nps([10, 9, 8, 7, 6])  # 2 promoters, 2 passives, 1 detractor
    assert result.value == pytest.approx(20.0)
    assert result.n == 5 and result.enough
    assert result.parts["promoters"] == 40 and result.parts["detractors"] == 20
    # n' = 8, p = 2.75/8, d = 1.75/8: (p - d) ± 1.96·√((p + d - (p - d)²) / 8)
    assert result.low == pytest.approx(-38.74, abs=0.01)
    assert result.high == pytest.approx(63.74, abs=0.01)


def test_five_promoters_out_of_five_do_not_get_a_zero_width_interval():
    result = nps([9, 10, 10, 9, 10])
    assert result.value == 100
    assert result.high == 100 and result.low == pytest.approx(17.5, abs=0.1)


def test_a_blank_answer_is_not_a_zero():
    assert enps([10, None, None, 9]).value == 100
    assert enps([10, None, None, 9]).n == 2
    assert enps([10, 0, 0, 9]).value == 0


def test_below_the_minimum_a_score_says_it_is_not_enough():
    assert not nps([10, 9, 8, 7]).enough
    assert nps([10, 9, 8, 7], minimum=3).enough
    empty = nps([None, None])
    assert empty.value is None and empty.low is None and empty.n == 0 and not empty.enough


def test_csat_is_the_share_of_four_and_five_with_the_mean_alongside():
    result = csat([5, 4, 3, 2, 5])
    assert result.value == 60
    assert result.parts["mean"] == pytest.approx(3.8)
    assert result.low == pytest.approx(23.07, abs=0.01)  # Wilson, 3 of 5
    assert result.high == pytest.approx(88.24, abs=0.01)
    assert csat([10, 9, 8], scale=10).value == pytest.approx(200 / 3)


def test_ces_is_the_mean_with_the_share_agreeing():
    result = ces([7, 6, 5, 4, 3])
    assert result.value == 5
    assert result.parts["agree"] == 60
    # mean ± t(4)·s/√n = 5 ± 2.776·1.5811/√5
    assert result.low == pytest.approx(3.037, abs=0.001)
    assert result.high == pytest.approx(6.963, abs=0.001)


def test_favourable_is_the_share_of_agree_with_a_zero_to_hundred_mean():
    result = favourable([5, 4, 3, 2, 1])
    assert result.value == 40
    assert result.parts["neutral"] == 20 and result.parts["unfavourable"] == 40
    assert result.parts["mean"] == 3 and result.parts["mean_100"] == 50


def test_mean_rating_of_one_answer_spans_the_whole_scale():
    result = mean_rating([4], scale=5)
    assert result.value == 4 and (result.low, result.high) == (1, 5)
    assert mean_rating([5, 4, 4, None]).value == pytest.approx(13 / 3)


def test_wilson_matches_the_published_interval():
    low, high = wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=0.0001)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nps([7, 11]), "NPS: answer 2 is 11, outside 0–10"),
        (lambda: nps(["7"]), "NPS: answer 1 is '7', not a number"),
        (lambda: nps([True]), "not a number"),
        (lambda: csat([4.5]), "not a whole number"),
        (lambda: favourable([0]), "outside 1–5"),
        (lambda: nps([5], minimum=0), "minimum must be at least 1"),
        (lambda: ces([3], scale=2), "at least 3 points"),
    ],
)
def test_bad_answers_are_named_with_their_position(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- properties ---------------------------------------------------------------------------

nps_answers = st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=60)
likert_answers = st.lists(st.integers(1, 5), min_size=1, max_size=60)


@given(nps_answers)
def test_nps_is_the_difference_of_the_shares_and_stays_in_range(scores):
    result = nps(scores)
    answered = [s for s in scores if s is not None]
    assert result.n == len(answered)
    if not answered:
        assert result.value is None
        return
    promoters = sum(s >= 9 for s in answered) / len(answered)
    detractors = sum(s <= 6 for s in answered) / len(answered)
    assert result.value == pytest.approx(100 * (promoters - detractors))
    assert -100 <= result.low <= result.high <= 100
    if len(answered) >= 2:
        assert result.low <= result.value + 1e-9 and result.value <= result.high + 1e-9


@given(nps_answers, st.integers(0, 20))
def test_blanks_change_nothing(scores, blanks):
    assert nps(scores + [None] * blanks) == nps(scores)


@given(st.lists(st.integers(0, 10), min_size=2, max_size=30))
def test_more_of_the_same_answers_narrows_the_interval(scores):
    once, twice = nps(scores), nps(scores * 2)
    assert twice.high - twice.low <= once.high - once.low + 1e-9


@given(st.integers(0, 200), st.integers(1, 200))
def test_wilson_contains_the_observed_share(successes, n):
    successes = min(successes, n)
    low, high = wilson(successes, n)
    assert 0 <= low <= successes / n <= high <= 1


@given(likert_answers)
def test_favourable_neutral_and_unfavourable_add_up(likert):
    result = favourable(likert)
    parts = result.parts
    assert result.value + parts["neutral"] + parts["unfavourable"] == pytest.approx(100)
    assert 0 <= parts["mean_100"] <= 100
    assert result.low <= result.value <= result.high


@given(likert_answers, st.integers(1, 10))
def test_enough_means_at_least_the_minimum(likert, minimum):
    for result in (favourable(likert, minimum=minimum), csat(likert, minimum=minimum)):
        assert result.enough == (result.n >= minimum)


@given(st.lists(st.integers(1, 7), min_size=1, max_size=60))
def test_mean_intervals_hold_the_mean_and_stay_on_the_scale(scores):
    for result, top in ((ces(scores), 7), (mean_rating(scores, scale=7), 7)):
        assert 1 <= result.low <= result.value <= result.high <= top
