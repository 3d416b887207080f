"""Drivers: which themes and emotions go with a higher or lower NPS, eNPS or CSAT, told in
plain sentences with their confidence.

::

    from rapport.engine.drivers import find_drivers

    rows = [(3, {"waiting times", "frustration"}), (10, {"friendly staff"}), (9, set()), ...]
    report = find_drivers(rows, "nps", phrases={"frustration": "comments showing frustration"})
    report.summary     # "1 of the 6 themes and emotions compared goes with a clearly ..."
    [e.sentence for e in report.drivers]
    # ["Comments about waiting times come with an NPS 31 points lower (NPS −12 in the 84
    #   answers with them, 19 in the 312 answers without): very likely a real link."]
    [e.how for e in report.drivers]
    # ["95% interval: 18 to 44 points lower; p=0.0001, Holm-adjusted p=0.0006 over 6 labels."]

Each row is one answer: its score and the labels of its comment (theme names or
emotion-group names; an empty set when it has none). For every label, the answers that carry
it are compared with those that do not, when each side holds at least ``MINIMUM`` (10)
answers:

- **NPS, eNPS** (``kind="nps"``, ``"enps"``, scores 0–10): the NPS of each side and their
  difference, in points (−200 to 200). Interval: difference ± 1.96·√(v₁ + v₂), with each
  side's trinomial variance v = (p + d − (p − d)²) / n' on Rocks's adjusted shares
  (p = (promoters + 3/4) / n', d = (detractors + 3/4) / n', n' = n + 3), as in
  ``metrics.scores.nps``; p-value from the normal z = difference / √(v₁ + v₂).
- **CSAT** (``kind="csat"``, scores 1–``scale``): the share answering the top two points on
  each side and their difference, in percentage points. Interval: Newcombe's hybrid score
  interval from the two Wilson intervals (Newcombe 1998, Statistics in Medicine 17,
  873–890, method 10). Its p-value is the one that interval implies: the smallest α at
  which the (1 − α) interval still excludes 0 (found by bisection on z).
- **Means** (``kind="mean"``, any numbers: ratings, CES, a 0–100 index): the mean of each side
  and their difference. Interval and p-value: Welch's t with the Welch–Satterthwaite
  degrees of freedom (Welch 1947, Biometrika 34, 28–35).

Many labels are compared at once, so some would look "significant" by chance. A label is
called a **driver** only when its 95% interval excludes 0 *and* its p-value, adjusted by
Holm's step-down method over all the labels compared (Holm 1979, Scandinavian Journal of
Statistics 6, 65–70), stays below 0.05; this keeps the chance of naming even one false driver
under 5%. Every other label says "no clear link" and why (the interval includes 0, or the
correction), or "not enough data" and why. Labels are listed drivers first, then the others,
each by the size of the difference. A driver is an association, not a cause: answers about
waiting times may be lower because the people who wait are also the ones who had other
trouble.

No Django; the distributions, Holm's correction and Newcombe's interval come from
``rapport.engine.stats`` (scipy).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from rapport.engine.stats import Z95, holm, normal_p, t_quantile, welch
from rapport.engine.stats import newcombe as _newcombe
from rapport.engine.stats import t_p_value as t_p_value  # first defined here; still imported
from rapport.engine.trends import likelihood

# Answers needed on each side (with the label, without it) before a label is compared.
MINIMUM = 10
ALPHA = 0.05
KINDS = ("nps", "enps", "csat", "mean")

DRIVER = "driver"
NO_CLEAR_LINK = "no_clear_link"
NOT_ENOUGH = "not_enough"

_NAMES = {"nps": "NPS", "enps": "eNPS", "csat": "CSAT", "mean": "mean score"}


@dataclass(frozen=True)
class Effect:
    """How one label goes with the score.

    label: the theme or emotion-group name; phrase: how a sentence calls its answers.
    status: ``driver``, ``no_clear_link`` or ``not_enough``.
    n_with, n_without: answers with a score that carry the label, and that do not.
    with_value, without_value: the score on each side (NPS points, % satisfied, or the
        mean); None when a side is too small.
    difference: with − without; low, high: its 95% interval (None when not compared).
    p: the two-sided p-value; p_adjusted: after Holm's correction.
    sentence: all of it in an owner's words; how: the interval and p-values behind it.
    """

    label: str
    phrase: str
    status: str
    n_with: int
    n_without: int
    with_value: float | None
    without_value: float | None
    difference: float | None
    low: float | None
    high: float | None
    p: float | None
    p_adjusted: float | None
    sentence: str
    how: str = ""

    @property
    def is_driver(self) -> bool:
        return self.status == DRIVER


@dataclass(frozen=True)
class DriverReport:
    """Every label's ``Effect``, drivers first, each kind ordered by the size of the
    difference.

    kind: ``nps``, ``enps``, ``csat`` or ``mean``; name: how sentences call the score.
    n: answers with a score. minimum: answers needed on each side.
    compared: how many labels were compared (the number Holm's correction is over).
    summary: one sentence for the top of a page, in an owner's words; method: how it was
    worked out (intervals, tests, Holm's correction).
    """

    kind: str
    name: str
    n: int
    minimum: int
    compared: int
    effects: tuple[Effect, ...]
    summary: str
    method: str

    @property
    def drivers(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.status == DRIVER)

    @property
    def no_clear_link(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.status == NO_CLEAR_LINK)

    @property
    def not_enough(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.status == NOT_ENOUGH)


# --- comparisons ----------------------------------------------------------------------------


@dataclass
class _Side:
    """What a comparison needs from the answers on one side, kept as running sums so that the
    without side is the total minus the with side."""

    n: int = 0
    good: int = 0  # promoters, or satisfied answers
    bad: int = 0  # detractors
    total: float = 0.0  # sum of (x − shift), for means
    squares: float = 0.0  # sum of (x − shift)²

    def add(self, x: float, kind: str, scale: int, shift: float) -> None:
        self.n += 1
        if kind in ("nps", "enps"):
            self.good += x >= 9
            self.bad += x <= 6
        elif kind == "csat":
            self.good += x >= scale - 1
        else:
            self.total += x - shift
            self.squares += (x - shift) ** 2

    def minus(self, other: _Side) -> _Side:
        return _Side(
            self.n - other.n,
            self.good - other.good,
            self.bad - other.bad,
            self.total - other.total,
            self.squares - other.squares,
        )

    def value(self, kind: str, shift: float) -> float:
        if kind in ("nps", "enps"):
            return 100 * (self.good - self.bad) / self.n
        if kind == "csat":
            return 100 * self.good / self.n
        return shift + self.total / self.n

    def variance(self) -> float:
        """Sample variance, for means."""
        return max(0.0, (self.squares - self.total**2 / self.n) / (self.n - 1))


def _compare_nps(a: _Side, b: _Side) -> tuple[float, float, float, float]:
    def adjusted_variance(side: _Side) -> float:
        n = side.n + 3
        p, d = (side.good + 0.75) / n, (side.bad + 0.75) / n
        return (p + d - (p - d) ** 2) / n

    difference = 100 * ((a.good - a.bad) / a.n - (b.good - b.bad) / b.n)
    se = 100 * math.sqrt(adjusted_variance(a) + adjusted_variance(b))
    low = max(-200.0, difference - Z95 * se)
    high = min(200.0, difference + Z95 * se)
    return difference, low, high, normal_p(difference / se)


def _compare_shares(a: _Side, b: _Side) -> tuple[float, float, float, float]:
    difference = 100 * (a.good / a.n - b.good / b.n)
    low, high = _newcombe(a.good, a.n, b.good, b.n)
    if a.good * b.n == b.good * a.n:
        p = 1.0
    else:
        # The p-value the interval implies: the z at which its nearer end reaches 0. Wilson
        # intervals grow with z, so that end moves monotonically and bisection finds it.
        upper = a.good * b.n > b.good * a.n
        first, second = (a, b) if upper else (b, a)

        def nearer_end(z: float) -> float:
            return _newcombe(first.good, first.n, second.good, second.n, z)[0]

        z_low, z_high = 0.0, 1.0
        while nearer_end(z_high) > 0 and z_high < 64:
            z_high *= 2
        if nearer_end(z_high) > 0:
            p = 0.0
        else:
            for _ in range(100):
                middle = (z_low + z_high) / 2
                if nearer_end(middle) > 0:
                    z_low = middle
                else:
                    z_high = middle
            p = normal_p((z_low + z_high) / 2)
    return difference, 100 * low, 100 * high, p


def _compare_means(a: _Side, b: _Side, shift: float) -> tuple[float, float, float, float]:
    difference = a.value("mean", shift) - b.value("mean", shift)
    va, vb = a.variance() / a.n, b.variance() / b.n
    se = math.sqrt(va + vb)
    if se == 0:
        # Every answer on each side is the same: the difference is exact.
        return difference, difference, difference, 1.0 if difference == 0 else 0.0
    test = welch(
        b.n, b.value("mean", shift), b.variance(), a.n, a.value("mean", shift), a.variance()
    )
    half = t_quantile(test.df) * se
    return difference, difference - half, difference + half, test.p_value


# --- words ------------------------------------------------------------------------------------


def _number(x: float, kind: str) -> str:
    if kind == "mean":
        text = f"{x:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{x:.0f}" if abs(x) >= 1 or x == 0 else f"{x:.1f}"
    text = "0" if text in ("-0", "-0.0") else text
    return text.replace("-", "−")


class _Words:
    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        self.unit = "" if kind == "mean" else " points"
        if kind in ("nps", "enps"):
            self.a_name = f"an {name}" if name in ("NPS", "eNPS") else self._article(name)
        else:
            self.a_name = self._article(name)

    @staticmethod
    def _article(name: str) -> str:
        return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"

    def value(self, x: float) -> str:
        return _number(x, self.kind) + ("%" if self.kind == "csat" else "")

    def amount(self, difference: float) -> str:
        """ "31 points lower", "0.4 higher", "no difference"."""
        if difference == 0:
            return "no difference"
        direction = "higher" if difference > 0 else "lower"
        return f"{_number(abs(difference), self.kind)}{self.unit} {direction}"

    def interval(self, low: float, high: float) -> str:
        if low > 0:
            return f"{_number(low, self.kind)} to {_number(high, self.kind)}{self.unit} higher"
        if high < 0:
            return f"{_number(-high, self.kind)} to {_number(-low, self.kind)}{self.unit} lower"
        return (
            f"from {_number(-low, self.kind)}{self.unit} lower "
            f"to {_number(high, self.kind)}{self.unit} higher"
        )

    def sides(self, effect: Effect) -> str:
        assert effect.with_value is not None and effect.without_value is not None
        return (
            f"{self.name} {self.value(effect.with_value)} in the {effect.n_with} answers with "
            f"them, {self.value(effect.without_value)} in the {effect.n_without} answers without"
        )


def _how(effect: Effect, words: _Words, compared: int) -> str:
    """The interval and p-values behind an effect's sentence, for those who ask."""
    if effect.low is None or effect.high is None or effect.p is None:
        return ""
    line = f"95% interval: {words.interval(effect.low, effect.high)}; p={effect.p:.4f}"
    if effect.p_adjusted is not None:
        labels = "label" if compared == 1 else "labels"
        line += f", Holm-adjusted p={effect.p_adjusted:.4f} over {compared} {labels}"
    return line + f"; a link is called clear when the interval excludes 0 and p < {ALPHA:g}."


def _sentence(
    effect: Effect, words: _Words, compared: int, minimum: int, same: float | None
) -> str:
    phrase = effect.phrase[:1].upper() + effect.phrase[1:]
    if effect.status == NOT_ENOUGH:
        total = effect.n_with + effect.n_without
        if total and effect.n_without == 0:
            return (
                f"{phrase}: not enough data to compare: they are on every one of the "
                f"{total} answers, so there are none without them."
            )
        if effect.n_with < minimum or effect.n_without < minimum:
            return (
                f"{phrase}: not enough data: {effect.n_with} answers with them and "
                f"{effect.n_without} without; at least {minimum} on each side are needed."
            )
        assert same is not None
        return (
            f"{phrase}: not enough data to compare: every answer is "
            f"{words.value(same)}, so nothing can go with a higher or lower {words.name}."
        )
    assert effect.difference is not None and effect.low is not None and effect.high is not None
    amount = words.amount(effect.difference)
    if effect.status == DRIVER:
        assert effect.p_adjusted is not None
        return (
            f"{phrase} come with {words.a_name} {amount} ({words.sides(effect)}): "
            f"{likelihood(effect.p_adjusted)} a real link."
        )
    if effect.low <= 0 <= effect.high:
        return (
            f"{phrase}: no clear link with {words.name}: {amount} "
            f"({words.sides(effect)}), but a difference this size could be chance."
        )
    return (
        f"{phrase}: no clear link with {words.name}: {amount} "
        f"({words.sides(effect)}), but with {compared} themes and "
        f"emotions compared, a difference like this could be chance."
    )


# --- the report -------------------------------------------------------------------------------


def _clean_score(score: object, kind: str, scale: int, row: int) -> float | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise ValueError(f"row {row}: the score is {score!r}, not a number")
    if kind == "mean":
        return float(score)
    low, high = (0, 10) if kind in ("nps", "enps") else (1, scale)
    if score != int(score):
        raise ValueError(f"row {row}: the score is {score!r}, not a whole number")
    if not low <= score <= high:
        raise ValueError(f"row {row}: the score is {score!r}, outside {low}–{high}")
    return float(score)


def _clean_labels(labels: object, row: int) -> frozenset[str]:
    if labels is None:
        return frozenset()
    if isinstance(labels, str | bytes) or not isinstance(labels, Iterable):
        raise ValueError(
            f"row {row}: the labels must be a collection of names, not {type(labels).__name__}"
        )
    clean = set()
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"row {row}: the label {label!r} is not a name")
        clean.add(label)
    return frozenset(clean)


def _method(words: _Words, minimum: int, compared: int) -> str:
    how = {
        "nps": "the difference between the two NPS, its 95% interval from their trinomial "
        "variances (Rocks's adjusted Wald)",
        "csat": "the difference between the two shares of satisfied answers, in percentage "
        "points, with Newcombe's 95% interval built from Wilson intervals",
        "mean": "the difference between the two means, with Welch's 95% interval",
    }[words.kind if words.kind != "enps" else "nps"]
    return (
        f"Answers that carry a theme or emotion are compared with those that do not when each "
        f"side has at least {minimum}: {how}. A link is called clear only when that interval "
        f"excludes 0 and, after Holm's correction for the number of labels compared ({compared}), "
        f"p < {ALPHA:g}. A clear link is an association, not proof of a cause."
    )


def find_drivers(
    rows: Iterable[tuple[float | None, Iterable[str] | None]],
    kind: str,
    *,
    minimum: int = MINIMUM,
    phrases: Mapping[str, str] | None = None,
    scale: int = 5,
    name: str | None = None,
) -> DriverReport:
    """Which labels go with a higher or lower score, with confidence, in sentences.

    rows: (score, labels) per answer. A score of None (left blank) is not counted; labels is
        a set of theme or emotion-group names, possibly empty (None counts as empty).
    kind: ``nps``, ``enps`` (0–10), ``csat`` (1–``scale``, top two points satisfied) or
        ``mean`` (any numbers).
    minimum: answers needed on each side, at least 2 (``MINIMUM``).
    phrases: label → how a sentence calls the answers that carry it, as a plural noun phrase
        ("comments showing frustration"); default "comments about <label>".
    name: how sentences call the score (default NPS, eNPS, CSAT or "mean score").

    Never fails on too little data (it says so, label by label); raises ValueError naming
    the row for a score outside the scale or labels that are not a collection of names.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; the kinds are {', '.join(KINDS)}")
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 2:
        raise ValueError(f"minimum must be a whole number of at least 2, not {minimum!r}")
    if kind == "csat" and (isinstance(scale, bool) or not isinstance(scale, int) or scale < 3):
        raise ValueError(f"a satisfaction scale needs at least 3 points, not {scale!r}")
    phrases = dict(phrases or {})
    words = _Words(kind, name or _NAMES[kind])

    cleaned: list[tuple[float, frozenset[str]]] = []
    seen: set[str] = set()
    for row, item in enumerate(rows, start=1):
        try:
            score, labels = item
        except (TypeError, ValueError):
            raise ValueError(f"row {row}: expected (score, labels), not {item!r}")
        clean_labels = _clean_labels(labels, row)
        seen |= clean_labels
        clean_score = _clean_score(score, kind, scale, row)
        if clean_score is not None:
            cleaned.append((clean_score, clean_labels))

    n = len(cleaned)
    shift = sum(x for x, _ in cleaned) / n if n else 0.0
    everyone = _Side()
    by_label = {label: _Side() for label in seen}
    for x, labels in cleaned:
        everyone.add(x, kind, scale, shift)
        for label in labels:
            by_label[label].add(x, kind, scale, shift)
    distinct = {x for x, _ in cleaned}
    same = next(iter(distinct)) if len(distinct) == 1 else None

    effects: list[Effect] = []
    tested: list[int] = []
    for label in sorted(seen):
        with_side = by_label[label]
        without_side = everyone.minus(with_side)
        phrase = phrases.get(label) or f"comments about {label}"
        base = dict(label=label, phrase=phrase, n_with=with_side.n, n_without=without_side.n)
        if with_side.n < minimum or without_side.n < minimum or same is not None:
            effects.append(
                Effect(
                    **base,
                    status=NOT_ENOUGH,
                    with_value=with_side.value(kind, shift) if with_side.n else None,
                    without_value=without_side.value(kind, shift) if without_side.n else None,
                    difference=None,
                    low=None,
                    high=None,
                    p=None,
                    p_adjusted=None,
                    sentence="",
                )
            )
            continue
        if kind in ("nps", "enps"):
            difference, low, high, p = _compare_nps(with_side, without_side)
        elif kind == "csat":
            difference, low, high, p = _compare_shares(with_side, without_side)
        else:
            difference, low, high, p = _compare_means(with_side, without_side, shift)
        tested.append(len(effects))
        effects.append(
            Effect(
                **base,
                status=NO_CLEAR_LINK,
                with_value=with_side.value(kind, shift),
                without_value=without_side.value(kind, shift),
                difference=difference,
                low=low,
                high=high,
                p=p,
                p_adjusted=None,
                sentence="",
            )
        )

    compared = len(tested)
    adjusted = holm([effects[i].p or 0.0 for i in tested])
    for i, p_adjusted in zip(tested, adjusted, strict=True):
        e = effects[i]
        assert e.low is not None and e.high is not None
        clear = (e.low > 0 or e.high < 0) and p_adjusted < ALPHA
        effects[i] = replace(e, p_adjusted=p_adjusted, status=DRIVER if clear else NO_CLEAR_LINK)
    effects = [
        replace(
            e, sentence=_sentence(e, words, compared, minimum, same), how=_how(e, words, compared)
        )
        for e in effects
    ]
    rank = {DRIVER: 0, NO_CLEAR_LINK: 1, NOT_ENOUGH: 2}
    effects.sort(
        key=lambda e: (
            rank[e.status],
            -abs(e.difference) if e.difference is not None else -e.n_with,
            e.label,
        )
    )

    drivers = sum(1 for e in effects if e.status == DRIVER)
    if n == 0:
        summary = "Not enough data: no answers with a score yet."
    elif n < 2 * minimum:
        summary = (
            f"Not enough data: {n} {'answer' if n == 1 else 'answers'}; comparing a theme or "
            f"emotion needs at least {minimum} answers with it and {minimum} without."
        )
    elif not seen:
        summary = f"Nothing to compare: none of the {n} answers carries a theme or emotion."
    elif same is not None:
        summary = (
            f"Not enough data to compare: every one of the {n} answers is {words.value(same)}, "
            f"so nothing can go with a higher or lower {words.name}."
        )
    elif compared == 0:
        summary = (
            f"Not enough data: no theme or emotion has at least {minimum} answers with it and "
            f"{minimum} without (n={n})."
        )
    else:
        if drivers:
            verb = "goes" if drivers == 1 else "go"
            summary = (
                f"{drivers} of the {compared} themes and emotions compared {verb} with a "
                f"clearly higher or lower {words.name}"
            )
        else:
            summary = f"No theme or emotion shows a clear link with {words.name}"
        summary += f" ({n} answers)."
        few = len(effects) - compared
        if few:
            summary += f" {few} more had too few answers to compare."
    return DriverReport(
        kind=kind,
        name=words.name,
        n=n,
        minimum=minimum,
        compared=compared,
        effects=tuple(effects),
        summary=summary,
        method=_method(words, minimum, compared),
    )
