"""The service levels in words: one worked example on the business's own hours, right across
daylight-saving changes."""

import datetime as dt

from rapport.inbox import policy
from rapport.inbox.routing import inbox_settings


def paris_bakery(personas, **sla):
    personas.bakery.time_zone = "Europe/Paris"
    personas.bakery.save()
    s = inbox_settings(personas.bakery)
    s.hours = {str(d): [["09:00", "17:00"]] for d in range(5)}
    s.sla = {"urgent": {"first": 60, "next": 120, "resolve": 480}, **sla}
    s.save()


def test_the_example_crosses_the_weekend_when_the_clocks_go_forward(personas):
    paris_bakery(personas)  # Sunday 29 March 2026: 02:00 becomes 03:00 in Paris
    said = policy.example(personas.bakery, after=dt.date(2026, 3, 23))
    assert "arrives on Friday 27 March" in said and "at 16:30" in said
    assert "answered by Monday 30 March" in said and "at 09:30" in said
    assert "(1 business hour of opening time)" in said


def test_the_example_crosses_the_weekend_when_the_clocks_go_back(personas):
    paris_bakery(personas, urgent={"first": 90, "next": 120, "resolve": 480})
    said = policy.example(personas.bakery, after=dt.date(2026, 10, 19))  # back on 25 October
    assert "Friday 23 October" in said and "Monday 26 October" in said
    assert "at 10:00" in said  # 30 minutes on Friday, 60 on Monday from 09:00


def test_the_example_skips_a_holiday_friday(personas):
    paris_bakery(personas)
    s = inbox_settings(personas.bakery)
    s.holidays = ["2026-04-03", "2026-04-06"]  # Good Friday, Easter Monday
    s.save()
    said = policy.example(personas.bakery, after=dt.date(2026, 3, 30))
    assert "arrives on Thursday 2 April" in said and "answered by Tuesday 7 April" in said


def test_the_sla_page_shows_the_example(client, personas):
    from rapport.test import login

    paris_bakery(personas)
    login(client, personas.alice)
    page = client.get("/w/alices-bakery/inbox/settings/sla/").content.decode()
    assert "An urgent message that arrives on Friday" in page
    assert "must be answered by Monday" in page
