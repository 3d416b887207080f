"""The metrics per group, period and cut, from hand-made rows: no database, every expected
value worked out by hand."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from rapport.engine.metrics import noncontractual_retention, repeat_purchase_rate
from rapport.engine.periods import EVERY, MONTH, QUARTER, WEEK, window_of
from rapport.insights.compute import (
    CUSTOMER,
    EMPLOYEE,
    METRICS,
    SUPPLIER,
    Absence,
    Answer,
    Buy,
    Contact,
    Data,
    Exit,
    Person,
    Spell,
    Supply,
    compute,
    definition,
)

D = dt.date
UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")
MARCH = window_of(D(2026, 3, 1), MONTH)
APRIL = window_of(D(2026, 4, 1), MONTH)
# Read long after March: every reply and delivery of March is known.
LATER = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)
TENTH = D(2026, 3, 10)
_ids = itertools.count(1)


def data(now=LATER, **rows) -> Data:
    found = Data(**rows)
    found.now = now
    found.today = now.astimezone(now.tzinfo).date()
    return found


def answer(
    number, kind="nps", *, group=CUSTOMER, day=TENTH, segment="", team="", response=None, scale=10
) -> Answer:
    return Answer(
        response or f"r{next(_ids)}", group, segment, team, kind, number, scale, day, frozenset()
    )


def contact(person, at, direction="inbound", handler=None, *, thread="", is_open=False):
    # As sources.read does: the local day of the moment, in the business's zone.
    local = at.astimezone(at.tzinfo)
    return Contact(person, local.date(), local, direction, handler, thread, is_open, None)


def customer(name, segment=""):
    return Person(name, CUSTOMER, segment, "", None, False)


def employee(name, team=""):
    return Person(name, EMPLOYEE, "", team, None, False)


def at(day, hour, minute=0, tz=UTC):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def test_nps_and_csat_per_period_and_per_segment():
    rows = [
        *[answer(x, segment="Regulars") for x in (10, 9, 9, 8)],
        *[answer(x, segment="Tourists") for x in (7, 6, 3)],
        answer(0, segment="Regulars", day=D(2026, 4, 2)),  # April's
        answer(0, group=EMPLOYEE),  # staff's answers are not the customers' NPS
        *[answer(x, "csat", segment="Regulars", scale=5) for x in (5, 4, 5)],
        *[answer(x, "csat", segment="Tourists", scale=5) for x in (3, 2, 4)],
    ]

    out = compute(data(answers=rows), [MARCH, APRIL])

    nps = out[(CUSTOMER, "nps", MARCH, "", "")]
    # 3 promoters (10, 9, 9), 2 detractors (6, 3), 7 answers.
    assert nps.value == pytest.approx(100 * (3 - 2) / 7)
    assert (nps.n, nps.enough) == (7, True)
    regulars = out[(CUSTOMER, "nps", MARCH, "segment", "Regulars")]
    assert (regulars.value, regulars.n, regulars.enough) == (75.0, 4, False)
    tourists = out[(CUSTOMER, "nps", MARCH, "segment", "Tourists")]
    assert tourists.value == pytest.approx(-200 / 3) and tourists.n == 3
    april = out[(CUSTOMER, "nps", APRIL, "", "")]
    assert (april.value, april.n) == (-100.0, 1)
    assert out[(CUSTOMER, "nps", APRIL, "segment", "Regulars")].n == 1
    assert (CUSTOMER, "nps", APRIL, "segment", "Tourists") not in out
    # A plain NPS question asked of staff counts as their eNPS.
    assert out[(EMPLOYEE, "enps", MARCH, "", "")].value == -100.0

    csat = out[(CUSTOMER, "csat", MARCH, "", "")]
    assert csat.value == pytest.approx(100 * 4 / 6) and csat.n == 6
    assert out[(CUSTOMER, "csat", MARCH, "segment", "Regulars")].value == 100.0
    assert out[(CUSTOMER, "csat", MARCH, "segment", "Tourists")].value == pytest.approx(100 / 3)


def test_weeks_hold_only_their_own_answers():
    rows = [
        answer(10, day=D(2026, 3, 2)),
        answer(0, day=D(2026, 3, 9)),
        answer(9, day=D(2026, 3, 15)),
    ]
    week_10, week_11 = window_of(D(2026, 3, 2), WEEK), window_of(D(2026, 3, 9), WEEK)

    out = compute(data(answers=rows), [week_10, week_11, MARCH])

    assert out[(CUSTOMER, "nps", week_10, "", "")].value == 100.0
    assert (
        out[(CUSTOMER, "nps", week_11, "", "")].value,
        out[(CUSTOMER, "nps", week_11, "", "")].n,
    ) == (0.0, 2)
    assert out[(CUSTOMER, "nps", MARCH, "", "")].n == 3


def test_engagement_is_the_favourable_share_per_response_averaged_over_responses():
    likert = dict(kind="likert", group=EMPLOYEE, scale=5)
    rows = [
        *[answer(x, team="Kitchen", response="r1", **likert) for x in (5, 4, 2)],
        *[answer(x, team="Front", response="r2", **likert) for x in (3, 3, 5)],
    ]

    out = compute(data(answers=rows), [MARCH])

    engagement = out[(EMPLOYEE, "engagement", MARCH, "", "")]
    # r1: 2 of 3 favourable, r2: 1 of 3; the mean over the two respondents is 50%.
    assert engagement.value == pytest.approx(50.0)
    assert engagement.n == 2 and engagement.parts["answers"] == 6
    assert out[(EMPLOYEE, "engagement", MARCH, "team", "Kitchen")].value == pytest.approx(200 / 3)
    assert out[(EMPLOYEE, "engagement", MARCH, "team", "Front")].value == pytest.approx(100 / 3)


def test_human_touch_is_the_share_handled_by_a_person_among_handled_messages():
    people = {
        1: customer("Dana", "Regulars"),
        2: customer("Eli", "Tourists"),
        9: Person("Flour Mill", SUPPLIER, "", "", None, False),
    }
    day = D(2026, 3, 10)
    rows = [
        contact(1, at(day, 9), handler="person"),
        contact(1, at(day, 10), "outbound", "person"),
        contact(2, at(day, 11), handler="person"),
        contact(2, at(day, 12), "outbound", "automation"),
        contact(2, at(day, 13)),  # nobody handled it yet: left out of the share
        contact(1, at(day, 14), "internal", "person"),  # a note, not an interaction with them
        contact(9, at(day, 15), "outbound", "automation"),  # a supplier's
    ]

    out = compute(data(people=people, contacts=rows), [MARCH])

    touch = out[(CUSTOMER, "human_touch", MARCH, "", "")]
    assert (touch.value, touch.n) == (75.0, 4)
    assert touch.parts["unhandled_count"] == 1
    assert out[(CUSTOMER, "human_touch", MARCH, "segment", "Regulars")].value == 100.0
    assert out[(CUSTOMER, "human_touch", MARCH, "segment", "Tourists")].value == 50.0
    supplier = out[(SUPPLIER, "human_touch", MARCH, "", "")]
    assert (supplier.value, supplier.n) == (0.0, 1)


def test_response_time_counts_hours_until_a_person_replied_in_the_thread():
    people = {1: customer("Dana")}
    day = D(2026, 3, 10)
    rows = [
        contact(1, at(day, 9), thread="t1"),
        # An automatic acknowledgement is not a reply.
        contact(1, at(day, 9, 5), "outbound", "automation", thread="t1"),
        contact(1, at(day, 12), "outbound", "person", thread="t1"),
    ]

    out = compute(data(people=people, contacts=rows), [MARCH])

    speed = out[(CUSTOMER, "response_time", MARCH, "", "")]
    assert speed.value == pytest.approx(3.0)
    assert speed.n == 1 and not speed.enough  # a median needs 6
    assert speed.parts["answered_count"] == 1 and speed.parts["waiting_count"] == 0


def test_the_median_response_time_of_several_threads():
    people = {1: customer("Dana"), 2: customer("Eli")}
    day = D(2026, 3, 10)
    rows = []
    for i, hours in enumerate((1, 3, 8)):
        rows += [
            contact(1 + i % 2, at(day, 8, i), thread=f"t{i}"),
            contact(1 + i % 2, at(day, 8 + hours, i), "outbound", "person", thread=f"t{i}"),
        ]

    out = compute(data(people=people, contacts=rows), [MARCH])

    assert out[(CUSTOMER, "response_time", MARCH, "", "")].value == pytest.approx(3.0)


def test_a_message_still_waiting_counts_its_age_so_far():
    people = {1: customer("Dana")}
    now = at(D(2026, 3, 21), 10)
    waiting = contact(1, at(D(2026, 3, 20), 10), is_open=True, thread="t1")
    closed = contact(1, at(D(2026, 3, 20), 11))  # a thank-you needing no answer

    out = compute(data(now, people=people, contacts=[waiting, closed]), [MARCH])

    speed = out[(CUSTOMER, "response_time", MARCH, "", "")]
    assert speed.value == pytest.approx(24.0)
    assert speed.n == 1
    assert speed.parts["waiting_count"] == 1 and speed.parts["lower_bound"] == 1.0

    answered = [
        contact(1, at(D(2026, 3, 10), 9), thread="t2"),
        contact(1, at(D(2026, 3, 10), 12), "outbound", "person", thread="t2"),
    ]
    both = compute(data(now, people=people, contacts=[waiting, *answered]), [MARCH])
    assert both[(CUSTOMER, "response_time", MARCH, "", "")].value == pytest.approx((3 + 24) / 2)


def test_absenteeism_and_turnover_ignore_absences_outside_a_spell():
    people = {i: employee(f"Staff {i}", "Kitchen") for i in (1, 2, 3, 4)}
    spells = [
        Spell(1, D(2025, 1, 1), None, "Kitchen"),
        Spell(2, D(2025, 1, 1), None, "Kitchen"),
        Spell(3, D(2025, 1, 1), D(2026, 3, 15), "Kitchen"),  # leaves mid-March
        Spell(4, D(2024, 1, 1), D(2025, 6, 30), "Kitchen"),  # long gone
    ]
    rows = dict(
        spells=spells,
        exits=[Exit(3, D(2026, 3, 15), "exit_voluntary")],
        absences=[
            Absence(1, D(2026, 3, 2), 2.0),
            Absence(3, D(2026, 3, 20), 1.0),  # after their last day: a stray record
            Absence(4, D(2026, 3, 4), 1.0),  # of someone not employed at all in March
        ],
    )

    out = compute(data(people=people, **rows), [MARCH])

    absent = out[(EMPLOYEE, "absenteeism", MARCH, "", "")]
    # March 2026 has 22 weekdays; Staff 3 worked 10 of them (2–6 and 9–13 March).
    assert absent.parts["scheduled_days"] == 22 + 22 + 10
    assert absent.parts["days_lost"] == 2.0
    assert absent.value == pytest.approx(100 * 2 / 54)
    assert absent.n == 3
    assert out[(EMPLOYEE, "absenteeism", MARCH, "team", "Kitchen")].value == absent.value

    turnover = out[(EMPLOYEE, "turnover", MARCH, "", "")]
    # 31 + 31 + 15 employee-days: an average headcount of 77/31; one exit, annualised.
    assert turnover.parts["average_headcount"] == pytest.approx(77 / 31)
    assert turnover.value == pytest.approx(1 * 365 / 31 / (77 / 31) * 100)
    assert turnover.parts["voluntary_count"] == 1 and turnover.n == 3


def test_on_time_counts_an_overdue_delivery_late_and_one_after_the_period_as_not_made():
    people = {9: Person("Flour Mill", SUPPLIER, "", "", None, False)}
    supplies = [
        Supply(9, D(2026, 3, 3), D(2026, 3, 3), 100.0, 2.0),  # on time
        Supply(9, D(2026, 3, 5), D(2026, 3, 7), 50.0, 0.0),  # two days late
        Supply(9, D(2026, 3, 10), None, None, 0.0),  # never came: overdue
        Supply(9, D(2026, 3, 20), D(2026, 4, 5), 80.0, 0.0),  # came after March ended
    ]

    out = compute(data(people=people, supplies=supplies), [MARCH])

    on_time = out[(SUPPLIER, "on_time", MARCH, "", "")]
    assert on_time.value == 25.0 and on_time.n == 4
    assert on_time.parts["on_time_count"] == 1
    assert on_time.parts["late_count"] == 1
    assert on_time.parts["overdue_count"] == 2
    assert out[(SUPPLIER, "on_time", MARCH, "supplier", "Flour Mill")].value == 25.0
    # The defect rate reads the deliveries received by then: 2 of 150.
    assert out[(SUPPLIER, "defect_rate", MARCH, "", "")].value == pytest.approx(100 * 2 / 150)


def test_a_delivery_not_yet_due_while_the_period_runs_is_pending():
    supplies = [
        Supply(9, D(2026, 3, 3), D(2026, 3, 3), None, 0.0),
        Supply(9, D(2026, 3, 20), None, None, 0.0),  # due after today
    ]

    out = compute(data(at(D(2026, 3, 15), 12), supplies=supplies), [MARCH])

    on_time = out[(SUPPLIER, "on_time", MARCH, "", "")]
    assert (on_time.value, on_time.n) == (100.0, 1)
    assert on_time.parts["pending_count"] == 1


def test_retention_and_repeat_purchase_are_for_months_and_quarters_only():
    people = {1: customer("Dana", "Regulars"), 2: customer("Eli"), 3: customer("Fay")}
    buys = [
        Buy(1, D(2025, 11, 15), "Centre"),
        Buy(1, D(2026, 3, 2), "Centre"),
        Buy(1, D(2026, 3, 9), "Market"),
        Buy(2, D(2026, 3, 3), "Centre"),
        Buy(3, D(2025, 12, 1), "Centre"),  # not seen since
    ]
    week = window_of(D(2026, 3, 2), WEEK)
    quarter = window_of(D(2026, 3, 2), QUARTER)

    out = compute(data(people=people, buys=buys), [week, MARCH, quarter])

    repeat = out[(CUSTOMER, "repeat_purchase", MARCH, "", "")]
    assert (repeat.value, repeat.n) == (50.0, 2)  # Dana twice, Eli once
    assert out[(CUSTOMER, "repeat_purchase", MARCH, "location", "Centre")].value == 0.0
    assert out[(CUSTOMER, "repeat_purchase", MARCH, "segment", "Regulars")].value == 100.0
    retention = out[(CUSTOMER, "retention", MARCH, "", "")]
    # Active from 3 Oct to 31 Dec 2025: Dana and Fay; of them, Dana bought again by March.
    assert (retention.value, retention.n) == (50.0, 2)
    assert out[(CUSTOMER, "retention", quarter, "", "")].value == 50.0
    for key in ("retention", "repeat_purchase", "referral", "turnover", "participation"):
        assert not [k for k in out if k[1] == key and k[2] == week]


def test_retention_and_repeat_purchase_of_each_cut_are_the_librarys_of_its_purchases():
    segments = ["Regulars", "Tourists", ""]
    people = {i: customer(f"C{i}", segments[i % 3]) for i in range(1, 41)}
    people[41] = employee("Gus")  # a member of staff buying counts for everyone only
    shops = ["Centre", "Market", ""]
    buys = [
        Buy(person, D(2025, 10, 1) + dt.timedelta(days=(person * 7 + k * 37) % 182), shops[k % 3])
        for person in range(1, 42)
        for k in range(person % 4)
    ]
    on = MARCH.end
    buys.append(Buy(99, D(2026, 2, 1), "Centre"))  # someone no longer on file
    # On the first day of each window, and the day before the first.
    for person, days in ((2, 90), (3, 180), (4, 181)):
        buys.append(Buy(person, on - dt.timedelta(days=days), "Market"))
    # Twice in March, in one shop or in two.
    for person, shop in ((5, "Centre"), (5, "Centre"), (7, "Centre"), (7, "Market")):
        buys.append(Buy(person, D(2026, 3, 12), shop))

    out = compute(data(people=people, buys=buys), [MARCH])

    def cuts(rows):
        def segment(b):
            return people[b.person].segment if b.person in people else ""

        found = {("", ""): rows}
        for name in ("Regulars", "Tourists"):
            found[("segment", name)] = [b for b in rows if segment(b) == name]
        for shop in ("Centre", "Market"):
            found[("location", shop)] = [b for b in rows if b.location == shop]
        return found

    for key, library in (
        ("retention", lambda rows: noncontractual_retention(rows, on, window_days=90)),
        ("repeat_purchase", lambda rows: repeat_purchase_rate(rows, MARCH.start, MARCH.end)),
    ):
        expected = {
            cut: library([(b.person, b.day) for b in rows]) for cut, rows in cuts(buys).items()
        }
        expected = {cut: r for cut, r in expected.items() if cut == ("", "") or r.parts}
        found = {k[3:]: r for k, r in out.items() if k[1] == key}
        assert found == expected, key
        assert found[("segment", "Regulars")].n > 0 and found[("location", "Market")].n > 0
    assert (
        out[(CUSTOMER, "repeat_purchase", MARCH, "location", "Centre")].parts["repeat_customers"]
        == 1
    )


def test_empty_data_gives_not_enough_for_every_metric_and_never_an_error():
    windows = [window_of(D(2026, 3, 4), every) for every in EVERY]

    out = compute(Data(), windows)

    expected = {(m.group, m.key, w) for m in METRICS for w in windows if w.every in m.every}
    assert {(g, k, w) for g, k, w, _, _ in out} == expected
    assert all(dim == "" for _, _, _, dim, _ in out)
    assert all(r.value is None and not r.enough and r.n == 0 for r in out.values())


@pytest.mark.parametrize(
    "saturday, sunday, hours",
    [
        (D(2026, 3, 28), D(2026, 3, 29), 11.0),  # clocks go forward: 22:00 to 10:00 is 11 h
        (D(2026, 10, 24), D(2026, 10, 25), 13.0),  # and back: 13 h
    ],
)
def test_a_week_across_a_clock_change_buckets_by_local_day(saturday, sunday, hours):
    people = {1: customer("Dana")}
    monday = sunday + dt.timedelta(days=1)
    rows = [
        contact(1, at(saturday, 22, tz=PARIS), thread="t1"),
        contact(1, at(sunday, 10, tz=PARIS), "outbound", "person", thread="t1"),
        # Late on Sunday and just after midnight, local time: the same UTC day, two weeks.
        contact(1, at(sunday, 23, 30, tz=PARIS), handler="person"),
        contact(1, at(monday, 0, 30, tz=PARIS), handler="automation"),
    ]
    this_week, next_week = window_of(sunday, WEEK), window_of(monday, WEEK)
    assert rows[2].at.astimezone(UTC).date() == rows[3].at.astimezone(UTC).date()
    now = dt.datetime.combine(monday + dt.timedelta(days=60), dt.time(12), tzinfo=PARIS)

    out = compute(data(now, people=people, contacts=rows), [this_week, next_week])

    assert out[(CUSTOMER, "response_time", this_week, "", "")].value == pytest.approx(hours)
    assert out[(CUSTOMER, "human_touch", this_week, "", "")].parts["person_count"] == 2
    later = out[(CUSTOMER, "human_touch", next_week, "", "")]
    assert (later.n, later.parts["automation_count"]) == (1, 1)


def test_a_message_waiting_across_the_spring_clock_change_counts_real_hours():
    people = {1: customer("Dana")}
    waiting = contact(1, at(D(2026, 3, 28), 12, tz=PARIS), is_open=True)
    now = at(D(2026, 3, 29), 12, tz=PARIS)  # 24 hours on the clock, 23 in fact

    out = compute(data(now, people=people, contacts=[waiting]), [window_of(now.date(), WEEK)])

    speed = out[(CUSTOMER, "response_time", window_of(now.date(), WEEK), "", "")]
    assert speed.value == pytest.approx(23.0)


def test_every_metric_on_the_dashboards_has_the_library_definition():
    for metric in METRICS:
        paragraphs = definition(metric.key)
        assert paragraphs, metric.key
        assert not any(">>>" in p for p in paragraphs), metric.key
