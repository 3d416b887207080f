"""What followed the reach-out list's items, and whether the list seems to help: plain rows in.

When a member marks an item done (or snoozes it), the facts after that moment say what
followed: the person's next message, the mood of what they wrote, their next purchase, a
supplier's deliveries. ``what_followed`` reads them for one item; ``list_effect`` compares
the items marked done with the items snoozed::

    followed = what_followed(Marked(at, "customer", next_message_at, readings, purchases), today)
    followed.words()  # "replied 3 days later; sentiment up from −0.4 to +0.2; bought again…"
    effect = list_effect(done=[Marked(...), ...], snoozed=[Marked(...), ...], today=today)

The comparison is not a controlled experiment: members choose what to act on and what to put
off, so the two groups differ in more than the member's call. Items that were on the list
and neither done nor snoozed cannot be compared at all: the list is not stored, and the facts
it was computed from (the last human contact, a person's rhythm) move on, so last month's
list cannot be rebuilt. Below ``MIN_GROUP`` items a share is "not enough data".
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rapport.engine.outreach import CUSTOMER, SUPPLIER, DeliveryRow, ReadingRow, on_time
from rapport.engine.stats import newcombe, wilson

# A message from them within this many days of the item is a reply.
REPLY_DAYS = 28
# Their messages' mean sentiment this many days after, against this many days before.
SENTIMENT_AFTER_DAYS = 28
SENTIMENT_BEFORE_DAYS = 90
# A customer's purchase on a later day within this many days.
PURCHASE_DAYS = 56
# A supplier's on-time rate over deliveries promised this many days after, and before.
DELIVERY_DAYS = 90
# The list's effect looks at the items marked over this many weeks (each given its full
# REPLY_DAYS or PURCHASE_DAYS), and says nothing of a group smaller than MIN_GROUP.
EFFECT_WEEKS = 12
MIN_GROUP = 10
# What the comparison is, said wherever it is shown.
COMPARISON = (
    "Items marked done, against items snoozed. Not a controlled experiment: members choose "
    "what to act on and what to put off, so the two groups differ in more than that. Items "
    "left on the list untouched cannot be counted: the list itself is not kept."
)


@dataclass(frozen=True)
class Marked:
    """One item marked done or snoozed, with the facts around it: ``at`` in the business's
    time zone; ``next_message_at`` their first message after it, however late; their
    messages' readings, purchase days and deliveries (only those near ``at`` matter)."""

    at: datetime
    group: str
    next_message_at: datetime | None = None
    readings: tuple[ReadingRow, ...] = ()
    purchases: tuple[date, ...] = ()
    deliveries: tuple[DeliveryRow, ...] = ()


def _signed(x: float) -> str:
    # round(…) + 0.0 turns −0.0 into 0.0.
    return f"{round(x, 1) + 0.0:+.1f}".replace("-", "\N{MINUS SIGN}")


def _later(days: int) -> str:
    return "the same day" if days == 0 else f"{days} day{'' if days == 1 else 's'} later"


def _rate(counts: tuple[int, int]) -> str:
    k, n = counts
    return f"{k / n:.0%} ({k} of {n})"


@dataclass(frozen=True)
class Followed:
    """What followed one item, as of ``today``. Days count from the day it was marked."""

    today: date
    on: date
    group: str
    # Days until their next message, however late (None: none yet).
    message_days: int | None = None
    sentiment_before: tuple[float, ...] = ()
    sentiment_after: tuple[float, ...] = ()
    # Days until a customer's next purchase within PURCHASE_DAYS (None: none).
    bought_days: int | None = None
    # A supplier's (on time, delivered) before and after.
    on_time_before: tuple[int, int] = (0, 0)
    on_time_after: tuple[int, int] = (0, 0)

    @property
    def replied(self) -> bool:
        return self.message_days is not None and self.message_days <= REPLY_DAYS

    @property
    def bought(self) -> bool:
        return self.bought_days is not None

    def _waited(self, days: int) -> bool:
        return (self.today - self.on).days >= days

    def _reply_words(self) -> str:
        if self.replied:
            return f"replied {_later(self.message_days)}"
        if self.message_days is not None:
            return f"wrote next after {self.message_days} days"
        return f"no reply in {REPLY_DAYS} days" if self._waited(REPLY_DAYS) else "no reply yet"

    def _sentiment_words(self) -> str:
        if not (self.sentiment_before and self.sentiment_after):
            return ""
        before = round(statistics.fmean(self.sentiment_before), 1)
        after = round(statistics.fmean(self.sentiment_after), 1)
        if before == after:
            return f"sentiment unchanged at {_signed(after)}"
        way = "up" if after > before else "down"
        return f"sentiment {way} from {_signed(before)} to {_signed(after)}"

    def _purchase_words(self) -> str:
        if self.group != CUSTOMER:
            return ""
        if self.bought:
            return (
                f"bought again after {self.bought_days} day{'' if self.bought_days == 1 else 's'}"
            )
        waited = self._waited(PURCHASE_DAYS)
        return f"no purchase in {PURCHASE_DAYS} days" if waited else "no purchase yet"

    def _delivery_words(self) -> str:
        if self.group != SUPPLIER or not self.on_time_after[1]:
            return ""
        before = f", against {_rate(self.on_time_before)} before" if self.on_time_before[1] else ""
        return f"on time {_rate(self.on_time_after)} since{before}"

    def words(self) -> str:
        """One line in plain words: "replied 3 days later; sentiment up from −0.4 to +0.2;
        bought again after 9 days"."""
        parts = [
            self._reply_words(),
            self._sentiment_words(),
            self._purchase_words(),
            self._delivery_words(),
        ]
        return "; ".join(p for p in parts if p)

    def numbers(self) -> dict:
        """What ``words`` was computed from."""
        out = {
            "days until their next message": self.message_days,
            f"a reply within {REPLY_DAYS} days": "yes" if self.replied else "no",
        }
        for name, scores, days in (
            ("before", self.sentiment_before, SENTIMENT_BEFORE_DAYS),
            ("after", self.sentiment_after, SENTIMENT_AFTER_DAYS),
        ):
            mean = _signed(statistics.fmean(scores)) if scores else None
            out[f"mean sentiment {days} days {name}"] = mean
            out[f"messages read {days} days {name}"] = len(scores)
        if self.group == CUSTOMER:
            out[f"days until the next purchase (within {PURCHASE_DAYS})"] = self.bought_days
        if self.group == SUPPLIER:
            for name, counts in (("before", self.on_time_before), ("after", self.on_time_after)):
                label = f"on time, deliveries promised {DELIVERY_DAYS} days {name}"
                out[label] = f"{counts[0]} of {counts[1]}"
        return out


def what_followed(marked: Marked, today: date) -> Followed:
    """What followed ``marked`` up to ``today``: its rows outside the windows are ignored."""
    at, on = marked.at, marked.at.date()
    before = at - timedelta(days=SENTIMENT_BEFORE_DAYS)
    after = at + timedelta(days=SENTIMENT_AFTER_DAYS)
    bought = sorted(
        (day - on).days for day in marked.purchases if 0 < (day - on).days <= PURCHASE_DAYS
    )
    span = timedelta(days=DELIVERY_DAYS)
    return Followed(
        today=today,
        on=on,
        group=marked.group,
        message_days=(marked.next_message_at.date() - on).days if marked.next_message_at else None,
        sentiment_before=tuple(r.score for r in marked.readings if before <= r.at < at),
        sentiment_after=tuple(r.score for r in marked.readings if at < r.at <= after),
        bought_days=bought[0] if bought else None,
        on_time_before=on_time([d for d in marked.deliveries if on - span <= d.promised_on < on]),
        on_time_after=on_time([d for d in marked.deliveries if on <= d.promised_on < on + span]),
    )


@dataclass(frozen=True)
class Share:
    """How many of ``n`` items were followed by something, with Wilson's 95% interval."""

    hits: int
    n: int

    @property
    def enough(self) -> bool:
        return self.n >= MIN_GROUP

    @property
    def share(self) -> float | None:
        return self.hits / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.hits, self.n) if self.n else None

    def words(self) -> str:
        if not self.enough:
            return f"not enough data ({self.n} item{'' if self.n == 1 else 's'})"
        low, high = self.interval
        return f"{self.share:.0%} ({self.hits} of {self.n}; likely {low:.0%}–{high:.0%})"


@dataclass(frozen=True)
class Measure:
    """One measure of the list's effect: items done against items snoozed, marked from
    ``start`` to ``end`` (days in the business's time zone)."""

    label: str
    start: date
    end: date
    done: Share
    snoozed: Share

    @property
    def groups(self) -> list[Share]:
        return [self.done, self.snoozed]

    @property
    def difference(self) -> tuple[float, float, float] | None:
        """Done's share minus snoozed's, with Newcombe's 95% interval; None with too few."""
        if not (self.done.enough and self.snoozed.enough):
            return None
        low, high = newcombe(self.done.hits, self.done.n, self.snoozed.hits, self.snoozed.n)
        return self.done.share - self.snoozed.share, low, high

    def words(self) -> str:
        diff = self.difference
        if diff is None:
            return f"Not enough data: at least {MIN_GROUP} items done and {MIN_GROUP} snoozed are needed."
        d, low, high = diff
        points = f"{d * 100:+.0f} points (likely {low * 100:+.0f} to {high * 100:+.0f})"
        if low > 0:
            return f"Done items were followed more often: {points}."
        if high < 0:
            return f"Done items were followed less often: {points}."
        return f"No clear difference: {points}."


@dataclass(frozen=True)
class Effect:
    replied: Measure
    bought: Measure
    weeks: int = EFFECT_WEEKS
    comparison: str = COMPARISON

    @property
    def measures(self) -> list[Measure]:
        return [self.replied, self.bought]


def _measure(label, days, done, snoozed, today, hit, only=None) -> Measure:
    end = today - timedelta(days=days)
    start = end - timedelta(weeks=EFFECT_WEEKS) + timedelta(days=1)

    def share(items: list[Followed]) -> Share:
        kept = [f for f in items if start <= f.on <= end and (only is None or f.group == only)]
        return Share(sum(hit(f) for f in kept), len(kept))

    return Measure(label, start, end, share(done), share(snoozed))


def list_effect(done: list[Marked], snoozed: list[Marked], today: date) -> Effect:
    """Items marked done against items snoozed: the share followed by a message from them
    within REPLY_DAYS, and (customers) by a purchase within PURCHASE_DAYS. Each measure
    counts the items of EFFECT_WEEKS weeks that have had their full time: marked up to
    REPLY_DAYS (or PURCHASE_DAYS) before ``today``."""
    done_f = [what_followed(m, today) for m in done]
    snoozed_f = [what_followed(m, today) for m in snoozed]
    return Effect(
        replied=_measure(
            f"A message from them within {REPLY_DAYS} days",
            REPLY_DAYS,
            done_f,
            snoozed_f,
            today,
            lambda f: f.replied,
        ),
        bought=_measure(
            f"A purchase within {PURCHASE_DAYS} days (customers)",
            PURCHASE_DAYS,
            done_f,
            snoozed_f,
            today,
            lambda f: f.bought,
            only=CUSTOMER,
        ),
    )
