"""The dashboards count messages and purchases as numpy columns, every cut at once: on
random rows, each figure is the metric library's own on the same rows, picked out one by
one in plain Python (the way the dashboards counted them before)."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.engine import metrics as m
from rapport.engine.periods import MONTH, WEEK, window_of
from rapport.engine.trends import mean_result
from rapport.insights.compute import (
    ALL,
    CUSTOMER,
    EMPLOYEE,
    GROUPS,
    RETENTION_DAYS,
    SUPPLIER,
    Buy,
    Contact,
    Data,
    Person,
    compute,
)

ZONE = ZoneInfo("Europe/Paris")
DAY = dt.date(2026, 3, 24)  # the week of the clock change: 29 March
WEEK_OF = window_of(DAY, WEEK)
MONTH_OF = window_of(DAY, MONTH)
NOW = dt.datetime(2026, 3, 31, 12, tzinfo=ZONE)
PEOPLE = 8  # person 9 and 10 are not on file

people = st.lists(
    st.tuples(
        st.sampled_from([CUSTOMER, CUSTOMER, CUSTOMER, *GROUPS]),
        st.sampled_from(["", "Regulars", "Tourists"]),
    ),
    min_size=PEOPLE,
    max_size=PEOPLE,
)
messages = st.lists(
    st.tuples(
        st.integers(1, PEOPLE + 2),
        # Hours from DAY's midnight on the wall clock: some fall on the periods' edges, or
        # on NOW (7 days and 12 hours on).
        st.one_of(st.integers(-10 * 24, 10 * 24), st.just(7 * 24 + 12)),
        st.sampled_from(["inbound", "inbound", "outbound", "outbound", "internal"]),
        st.sampled_from([None, "person", "person", "automation"]),
        st.sampled_from(["", "a", "b"]),
        st.booleans(),
        st.one_of(st.none(), st.floats(-1, 1)),
    ),
    max_size=60,
    unique_by=lambda row: row[1],  # one moment each: "the reply after" is never a tie
)
purchases = st.lists(
    st.tuples(
        st.integers(1, PEOPLE + 2),
        st.one_of(
            st.integers(-2 * RETENTION_DAYS - 10, 10),
            # The edges of March and of the two retention windows before 1 April.
            st.sampled_from([-23, -24, 7, 8, -82, -83, -172, -173]),
        ),
        st.sampled_from(["", "Centre", "Station"]),
    ),
    max_size=80,
)


def as_data(who, rows, buys) -> Data:
    data = Data(now=NOW, today=NOW.date())
    for pid, (group, segment) in enumerate(who, start=1):
        team = segment if group == EMPLOYEE else ""
        data.people[pid] = Person(f"p{pid}", group, segment, team, None, False)
    midnight = dt.datetime.combine(DAY, dt.time(), tzinfo=ZONE)
    for pid, hours, direction, handler, thread, is_open, sentiment in rows:
        local = (midnight + dt.timedelta(hours=hours)).astimezone(ZONE)
        data.contacts.append(
            Contact(pid, local.date(), local, direction, handler, thread, is_open, sentiment)
        )
    for pid, days, location in buys:
        data.buys.append(Buy(pid, DAY + dt.timedelta(days=days), location))
    return data


def first_replies(contacts) -> dict:
    """The reply to each message, found as the dashboards did before: thread by thread."""
    found = {}
    threads = {}
    for c in contacts:
        if c.thread:
            threads.setdefault(c.thread, []).append(c)
    for rows in threads.values():
        rows.sort(key=lambda c: c.at)
        pending_in, pending_out = [], []
        for c in rows:
            if c.direction == "outbound" and c.handler == "person":
                for waiting in pending_in:
                    found[("in", waiting.at)] = c.at
                pending_in, pending_out = [], [*pending_out, c]
            elif c.direction == "inbound":
                for waiting in pending_out:
                    found[("out", waiting.at)] = c.at
                pending_out, pending_in = [], [*pending_in, c]
    return found


def cuts(rows, dim, value_of):
    found = {ALL: rows}
    for r in rows:
        if value := value_of(r):
            found.setdefault((dim, value), []).append(r)
    return found


def expected_messages(data: Data, w) -> dict:
    replies = first_replies(data.contacts)
    now = min(NOW, dt.datetime.combine(w.end, dt.time(), tzinfo=ZONE) + dt.timedelta(days=30))
    out = {}
    for group in GROUPS:
        rows = [
            c
            for c in data.contacts
            if c.person in data.people
            and data.people[c.person].group == group
            and c.direction != "internal"
            and w.contains(c.day)
        ]
        dim = {CUSTOMER: "segment", EMPLOYEE: "team"}.get(group)
        by_cut = cuts(rows, dim, lambda c, d=dim: getattr(data.people[c.person], d)) if dim else {}
        for cut, picked in (by_cut or {ALL: rows}).items():
            out[(group, "human_touch", *cut)] = m.human_touch_share([c.handler for c in picked])
            out[(group, "sentiment", *cut)] = mean_result(
                [c.sentiment for c in picked if c.direction == "inbound"]
            )
            if group == CUSTOMER:
                items = []
                for c in picked:
                    if c.direction != "inbound" or c.at > now:
                        continue
                    reply = replies.get(("in", c.at))
                    if reply is not None and reply <= now:
                        items.append((c.at.astimezone(dt.UTC), reply.astimezone(dt.UTC)))
                    elif reply is not None or c.is_open:
                        items.append((c.at.astimezone(dt.UTC), None))
                out[(group, "response_time", *cut)] = m.responsiveness(items, now)
        if group == SUPPLIER:
            items = [
                (c.at, replies[("out", c.at)])
                for c in rows
                if c.direction == "outbound" and ("out", c.at) in replies
            ]
            out[(group, "supplier_response_time", *ALL)] = m.responsiveness(items)
    return out


def expected_purchases(data: Data, w) -> dict:
    def segment(b):
        return data.people[b.person].segment if b.person in data.people else ""

    out = {}
    on = min(w.end, NOW.date() + dt.timedelta(days=1))
    back = on - dt.timedelta(days=2 * RETENTION_DAYS)
    for dim, value_of in (("segment", segment), ("location", lambda b: b.location)):
        for cut, rows in cuts(data.buys, dim, value_of).items():
            days = [(b.person, b.day) for b in rows]
            if any(w.contains(day) for _, day in days) or cut == ALL:
                found = m.repeat_purchase_rate(days, w.start, w.end)
                out[(CUSTOMER, "repeat_purchase", *cut)] = found
            if any(back <= day < on for _, day in days) or cut == ALL:
                out[(CUSTOMER, "retention", *cut)] = m.noncontractual_retention(days, on)
    return out


@settings(max_examples=150, deadline=None)
@given(people, messages, purchases)
def test_each_figure_is_the_librarys_on_the_same_rows(who, rows, buys):
    data = as_data(who, rows, buys)
    results = compute(data, [WEEK_OF, MONTH_OF])
    for w in (WEEK_OF, MONTH_OF):
        for (group, key, dim, member), expected in expected_messages(data, w).items():
            got = results[(group, key, w, dim, member)]
            assert got == expected, (group, key, w.every, dim, member)
    expected = expected_purchases(data, MONTH_OF)
    for (group, key, dim, member), want in expected.items():
        assert results[(group, key, MONTH_OF, dim, member)] == want, (key, dim, member)
    cut = {
        (key, dim, member)
        for _, key, w, dim, member in results
        if key in ("repeat_purchase", "retention") and w == MONTH_OF
    }
    assert cut == {(key, dim, member) for _, key, dim, member in expected}
