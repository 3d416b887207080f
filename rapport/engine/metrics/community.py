"""Community metrics: presence at community events and the staff who take part."""

from collections.abc import Iterable
from datetime import date

from rapport.engine.metrics._common import (
    MINIMUM,
    Result,
    _check_minimum,
    _count,
    _day,
    _key,
    _nothing,
    _period,
    _share,
    _unpack,
)


def community_participation(
    events: Iterable, staff: Iterable, start: date, end: date, *, minimum: int = MINIMUM
) -> Result:
    """Community participation: the events held in the period, their attendance, and the
    share of staff who took part in at least one.

    Definition: each event is ``(date, attendance, staff_ids)``: ``attendance`` the number of
    people who came (None when not counted), ``staff_ids`` the employees who took part.
    ``staff`` is the ids of the people on staff in the period. The value is the share of
    staff who took part in at least one event in [start, end): distinct participants on staff
    / staff × 100. Participants not in ``staff`` (former employees, volunteers) are counted
    in parts, not in the share. With staff but no events the share is a true 0.

    Interval: Wilson's, for the share. n: staff.
    parts: ``events``, ``attendance`` (total where counted), ``events_without_attendance``,
    ``mean_attendance`` (when any was counted), ``staff_taking_part`` (distinct, on staff),
    ``others_taking_part`` (distinct, not on staff), ``staff``.

    >>> from datetime import date
    >>> events = [(date(2025, 5, 3), 120, ["ann", "bo"]), (date(2025, 6, 1), None, ["ann"])]
    >>> staff = ["ann", "bo", "cy", "di"]
    >>> community_participation(events, staff, date(2025, 1, 1), date(2026, 1, 1)).value
    50.0
    """
    name = "Community participation"
    _check_minimum(minimum)
    start, end = _period(start, end, name)
    on_staff = {_key(person, name, f"staff member {i}") for i, person in enumerate(staff, 1)}
    held = attendance = uncounted = 0
    taking_part: set = set()
    for position, row in enumerate(events, start=1):
        where = f"event {position}"
        day, attended, participants = _unpack(
            row, (3,), name, where, "a (date, attendance, staff_ids) row"
        )
        day = _day(day, name, f"{where}'s date")
        if attended is not None:
            attended = _count(attended, name, f"{where}'s attendance")
        if isinstance(participants, str | bytes) or not isinstance(participants, Iterable):
            raise ValueError(f"{name}: {where}'s staff is {participants!r}, not a list of ids")
        people = [
            _key(p, name, f"{where}'s staff member {i}") for i, p in enumerate(participants, 1)
        ]
        if not start <= day < end:
            continue
        held += 1
        if attended is None:
            uncounted += 1
        else:
            attendance += attended
        taking_part.update(people)
    n = len(on_staff)
    parts: dict[str, float] = {
        "events": held,
        "attendance": attendance,
        "events_without_attendance": uncounted,
        "staff_taking_part": len(taking_part & on_staff),
        "others_taking_part": len(taking_part - on_staff),
        "staff": n,
    }
    if held > uncounted:
        parts["mean_attendance"] = attendance / (held - uncounted)
    if n == 0:
        return _nothing(minimum, parts)
    value, low, high = _share(len(taking_part & on_staff), n)
    return Result(value, n, low, high, n >= minimum, minimum, parts)
