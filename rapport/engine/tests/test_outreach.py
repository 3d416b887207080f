"""The reach-out rules on plain rows."""

from datetime import UTC, date, datetime, timedelta

from rapport.engine import outreach as o
from rapport.engine.outreach import (
    DeliveryRow,
    LowAnswerRow,
    PersonRow,
    PulseRow,
    PurchaseRow,
    ReadingRow,
    Thresholds,
    reach_out,
)

TODAY = date(2025, 6, 30)


def kinds(prompts):
    return [(p.kind, p.subject_id) for p in prompts]


def test_a_key_relationship_untouched_past_the_limit_is_listed_with_its_days():
    people = [
        PersonRow(
            1, "Ada", "customer", owner_id=7, is_key=True, last_human_contact=date(2025, 3, 1)
        ),
        PersonRow(
            2, "Ben", "customer", owner_id=7, is_key=True, last_human_contact=date(2025, 6, 1)
        ),
        PersonRow(3, "Cy", "customer", last_human_contact=date(2024, 1, 1)),  # not key
    ]
    [prompt] = reach_out(TODAY, people=people)
    assert prompt.kind == o.NO_HUMAN_CONTACT and prompt.subject_id == 1 and prompt.owner_id == 7
    assert prompt.numbers["days since the last human contact"] == 121
    assert "121 days" in prompt.why


def test_someone_who_may_not_be_contacted_gets_no_prompt():
    people = [
        PersonRow(1, "Ada", "customer", owner_id=7, is_key=True, may_contact=False),
        PersonRow(2, "Mill", "supplier", is_key=True, may_contact=False),
    ]
    answers = [LowAnswerRow(1, "nps", 0, 10, TODAY)]
    assert reach_out(TODAY, people=people, low_answers=answers) == []


def test_community_partners_have_their_own_longer_limit():
    people = [
        PersonRow(1, "School", "community", last_human_contact=TODAY - timedelta(days=80)),
        PersonRow(2, "Paper", "community", last_human_contact=TODAY - timedelta(days=100)),
    ]
    assert kinds(reach_out(TODAY, people=people)) == [(o.COMMUNITY_QUIET, 2)]


def test_employees_are_never_listed_for_lack_of_contact():
    people = [PersonRow(1, "Eve", "employee", is_key=True, last_human_contact=None)]
    assert reach_out(TODAY, people=people) == []


def test_an_unacknowledged_detractor_is_listed_once_with_the_lowest_score():
    people = [PersonRow(1, "Ada", "customer", owner_id=3)]
    answers = [
        LowAnswerRow(1, "nps", 5, 10, TODAY - timedelta(days=10)),
        LowAnswerRow(1, "nps", 2, 10, TODAY - timedelta(days=4), survey="Customer NPS"),
        LowAnswerRow(1, "nps", 1, 10, TODAY - timedelta(days=200)),  # too old
    ]
    [prompt] = reach_out(TODAY, people=people, low_answers=answers)
    assert prompt.kind == o.UNHAPPY_ANSWER and prompt.numbers["score"] == 2
    assert prompt.numbers["low answers waiting"] == 2
    assert "2 out of 10" in prompt.why and "Customer NPS" in prompt.why


def test_a_regular_with_too_few_purchases_has_no_rhythm_yet():
    people = [PersonRow(1, "Ada", "customer")]
    purchases = [PurchaseRow(1, date(2025, 1, 1)), PurchaseRow(1, date(2025, 1, 8))]
    assert reach_out(TODAY, people=people, purchases=purchases) == []
    assert o.rhythm([date(2025, 1, 1), date(2025, 1, 8)], 5) is None


def weekly(person_id, start, end):
    day, out = start, []
    while day <= end:
        out.append(PurchaseRow(person_id, day))
        day += timedelta(days=7)
    return out


def test_a_weekly_regular_who_stopped_coming_is_going_quiet():
    people = [PersonRow(1, "Ada", "customer", owner_id=2), PersonRow(2, "Ben", "customer")]
    purchases = weekly(1, date(2024, 6, 1), date(2025, 5, 20)) + weekly(
        2, date(2024, 6, 1), date(2025, 6, 28)
    )
    [prompt] = reach_out(TODAY, people=people, purchases=purchases)
    assert prompt.kind == o.GOING_QUIET and prompt.subject_id == 1 and prompt.owner_id == 2
    assert prompt.numbers["usual days between visits"] == 7
    assert "every 7 days" in prompt.why and "44 days" in prompt.why


def test_a_regular_coming_half_as_often_is_going_quiet_before_stopping():
    people = [PersonRow(1, "Ada", "customer")]
    before = weekly(1, date(2024, 6, 1), TODAY - timedelta(days=91))
    recent = [PurchaseRow(1, TODAY - timedelta(days=d)) for d in range(2, 90, 14)]
    [prompt] = reach_out(TODAY, people=people, purchases=before + recent)
    assert prompt.numbers["purchases in the last 90 days"] == 7
    assert "came only 7 times in the last 90 days (about 13 expected)" in prompt.why


def test_an_occasional_buyer_is_not_a_regular():
    people = [PersonRow(1, "Ada", "customer")]
    purchases = [PurchaseRow(1, date(2023, 1, 1) + timedelta(days=90 * i)) for i in range(8)]
    assert reach_out(TODAY, people=people, purchases=purchases) == []


def deliveries(supplier_id, start, days, late_every):
    rows = []
    for i in range(days // 7):
        promised = start + timedelta(days=7 * i)
        late = late_every and i % late_every == 0
        rows.append(DeliveryRow(supplier_id, promised, promised + timedelta(days=2 if late else 0)))
    return rows


def test_a_supplier_whose_on_time_rate_falls_is_slipping():
    people = [PersonRow(1, "Mill", "supplier", owner_id=4), PersonRow(2, "Dairy", "supplier")]
    split = TODAY - timedelta(days=90)
    rows = (
        deliveries(1, split - timedelta(days=300), 299, 0)
        + deliveries(1, split, 90, 2)
        + deliveries(2, split - timedelta(days=300), 390, 0)
    )
    [prompt] = reach_out(TODAY, people=people, deliveries=rows)
    assert prompt.kind == o.SUPPLIER_SLIPPING and prompt.subject_id == 1
    assert prompt.numbers["on-time rate, the year before"] == 1.0
    assert prompt.numbers["on-time rate, recent"] < 0.6


def test_a_supplier_with_few_recent_deliveries_is_not_judged():
    people = [PersonRow(1, "Mill", "supplier")]
    rows = [DeliveryRow(1, TODAY - timedelta(days=10), TODAY - timedelta(days=5))] * 3
    assert reach_out(TODAY, people=people, deliveries=rows) == []


def readings(person_id, scores, start=datetime(2025, 2, 1, tzinfo=UTC)):
    return [ReadingRow(person_id, start + timedelta(days=14 * i), s) for i, s in enumerate(scores)]


def test_a_relationship_whose_messages_cool_is_listed_with_its_trajectory():
    people = [PersonRow(1, "Ada", "customer", owner_id=2)]
    rows = readings(1, [0.8, 0.7, 0.5, 0.4, 0.2, 0.1, 0.0])
    [prompt] = reach_out(TODAY, people=people, readings=rows)
    assert prompt.kind == o.DECLINING_SENTIMENT and "fallen" in prompt.why
    assert prompt.numbers["messages read"] == 7


def test_three_readings_are_not_a_decline():
    people = [PersonRow(1, "Ada", "customer")]
    assert reach_out(TODAY, people=people, readings=readings(1, [0.8, 0.3, -0.2])) == []


def bakehouse():
    """Baker 1's messages cool; Baker 2 wrote two negative messages lately; Baker 3 wrote
    nothing lately."""
    people = [PersonRow(i, f"Baker {i}", "employee", team_id=9) for i in (1, 2, 3)]
    rows = (
        readings(1, [0.8, 0.7, 0.5, 0.4, 0.2, 0.1, 0.0], start=datetime(2025, 3, 20, tzinfo=UTC))
        + readings(2, [-0.6, -0.5], start=datetime(2025, 6, 1, tzinfo=UTC))
        + readings(3, [0.5, 0.4], start=datetime(2024, 6, 1, tzinfo=UTC))
    )
    return people, rows


def test_employees_appear_as_their_team_only():
    people, rows = bakehouse()
    [prompt] = reach_out(TODAY, people=people, readings=rows, teams={9: "Bakehouse"})
    assert prompt.kind == o.TEAM_MOOD and prompt.subject_id == 9 and prompt.owner_id is None
    assert prompt.why.startswith(
        "The Bakehouse team: one person's messages read negative and one person's messages "
        "are cooling over the last 60 days (2 of the 2 who wrote)."
    )
    assert "Baker" not in prompt.why


def test_one_unhappy_employee_does_not_make_a_team_prompt():
    people, rows = bakehouse()
    rows = [r for r in rows if r.person_id == 2]
    assert reach_out(TODAY, people=people, readings=rows, teams={9: "Bakehouse"}) == []


def test_a_team_is_told_only_when_most_of_it_reads_negative():
    people, rows = bakehouse()
    for calm in (4, 5):
        people.append(PersonRow(calm, f"Baker {calm}", "employee", team_id=9))
        rows += readings(calm, [0.5, 0.6], start=datetime(2025, 6, 1, tzinfo=UTC))
    assert reach_out(TODAY, people=people, readings=rows, teams={9: "Bakehouse"}) == []


def test_employees_are_named_only_when_the_business_enabled_it():
    people, rows = bakehouse()
    prompts = reach_out(
        TODAY, people=people, readings=rows, thresholds=Thresholds(individual_employees=True)
    )
    assert kinds(prompts) == [(o.DECLINING_SENTIMENT, 1)]


def test_a_team_whose_pulse_dropped_is_listed_when_both_periods_have_enough_answers():
    split = TODAY - timedelta(weeks=8)
    rows = [PulseRow(9, split - timedelta(days=d), 3.8) for d in range(1, 50, 7)]
    rows += [PulseRow(9, split + timedelta(days=d), 2.4) for d in range(0, 50, 7)]
    rows += [PulseRow(5, split - timedelta(days=d), 4.0) for d in range(1, 50, 7)]
    rows += [PulseRow(5, split + timedelta(days=d), 1.0) for d in range(0, 20, 7)]  # 3 only
    [prompt] = reach_out(TODAY, pulse=rows, teams={9: "Bakehouse", 5: "Office"})
    assert prompt.kind == o.TEAM_PULSE and prompt.subject_id == 9
    assert "from 3.8 to 2.4" in prompt.why


def test_milestones_in_the_coming_week_prompt_a_personal_note():
    people = [
        PersonRow(
            1,
            "Ada",
            "customer",
            owner_id=2,
            is_key=True,
            first_purchase_on=date(2023, 7, 2),
            last_human_contact=TODAY,
        ),
        PersonRow(2, "Eve", "employee", start_date=date(2020, 7, 1)),
        PersonRow(3, "Fay", "employee", start_date=date(2025, 7, 1)),  # not a year yet
        PersonRow(4, "Gus", "customer", birthday=date(1990, 7, 3)),
        PersonRow(5, "Hal", "customer", birthday=date(1990, 7, 3), may_contact=False),
        PersonRow(6, "Ivy", "customer", birthday=date(1990, 7, 9)),  # too far
        # The records begin with Jo's first purchase.
        PersonRow(
            7, "Jo", "customer", first_purchase_on=date(2021, 3, 1), last_human_contact=TODAY
        ),
    ]
    prompts = reach_out(TODAY, people=people)
    assert sorted(kinds(prompts)) == sorted(
        [(o.CUSTOMER_ANNIVERSARY, 1), (o.WORK_ANNIVERSARY, 2), (o.BIRTHDAY, 4)]
    )
    anniversary = next(p for p in prompts if p.kind == o.WORK_ANNIVERSARY)
    assert anniversary.due == date(2025, 7, 1) and "5 years" in anniversary.why
    assert all("not an automatic greeting" in p.why for p in prompts)
    birthday = next(p for p in prompts if p.kind == o.BIRTHDAY)
    assert birthday.numbers == {"date": "2025-07-03"}  # no year of birth


def test_a_leap_day_birthday_falls_on_the_28th():
    people = [PersonRow(1, "Leap", "customer", birthday=date(2000, 2, 29))]
    [prompt] = reach_out(date(2025, 2, 25), people=people)
    assert prompt.due == date(2025, 2, 28)


def test_a_first_purchase_where_the_records_begin_is_no_anniversary():
    people = [
        PersonRow(
            i,
            f"C{i}",
            "customer",
            owner_id=1,
            is_key=True,
            last_human_contact=TODAY,
            first_purchase_on=date(2023, 7, 1) + timedelta(days=i),
        )
        for i in range(1, 4)
    ]
    assert reach_out(TODAY, people=people) == []


def test_one_late_delivery_among_a_handful_is_not_slipping():
    people = [PersonRow(1, "Roaster", "supplier")]
    split = TODAY - timedelta(days=90)
    rows = deliveries(1, split - timedelta(days=300), 299, 0) + [
        DeliveryRow(1, split + timedelta(days=i * 14), split + timedelta(days=i * 14 + (i == 0)))
        for i in range(6)
    ]
    assert reach_out(TODAY, people=people, deliveries=rows) == []


def test_a_customer_at_risk_with_no_human_contact_for_six_weeks_is_listed_by_value():
    from rapport.engine.outreach import RiskRow

    people = [
        PersonRow(1, "Ada", "customer", last_human_contact=TODAY - timedelta(days=50)),
        PersonRow(2, "Ben", "customer", last_human_contact=None),
        PersonRow(3, "Cy", "customer", last_human_contact=TODAY - timedelta(days=10)),
        PersonRow(4, "Dee", "customer"),
        PersonRow(5, "Eli", "customer", current=False),
    ]
    monthly = [TODAY - timedelta(days=30 * k + 40) for k in range(8)]
    purchases = [PurchaseRow(p, day) for p in (1, 2, 3, 5) for day in monthly]
    purchases += [PurchaseRow(4, monthly[0])]  # a one-time buyer is no relationship yet
    risks = [
        RiskRow(1, 0.7, 120.0, "bought 8 times over 7 months, nothing for 6 weeks"),
        RiskRow(2, 0.6, 300.0),
        RiskRow(3, 0.9, 500.0),  # in touch 10 days ago
        RiskRow(4, 0.95, 5.0),
        RiskRow(5, 0.9, 50.0),  # no longer a customer
    ]
    prompts = [p for p in reach_out(TODAY, people=people, purchases=purchases, risks=risks)]
    at_risk = [p for p in prompts if p.kind == o.AT_RISK]
    assert [p.subject_id for p in at_risk] == [2, 1]
    assert "60% chance of no purchase in the next 3 months" in at_risk[0].why
    assert "no one from the business has been in touch yet" in at_risk[0].why
    assert "no human contact for 7 weeks" in at_risk[1].why and "Why: bought 8" in at_risk[1].why


def test_a_customer_going_quiet_is_not_also_listed_at_risk():
    from rapport.engine.outreach import RiskRow

    people = [PersonRow(1, "Ada", "customer")]
    weekly = [TODAY - timedelta(days=7 * k + 40) for k in range(20)]
    purchases = [PurchaseRow(1, day) for day in weekly]
    prompts = reach_out(TODAY, people=people, purchases=purchases, risks=[RiskRow(1, 0.8, 200.0)])
    assert [p.kind for p in prompts] == [o.GOING_QUIET]
