"""Alerts: what a dashboard lists, as plain data, and the relational decay alert.

::

    check = relational_decay("regulars", human_touch=months_touch, sentiment=months_mood)
    check.flagged                # True
    check.sentence
    # 'regulars: human-touch share fell from 62% to 31% over 6 months while sentiment fell
    #  from +0.41 to +0.18: very likely a real change.'
    check.how
    # "human-touch share: two-proportion test, p<0.001; sentiment: Welch's t-test, p=0.002."
    check.alert.to_dict()        # kind, severity, subject, sentence, how, numbers

An ``Alert`` is plain data: a kind, a severity, a subject, one sentence in an owner's words,
the technical line behind it (``how``: tests and p-values) and the numbers behind it, as a
dict of plain values (JSON as it is) that a dashboard lists and expands.
Alerts are made only from changes and trends that ``rapport.engine.trends`` found supported
by the data; the rules are in ``docs/trends.md``.

Relational decay is automation hollowing out a relationship: the share of contacts a person
handles is falling *and* the relationship is suffering (sentiment or retention falling too).
Either alone is not decay: fewer human touches with steady sentiment may be automation
working; falling sentiment with steady human touch has another cause.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from rapport.engine.metrics.scores import Result
from rapport.engine.trends import (
    ALPHA,
    DOWN,
    MEAN,
    MIN_ANSWERS,
    MIN_PERIODS,
    NOISE,
    SHARE,
    TOO_FEW,
    TOO_FEW_PERIODS,
    TOO_SMALL,
    UP,
    Change,
    Period,
    Trend,
    compare_windows,
    format_value,
    likelihood,
    trend,
)

CHANGE, TREND, RELATIONAL_DECAY = "change", "trend", "relational_decay"
INFO, WARNING, CRITICAL = "info", "warning", "critical"
SEVERITIES = (INFO, WARNING, CRITICAL)  # from least to most pressing

HUMAN_TOUCH, SENTIMENT, RETENTION = "human-touch share", "sentiment", "retention"


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """Something a dashboard should show.

    kind: "change", "trend" or "relational_decay"; severity: "info", "warning" or
    "critical"; subject: who or what it is about ("regulars", "CSAT"); sentence: one
    sentence in an owner's words with the numbers; how: the technical line behind it (tests,
    p-values, sample sizes); numbers: the values, sample sizes and tests, as plain values.
    """

    kind: str
    severity: str
    subject: str
    sentence: str
    numbers: Mapping[str, Any]
    how: str = ""

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "subject": self.subject,
            "sentence": self.sentence,
            "how": self.how,
            "numbers": dict(self.numbers),
        }


def change_alert(change: Change, *, subject: str, higher_is_better: bool = True) -> Alert | None:
    """An alert for a supported change, None otherwise: a "warning" when things got worse,
    "info" when they got better."""
    if not change.supported:
        return None
    worse = (change.direction == DOWN) == higher_is_better
    return Alert(
        kind=CHANGE,
        severity=WARNING if worse else INFO,
        subject=subject,
        sentence=f"{subject}: {change.sentence}",
        how=change.how,
        numbers=change.to_dict(),
    )


def trend_alert(found: Trend, *, subject: str, higher_is_better: bool = True) -> Alert | None:
    """An alert for a supported trend, None otherwise; severity as ``change_alert``."""
    if not found.supported:
        return None
    worse = (found.direction == DOWN) == higher_is_better
    return Alert(
        kind=TREND,
        severity=WARNING if worse else INFO,
        subject=subject,
        sentence=f"{subject}: {found.sentence}",
        how=found.how,
        numbers=found.to_dict(),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Movement:
    """How one series moved, as the decay check read it.

    name: "human-touch share", "sentiment" or "retention".
    falling: its recent window is lower than its baseline window, or its trend is downward,
        as supported by the data; evidence: "change" or "trend" (the one quoted; the window
        change when both), "" when not falling.
    thin: too few answers to compare the windows *and* too few periods for a trend.
    phrase: what happened, in an owner's words ("sentiment fell from +0.41 to +0.18 over 6
        months"); over: its time span ("over 6 months"), "" when not falling; test: the test
        quoted ("Welch's t-test, p=0.002"), "" when not falling; p_value: its p-value (None
        when not falling); how: the tests behind the verdict, in one technical line.
    change, trend: the window comparison and the trend, in full.
    """

    name: str
    falling: bool
    thin: bool
    evidence: str
    phrase: str
    over: str
    test: str
    p_value: float | None
    how: str
    change: Change
    trend: Trend

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class DecayCheck:
    """The verdict on one group or relationship: ``flagged`` with an ``alert`` when
    human-touch share and sentiment or retention are all falling; otherwise why not, in
    ``sentence`` (too little data, or which series did not fall), in an owner's words;
    ``how``: the tests behind the verdict."""

    subject: str
    flagged: bool
    sentence: str
    how: str
    alert: Alert | None
    human_touch: Movement
    sentiment: Movement | None
    retention: Movement | None

    def to_dict(self) -> dict:
        return {
            "subject": self.subject,
            "flagged": self.flagged,
            "sentence": self.sentence,
            "how": self.how,
            "alert": self.alert.to_dict() if self.alert else None,
            "human_touch": self.human_touch.to_dict(),
            "sentiment": self.sentiment.to_dict() if self.sentiment else None,
            "retention": self.retention.to_dict() if self.retention else None,
        }


Series = Sequence[Period | Result]


def relational_decay(
    subject: str,
    *,
    human_touch: Series,
    sentiment: Series | None = None,
    retention: Series | None = None,
    recent: int | None = None,
    minimum: int = MIN_ANSWERS,
    min_periods: int = MIN_PERIODS,
    alpha: float = ALPHA,
) -> DecayCheck:
    """Whether the relationship with ``subject`` (a group, a key customer) is decaying.

    Each series holds one result per period, the same periods for all (from
    ``trends.bucket``): ``human_touch`` the % of contacts handled by a person
    (``trends.share_result`` over "handled by a person" flags), ``sentiment`` the mean
    sentiment score −1…1 (``trends.mean_result``), ``retention`` a % retained (a share).
    At least one of sentiment and retention is needed.

    A series is *falling* when its last ``recent`` periods (by default the later half) are
    lower than the periods before them (``trends.compare_windows``: at least ``minimum``
    answers a side, the test at ``alpha``), or when its Mann–Kendall trend is downward
    (``trends.trend``, at least ``min_periods`` periods). Decay is flagged when human-touch
    share is falling and sentiment or retention is falling as well; "critical" when both
    are, "warning" otherwise.
    """
    if sentiment is None and retention is None:
        raise ValueError("relational decay needs a sentiment or a retention series")

    def read(series: Series | None, name: str, kind: str) -> Movement | None:
        if series is None:
            return None
        return _movement(
            list(series), name, kind, recent, minimum=minimum, min_periods=min_periods, alpha=alpha
        )

    touch = read(human_touch, HUMAN_TOUCH, SHARE)
    assert touch is not None
    mood, kept = read(sentiment, SENTIMENT, MEAN), read(retention, RETENTION, SHARE)
    others = [m for m in (mood, kept) if m is not None]
    falling = [m for m in others if m.falling]
    how = " ".join(f"{m.how}." for m in [touch, *others])
    verdict = dict(subject=subject, human_touch=touch, sentiment=mood, retention=kept, how=how)

    if not touch.falling:
        if touch.thin:
            sentence = f"{subject}: too little data to judge relational decay: {touch.phrase}."
        else:
            sentence = f"{subject}: no relational decay: {touch.phrase}."
        return DecayCheck(flagged=False, sentence=sentence, alert=None, **verdict)
    if not falling:
        if all(m.thin for m in others):
            names = " or ".join(m.name for m in others)
            whys = "; ".join(m.phrase for m in others)
            sentence = (
                f"{subject}: {touch.phrase}, but there is too little data to tell whether"
                f" {names} suffered: {whys}."
            )
        else:
            whys = " and ".join(m.phrase for m in others)
            sentence = f"{subject}: {touch.phrase}, but {whys}; not flagged as decay."
        return DecayCheck(flagged=False, sentence=sentence, alert=None, **verdict)

    # The time span is said once when the other series fell over the same one.
    others_text = " and ".join(
        m.phrase.removesuffix(f" {m.over}") if m.over == touch.over else m.phrase for m in falling
    )
    # Told as sure as its least sure part.
    weakest = max(m.p_value or 0.0 for m in [touch, *falling])
    changes = "a real change" if len(falling) == 1 else "real changes"
    sentence = f"{subject}: {touch.phrase} while {others_text}: {likelihood(weakest)} {changes}."
    alert = Alert(
        kind=RELATIONAL_DECAY,
        severity=CRITICAL if len(falling) == 2 else WARNING,
        subject=subject,
        sentence=sentence,
        how=" ".join(f"{m.name}: {m.test}." for m in [touch, *falling]),
        numbers={_KEYS[m.name]: _numbers(m) for m in [touch, *others]},
    )
    return DecayCheck(flagged=True, sentence=sentence, alert=alert, **verdict)


def _movement(
    series: list[Period | Result],
    name: str,
    kind: str,
    recent: int | None,
    *,
    minimum: int,
    min_periods: int,
    alpha: float,
) -> Movement:
    signed = kind == MEAN
    window = recent if recent is not None else max(1, len(series) // 2)
    change = compare_windows(
        series, kind=kind, name=name, recent=window, minimum=minimum, alpha=alpha, signed=signed
    )
    found = trend(series, kind=kind, name=name, min_periods=min_periods, alpha=alpha, signed=signed)
    every = next((p.every for p in series if isinstance(p, Period)), "period")
    if change.supported and change.direction == DOWN:
        over = f"over {_count(len(series), every)}"
        fell = (change.before, change.after)
        test = change.how.removesuffix(".")
        p_value = change.p_value
        evidence = CHANGE
    elif found.supported and found.direction == DOWN:
        over = f"over {_count(found.span, every)}"
        fell = (found.start, found.end)
        test = found.how.removesuffix(".")
        p_value = found.p_value
        evidence = TREND
    else:
        thin = change.reason == TOO_FEW and found.reason == TOO_FEW_PERIODS
        if thin:
            phrase = (
                f"{name} has too few answers ({change.n_before:,}, then {change.n_after:,}, where"
                f" {minimum} on each side are needed) and {_count(found.periods, 'period')}"
                f" with enough answers, where a trend needs {min_periods}"
            )
        else:
            phrase = f"{name} did not clearly fall ({_why(kind, change, found)})"
        return Movement(
            name=name,
            falling=False,
            thin=thin,
            evidence="",
            phrase=phrase,
            over="",
            test="",
            p_value=None,
            how=f"{name}: {change.how.removesuffix('.')}; {found.how.removesuffix('.')}",
            change=change,
            trend=found,
        )
    before, after = (_value(kind, v) for v in fell)
    return Movement(
        name=name,
        falling=True,
        thin=False,
        evidence=evidence,
        phrase=f"{name} fell from {before} to {after} {over}",
        over=over,
        test=test,
        p_value=p_value,
        how=f"{name}: {test}",
        change=change,
        trend=found,
    )


def _why(kind: str, change: Change, found: Trend) -> str:
    """Why a series is not falling: its window change, then its trend, in a few words (the
    tests are in the movement's ``how``)."""
    if change.reason == TOO_FEW:
        window = f"too few answers to compare ({change.n_before:,}, then {change.n_after:,})"
    else:
        verdict = (
            {
                UP: "rose",
                DOWN: "fell",
            }.get(change.direction)
            if change.supported
            else _PLAIN_REASONS.get(change.reason)
        )
        window = f"{_value(kind, change.before)} → {_value(kind, change.after)}, {verdict}"
    if found.reason == TOO_FEW_PERIODS:
        return f"{window}; too few periods for a trend"
    direction = "a steady rise" if found.supported else "no clear trend"
    return f"{window}; {direction}"


_PLAIN_REASONS = {NOISE: "could be chance", TOO_SMALL: "too small to matter"}


def _numbers(m: Movement) -> dict:
    """The figures behind one series' verdict, flat for a table, with both readings in full."""
    c, t = m.change, m.trend
    by_trend = m.evidence == TREND
    return {
        "falling": m.falling,
        "evidence": m.evidence,
        "from": t.start if by_trend else c.before,
        "to": t.end if by_trend else c.after,
        "n_before": c.n_before,
        "n_after": c.n_after,
        "test": t.test if by_trend else c.test,
        "p_value": t.p_value if by_trend else c.p_value,
        "change": c.to_dict(),
        "trend": t.to_dict(),
    }


_KEYS = {HUMAN_TOUCH: "human_touch", SENTIMENT: "sentiment", RETENTION: "retention"}


def _value(kind: str, value: float | None) -> str:
    return "—" if value is None else format_value(kind, value, signed=kind == MEAN)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
