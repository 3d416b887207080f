"""Alerts: plain data for a dashboard, and relational decay flagged only when human touch and
the relationship's health both fall, as the data supports."""

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.engine.alerts import change_alert, relational_decay, trend_alert
from rapport.engine.metrics import csat
from rapport.engine.trends import bucket, compare, mean_result, share_result, trend


def monthly(kind: str, values, n: int):
    """Six (or more) months from January 2025, ``n`` answers a month: for "share" the % of
    true flags, for "mean" sentiment scores spread ±0.3 around each month's value."""
    rows = []
    for month, value in enumerate(values):
        when = datetime(2025, 1 + month, 15, 10, tzinfo=UTC)
        if kind == "share":
            yes = round(value * n / 100)
            answers = [True] * yes + [False] * (n - yes)
        else:
            answers = [value + 0.3, value - 0.3] * (n // 2)
        rows += [(when, answer) for answer in answers]
    if kind == "share":
        metric = lambda rs: share_result(a for _, a in rs)  # noqa: E731
    else:
        metric = lambda rs: mean_result(a for _, a in rs)  # noqa: E731
    return bucket(rows, every="month", tz="Europe/Paris", when=lambda r: r[0], metric=metric)


TOUCH_FALLING = monthly("share", [62, 60, 52, 40, 34, 31], 100)  # 58% then 35%, by halves
MOOD_FALLING = monthly("mean", [0.45, 0.41, 0.37, 0.22, 0.18, 0.14], 50)  # +0.41 then +0.18
MOOD_STEADY = monthly("mean", [0.30] * 6, 50)
TOUCH_STEADY = monthly("share", [50] * 6, 100)
RETENTION_FALLING = monthly("share", [95, 94, 93, 85, 84, 80], 100)


def test_decay_is_flagged_when_human_touch_and_sentiment_both_fall():
    check = relational_decay("regulars", human_touch=TOUCH_FALLING, sentiment=MOOD_FALLING)
    assert check.flagged
    assert check.sentence == (
        "regulars: human-touch share fell from 58% to 35% over 6 months while sentiment fell"
        " from +0.41 to +0.18: very likely a real change."
    )
    # The tests behind it, one click away on a page.
    assert check.alert.how.startswith("human-touch share: two-proportion test, p<0.001; n=300")
    assert "sentiment: Welch's t-test, p<0.001" in check.alert.how
    alert = check.alert
    assert (alert.kind, alert.severity, alert.subject) == (
        "relational_decay",
        "warning",
        "regulars",
    )
    touch, mood = alert.numbers["human_touch"], alert.numbers["sentiment"]
    assert touch["from"] == 58 and touch["to"] == 35 and touch["n_before"] == 300
    assert touch["evidence"] == "change" and touch["test"] == "two-proportion test"
    assert mood["from"] == pytest.approx(0.41) and mood["to"] == pytest.approx(0.18)
    assert touch["change"]["before_label"] == "2025-01–2025-03"
    assert touch["trend"]["direction"] == "down"
    # Plain data: it goes to JSON as it is, with no NaN or infinity.
    assert json.loads(json.dumps(alert.to_dict(), allow_nan=False))["kind"] == "relational_decay"
    json.dumps(check.to_dict(), allow_nan=False)


def test_decay_is_critical_when_retention_falls_too():
    check = relational_decay(
        "regulars",
        human_touch=TOUCH_FALLING,
        sentiment=MOOD_FALLING,
        retention=RETENTION_FALLING,
    )
    assert check.alert.severity == "critical"
    assert check.sentence.endswith("and retention fell from 94% to 83%: very likely real changes.")
    assert "retention: two-proportion test, p<0.001" in check.alert.how


def test_retention_alone_can_confirm_decay():
    check = relational_decay("accounts", human_touch=TOUCH_FALLING, retention=RETENTION_FALLING)
    assert check.flagged and check.sentiment is None
    assert set(check.alert.numbers) == {"human_touch", "retention"}


def test_falling_human_touch_with_steady_sentiment_is_not_decay():
    check = relational_decay("regulars", human_touch=TOUCH_FALLING, sentiment=MOOD_STEADY)
    assert not check.flagged and check.alert is None
    assert check.human_touch.falling and not check.sentiment.falling
    assert check.sentence == (
        "regulars: human-touch share fell from 58% to 35% over 6 months, but sentiment did not"
        " clearly fall (+0.30 → +0.30, could be chance; no clear trend); not flagged as decay."
    )
    assert "sentiment: Welch's t-test, p=1.000" in check.how
    assert "Mann–Kendall test, p=1.000" in check.how


def test_falling_sentiment_with_steady_human_touch_is_not_decay():
    check = relational_decay("regulars", human_touch=TOUCH_STEADY, sentiment=MOOD_FALLING)
    assert not check.flagged and check.sentiment.falling
    assert check.sentence.startswith(
        "regulars: no relational decay: human-touch share did not clearly fall (50% → 50%,"
    )


def test_thin_human_touch_data_says_so():
    check = relational_decay(
        "Dupont family",
        human_touch=monthly("share", [62, 60, 52, 40, 34, 31], 3),
        sentiment=MOOD_FALLING,
    )
    assert not check.flagged and check.human_touch.thin
    assert check.sentence == (
        "Dupont family: too little data to judge relational decay: human-touch share has too"
        " few answers (9, then 9, where 20 on each side are needed) and 0 periods with enough"
        " answers, where a trend needs 6."
    )


def test_thin_sentiment_data_says_so():
    check = relational_decay(
        "regulars", human_touch=TOUCH_FALLING, sentiment=monthly("mean", [0.4, 0.1] * 3, 2)
    )
    assert not check.flagged and check.sentiment.thin
    assert check.sentence.startswith(
        "regulars: human-touch share fell from 58% to 35% over 6 months, but there is too"
        " little data to tell whether sentiment suffered: sentiment has too few answers (6, then 6"
    )


def test_a_steady_trend_can_show_the_fall_when_windows_are_too_thin():
    # Windows need 1,000 answers here, so only the Mann–Kendall trends can speak.
    check = relational_decay(
        "regulars", human_touch=TOUCH_FALLING, sentiment=MOOD_FALLING, minimum=1000
    )
    assert check.flagged
    assert check.human_touch.evidence == "trend" and check.sentiment.evidence == "trend"
    assert "Mann–Kendall test, p=0.003" in check.alert.how
    assert "Mann" not in check.sentence
    assert check.alert.numbers["human_touch"]["test"] == "Mann–Kendall test"


def test_one_period_is_too_thin():
    check = relational_decay("regulars", human_touch=TOUCH_FALLING[:1], sentiment=MOOD_FALLING[:1])
    assert not check.flagged and check.human_touch.thin


def test_empty_series_are_too_thin():
    check = relational_decay("regulars", human_touch=[], sentiment=[])
    assert not check.flagged and check.human_touch.thin
    assert check.human_touch.change.n_before == 0


def test_decay_needs_sentiment_or_retention():
    with pytest.raises(ValueError, match="needs a sentiment or a retention series"):
        relational_decay("regulars", human_touch=TOUCH_FALLING)


def test_a_supported_fall_is_a_warning_and_a_rise_is_news():
    worse = compare(
        csat([5] * 120 + [2] * 20), csat([4] * 67 + [1] * 28), kind="share", name="CSAT"
    )
    alert = change_alert(worse, subject="Saturday bakery counter")
    assert (alert.kind, alert.severity) == ("change", "warning")
    assert alert.sentence == (
        "Saturday bakery counter: CSAT fell from 86% to 71% (140 answers, then 95): very likely"
        " a real change."
    )
    assert alert.how.startswith("two-proportion test, p=0.005")
    assert alert.to_dict()["how"] == alert.how
    assert alert.numbers["n_before"] == 140 and alert.numbers["test"] == "two-proportion test"
    better = compare(
        csat([4] * 67 + [1] * 28), csat([5] * 120 + [2] * 20), kind="share", name="CSAT"
    )
    assert change_alert(better, subject="x").severity == "info"
    # Waiting time: down is good news.
    assert change_alert(worse, subject="x", higher_is_better=False).severity == "info"


def test_no_alert_without_support():
    noise = compare(csat([5] * 40 + [1] * 10), csat([5] * 38 + [1] * 12), kind="share", name="x")
    assert change_alert(noise, subject="x") is None
    assert trend_alert(trend([], kind="share", name="x"), subject="x") is None


def test_a_trend_alert():
    found = trend(MOOD_FALLING, kind="mean", name="Sentiment", signed=True)
    alert = trend_alert(found, subject="regulars")
    assert (alert.kind, alert.severity) == ("trend", "warning")
    # Theil–Sen by hand: the 8th of the 15 pairwise slopes is −0.0675; the median of
    # y + 0.0675·x is 0.46375; the line runs from +0.46 to 0.46375 − 5 × 0.0675 = +0.13.
    assert found.slope == pytest.approx(-0.0675) and found.end == pytest.approx(0.12625)
    assert alert.sentence == (
        "regulars: Sentiment fell steadily from +0.46 to +0.13 over 6 months, about 0.07 a"
        " month: very likely a real trend."
    )
    assert alert.how.startswith(
        "Mann–Kendall test, p=0.003 (S=-15, exact); Theil–Sen slope -0.07 a month"
    )
    assert alert.numbers["p_value"] == found.p_value


# --- properties ---------------------------------------------------------------------------

month_values = st.lists(st.integers(0, 100), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(touch=month_values, mood=st.lists(st.floats(-0.7, 0.7), min_size=1, max_size=12))
def test_decay_is_never_flagged_while_human_touch_is_steady(touch, mood):
    steady = monthly("share", [touch[0]] * len(touch), 40)
    check = relational_decay("x", human_touch=steady, sentiment=monthly("mean", mood, 40))
    assert not check.flagged and check.alert is None


@settings(max_examples=40, deadline=None)
@given(touch=month_values, mood=st.floats(-0.7, 0.7), n=st.integers(0, 60))
def test_decay_is_never_flagged_while_sentiment_is_steady(touch, mood, n):
    check = relational_decay(
        "x",
        human_touch=monthly("share", touch, n),
        sentiment=monthly("mean", [mood] * len(touch), 40),
    )
    assert not check.flagged
    assert check.sentence.startswith("x: ")


def test_the_human_touch_share_metric_feeds_the_decay_check():
    from rapport.engine.metrics import human_touch_share

    rows = [
        (datetime(2025, 1 + month, 3, tzinfo=UTC), who)
        for month, people in enumerate([62, 60, 52, 40, 34, 31])
        for who in ["person"] * people + ["automation"] * (100 - people) + [None] * 5
    ]
    months = bucket(
        rows,
        every="month",
        tz="Europe/Paris",
        when=lambda r: r[0],
        metric=lambda rs: human_touch_share(who for _, who in rs),
    )
    check = relational_decay("regulars", human_touch=months, sentiment=MOOD_FALLING)
    assert check.flagged and check.human_touch.change.n_before == 300  # unhandled left out
    assert check.alert.numbers["human_touch"]["from"] == 58
