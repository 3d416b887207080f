"""Sentiment trajectories: a cooling relationship shows before anyone is negative."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from rapport.engine.text.trajectory import (
    MIN_POINTS,
    conversation_trajectory,
    relationship_trajectory,
)

START = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def monthly(scores, start=START):
    return [(start + timedelta(days=30 * i), s) for i, s in enumerate(scores)]


def test_a_decline_shows_before_any_message_is_negative():
    t = conversation_trajectory([0.8, 0.6, 0.3, 0.1, 0.0])
    assert t.direction == "declining"
    assert t.trend_interval[1] < 0
    assert t.trend == pytest.approx(-0.2)
    assert t.change == pytest.approx(0.05 - 0.7)
    assert t.explanation == (
        "Sentiment has fallen from +0.80 to 0.00 over the last 5 messages,"
        " though no message was negative."
    )


def test_equal_scores_are_steady():
    t = conversation_trajectory([0.4] * 6)
    assert t.direction == "steady"
    assert t.trend == 0 and t.trend_interval == (0, 0)
    assert t.current == pytest.approx(0.4)
    assert t.explanation == "Sentiment has been steady around +0.40 over the last 6 messages."


def test_a_rise_is_improving():
    t = relationship_trajectory(monthly([-0.5, -0.3, -0.2, 0.1, 0.3]))
    assert t.direction == "improving"
    assert t.trend_interval[0] > 0
    assert t.explanation.startswith("Sentiment has risen from -0.50 to +0.30 over the last 4")


def test_three_messages_are_not_enough():
    t = conversation_trajectory([0.9, 0.2, -0.6])
    assert t.direction == "not enough data"
    assert t.trend is None and t.trend_interval is None
    assert t.current is not None  # the smoothed level is still given
    assert t.explanation == f"Not enough data: 3 messages; a trend needs at least {MIN_POINTS}."


def test_no_points_are_not_enough():
    for t in (conversation_trajectory([]), relationship_trajectory([])):
        assert t.direction == "not enough data" and t.current is None and t.points == ()


def test_unsorted_points_are_sorted_by_time():
    points = monthly([0.7, 0.5, 0.3, 0.1])
    shuffled = [points[2], points[0], points[3], points[1]]
    t = relationship_trajectory(shuffled)
    assert t.points == tuple(points)
    assert t.direction == "declining"
    assert t == relationship_trajectory(points)


def test_four_points_decline_only_when_every_step_goes_down():
    assert conversation_trajectory([0.8, 0.6, 0.3, 0.1]).direction == "declining"
    assert conversation_trajectory([0.8, 0.6, 0.65, 0.1]).direction == "steady"


def test_noise_around_a_level_is_steady():
    t = conversation_trajectory([0.5, -0.1, 0.6, 0.0, 0.4, 0.1, 0.55, -0.05])
    assert t.direction == "steady"
    low, high = t.trend_interval
    assert low < 0 < high


def test_wide_swings_without_a_trend_are_explained_as_such():
    t = conversation_trajectory([0.9, -0.8, 0.7, -0.9, 0.8])
    assert t.direction == "steady"
    assert t.explanation == (
        "Sentiment has swung between -0.90 and +0.90 with no clear trend over the last 5 messages."
    )


def test_the_interval_excludes_zero_rarely_on_pure_noise():
    # 90% two-sided: a flat noisy series is called declining about 5% of the time.
    rng = np.random.default_rng(3)
    calls = [
        conversation_trajectory(list(np.clip(0.2 + 0.3 * rng.standard_normal(8), -1, 1)))
        for _ in range(400)
    ]
    declining = sum(t.direction == "declining" for t in calls) / len(calls)
    improving = sum(t.direction == "improving" for t in calls) / len(calls)
    assert declining < 0.09 and improving < 0.09


def test_a_clear_but_tiny_slope_is_steady():
    t = conversation_trajectory([0.50, 0.49, 0.48, 0.47, 0.46])
    assert t.trend_interval[1] < 0  # statistically clear...
    assert t.direction == "steady"  # ...but a fall of 0.04 does not matter


def test_scores_without_a_value_are_skipped_with_a_note():
    t = conversation_trajectory([0.8, float("nan"), 0.6, None, 0.3, 0.1])
    assert [x for x, _ in t.points] == [0, 2, 4, 5]
    assert t.notes == ("skipped 2 points without a score",)
    assert t.direction == "declining"


def test_points_at_one_time_are_not_a_trend():
    t = relationship_trajectory([(START, 0.2), (START, 0.5), (START, -0.1), (START, 0.4)])
    assert t.direction == "not enough data"
    assert t.explanation == "Not enough data: all 4 interactions share one time."


def test_naive_and_aware_datetimes_do_not_mix():
    naive = START.replace(tzinfo=None)
    with pytest.raises(ValueError, match="naive and aware"):
        relationship_trajectory([(START, 0.5), (naive + timedelta(days=3), 0.2)])
    aware = relationship_trajectory(monthly([0.7, 0.5, 0.3, 0.1]))
    plain = relationship_trajectory(monthly([0.7, 0.5, 0.3, 0.1], start=naive))
    assert (aware.trend, aware.direction) == (plain.trend, plain.direction)


def test_numbers_are_days():
    t = relationship_trajectory([(0, 0.6), (30, 0.4), (60, 0.2), (90, 0.0)])
    assert t.unit == "30 days"
    assert t.trend == pytest.approx(-0.2)
    with pytest.raises(TypeError):
        relationship_trajectory([(START, 0.5), (30, 0.4)])


def test_a_relationship_is_judged_on_its_recent_months():
    # A happy year, then five months of cooling: the trend reads the last 180 days.
    scores = [0.7] * 12 + [0.65, 0.5, 0.4, 0.3, 0.2, 0.1]
    t = relationship_trajectory(monthly(scores))
    assert t.direction == "declining"
    assert t.window_points == 7
    assert "over the last 6 months (7 interactions)" in t.explanation


def test_smoothing_halves_the_weight_of_older_scores():
    # Half-life of one message: the earlier score weighs half as much as the latest.
    t = conversation_trajectory([1.0, 0.0], half_life=1.0)
    assert t.smoothed == (1.0, pytest.approx(1 / 3, abs=1e-4))
