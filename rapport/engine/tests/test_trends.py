"""Scores over time: periods in the business's time zone, changes and trends the data
supports. Hand-computed examples first, then properties that hold for any input."""

import itertools
import json
import math
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from rapport.engine.metrics import csat, enps, mean_rating, nps
from rapport.engine.metrics.scores import Result
from rapport.engine.trends import (
    MAX_PERIODS,
    MIN_ANSWERS,
    MIN_PERIODS,
    bucket,
    compare,
    compare_windows,
    fisher_exact_test,
    format_value,
    mann_kendall_test,
    mean_result,
    measure,
    nps_test,
    share_result,
    theil_sen,
    trend,
    two_proportion_test,
    welch_test,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def hourly(first: datetime, hours: int) -> list[datetime]:
    """One event per real hour. Adding hours to a local time is wall-clock arithmetic in
    Python (it would skip nothing on a 23-hour day), so the hours are added in UTC."""
    start = first.astimezone(UTC)
    return [start + timedelta(hours=h) for h in range(hours)]


def counts(periods):
    return {p.label: p.n for p in periods}


# --- periods: hand-computed examples ------------------------------------------------------


def test_sunday_2330_utc_is_in_mondays_week_in_paris():
    sunday_night = datetime(2026, 1, 4, 23, 30, tzinfo=UTC)  # Monday 00:30 in Paris
    [week] = bucket([sunday_night], every="week", tz="Europe/Paris")
    assert (week.label, week.start, week.end) == ("2026-W02", date(2026, 1, 5), date(2026, 1, 12))
    [utc_week] = bucket([sunday_night], every="week", tz="UTC")
    assert utc_week.label == "2026-W01"


def test_the_last_day_of_a_month_late_in_utc_is_the_next_month_in_paris():
    [month] = bucket([datetime(2026, 1, 31, 23, 30, tzinfo=UTC)], every="month", tz=PARIS)
    assert (month.label, month.start, month.end) == ("2026-02", date(2026, 2, 1), date(2026, 3, 1))


def test_the_23_hour_day_in_paris_drops_nothing_and_doubles_nothing():
    # Sunday 29 March 2026: 02:00 becomes 03:00. One event every hour from Monday 23 March
    # 00:00 CET for two weeks: the first week holds 7 × 24 − 1 hours.
    events = hourly(datetime(2026, 3, 23, 0, tzinfo=PARIS), 14 * 24)
    weeks = bucket(events, every="week", tz="Europe/Paris")
    assert counts(weeks) == {"2026-W13": 167, "2026-W14": 168, "2026-W15": 1}
    months = bucket(hourly(datetime(2026, 3, 1, tzinfo=PARIS), 31 * 24), every="month", tz=PARIS)
    assert counts(months) == {"2026-03": 743, "2026-04": 1}


def test_the_25_hour_day_in_paris_keeps_both_half_past_twos():
    # Sunday 25 October 2026: 03:00 becomes 02:00 again, so 02:30 happens twice.
    first = datetime(2026, 10, 25, 2, 30, tzinfo=PARIS)
    second = first.replace(fold=1)
    assert second - first == timedelta(0)  # same wall time, the arithmetic says so…
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)  # …not time
    weeks = bucket([first, second], every="week", tz=PARIS)
    assert counts(weeks) == {"2026-W43": 2}
    events = hourly(datetime(2026, 10, 19, 0, tzinfo=PARIS), 14 * 24)
    assert counts(bucket(events, every="week", tz=PARIS)) == {"2026-W43": 169, "2026-W44": 167}


def test_new_york_spring_forward_and_fall_back():
    # 8 March 2026: 02:00 becomes 03:00; 1 November 2026: 02:00 becomes 01:00.
    spring = hourly(datetime(2026, 3, 2, 0, tzinfo=NEW_YORK), 7 * 24)
    assert counts(bucket(spring, every="week", tz=NEW_YORK)) == {"2026-W10": 167, "2026-W11": 1}
    autumn = hourly(datetime(2026, 10, 26, 0, tzinfo=NEW_YORK), 7 * 24)
    assert counts(bucket(autumn, every="week", tz="America/New_York")) == {"2026-W44": 168}
    assert counts(
        bucket(hourly(datetime(2026, 10, 26, tzinfo=UTC), 7 * 24), every="week", tz=NEW_YORK)
    ) == {"2026-W43": 4, "2026-W44": 164}


def test_weeks_across_new_year_follow_iso_numbering():
    days = [date(2020, 12, 27), date(2021, 1, 3), date(2021, 1, 4)]
    weeks = bucket(days, every="week", tz="UTC")
    assert [(w.label, w.start, w.n) for w in weeks] == [
        ("2020-W52", date(2020, 12, 21), 1),
        ("2020-W53", date(2020, 12, 28), 1),  # 2020 has 53 ISO weeks
        ("2021-W01", date(2021, 1, 4), 1),
    ]
    # 1 January 2026 is a Thursday: its week starts on Monday 29 December 2025.
    [week] = bucket([datetime(2025, 12, 29, 9, tzinfo=PARIS)], every="week", tz=PARIS)
    assert (week.label, week.start) == ("2026-W01", date(2025, 12, 29))


def test_empty_periods_between_the_first_and_last_are_kept_as_gaps():
    events = [datetime(2026, 1, 5, 9, tzinfo=UTC), datetime(2026, 2, 2, 9, tzinfo=UTC)]
    weeks = bucket(events, every="week", tz=PARIS, metric=lambda xs: csat([5] * len(xs)))
    assert [(w.label, w.n, w.result.n) for w in weeks] == [
        ("2026-W02", 1, 1),
        ("2026-W03", 0, 0),
        ("2026-W04", 0, 0),
        ("2026-W05", 0, 0),
        ("2026-W06", 1, 1),
    ]
    assert weeks[1].result.value is None and not weeks[1].result.enough


def test_start_and_end_stretch_the_series_without_dropping_anything():
    weeks = bucket(
        [datetime(2026, 1, 14, tzinfo=UTC)],
        every="week",
        tz=PARIS,
        start=date(2026, 1, 20),
        end=date(2026, 1, 26),
    )
    assert counts(weeks) == {"2026-W03": 1, "2026-W04": 0, "2026-W05": 0}
    assert counts(bucket([], every="month", tz=PARIS, end=date(2026, 3, 3))) == {"2026-03": 0}


def test_no_items_give_no_periods():
    assert bucket([], every="week", tz="Europe/Paris") == []
    assert bucket(iter(()), every="month", tz=PARIS, metric=csat) == []


def test_one_item_gives_one_period():
    [week] = bucket([date(2026, 6, 10)], every="week", tz=PARIS)
    assert (week.label, week.n, week.items) == ("2026-W24", 1, (date(2026, 6, 10),))


def test_items_keep_their_order_and_when_reads_their_time():
    rows = [("b", datetime(2026, 5, 6, tzinfo=UTC)), ("a", datetime(2026, 5, 4, tzinfo=UTC))]
    [week] = bucket(rows, every="week", tz=PARIS, when=lambda row: row[1])
    assert [name for name, _ in week.items] == ["b", "a"]


def test_measure_applies_another_metric_to_the_same_periods():
    rows = [(datetime(2026, 5, 4, tzinfo=UTC), 10), (datetime(2026, 5, 20, tzinfo=UTC), 3)]
    weeks = bucket(rows, every="week", tz=PARIS, when=lambda row: row[0])
    scored = measure(weeks, lambda rows: nps(score for _, score in rows))
    assert [w.result.value for w in scored] == [100, None, -100]
    assert weeks[0].result is None  # the original periods are untouched


def test_a_naive_datetime_is_refused_with_its_position():
    events = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, 8, 15)]
    with pytest.raises(ValueError, match=r"item 2: 2026-01-02T08:15:00 is a naive datetime"):
        bucket(events, every="week", tz=PARIS)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: bucket(["2026-01-01"], every="week", tz=PARIS), TypeError, "item 1: '2026"),
        (lambda: bucket([], every="day", tz=PARIS), ValueError, "every must be 'week' or"),
        (lambda: bucket([], every="week", tz="Europe/Pariss"), ValueError, "unknown time zone"),
        (lambda: bucket([], every="week", tz=None), TypeError, "tz must be an IANA"),
        (
            lambda: bucket([], every="week", tz=PARIS, start=datetime(2026, 1, 1, tzinfo=UTC)),
            TypeError,
            "start must be a date",
        ),
        (
            lambda: bucket([date(1900, 1, 1), date(2300, 1, 1)], every="week", tz=PARIS),
            ValueError,
            f"more than {MAX_PERIODS:,}; is one of the dates wrong",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_million_timestamps_are_all_bucketed_once():
    # Correctness at size only: how fast it goes is measured by benchmarks, not by tests.
    rng = random.Random(7)
    origin = datetime(2021, 1, 1, tzinfo=UTC)
    events = [origin + timedelta(seconds=rng.randrange(5 * 365 * 86400)) for _ in range(10**6)]
    weeks = bucket(events, every="week", tz=PARIS)
    months = bucket(events, every="month", tz=PARIS)
    assert sum(w.n for w in weeks) == sum(m.n for m in months) == 10**6
    assert len(months) == 60


# --- periods: properties ------------------------------------------------------------------

# Zones with the awkward cases: DST at midnight (Sao Paulo, Havana, Santiago), half-hour
# DST (Lord Howe), a quarter-hour offset (Kathmandu), a skipped day (Apia, 30 Dec 2011).
ZONES = [
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Havana",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "Pacific/Chatham",
]
instants = st.datetimes(
    min_value=datetime(2005, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(
    events=st.lists(instants, max_size=60),
    zone=st.sampled_from(ZONES),
    every=st.sampled_from(["week", "month"]),
)
def test_every_event_lands_once_in_the_period_of_its_local_day(events, zone, every):
    tz = ZoneInfo(zone)
    # Any representation of the instant (UTC, local, another offset) lands in one place.
    shown = [e.astimezone(tz) if i % 2 else e for i, e in enumerate(events)]
    periods = bucket(shown, every=every, tz=zone)
    assert sum(p.n for p in periods) == len(events)
    if not events:
        assert periods == []
        return
    assert periods[0].n and periods[-1].n
    assert len({p.label for p in periods}) == len(periods)
    for before, after in itertools.pairwise(periods):
        assert before.end == after.start and before.start < after.start
    for p in periods:
        assert p.start.weekday() == 0 if every == "week" else p.start.day == 1
        for e in p.items:
            assert p.start <= e.astimezone(tz).date() < p.end


# --- the tests: hand-computed examples ----------------------------------------------------


def test_two_proportion_test_by_hand():
    # 120 of 140 satisfied, then 67 of 95: pooled p = 187/235.
    pooled = 187 / 235
    z = (67 / 95 - 120 / 140) / math.sqrt(pooled * (1 - pooled) * (1 / 140 + 1 / 95))
    result = two_proportion_test(120, 140, 67, 95)
    assert result.statistic == pytest.approx(z) == pytest.approx(-2.8341, abs=1e-4)
    assert result.p_value == pytest.approx(0.004595, abs=1e-6)


def test_fisher_exact_test_matches_published_examples():
    # Fisher's lady tasting tea: 3 of 4 cups right against 1 of 4.
    assert fisher_exact_test(3, 4, 1, 4).p_value == pytest.approx(0.485714, abs=1e-6)
    # Dieting by sex, the example of the Wikipedia article: 1 of 12 men, 9 of 12 women.
    assert fisher_exact_test(1, 12, 9, 12).p_value == pytest.approx(0.002759, abs=1e-6)
    # [[6, 2], [1, 4]] from SciPy's documentation: p = 0.1026, odds ratio 12.
    result = fisher_exact_test(6, 8, 1, 5)
    assert result.p_value == pytest.approx(0.102564, abs=1e-6) and result.statistic == 12


def test_nps_test_uses_the_adjusted_trinomial_variance():
    # +45 (60 promoters, 25 passives, 15 detractors) to +10 (40, 30, 30), n = 100 each.
    def variance(p, d, n):
        p, d, n = (p + 0.75) / (n + 3), (d + 0.75) / (n + 3), n + 3
        return (p + d - (p - d) ** 2) / n

    z = (0.10 - 0.45) / math.sqrt(variance(60, 15, 100) + variance(40, 30, 100))
    result = nps_test((60, 25, 15), (40, 30, 30))
    assert result.statistic == pytest.approx(z) == pytest.approx(-3.1943, abs=1e-4)
    assert result.p_value == pytest.approx(0.0014018, abs=1e-6)


def test_welch_test_by_hand():
    # n = 25, mean 4.2, variance 0.64 against n = 30, mean 3.8, variance 1.44.
    result = welch_test(25, 4.2, 0.64, 30, 3.8, 1.44)
    assert result.statistic == pytest.approx(-0.4 / math.sqrt(0.64 / 25 + 1.44 / 30))
    # df = 0.0736² / (0.0256²/24 + 0.048²/29) = 50.74; two-sided p of t = −1.474 on it:
    assert result.p_value == pytest.approx(0.14655, abs=1e-5)


def test_t_p_values_match_the_table_exactly():
    from rapport.engine.stats import t_p_value as _t_p

    for t, df in [(12.706, 1), (4.303, 2), (2.571, 5), (2.228, 10), (2.086, 20), (2.042, 30)]:
        assert _t_p(t, df) == pytest.approx(0.05, abs=1e-4)
    assert _t_p(0.0, 7) == pytest.approx(1.0)
    assert _t_p(1.959964, 10**9) == pytest.approx(0.05, abs=1e-6)


def test_welch_with_no_spread_at_all():
    assert welch_test(20, 5, 0, 20, 5, 0).p_value == 1
    assert welch_test(20, 5, 0, 20, 4, 0).p_value == 0


def test_mann_kendall_is_exact_without_ties():
    assert mann_kendall_test([6, 5, 4, 3, 2, 1]).p_value == pytest.approx(2 / 720)
    assert mann_kendall_test([6, 5, 4, 3, 2, 1]).statistic == -15
    # One swap: 1 order with no inversion, 5 with one, of 720; both tails.
    assert mann_kendall_test([1, 2, 3, 4, 6, 5]).p_value == pytest.approx(12 / 720)
    assert mann_kendall_test([1, 2, 3, 4]).p_value == pytest.approx(2 / 24)


def test_mann_kendall_with_ties_uses_the_corrected_normal_approximation():
    # n = 8, one tied pair: S = 27, Var S = (8·7·21 − 2·1·9) / 18 = 64.33, z = 26 / √64.33.
    result = mann_kendall_test([1, 2, 2, 3, 4, 5, 6, 7])
    assert result.statistic == 27
    assert result.p_value == pytest.approx(math.erfc(26 / math.sqrt(1158 / 18) / math.sqrt(2)))


def test_theil_sen_by_hand():
    # Pairwise slopes: −1, −1, 1/3, 1/2, 3/4, 1, 1, 4/3, 2, 3 → median 0.875.
    slope, intercept = theil_sen(range(5), [1, 3, 2, 5, 4])
    assert slope == 0.875 and intercept == 1.0


# --- changes: hand-computed examples ------------------------------------------------------


def test_a_supported_fall_in_csat_says_so_with_its_numbers():
    before = csat([5] * 120 + [2] * 20)  # 85.7% of 140
    after = csat([4] * 67 + [1] * 28)  # 70.5% of 95
    change = compare(before, after, kind="share", name="CSAT")
    assert change.supported and change.direction == "down"
    assert change.size == pytest.approx(100 * (67 / 95 - 120 / 140))
    assert change.test == "two-proportion test" and change.p_value == pytest.approx(
        0.0046, abs=1e-4
    )
    assert change.sentence == (
        "CSAT fell from 86% to 71% (140 answers, then 95): very likely a real change."
    )
    assert change.how == (
        "two-proportion test, p=0.005; n=140 → 95; a change is reported below p=0.05."
    )
    json.dumps(change.to_dict(), allow_nan=False)


def test_small_expected_counts_use_fishers_exact_test():
    # 30 of 30 then 24 of 30: 6 failures in all, an expected 3 a side. By hand, the table is
    # as likely as its mirror image: p = 2·C(30,6)/C(60,6).
    change = compare(csat([5] * 30), csat([5] * 24 + [1] * 6), kind="share", name="CSAT")
    assert change.test == "Fisher's exact test"
    assert change.p_value == pytest.approx(2 * math.comb(30, 6) / math.comb(60, 6))
    assert (
        change.sentence == "CSAT fell from 100% to 80% (30 answers, then 30): likely a real change."
    )
    assert change.how.startswith("Fisher's exact test, p=0.024; n=30 → 30")


def test_an_nps_change_uses_the_trinomial_test():
    before = nps([10] * 60 + [7] * 25 + [3] * 15)
    after = enps([9] * 40 + [8] * 30 + [0] * 30)
    change = compare(before, after, kind="nps", name="NPS")
    assert (change.before, change.after, change.size) == (45, 10, -35)
    assert change.sentence == (
        "NPS fell from +45 to +10 (100 answers, then 100): very likely a real change."
    )
    assert change.how.startswith("trinomial z-test, p=0.001; n=100 → 100")


def test_a_change_in_mean_sentiment_uses_welch():
    before = mean_result([0.6, 0.2] * 15)  # mean 0.4
    after = mean_result([0.5, -0.3] * 20)  # mean 0.1
    change = compare(before, after, kind="mean", name="Sentiment", signed=True)
    assert change.test == "Welch's t-test" and change.supported
    assert change.sentence.startswith("Sentiment fell from +0.40 to +0.10 (30 answers, then 40)")
    assert change.how.startswith("Welch's t-test, p<0.001")


def test_a_mean_of_percentages_is_written_as_a_percentage():
    before = mean_result([90.0, 70.0] * 15, low=0.0, high=100.0)  # mean 80
    after = mean_result([75.0, 45.0] * 20, low=0.0, high=100.0)  # mean 60
    change = compare(before, after, kind="mean", name="Engagement", unit="%")
    falling = trend(
        [mean_result([80.0 - 2 * i] * 30, low=0.0, high=100.0) for i in range(8)],
        kind="mean",
        name="Engagement",
        unit="%",
    )
    assert change.sentence.startswith("Engagement fell from 80% to 60% (30 answers, then 40)")
    assert falling.sentence.startswith("Engagement fell steadily from 80% to 66% over 8 periods")
    assert "about 2 points a period" in falling.sentence
    assert "Theil–Sen slope -2.0 points a period" in falling.how


def test_a_unit_follows_the_values_it_measures():
    hours = [mean_result([13.0 - i] * 30, low=0.0, high=100.0) for i in range(8)]
    faster = trend(hours, kind="mean", name="Responsiveness", unit="h")
    assert faster.sentence.startswith(
        "Responsiveness fell steadily from 13.00 h to 6.00 h over 8 periods, about 1.00 h a period"
    )


def test_too_few_answers_is_no_clear_change_whatever_the_size():
    change = compare(csat([5] * 19), csat([1] * 30), kind="share", name="CSAT")
    assert not change.supported and change.direction == "none"
    assert change.reason == "too few answers" and change.p_value is None
    assert change.sentence == (
        "No clear change in CSAT (100% → 0%): too few answers (19 answers, then 30;"
        f" at least {MIN_ANSWERS} on each side are needed)."
    )


def test_a_small_wobble_is_within_noise():
    change = compare(
        csat([5] * 40 + [1] * 10), csat([5] * 38 + [1] * 12), kind="share", name="CSAT"
    )
    assert change.reason == "within noise" and not change.supported
    assert change.sentence == (
        "No clear change in CSAT (80% → 76%; 50 answers, then 50): a difference this size could"
        " be chance."
    )
    assert change.how.startswith("two-proportion test, p=0.629; n=50 → 50")


def test_identical_values_are_no_change():
    for kind, result in [
        ("share", csat([4] * 25)),
        ("nps", nps([9] * 25)),
        ("mean", mean_result([0.3] * 25)),
    ]:
        change = compare(result, result, kind=kind, name="x")
        assert change.p_value == 1 and change.reason == "within noise" and change.size == 0


def test_a_change_smaller_than_min_size_is_not_reported():
    before, after = csat([5] * 900 + [1] * 100), csat([5] * 870 + [1] * 130)
    assert compare(before, after, kind="share", name="CSAT").supported  # 90% → 87%, p = 0.03
    change = compare(before, after, kind="share", name="CSAT", min_size=5)
    assert change.reason == "too small to matter"
    assert "a change of 3 points is smaller than the 5 points worth reporting" in change.sentence


def test_the_rounded_values_never_hide_a_reported_change():
    change = compare(
        csat([5] * 9020 + [1] * 980), csat([5] * 8960 + [1] * 1040), kind="share", name="CSAT"
    )
    assert "CSAT (90.2% → 89.6%; 10,000 answers, then 10,000)" in change.sentence


def test_windows_pool_their_answers():
    rows = [
        (datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(weeks=week, minutes=i), score)
        for week, (good, bad) in enumerate([(30, 5), (28, 7), (0, 0), (15, 20), (18, 17)])
        for i, score in enumerate([5] * good + [1] * bad)
    ]
    weeks = bucket(
        rows, every="week", tz=PARIS, when=lambda r: r[0], metric=lambda rs: csat(s for _, s in rs)
    )
    change = compare_windows(weeks, kind="share", name="CSAT", recent=2)
    assert (change.n_before, change.n_after) == (70, 70)
    assert change.before == pytest.approx(100 * 58 / 70)
    assert change.after == pytest.approx(100 * 33 / 70)
    assert (change.before_label, change.after_label) == ("2026-W02–2026-W04", "2026-W05–2026-W06")
    only_last = compare_windows(weeks, kind="share", name="CSAT", recent=1, baseline=1)
    assert (only_last.n_before, only_last.n_after) == (35, 35)


def test_a_window_with_nothing_before_it_has_too_few_answers():
    weeks = bucket(
        [datetime(2026, 1, 5, tzinfo=UTC)] * 30,
        every="week",
        tz=PARIS,
        metric=lambda xs: csat([5] * len(xs)),
    )
    change = compare_windows(weeks, kind="share", name="CSAT", recent=1)
    assert change.reason == "too few answers" and change.n_before == 0
    assert change.sentence.startswith(
        "No clear change in CSAT: too few answers (0 answers, then 30;"
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: compare(csat([5]), csat([4]), kind="ratio", name="x"), "kind must be one of"),
        (
            lambda: compare(mean_rating([4] * 30), mean_rating([3] * 30), kind="mean", name="x"),
            r"needs each result's spread \(parts\['sd'\]\)",
        ),
        (
            lambda: compare(
                Result(0.8, 30, None, None, True), csat([4] * 30), kind="share", name="x"
            ),
            "must be a % of its n",
        ),
        (
            lambda: compare(csat([4] * 30), csat([4] * 30), kind="nps", name="x"),
            "promoter, passive and detractor counts",
        ),
        (
            lambda: compare(
                bucket([date(2026, 1, 1)], every="week", tz=PARIS),
                csat([4]),
                kind="share",
                name="x",
            ),
            "period 2026-W01 has no result",
        ),
        (
            lambda: compare(csat([5]), csat([4]), kind="share", name="x", minimum=1),
            "minimum must be at least 2",
        ),
        (lambda: compare_windows([], kind="share", name="x", recent=0), "recent must be"),
    ],
)
def test_wrong_use_of_compare_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- trends -------------------------------------------------------------------------------


def monthly(values_and_ns):
    """Monthly CSAT periods from (satisfied %, n) pairs; None for a month with no answer."""
    rows = []
    for month, spec in enumerate(values_and_ns):
        if spec is None:
            continue
        share, n = spec
        good = round(share * n / 100)
        when = datetime(2025, 1 + month, 10, tzinfo=UTC)
        rows += [(when, 5)] * good + [(when, 1)] * (n - good)
    return bucket(
        rows, every="month", tz=PARIS, when=lambda r: r[0], metric=lambda rs: csat(s for _, s in rs)
    )


def test_a_steady_fall_is_a_trend_with_its_slope():
    months = monthly([(88, 50), (86, 50), (82, 50), (80, 50), (76, 50), (74, 50), (70, 50)])
    found = trend(months, kind="share", name="CSAT")
    assert found.supported and found.direction == "down" and found.exact
    assert found.slope == pytest.approx(-3.0)  # the median of the 21 pairwise slopes
    assert found.p_value == pytest.approx(2 / math.factorial(7))
    assert (found.first_label, found.last_label, found.span) == ("2025-01", "2025-07", 7)
    assert found.sentence == (
        "CSAT fell steadily from 88% to 70% over 7 months, about 3 points a month: very likely"
        " a real trend."
    )
    assert found.how.startswith(
        "Mann–Kendall test, p<0.001 (S=-21, exact); Theil–Sen slope -3.0 points a month"
    )


def test_a_gap_keeps_its_place_in_time():
    # 80, 78, 76, —, 72, 70, 68: the slope is −2 a month, not −2.4 a period with data.
    months = monthly([(80, 50), (78, 50), (76, 50), None, (72, 50), (70, 50), (68, 50)])
    assert months[3].result.n == 0
    found = trend(months, kind="share", name="CSAT")
    assert found.slope == pytest.approx(-2.0) and found.periods == 6 and found.span == 7


def test_periods_without_enough_answers_do_not_count():
    months = monthly([(80, 50), (78, 3), (76, 50), (74, 4), (72, 50), (70, 50), (68, 50)])
    found = trend(months, kind="share", name="CSAT")
    assert found.periods == 5 and found.reason == "too few periods"
    assert found.sentence == (
        f"No clear trend in CSAT: 5 periods with enough answers (at least {MIN_PERIODS} are"
        " needed)."
    )


def test_a_trend_needs_enough_periods():
    assert trend([], kind="share", name="CSAT").reason == "too few periods"
    one = trend(monthly([(80, 50)]), kind="share", name="CSAT")
    assert one.periods == 1 and one.slope is None and not one.supported


def test_identical_values_have_no_trend():
    found = trend(monthly([(80, 50)] * 8), kind="share", name="CSAT")
    assert found.slope == 0 and found.p_value == 1 and found.reason == "within noise"
    assert (
        found.sentence == "No clear trend in CSAT over 8 months: the ups and downs could be chance."
    )
    assert found.how.startswith("Mann–Kendall test, p=1.000")


def test_a_zigzag_is_within_noise():
    months = monthly([(80, 50), (70, 50), (82, 50), (68, 50), (78, 50), (72, 50)])
    assert trend(months, kind="share", name="CSAT").reason == "within noise"


def test_a_trend_over_bare_results_counts_periods():
    results = [mean_result([v, v + 0.1] * 5) for v in (0.5, 0.4, 0.3, 0.2, 0.1, 0.0)]
    found = trend(results, kind="mean", name="Sentiment", signed=True)
    assert found.every is None and found.first_label is None
    assert found.sentence.startswith("Sentiment fell steadily from +0.55 to +0.05 over 6 periods")


# --- words ---------------------------------------------------------------------------------


def test_values_are_written_as_pages_write_them():
    assert format_value("share", 85.7) == "86%"
    assert format_value("nps", 32) == "+32" and format_value("nps", -0.2) == "0"
    assert format_value("mean", 4.2) == "4.20"
    assert format_value("mean", 0.41, signed=True) == "+0.41"
    assert format_value("mean", -0.001, signed=True) == "0.00"


def test_share_and_mean_results():
    assert share_result([True, False, True, None]).parts == {"count": 2}
    assert share_result([]).value is None
    result = mean_result([0.5, 0.1, None, float("nan")])
    assert result.value == pytest.approx(0.3) and result.n == 2
    assert result.parts["sd"] == pytest.approx(math.sqrt(0.08))
    # t(1) = 12.706: 0.3 ± 12.706 · 0.2828 / √2 is wider than the scale.
    assert (result.low, result.high) == (-1.0, 1.0)
    assert mean_result([0.2] * 10).low == pytest.approx(0.2)
    with pytest.raises(ValueError, match="value 2 is 1.5, outside -1 to 1"):
        mean_result([0.1, 1.5])


# --- properties ---------------------------------------------------------------------------

sides = st.tuples(st.integers(1, 400), st.floats(0, 1)).map(lambda t: (round(t[0] * t[1]), t[0]))


@settings(max_examples=200, deadline=None)
@given(a=sides, b=sides)
def test_share_tests_are_symmetric_p_values(a, b):
    for test in (two_proportion_test, fisher_exact_test):
        forward, backward = test(*a, *b), test(*b, *a)
        assert 0 <= forward.p_value <= 1
        assert forward.p_value == pytest.approx(backward.p_value, abs=1e-9)


nps_counts = st.tuples(st.integers(0, 80), st.integers(0, 80), st.integers(0, 80)).filter(sum)


@settings(max_examples=200, deadline=None)
@given(a=nps_counts, b=nps_counts)
def test_the_nps_test_is_symmetric_and_finite(a, b):
    forward, backward = nps_test(a, b), nps_test(b, a)
    assert 0 <= forward.p_value <= 1
    assert forward.statistic == pytest.approx(-backward.statistic)
    if (a[0] - a[2]) * sum(b) == (b[0] - b[2]) * sum(a):
        assert forward.p_value == pytest.approx(1)


scores = st.lists(st.floats(-1, 1, allow_nan=False), min_size=2, max_size=60)


@settings(max_examples=200, deadline=None)
@given(xs=scores, ys=scores)
def test_welch_is_symmetric(xs, ys):
    a, b = mean_result(xs), mean_result(ys)
    forward = welch_test(a.n, a.value, a.parts["sd"] ** 2, b.n, b.value, b.parts["sd"] ** 2)
    backward = welch_test(b.n, b.value, b.parts["sd"] ** 2, a.n, a.value, a.parts["sd"] ** 2)
    assert 0 <= forward.p_value <= 1
    assert forward.p_value == pytest.approx(backward.p_value, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(xs=scores, ys=scores, minimum=st.integers(2, 80))
def test_a_change_is_never_supported_below_the_minimum(xs, ys, minimum):
    change = compare(mean_result(xs), mean_result(ys), kind="mean", name="x", minimum=minimum)
    if min(len(xs), len(ys)) < minimum:
        assert not change.supported and change.reason == "too few answers"
    if change.supported:
        assert change.p_value < change.alpha
        assert change.direction == ("up" if change.size > 0 else "down")
    else:
        assert change.direction == "none"


@settings(max_examples=100, deadline=None)
@given(windows=st.lists(st.lists(st.floats(-1, 1, allow_nan=False), max_size=8), max_size=6))
@example(windows=[[0.0], [0.0, 0.0, 1.8191221570556295e-180]])  # variances underflow to 0
def test_pooling_means_equals_the_mean_of_all_answers(windows):
    everything = [x for w in windows for x in w]
    assume(len(everything) >= 2)
    pooled = compare(
        [mean_result(w) for w in windows], mean_result(everything), kind="mean", name="x", minimum=2
    )
    assert pooled.before == pytest.approx(pooled.after, abs=1e-9)
    assert pooled.p_value == pytest.approx(1, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(order=st.permutations(range(6)))
def test_mann_kendall_exact_p_matches_counting_every_order(order):
    def s(values):
        return sum((b > a) - (b < a) for a, b in itertools.combinations(values, 2))

    observed = abs(s(order))
    extreme = sum(abs(s(p)) >= observed for p in itertools.permutations(range(6)))
    assert mann_kendall_test(order).p_value == pytest.approx(extreme / 720)


@settings(max_examples=100, deadline=None)
@given(ys=st.lists(st.integers(-50, 50), min_size=2, max_size=40))
def test_mann_kendall_is_antisymmetric_in_time(ys):
    forward, backward = mann_kendall_test(ys), mann_kendall_test(ys[::-1])
    assert forward.statistic == -backward.statistic
    assert forward.p_value == pytest.approx(backward.p_value)
    assert 0 <= forward.p_value <= 1


@settings(max_examples=100, deadline=None)
@given(
    slope=st.floats(-10, 10, allow_nan=False),
    intercept=st.floats(-100, 100, allow_nan=False),
    shift=st.floats(-100, 100, allow_nan=False),
    n=st.integers(2, 30),
)
def test_theil_sen_recovers_a_line_and_ignores_a_shift(slope, intercept, shift, n):
    xs = list(range(n))
    found_slope, found_intercept = theil_sen(xs, [intercept + slope * x for x in xs])
    assert found_slope == pytest.approx(slope, abs=1e-6)
    assert found_intercept == pytest.approx(intercept, abs=1e-6)
    shifted, _ = theil_sen(xs, [shift + intercept + slope * x for x in xs])
    assert shifted == pytest.approx(found_slope, abs=1e-6)
