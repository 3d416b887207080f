"""The shared state of one demo generation: clock, random streams and rows waiting to be written.

Generators (staff, partners, customers) append unsaved rows here; ``generate.py`` writes them
with ``bulk_create`` at the end. Every random draw comes from ``Builder.rng(<name>)``, a
stream seeded by the demo seed and a stable name, so adding a draw in one generator never
shifts the output of another.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rapport.accounts.models import Automation, Membership, Workspace
from rapport.people.choices import Direction
from rapport.people.models import (
    CommunityEvent,
    Delivery,
    EmploymentEvent,
    Interaction,
    Person,
    Purchase,
    Tag,
    Team,
)

# Two years of history: long enough for year-on-year comparisons and for the stories that
# unfold over the last six months to stand out against a calm baseline.
HISTORY_DAYS = 730
STORY_DAYS = 182
# Messages this recent may still be waiting for an answer.
OPEN_DAYS = 21


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Builder:
    workspace: Workspace
    seed: int
    as_of: date
    tz: ZoneInfo
    members: dict[str, Membership]
    automations: dict[str, Automation]
    teams: dict[str, Team] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    interactions: list[Interaction] = field(default_factory=list)
    purchases: list[Purchase] = field(default_factory=list)
    employment_events: list[EmploymentEvent] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    # Community events with the employees who staffed them, linked once both have ids.
    community_events: list[tuple[CommunityEvent, list[Person]]] = field(default_factory=list)
    person_tags: list[tuple[Person, str]] = field(default_factory=list)
    _threads: int = 0

    @property
    def start(self) -> date:
        """The first day of the demo's history."""
        return self.as_of - timedelta(days=HISTORY_DAYS)

    @property
    def end(self) -> date:
        """The last day with activity: the day before ``as_of``, so nothing lies in the future."""
        return self.as_of - timedelta(days=1)

    @property
    def cutoff(self) -> datetime:
        return self.at(self.as_of, 0)

    @property
    def chatbot_start(self) -> date:
        """Levain Assistant goes live on the first day of the 18th month of history."""
        return add_months(self.start, 17)

    def rng(self, *parts) -> random.Random:
        """A random stream named by ``parts``; seeding with a string is stable across processes."""
        return random.Random(":".join([str(self.seed), *map(str, parts)]))

    def at(self, day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute, second), tzinfo=self.tz)

    def random_time(
        self, rng: random.Random, day: date, first_hour: int, last_hour: int
    ) -> datetime:
        return self.at(
            day, rng.randint(first_hour, last_hour), rng.randint(0, 59), rng.randint(0, 59)
        )

    def progress(self, day: date, days: int = STORY_DAYS) -> float:
        """0 before the last ``days`` of history, rising to 1 on ``as_of``: how far a story has gone."""
        begun = (day - (self.as_of - timedelta(days=days))).days
        return min(1.0, max(0.0, begun / days))

    def days(self, first: date | None = None, last: date | None = None):
        day, last = max(first or self.start, self.start), min(last or self.end, self.end)
        while day <= last:
            yield day
            day += timedelta(days=1)

    def shop_open(self, day: date) -> bool:
        """Both shops close on Mondays, a few bank holidays and two weeks in mid-August."""
        if day.weekday() == 0:
            return False
        if (day.month, day.day) in {(12, 25), (1, 1), (5, 1)}:
            return False
        return not (day.month == 8 and 5 <= day.day <= 18)

    def next_open_day(self, day: date) -> date:
        while not self.shop_open(day):
            day += timedelta(days=1)
        return day

    def new_thread(self, prefix: str) -> str:
        self._threads += 1
        return f"{prefix}-{self._threads:05d}"

    def tag(self, person: Person, name: str) -> None:
        self.person_tags.append((person, name))

    def add(
        self,
        person: Person,
        when: datetime,
        channel: str,
        direction: str,
        text: str,
        *,
        by: Membership | Automation | None = None,
        subject: str = "",
        thread: str = "",
        is_open: bool = False,
    ) -> bool:
        """Queue one interaction; anything at or after the cutoff is dropped (returns False)."""
        if when >= self.cutoff or when < self.at(self.start, 0):
            return False
        self.interactions.append(
            Interaction(
                workspace=self.workspace,
                person=person,
                occurred_at=when,
                channel=channel,
                direction=direction,
                handled_by=by if isinstance(by, Membership) else None,
                handled_by_automation=by if isinstance(by, Automation) else None,
                subject=subject[:200],
                text=text,
                thread_key=thread,
                is_open=is_open,
                created_at=when,
            )
        )
        return True

    def reply_time(self, rng: random.Random, after: datetime, by, channel: str) -> datetime:
        """When ``by`` answers a message received at ``after``: bots in seconds, people in
        minutes on chat and hours on email, and never in the middle of the night."""
        if isinstance(by, Automation):
            return after + timedelta(seconds=rng.randint(4, 90))
        if channel == "chat":
            when = after + timedelta(minutes=rng.randint(2, 120))
        else:
            when = after + timedelta(minutes=rng.randint(25, 26 * 60))
        if when.hour < 7 or when.hour >= 21:
            next_day = when.date() + timedelta(days=1 if when.hour >= 21 else 0)
            when = self.at(next_day, 7, rng.randint(20, 59))
        return when

    def conversation(
        self,
        rng: random.Random,
        person: Person,
        when: datetime,
        channel: str,
        steps: list[tuple[str, str, Membership | Automation | None]],
        *,
        subject: str = "",
        thread_prefix: str = "t",
        open_chance: float = 0.0,
    ) -> None:
        """Queue a thread: ``steps`` are (direction, text, handler) in order.

        An inbound message is credited to whoever answers it: the first person among the
        replies, else the automation (an auto-acknowledgement does not make a message handled
        by a bot when a person follows up). A thread that would
        run past the cutoff, or that ``open_chance`` leaves unanswered in the last ``OPEN_DAYS``,
        stops at its last inbound message, which stays open and unassigned.
        """
        thread = (
            self.new_thread(thread_prefix) if len(steps) > 1 or channel in ("email", "chat") else ""
        )
        # Only a person can leave a message waiting: bots answer at once, and a question asked
        # at the counter or on the phone is answered there and then.
        human_reply = isinstance(self._responder([(step, None) for step in steps[1:]]), Membership)
        recent = (self.as_of - when.date()).days <= OPEN_DAYS
        if open_chance and human_reply and recent and rng.random() < open_chance:
            steps = [(steps[0][0], steps[0][1], None)]
        times = [when]
        for direction, _text, by in steps[1:]:
            times.append(
                self.reply_time(rng, times[-1], by, channel)
                if direction == Direction.OUTBOUND
                else times[-1] + timedelta(minutes=rng.randint(1, 30))
            )
        kept = [(step, at) for step, at in zip(steps, times, strict=True) if at < self.cutoff]
        if not kept:
            return
        truncated = len(kept) < len(steps)
        for index, ((direction, text, by), at) in enumerate(kept):
            last = index == len(kept) - 1
            pending = last and direction == Direction.INBOUND and (truncated or by is None)
            handler = (
                by if direction == Direction.OUTBOUND else self._responder(kept[index + 1 :]) or by
            )
            self.add(
                person,
                at,
                channel,
                direction,
                text,
                by=None if pending else handler,
                subject=subject if index == 0 or not subject else f"Re: {subject}",
                thread=thread,
                is_open=pending,
            )

    @staticmethod
    def _responder(later) -> Membership | Automation | None:
        replies = []
        for (direction, _text, by), _at in later:
            if direction == Direction.INBOUND:
                break
            replies.append(by)
        return next((by for by in replies if isinstance(by, Membership)), None) or next(
            (by for by in replies if by is not None), None
        )
