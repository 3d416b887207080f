"""Relationship metrics for any group: response rate, responsiveness, closing the loop, how
much of a relationship a person handles, and how long since a person was in touch.

Times are ``date``s or aware ``datetime``s, of one kind within a call (a naive datetime is
refused: its zone is a guess, and compared with an aware one it would only raise a bare
TypeError). Durations are in hours; with dates, a day is 24 hours.
"""

import math
from collections.abc import Iterable, Sequence
from datetime import date

from rapport.engine.metrics._common import (
    DAY,
    HOUR,
    MEDIAN_MINIMUM,
    MINIMUM,
    Result,
    _check_minimum,
    _count,
    _median_result,
    _Moments,
    _nothing,
    _share,
    _unpack,
    _utc,
)

PERSON = "person"
AUTOMATION = "automation"


def response_rate(invited: int, answered: int, *, minimum: int = MINIMUM) -> Result:
    """Response rate in %: answered invitations over invitations sent.

    Definition: answered / invited × 100, where ``invited`` counts the people asked
    (personal links sent; a bounced invitation is better left out) and ``answered`` those of
    them who answered. A public link has no denominator and so no response rate.

    Interval: Wilson's. n: invitations.
    parts: ``invited``, ``answered``.

    >>> response_rate(20, 7).value
    35.0
    """
    name = "Response rate"
    _check_minimum(minimum)
    invited = _count(invited, name, "invited")
    answered = _count(answered, name, "answered")
    if answered > invited:
        raise ValueError(f"{name}: answered ({answered}) is more than invited ({invited})")
    if invited == 0:
        return _nothing(minimum)
    value, low, high = _share(answered, invited)
    parts = {"invited": invited, "answered": answered}
    return Result(value, invited, low, high, invited >= minimum, minimum, parts)


def responsiveness(
    messages: Iterable, now: date | None = None, *, minimum: int = MEDIAN_MINIMUM
) -> Result:
    """Responsiveness: the median time, in hours, from an inbound message to the first reply
    by a person.

    Definition: each row is ``(received_at, first_human_reply_at)``; the reply is None while
    no person has replied (an automatic acknowledgement is not a reply). A message still
    waiting counts as **at least its age so far** (``now`` − received_at), so a backlog of
    unanswered messages pushes the median up instead of vanishing from it. Ranked at that
    lower bound, such a message can only make the median too low, never too high: when one
    lies at or below the median, ``parts["lower_bound"]`` is 1 and the value reads "at
    least". ``now`` is required when some message has no reply. The median, not the mean:
    one message left over a long weekend would otherwise dominate.

    Interval: distribution-free, from binomial order statistics: [x₍ⱼ₎, x₍ₙ₋ⱼ₊₁₎] with the
    largest j such that P(Binomial(n, ½) ≤ j − 1) ≤ 2.5% (Conover 1999, Practical
    Nonparametric Statistics, §3.2); ``parts["coverage"]`` gives its exact coverage (≥ 95%
    from 6 messages; below 6, the sample's range, which covers less). Minimum: 6.
    n: messages (answered and waiting).
    parts: ``answered_count``, ``waiting_count``, ``coverage``, ``lower_bound``.

    >>> from datetime import datetime, timezone
    >>> at = lambda h: datetime(2025, 3, 3, h, tzinfo=timezone.utc)
    >>> responsiveness([(at(8), at(9)), (at(8), at(11)), (at(9), at(10))]).value
    1.0
    """
    name = "Responsiveness"
    _check_minimum(minimum)
    moment = _Moments(name)
    if now is not None:
        now = moment(now, "now")
    answered: list[float] = []
    waiting: list[float] = []
    for position, row in enumerate(messages, start=1):
        if type(row) is tuple and len(row) == 2:
            received, replied = _utc(row[0]), _utc(row[1])
            fits = moment.fits(received) and moment.fits(replied) and received <= replied
            if fits and (now is None or replied <= now):
                answered.append((replied - received) / HOUR)
                continue
        where = f"message {position}"
        received, replied = _unpack(
            row, (2,), name, where, "a (received_at, first_human_reply_at) row"
        )
        received = moment(received, f"{where}'s arrival")
        if now is not None and received > now:
            raise ValueError(f"{name}: {where} arrives after now ({received} > {now})")
        if replied is None:
            if now is None:
                raise ValueError(
                    f"{name}: {where} has no reply yet; give now= so that its wait so far "
                    "can be counted"
                )
            waiting.append((now - received) / HOUR)
            continue
        replied = moment(replied, f"{where}'s reply")
        if replied < received:
            raise ValueError(f"{name}: {where} is replied to ({replied}) before it arrives")
        if now is not None and replied > now:
            raise ValueError(f"{name}: {where} is replied to after now ({replied} > {now})")
        answered.append((replied - received) / HOUR)
    return responsiveness_of_hours(answered, waiting, minimum=minimum)


def responsiveness_of_hours(
    answered: Sequence[float], waiting: Sequence[float], *, minimum: int = MEDIAN_MINIMUM
) -> Result:
    """``responsiveness`` from hours already measured: ``answered``, how long each replied
    message waited for its first reply by a person; ``waiting``, the age so far of each one
    still waiting (for a caller that measures many groups of messages in one pass).

    >>> responsiveness_of_hours([1.0, 3.0, 1.0], []).value
    1.0
    """
    _check_minimum(minimum)
    for name, hours in (("answered", answered), ("waiting", waiting)):
        if hours and not 0 <= min(hours) <= max(hours) < math.inf:
            raise ValueError(f"Responsiveness: {name} hours must be finite and at least 0")
    parts = {"answered_count": len(answered), "waiting_count": len(waiting)}
    return _median_result(answered, waiting, minimum, parts)


def _follow_ups(items: Iterable, name: str, moment: _Moments):
    """(received, acknowledged or None, done or None) for each item, checked."""
    for position, row in enumerate(items, start=1):
        where = f"item {position}"
        received, acknowledged, done = _unpack(
            row, (3,), name, where, "a (received_at, acknowledged_at, done_at) row"
        )
        received = moment(received, f"{where}'s arrival")
        if acknowledged is not None:
            acknowledged = moment(acknowledged, f"{where}'s acknowledgement")
            if acknowledged < received:
                raise ValueError(f"{name}: {where} is acknowledged before it arrives")
        if done is not None:
            done = moment(done, f"{where}'s closing")
            if done < received:
                raise ValueError(f"{name}: {where} is done before it arrives")
        yield where, received, acknowledged, done


def loop_closure_rate(items: Iterable, *, minimum: int = MINIMUM) -> Result:
    """Loop-closure rate in %: feedback items done over items to act on.

    Definition: each row is ``(received_at, acknowledged_at, done_at)`` for one item that
    called for action (a detractor's answer, a complaint, a suggestion); done_at is when it
    was closed with "what we did", None while open. Rate = done / items × 100. The caller
    chooses the items: those received in a period, say; recent ones have had less time.

    Interval: Wilson's. n: items.
    parts: ``done_count``, ``acknowledged_count`` (acknowledged or done), ``open_count``.

    >>> from datetime import date
    >>> d = date(2025, 3, 3)
    >>> loop_closure_rate([(d, d, d), (d, d, None), (d, None, None), (d, None, d)]).value
    50.0
    """
    name = "Loop closure"
    _check_minimum(minimum)
    n = done = acknowledged = 0
    for _, _, ack, closed in _follow_ups(items, name, _Moments(name)):
        n += 1
        done += closed is not None
        acknowledged += ack is not None or closed is not None
    if n == 0:
        return _nothing(minimum)
    value, low, high = _share(done, n)
    parts = {"done_count": done, "acknowledged_count": acknowledged, "open_count": n - done}
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def time_to_acknowledge(
    items: Iterable, now: date | None = None, *, minimum: int = MEDIAN_MINIMUM
) -> Result:
    """The median time, in hours, from a feedback item's arrival to its acknowledgement.

    Definition: rows as for ``loop_closure_rate``. An item closed without a recorded
    acknowledgement was acknowledged when closed (the earlier of the two counts). An item
    neither acknowledged nor done counts as at least its age so far (``now`` − received_at,
    ``now`` required then), as in ``responsiveness``; ``parts["lower_bound"]`` says when that
    makes the median a lower bound.

    Interval: distribution-free, from binomial order statistics (see ``responsiveness``).
    Minimum: 6. n: items.
    parts: ``acknowledged_count``, ``waiting_count``, ``coverage``, ``lower_bound``.

    >>> from datetime import datetime, timezone
    >>> at = lambda h: datetime(2025, 3, 3, h, tzinfo=timezone.utc)
    >>> time_to_acknowledge([(at(8), at(10), None), (at(8), None, at(9))]).value
    1.5
    """
    name = "Time to acknowledge"
    _check_minimum(minimum)
    moment = _Moments(name)
    if now is not None:
        now = moment(now, "now")
    acknowledged: list[float] = []
    waiting: list[float] = []
    for where, received, ack, done in _follow_ups(items, name, moment):
        if now is not None and received > now:
            raise ValueError(f"{name}: {where} arrives after now ({received} > {now})")
        first = ack if done is None else done if ack is None else min(ack, done)
        if first is None:
            if now is None:
                raise ValueError(
                    f"{name}: {where} is not acknowledged yet; give now= so that its wait "
                    "so far can be counted"
                )
            waiting.append((now - received) / HOUR)
        else:
            if now is not None and first > now:
                raise ValueError(f"{name}: {where} is acknowledged after now ({first} > {now})")
            acknowledged.append((first - received) / HOUR)
    parts = {"acknowledged_count": len(acknowledged), "waiting_count": len(waiting)}
    return _median_result(acknowledged, waiting, minimum, parts)


def human_touch_share(handled_by: Iterable, *, minimum: int = MINIMUM) -> Result:
    """Human-touch share in %: of a relationship's handled interactions, the share handled by
    a person rather than by automation.

    Definition: each item says who handled one interaction: "person" (a member of staff),
    "automation" (a chatbot, an auto-responder, a campaign) or None (nobody: an inbound
    message not handled yet, a purchase). Share = person / (person + automation) × 100;
    unhandled ones are left out of both and counted in parts. A falling share is the
    "relational decay" Rapport watches: contact still happens, but no one is in it.

    Interval: Wilson's. n: handled interactions.
    parts: ``person_count``, ``automation_count``, ``unhandled_count``.

    >>> human_touch_share(["person", "automation", None, "person"]).value
    66.66666666666667
    """
    name = "Human touch"
    _check_minimum(minimum)
    person = automation = unhandled = 0
    for position, who in enumerate(handled_by, start=1):
        if who == PERSON:
            person += 1
        elif who == AUTOMATION:
            automation += 1
        elif who is None:
            unhandled += 1
        else:
            raise ValueError(
                f"{name}: interaction {position} is handled by {who!r}, not "
                f"{PERSON!r}, {AUTOMATION!r} or None"
            )
    return human_touch_of_counts(person, automation, unhandled, minimum=minimum)


def human_touch_of_counts(
    person: int, automation: int, unhandled: int = 0, *, minimum: int = MINIMUM
) -> Result:
    """``human_touch_share`` from counts already made: interactions handled by a person, by
    automation, and by nobody (for a caller that counts many groups at once).

    >>> human_touch_of_counts(2, 1, 1).value
    66.66666666666667
    """
    _check_minimum(minimum)
    if min(person, automation, unhandled) < 0:
        raise ValueError("Human touch: counts must be at least 0")
    n = person + automation
    parts = {"person_count": person, "automation_count": automation}
    parts["unhandled_count"] = unhandled
    if n == 0:
        return _nothing(minimum, parts)
    value, low, high = _share(person, n)
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def days_since_human_contact(last_human_contact: date | None, today: date) -> Result:
    """Whole days since a person last reached this relationship.

    Definition: today − last_human_contact, in whole days (with datetimes, full 24-hour days
    elapsed: 30 hours is 1 day). Both are dates or both aware datetimes. It is a fact, not
    an estimate: the interval is the value itself, n is 1 and the minimum 1. With no human
    contact ever (None) the value is None, n 0, ``enough`` False and ``parts["never"]`` is
    1: show "never", not 0 and not "no data". A contact after ``today`` is an error.

    parts: ``never`` (1 or 0).

    >>> from datetime import date
    >>> days_since_human_contact(date(2025, 3, 1), date(2025, 3, 15)).value
    14
    """
    name = "Days since human contact"
    moment = _Moments(name)
    today = moment(today, "today")
    if last_human_contact is None:
        return _nothing(1, {"never": 1})
    last = moment(last_human_contact, "the last human contact")
    if last > today:
        raise ValueError(f"{name}: the last human contact ({last}) is after today ({today})")
    days = math.floor((today - last) / DAY)
    return Result(days, 1, days, days, True, 1, {"never": 0})
