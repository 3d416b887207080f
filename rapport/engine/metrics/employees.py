"""Employee metrics: the engagement index, turnover and absenteeism.

Staff are given as spells of employment ``(employee, first_day, last_day)``: both days
included, ``last_day`` None while they are still employed; one person may have several
spells (left and came back) that must not overlap. Dates are ``date``s. A period runs from
``start`` (included) to ``end`` (excluded).
"""

import math
from collections.abc import Iterable, Mapping
from datetime import date

from rapport.engine.metrics._common import (
    DAY,
    MINIMUM,
    Result,
    _check_minimum,
    _clean,
    _clustered_share,
    _day,
    _key,
    _mean_interval,
    _nothing,
    _number,
    _period,
    _poisson_rate_interval,
    _unpack,
    _working_days,
)

# Exit kinds: the engine's words and the app's ``EmploymentEventKind`` values.
EXIT_KINDS = {
    "voluntary": "voluntary",
    "involuntary": "involuntary",
    "exit_voluntary": "voluntary",
    "exit_involuntary": "involuntary",
}
WEEKDAYS = (0, 1, 2, 3, 4)  # Monday to Friday


def engagement_index(respondents: Iterable, *, minimum: int = MINIMUM) -> Result:
    """Engagement index, 0–100: the % of favourable answers per respondent, averaged over
    respondents, with the 0–100 mean alongside.

    Definition: each respondent answers several 1–5 agreement items ("I would recommend
    working here", "I rarely think about leaving", ...). For each respondent, the share of
    the items they answered with 4 or 5 (favourable) and their mean rescaled to 0–100,
    (mean − 1) / 4 × 100. The index is the mean over respondents of their favourable share,
    so everyone weighs the same however many items they skipped; this is the "% favourable"
    summary of employee-engagement surveys, over items such as Gallup's Q12 (Harter,
    Schmidt & Hayes 2002, Journal of Applied Psychology 87(2), 268–279). Each respondent is a
    sequence of answers, or a mapping item → answer; None is a blank. A respondent with
    only blanks is not counted.

    Interval: Student's t over respondents' shares, clipped to 0–100 (one respondent: the
    whole scale). n: respondents with at least one answer.
    parts: ``sd`` (of respondents' favourable shares, for change tests), ``mean_100`` with
    ``mean_100_low``/``mean_100_high`` (same interval, on the
    per-respondent 0–100 means), ``answers``, ``blank_respondents``.

    >>> engagement_index([[5, 4, 2], [3, 3, 5]]).value  # 2/3 and 1/3 favourable
    50.0
    """
    _check_minimum(minimum)
    favourable_shares: list[float] = []
    means: list[float] = []
    answers = blank = 0
    for position, respondent in enumerate(respondents, start=1):
        if isinstance(respondent, Mapping):
            items = list(respondent.values())
        elif isinstance(respondent, str | bytes) or not isinstance(respondent, Iterable):
            raise ValueError(
                f"Engagement: respondent {position} is {respondent!r}, not a list of answers"
            )
        else:
            items = list(respondent)
        xs = _clean(items, 1, 5, f"Engagement: respondent {position}")
        if not xs:
            blank += 1
            continue
        answers += len(xs)
        favourable_shares.append(100 * sum(1 for x in xs if x >= 4) / len(xs))
        means.append((sum(xs) / len(xs) - 1) / 4 * 100)
    n = len(favourable_shares)
    if n == 0:
        return _nothing(minimum, {"blank_respondents": blank} if blank else {})
    low, high = _mean_interval(favourable_shares, 0, 100)
    mean_low, mean_high = _mean_interval(means, 0, 100)
    parts = {
        "mean_100": math.fsum(means) / n,
        "mean_100_low": mean_low,
        "mean_100_high": mean_high,
        "answers": answers,
        "blank_respondents": blank,
    }
    value = math.fsum(favourable_shares) / n
    # The spread of respondents' shares, so that trends.compare can test a change (Welch).
    parts["sd"] = (
        math.sqrt(math.fsum((x - value) ** 2 for x in favourable_shares) / (n - 1))
        if n > 1
        else 0.0
    )
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def _spells(staff: Iterable, start: date, end: date, name: str) -> dict:
    """Per employee, their spells of employment clipped to [start, end) as (first, stop)
    with ``stop`` excluded; employees with no day in the period are left out."""
    spells: dict = {}
    everyone: dict = {}
    for position, row in enumerate(staff, start=1):
        where = f"employee {position}"
        person, first, last = _unpack(
            row, (3,), name, where, "an (employee, first_day, last_day) row"
        )
        person = _key(person, name, where)
        first = _day(first, name, f"{where}'s first day")
        if last is not None:
            last = _day(last, name, f"{where}'s last day")
            if last < first:
                raise ValueError(f"{name}: {where} leaves ({last}) before joining ({first})")
        # Spells as [first, stop): the day after the last day; open-ended ones never stop.
        stop = date.max if last is None or last == date.max else last + DAY
        everyone.setdefault(person, []).append((first, stop, position))
        clipped_first, clipped_stop = max(first, start), min(stop, end)
        if clipped_first < clipped_stop:
            spells.setdefault(person, []).append((clipped_first, clipped_stop))
    for person, rows in everyone.items():
        if len(rows) > 1:
            rows.sort()
            for (_, stop, before), (first, _, after) in zip(rows, rows[1:], strict=False):
                if first < stop:
                    raise ValueError(
                        f"{name}: employee {after} overlaps employee {before}: "
                        f"{person!r} cannot be employed twice at once"
                    )
    return spells


def turnover(
    exits: Iterable,
    staff: Iterable,
    start: date,
    end: date,
    *,
    kind: str = "all",
    minimum: int = MINIMUM,
) -> Result:
    """Annualised staff turnover in %: exits over the average headcount, per year.

    Definition: turnover = exits in [start, end) / average headcount × 365 / days × 100,
    where days = end − start and the average headcount is the mean over the period's days of
    the number of people employed that day (employee-days / days). A quarter with 2 exits
    and 16 people on average reads 2 / 16 × 365 / 90 = 50.7% a year. Voluntary exits
    (resignations) and involuntary ones (dismissals, redundancies, end of contract) are
    counted separately; ``kind`` picks which the value is ("all", "voluntary",
    "involuntary"). Each exit is ``(employee, date, kind)`` with kind "voluntary" or
    "involuntary" (or the app's "exit_voluntary"/"exit_involuntary"). This is the CIPD's
    labour turnover rate (leavers / average number employed in the period), annualised so
    that months and quarters compare with years; the US BLS's JOLTS separations rate is the
    same ratio per month.

    Interval: the Poisson score interval for exits per person-year (the exposure is the
    average headcount × days / 365), so it does not collapse at 0 exits. n: people employed
    on at least one day of the period.
    parts: ``voluntary``, ``involuntary`` (annualised %), ``voluntary_count``,
    ``involuntary_count``, ``average_headcount``, ``headcount_start`` (on ``start``),
    ``headcount_end`` (on the last day), ``days``, ``period_rate`` (not annualised, %).

    >>> from datetime import date
    >>> staff = [(i, date(2024, 1, 1), None) for i in range(10)]
    >>> exits = [(0, date(2025, 2, 1), "voluntary")]
    >>> round(turnover(exits, staff, date(2025, 1, 1), date(2026, 1, 1)).value, 1)
    10.0
    """
    name = "Turnover"
    _check_minimum(minimum)
    if kind not in ("all", "voluntary", "involuntary"):
        raise ValueError(f"{name}: kind must be all, voluntary or involuntary, not {kind!r}")
    start, end = _period(start, end, name)
    days = (end - start).days
    last_day = end - DAY
    counts = {"voluntary": 0, "involuntary": 0}
    for position, row in enumerate(exits, start=1):
        where = f"exit {position}"
        person, day, exit_kind = _unpack(row, (3,), name, where, "an (employee, date, kind) row")
        _key(person, name, where)
        day = _day(day, name, where)
        if exit_kind not in EXIT_KINDS:
            raise ValueError(
                f"{name}: {where} is of kind {exit_kind!r}, not voluntary or involuntary"
            )
        if start <= day < end:
            counts[EXIT_KINDS[exit_kind]] += 1
    spells = _spells(staff, start, end, name)
    n = len(spells)
    employee_days = sum((stop - first).days for rows in spells.values() for first, stop in rows)
    if employee_days == 0:
        return _nothing(minimum, {f"{k}_count": v for k, v in counts.items() if v})
    average = employee_days / days
    per_year = 365 / days / average * 100  # % a year for one exit
    exits_counted = sum(counts.values()) if kind == "all" else counts[kind]
    exposure = employee_days / 365  # person-years
    low, high = _poisson_rate_interval(exits_counted, exposure)
    parts = {
        "voluntary": counts["voluntary"] * per_year,
        "involuntary": counts["involuntary"] * per_year,
        "voluntary_count": counts["voluntary"],
        "involuntary_count": counts["involuntary"],
        "average_headcount": average,
        "headcount_start": sum(
            1 for rows in spells.values() if any(f <= start < s for f, s in rows)
        ),
        "headcount_end": sum(
            1 for rows in spells.values() if any(f <= last_day < s for f, s in rows)
        ),
        "days": days,
        "period_rate": 100 * exits_counted / average,
    }
    value = exits_counted * per_year
    return Result(value, n, 100 * low, 100 * high, n >= minimum, minimum, parts)


def absenteeism_rate(
    absences: Iterable,
    staff: Iterable,
    start: date,
    end: date,
    *,
    weekdays: Iterable[int] = WEEKDAYS,
    holidays: Iterable[date] = (),
    minimum: int = MINIMUM,
) -> Result:
    """Absenteeism in %: working days lost to absence over working days scheduled.

    Definition: days lost / scheduled working days × 100, over the people employed in
    [start, end). Scheduled days are each person's working days in the period while employed:
    days whose weekday is in ``weekdays`` (Monday is 0; Monday to Friday by default), less
    ``holidays``. Each absence is ``(employee, date, days_lost)``, counted in the period its
    date falls in; half days are fine. This is the "absence rate" of the UK's Labour Force
    Survey and the CIPD (working time lost / working time scheduled). An absence of someone
    not employed in the period, or more days lost than someone was scheduled, is an error.

    Interval: Wilson's with the effective sample size of Korn & Graubard (1998), with each
    person as a cluster of days (a long illness is many days, not many independent ones); see
    ``_clustered_share``. n: people with at least one scheduled day.
    parts: ``days_lost``, ``scheduled_days``, ``absent_people``, ``effective_n``.

    >>> from datetime import date
    >>> staff = [("a", date(2024, 1, 1), None), ("b", date(2024, 1, 1), None)]
    >>> absences = [("a", date(2025, 3, 3), 2)]
    >>> # March 2025 has 21 weekdays: 2 / 42
    >>> round(absenteeism_rate(absences, staff, date(2025, 3, 1), date(2025, 4, 1)).value, 2)
    4.76
    """
    name = "Absenteeism"
    _check_minimum(minimum)
    start, end = _period(start, end, name)
    working = set()
    for position, weekday in enumerate(weekdays, start=1):
        if isinstance(weekday, bool) or weekday not in range(7):
            raise ValueError(f"{name}: weekday {position} is {weekday!r}, not 0 (Monday) to 6")
        working.add(weekday)
    if not working:
        raise ValueError(f"{name}: no working weekdays given")
    working_days = frozenset(working)
    off = sorted(
        {
            day
            for position, day in enumerate(holidays, start=1)
            if _day(day, name, f"holiday {position}").weekday() in working_days
        }
    )
    scheduled = {
        person: sum(_working_days(first, stop, working_days, off) for first, stop in rows)
        for person, rows in _spells(staff, start, end, name).items()
    }
    scheduled = {person: days for person, days in scheduled.items() if days > 0}
    lost: dict = {}
    for position, row in enumerate(absences, start=1):
        where = f"absence {position}"
        person, day, days = _unpack(row, (3,), name, where, "an (employee, date, days_lost) row")
        person = _key(person, name, where)
        day = _day(day, name, where)
        days = _number(days, name, f"{where}'s days lost", at_least=0)
        if not start <= day < end:
            continue
        if person not in scheduled:
            raise ValueError(
                f"{name}: {where} is for {person!r}, who has no working day in the period"
            )
        lost[person] = lost.get(person, 0.0) + days
        if lost[person] > scheduled[person] + 1e-9:
            raise ValueError(
                f"{name}: {where} takes {person!r} to {lost[person]:g} days lost, more than "
                f"the {scheduled[person]} working days scheduled"
            )
    n = len(scheduled)
    if n == 0:
        return _nothing(minimum)
    pairs = [(lost.get(person, 0.0), float(days)) for person, days in scheduled.items()]
    value, low, high, n_eff = _clustered_share(pairs)
    parts = {
        "days_lost": math.fsum(lost.values()),
        "scheduled_days": sum(scheduled.values()),
        "absent_people": sum(1 for days in lost.values() if days > 0),
        "effective_n": n_eff,
    }
    return Result(value, n, low, high, n >= minimum, minimum, parts)
