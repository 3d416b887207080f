"""Customer metrics: retention and churn (contractual and not), repeat purchase, historical
lifetime value, referral rate.

Inputs are plain rows: purchases as ``(customer, date)`` or ``(customer, date, amount)``,
contracts as ``(customer, first_day, last_day)``. Customers are any hashable id. Dates are
``date``s (a datetime is refused: which day it falls on depends on a time zone only the
caller knows). A period runs from ``start`` (included) to ``end`` (excluded), so months chain
as Jan 1–Feb 1, Feb 1–Mar 1 and nothing is counted twice.
"""

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from rapport.engine import periods
from rapport.engine.metrics._common import (
    MINIMUM,
    Result,
    _check_minimum,
    _complement,
    _day,
    _key,
    _mean_interval,
    _median,
    _nothing,
    _number,
    _period,
    _share,
    _unpack,
)

PURCHASE = "a (customer, date) or (customer, date, amount) row"


def _purchase_days(purchases: Iterable, name: str):
    """(customer, date) for each purchase, checked; a third item, the amount, is ignored."""
    for position, row in enumerate(purchases, start=1):
        # The common case without building the error messages it does not need.
        if type(row) is tuple and 2 <= len(row) <= 3:
            customer, day = row[0], row[1]
            if type(day) is date and type(customer) in (int, str) and customer != "":
                yield customer, day
                continue
        where = f"purchase {position}"
        values = _unpack(row, (2, 3), name, where, PURCHASE)
        yield _key(values[0], name, where), _day(values[1], name, where)


# --- retention and churn ------------------------------------------------------------------


def contractual_retention(
    contracts: Iterable, start: date, end: date, *, minimum: int = MINIMUM
) -> Result:
    """Contractual retention in %: of the customers with an active contract on ``start``,
    the share who still have one on ``end``.

    Definition: retention = |active on start ∩ active on end| / |active on start|, for
    customers on contracts or subscriptions, where leaving is an event (Fader & Hardie 2009,
    "Probability models for customer-base analysis", Journal of Interactive Marketing 23(1),
    61–69, call this the contractual setting). Each row is ``(customer, first_day,
    last_day)``: the contract is active from ``first_day`` to ``last_day``, both included;
    ``last_day`` is None while it runs. A customer with several contracts is active while any
    is. Customers who join during the period are not in the base; one who left and came back
    before ``end`` counts as retained. Per period, not annualised: with periods that chain
    (``end`` of one is ``start`` of the next), every departure is counted once.

    Interval: Wilson's. n: customers active on ``start``.
    parts: ``customers_at_start``, ``retained_count``, ``lost_count``,
    ``customers_at_end``, ``gained_count`` (active on ``end`` but not on ``start``).

    >>> from datetime import date
    >>> contracts = [("a", date(2025, 1, 1), None), ("b", date(2024, 6, 1), date(2025, 1, 20))]
    >>> contractual_retention(contracts, date(2025, 1, 1), date(2025, 2, 1)).value
    50.0
    """
    name = "Retention"
    _check_minimum(minimum)
    start, end = _period(start, end, name)
    at_start: set = set()
    at_end: set = set()
    for position, row in enumerate(contracts, start=1):
        where = f"contract {position}"
        customer, first, last = _unpack(
            row, (3,), name, where, "a (customer, first_day, last_day) row"
        )
        customer = _key(customer, name, where)
        first = _day(first, name, f"{where}'s first day")
        if last is not None:
            last = _day(last, name, f"{where}'s last day")
            if last < first:
                raise ValueError(f"{name}: {where} ends ({last}) before it begins ({first})")
        if first <= start and (last is None or start <= last):
            at_start.add(customer)
        if first <= end and (last is None or end <= last):
            at_end.add(customer)
    n = len(at_start)
    if n == 0:
        return _nothing(minimum, {"customers_at_end": len(at_end)} if at_end else {})
    retained = len(at_start & at_end)
    value, low, high = _share(retained, n)
    parts = {
        "customers_at_start": n,
        "retained_count": retained,
        "lost_count": n - retained,
        "customers_at_end": len(at_end),
        "gained_count": len(at_end - at_start),
    }
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def contractual_churn(
    contracts: Iterable, start: date, end: date, *, minimum: int = MINIMUM
) -> Result:
    """Contractual churn in %: 100 − ``contractual_retention`` for the same period, the share
    of the customers active on ``start`` who no longer have an active contract on ``end``.
    The interval is the retention interval turned round; parts are the same.

    >>> from datetime import date
    >>> contracts = [("a", date(2025, 1, 1), None), ("b", date(2024, 6, 1), date(2025, 1, 20))]
    >>> contractual_churn(contracts, date(2025, 1, 1), date(2025, 2, 1)).value
    50.0
    """
    return _complement(contractual_retention(contracts, start, end, minimum=minimum))


def noncontractual_retention(
    purchases: Iterable, on: date, *, window_days: int = 90, minimum: int = MINIMUM
) -> Result:
    """Non-contractual retention in %: of the customers active in the window before the
    last one, the share still active in the last one.

    Definition: where customers can leave without saying so (a bakery, a shop), a customer is
    *active* on a date if they bought in the ``window_days`` days before it (``on`` itself
    excluded, as a period's end is). The current window is [on − w, on), the previous one
    [on − 2w, on − w); retention = |active in both| / |active in the previous|. Purchases on
    or after ``on``, or before the previous window, are not looked at. The window should be
    longer than the usual gap between a regular's purchases (90 days by default) or regulars
    will read as lost.

    Interval: Wilson's. n: customers active in the previous window.
    parts: ``active_before``, ``active_now``, ``retained_count``, ``lost_count``,
    ``gained_count`` (active now, not before: new or returning), ``window_days``.

    >>> from datetime import date
    >>> purchases = [("a", date(2025, 1, 5)), ("a", date(2025, 5, 1)), ("b", date(2025, 2, 1))]
    >>> noncontractual_retention(purchases, date(2025, 6, 1)).value
    50.0
    """
    name = "Retention"
    _check_minimum(minimum)
    _check_window(window_days, name)
    on = _day(on, name, "the date")
    window = timedelta(days=window_days)
    previous_start, current_start = on - 2 * window, on - window
    before: set = set()
    now: set = set()
    for customer, day in _purchase_days(purchases, name):
        if current_start <= day < on:
            now.add(customer)
        elif previous_start <= day < current_start:
            before.add(customer)
    return retention_of_active(before, now, window_days=window_days, minimum=minimum)


def _check_window(window_days, name: str) -> None:
    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 1:
        raise ValueError(f"{name}: the window must be a whole number of days, 1 or more")


def retention_of_active(
    before: set, now: set, *, window_days: int = 90, minimum: int = MINIMUM
) -> Result:
    """``noncontractual_retention`` from the customers already found active in each window:
    ``before`` in the previous one, ``now`` in the last one (for a caller that sorts many
    groups of customers in one pass over the purchases).

    >>> retention_of_active({"a", "b"}, {"a"}).value
    50.0
    """
    return retention_of_counts(
        len(before),
        len(now),
        len(before & now),
        window_days=window_days,
        minimum=minimum,
    )


def retention_of_counts(
    active_before: int,
    active_now: int,
    retained: int,
    *,
    window_days: int = 90,
    minimum: int = MINIMUM,
) -> Result:
    """``noncontractual_retention`` from counts already made: the customers active in the
    previous window, in the last one, and in both (for a caller that counts many groups of
    customers at once, say with numpy).

    >>> retention_of_counts(4, 3, 2).value
    50.0
    """
    _check_minimum(minimum)
    _check_window(window_days, "Retention")
    if not 0 <= retained <= min(active_before, active_now):
        raise ValueError(
            f"Retention: {retained} retained of {active_before} active before and "
            f"{active_now} active now"
        )
    n = active_before
    if n == 0:
        return _nothing(minimum, {"active_now": active_now, "window_days": window_days})
    value, low, high = _share(retained, n)
    parts = {
        "active_before": n,
        "active_now": active_now,
        "retained_count": retained,
        "lost_count": n - retained,
        "gained_count": active_now - retained,
        "window_days": window_days,
    }
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def noncontractual_churn(
    purchases: Iterable, on: date, *, window_days: int = 90, minimum: int = MINIMUM
) -> Result:
    """Non-contractual churn in %: 100 − ``noncontractual_retention``, the share of the
    customers active in the previous window who bought nothing in the last one.

    >>> from datetime import date
    >>> purchases = [("a", date(2025, 1, 5)), ("a", date(2025, 5, 1)), ("b", date(2025, 2, 1))]
    >>> noncontractual_churn(purchases, date(2025, 6, 1)).value
    50.0
    """
    return _complement(
        noncontractual_retention(purchases, on, window_days=window_days, minimum=minimum)
    )


# --- repeat purchase, lifetime value, referral --------------------------------------------


def repeat_purchase_rate(
    purchases: Iterable, start: date, end: date, *, minimum: int = MINIMUM
) -> Result:
    """Repeat purchase rate in %: of the customers who bought in the period, the share who
    bought at least twice in it.

    Definition: customers with ≥ 2 purchases in [start, end) / customers with ≥ 1. Every row
    is a purchase, two on the same day included (one basket should be one row).

    Interval: Wilson's. n: customers who bought in the period.
    parts: ``customers``, ``repeat_customers``, ``purchases``, ``purchases_per_customer``.

    >>> from datetime import date
    >>> rows = [("a", date(2025, 3, 1)), ("a", date(2025, 3, 9)), ("b", date(2025, 3, 2))]
    >>> repeat_purchase_rate(rows, date(2025, 3, 1), date(2025, 4, 1)).value
    50.0
    """
    name = "Repeat purchase"
    _check_minimum(minimum)
    start, end = _period(start, end, name)
    counts: Counter = Counter()
    for customer, day in _purchase_days(purchases, name):
        if start <= day < end:
            counts[customer] += 1
    return repeat_purchase_of_counts(counts, minimum=minimum)


def repeat_purchase_of_counts(counts: Mapping, *, minimum: int = MINIMUM) -> Result:
    """``repeat_purchase_rate`` from each buying customer's number of purchases in the
    period (for a caller that counts many groups of customers in one pass).

    >>> repeat_purchase_of_counts({"a": 2, "b": 1}).value
    50.0
    """
    return repeat_purchase_of_totals(
        len(counts),
        sum(1 for c in counts.values() if c >= 2),
        sum(counts.values()),
        minimum=minimum,
    )


def repeat_purchase_of_totals(
    customers: int, repeat_customers: int, purchases: int, *, minimum: int = MINIMUM
) -> Result:
    """``repeat_purchase_rate`` from totals already made: the customers who bought in the
    period, those of them who bought at least twice, and their purchases.

    >>> repeat_purchase_of_totals(2, 1, 3).value
    50.0
    """
    _check_minimum(minimum)
    if not 0 <= repeat_customers <= customers or purchases < customers + repeat_customers:
        raise ValueError(
            f"Repeat purchase: {repeat_customers} repeat customers of {customers} with "
            f"{purchases} purchases"
        )
    n = customers
    if n == 0:
        return _nothing(minimum)
    value, low, high = _share(repeat_customers, n)
    parts = {
        "customers": n,
        "repeat_customers": repeat_customers,
        "purchases": purchases,
        "purchases_per_customer": purchases / n,
    }
    return Result(value, n, low, high, n >= minimum, minimum, parts)


def _lifetime_values(purchases: Iterable, until: date | None, name: str):
    """Per customer: [total amount, number of purchases, first purchase date]."""
    if until is not None:
        until = _day(until, name, "the date")
    customers: dict = {}
    for position, row in enumerate(purchases, start=1):
        # The common case without building the error messages it does not need.
        amount = row[2] if type(row) is tuple and len(row) == 3 else None
        kind = type(amount)
        if (
            (
                kind is int
                or (kind is float and math.isfinite(amount))
                or (kind is Decimal and amount.is_finite())
            )
            and type(row[1]) is date
            and type(row[0]) in (int, str)
            and row[0] != ""
        ):
            customer, day, amount = row[0], row[1], float(amount)
        else:
            where = f"purchase {position}"
            customer, day, amount = _unpack(
                row, (3,), name, where, "a (customer, date, amount) row"
            )
            customer = _key(customer, name, where)
            day = _day(day, name, where)
            amount = _number(amount, name, f"{where}'s amount")
        if until is not None and day >= until:
            continue
        seen = customers.get(customer)
        if seen is None:
            customers[customer] = [amount, 1, day]
        else:
            seen[0] += amount
            seen[1] += 1
            if day < seen[2]:
                seen[2] = day
    return customers


def _clv_result(values: list[float], purchases: int, minimum: int) -> Result:
    n = len(values)
    if n == 0:
        return _nothing(minimum)
    revenue = math.fsum(values)
    low, high = _mean_interval(values)
    parts = {
        "customers": n,
        "purchases": purchases,
        "revenue": revenue,
        "purchases_per_customer": purchases / n,
        "median": _median(sorted(values)),
    }
    return Result(revenue / n, n, low, high, n >= minimum, minimum, parts)


def historical_clv(
    purchases: Iterable, until: date | None = None, *, minimum: int = MINIMUM
) -> Result:
    """Historical customer lifetime value: what a customer has spent so far, on average.

    Definition: for each customer, the sum of their purchase amounts before ``until`` (all
    purchases when None); the value is the mean of these sums over the customers who bought.
    This is the *historical* (realised) value, with no prediction of future purchases and no
    margin or discounting (Gupta et al. 2006, "Modeling customer lifetime value", Journal of
    Service Research 9(2), 139–155, for the predictive kinds). Amounts are in the shop's
    currency; a refund is a negative amount.

    Interval: Student's t for the mean over customers (spend is skewed, so read it as
    approximate below some 30 customers; ``parts["median"]`` shows the typical customer).
    With one customer there is no interval (None, None). n: customers.
    parts: ``customers``, ``purchases``, ``revenue``, ``purchases_per_customer``, ``median``.

    >>> from datetime import date
    >>> rows = [("a", date(2025, 1, 2), 10), ("a", date(2025, 2, 2), 20), ("b", date(2025, 1, 3), 30)]
    >>> historical_clv(rows).value
    30.0
    """
    name = "Lifetime value"
    _check_minimum(minimum)
    customers = _lifetime_values(purchases, until, name)
    values = [total for total, _, _ in customers.values()]
    count = sum(c for _, c, _ in customers.values())
    return _clv_result(values, count, minimum)


COHORTS: dict[str, Callable[[date], str]] = {
    "month": lambda d: periods.label(d, periods.MONTH),
    "quarter": lambda d: periods.label(d, periods.QUARTER),
    "year": lambda d: f"{d.year}",
}


def historical_clv_by_cohort(
    purchases: Iterable,
    until: date | None = None,
    *,
    cohort: str = "month",
    minimum: int = MINIMUM,
) -> dict[str, Result]:
    """``historical_clv`` per acquisition cohort: customers grouped by the month ("2025-03"),
    quarter ("2025-Q1") or year ("2025") of their first purchase before ``until``, in
    chronological order. Older cohorts have had longer to spend: compare a cohort with its
    own past, or cohorts at the same age, not young with old.

    >>> from datetime import date
    >>> rows = [("a", date(2025, 1, 2), 10), ("a", date(2025, 2, 2), 20), ("b", date(2025, 2, 3), 30)]
    >>> {k: r.value for k, r in historical_clv_by_cohort(rows).items()}
    {'2025-01': 30.0, '2025-02': 30.0}
    """
    name = "Lifetime value"
    _check_minimum(minimum)
    if cohort not in COHORTS:
        raise ValueError(f"{name}: cohort must be one of {', '.join(COHORTS)}, not {cohort!r}")
    label = COHORTS[cohort]
    groups: dict[str, tuple[list[float], list[int]]] = {}
    for total, count, first in _lifetime_values(purchases, until, name).values():
        values, counts = groups.setdefault(label(first), ([], []))
        values.append(total)
        counts.append(count)
    return {
        key: _clv_result(values, sum(counts), minimum)
        for key, (values, counts) in sorted(groups.items())
    }


def referral_rate(customers: Iterable, start: date, end: date, *, minimum: int = MINIMUM) -> Result:
    """Referral rate in %: the share of the customers new in the period who were referred.

    Definition: new customers are those whose first day as a customer (first purchase or
    sign-up) falls in [start, end); referred ones are those with a referrer. Each row is
    ``(customer, first_day, referred_by)``: ``referred_by`` is the referrer's id or True when
    referred, and None, "" or False when not. A customer appears once.

    Interval: Wilson's. n: new customers.
    parts: ``new_customers``, ``referred_count``.

    >>> from datetime import date
    >>> rows = [("a", date(2025, 3, 1), "z"), ("b", date(2025, 3, 2), None)]
    >>> referral_rate(rows, date(2025, 3, 1), date(2025, 4, 1)).value
    50.0
    """
    name = "Referral rate"
    _check_minimum(minimum)
    start, end = _period(start, end, name)
    seen: dict = {}
    new = referred = 0
    for position, row in enumerate(customers, start=1):
        where = f"customer {position}"
        customer, first, referrer = _unpack(
            row, (3,), name, where, "a (customer, first_day, referred_by) row"
        )
        customer = _key(customer, name, where)
        if customer in seen:
            raise ValueError(
                f"{name}: {where} repeats customer {customer!r} (first at {seen[customer]})"
            )
        seen[customer] = position
        first = _day(first, name, f"{where}'s first day")
        if start <= first < end:
            new += 1
            if referrer is not None and referrer is not False and referrer != "":
                referred += 1
    if new == 0:
        return _nothing(minimum)
    value, low, high = _share(referred, new)
    parts = {"new_customers": new, "referred_count": referred}
    return Result(value, new, low, high, new >= minimum, minimum, parts)
