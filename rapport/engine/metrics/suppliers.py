"""Supplier metrics: on-time delivery and defect rate.

Deliveries are plain rows; the caller picks the supplier and the period (by promised date,
say). Dates are ``date``s.
"""

import math
from collections.abc import Iterable
from datetime import date

from rapport.engine.metrics._common import (
    MINIMUM,
    Result,
    _check_minimum,
    _clustered_share,
    _day,
    _nothing,
    _number,
    _share,
    _unpack,
)


def on_time_rate(deliveries: Iterable, on: date, *, minimum: int = MINIMUM) -> Result:
    """On-time delivery rate in %: deliveries that arrived on or before the promised date,
    over deliveries that are due.

    Definition: each row is ``(promised_on, delivered_on)``, ``delivered_on`` None when not
    delivered yet. A delivery is on time when delivered_on ≤ promised_on. A delivery not yet
    made whose promised date has passed (promised_on < ``on``) is counted as **late**: it is
    already late whenever it comes, and leaving it out would reward a supplier for not
    delivering at all. One not yet due (promised_on ≥ ``on``) is not counted (pending).
    A delivery dated after ``on`` is an error: ``on`` is the day the rate is measured.

    Interval: Wilson's. n: deliveries due (delivered, or undelivered and overdue).
    parts: ``on_time_count``, ``late_count`` (delivered late), ``overdue_count`` (not
    delivered, past due), ``pending_count``, ``mean_days_late`` (of those delivered late,
    when any).

    >>> from datetime import date
    >>> rows = [(date(2025, 3, 3), date(2025, 3, 3)), (date(2025, 3, 4), date(2025, 3, 6)),
    ...         (date(2025, 3, 5), None), (date(2025, 4, 1), None)]
    >>> round(on_time_rate(rows, date(2025, 3, 10)).value, 1)  # 1 on time, 1 late, 1 overdue
    33.3
    """
    name = "On-time rate"
    _check_minimum(minimum)
    on = _day(on, name, "the date")
    on_time = late = overdue = pending = days_late = 0
    for position, row in enumerate(deliveries, start=1):
        where = f"delivery {position}"
        promised, delivered = _unpack(row, (2,), name, where, "a (promised_on, delivered_on) row")
        promised = _day(promised, name, f"{where}'s promised date")
        if delivered is None:
            if promised < on:
                overdue += 1
            else:
                pending += 1
            continue
        delivered = _day(delivered, name, f"{where}'s delivery date")
        if delivered > on:
            raise ValueError(
                f"{name}: {where} was delivered on {delivered}, after the date measured ({on})"
            )
        if delivered <= promised:
            on_time += 1
        else:
            late += 1
            days_late += (delivered - promised).days
    n = on_time + late + overdue
    if n == 0:
        return _nothing(minimum, {"pending_count": pending} if pending else {})
    value, low, high = _share(on_time, n)
    parts: dict[str, float] = {
        "on_time_count": on_time,
        "late_count": late,
        "overdue_count": overdue,
        "pending_count": pending,
    }
    if late:
        parts["mean_days_late"] = days_late / late
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def defect_rate(deliveries: Iterable, *, minimum: int = MINIMUM) -> Result:
    """Defect rate in %: defective quantity over delivered quantity.

    Definition: Σ defective / Σ delivered × 100 over the deliveries received, each row
    ``(quantity, defective_quantity)`` in any one unit (pieces, kg). A row with quantity None
    (not recorded) is skipped and counted in parts; a quantity of 0 or less, a negative
    defective quantity or more defective than delivered is an error. Quality teams often
    quote this in parts per million: ppm = value × 10,000.

    Interval: Wilson's with the effective sample size of Korn & Graubard (1998), with each
    delivery as a cluster of units (a bad batch spoils many units at once); see
    ``_clustered_share``. With one delivery, or no defect anywhere, the deliveries are the
    trials. n: deliveries with a quantity.
    parts: ``delivered_quantity``, ``defective_quantity``, ``deliveries_with_defects``,
    ``unknown_quantity`` (rows skipped), ``effective_n``, ``ppm``.

    >>> defect_rate([(100, 2), (50, 1), (50, 0)]).value
    1.5
    """
    name = "Defect rate"
    _check_minimum(minimum)
    pairs: list[tuple[float, float]] = []
    unknown = 0
    for position, row in enumerate(deliveries, start=1):
        where = f"delivery {position}"
        quantity, defective = _unpack(
            row, (2,), name, where, "a (quantity, defective_quantity) row"
        )
        if quantity is None:
            unknown += 1
            continue
        quantity = _number(quantity, name, f"{where}'s quantity")
        if quantity <= 0:
            raise ValueError(f"{name}: {where}'s quantity is {quantity:g}, not above 0")
        defective = _number(defective, name, f"{where}'s defective quantity", at_least=0)
        if defective > quantity:
            raise ValueError(
                f"{name}: {where} has {defective:g} defective out of {quantity:g} delivered"
            )
        pairs.append((defective, quantity))
    n = len(pairs)
    if n == 0:
        return _nothing(minimum, {"unknown_quantity": unknown} if unknown else {})
    value, low, high, n_eff = _clustered_share(pairs)
    parts = {
        "delivered_quantity": math.fsum(q for _, q in pairs),
        "defective_quantity": math.fsum(d for d, _ in pairs),
        "deliveries_with_defects": sum(1 for d, _ in pairs if d > 0),
        "unknown_quantity": unknown,
        "effective_n": n_eff,
        "ppm": value * 10_000,
    }
    return Result(value, n, low, high, n >= minimum, minimum, parts)
