"""Opening hours, holidays and service levels on the settings pages: saved, audited, and bad
input answered with plain errors that name the day or priority and the field."""

import datetime as dt

from rapport.accounts.models import AuditEvent
from rapport.inbox import policy
from rapport.inbox.routing import business_hours, inbox_settings
from rapport.test import login

URL = "/w/alices-bakery/inbox/settings/"
SLA = "/w/alices-bakery/inbox/settings/sla/"


def week(**days):
    """A form: every day closed unless given as 'HH:MM-HH:MM,HH:MM-HH:MM'."""
    data = {}
    for day in range(7):
        spans = days.get(policy.DAYS[day].lower()[:3])
        if not spans:
            data[f"closed-{day}"] = "on"
            continue
        for i, span in enumerate(spans.split(",")):
            data[f"open-{day}-{i}"], data[f"close-{day}-{i}"] = span.split("-")
    return data


def test_the_owner_saves_hours_with_a_lunch_break_and_a_closed_day(client, personas):
    login(client, personas.alice)
    page = client.get(URL)
    assert page.status_code == 200 and b"UTC" in page.content
    response = client.post(URL, week(mon="09:00-12:30,13:30-18:00", sat="08:00-24:00"))
    assert response.status_code == 302
    s = inbox_settings(personas.bakery)
    assert s.hours == {"0": [["09:00", "12:30"], ["13:30", "18:00"]], "5": [["08:00", "00:00"]]}
    hours = business_hours(personas.bakery, s)
    monday_lunch = dt.datetime(2026, 3, 2, 12, 45, tzinfo=dt.UTC)
    assert not hours.is_open(monday_lunch)
    event = AuditEvent.objects.get(workspace=personas.bakery, object_repr="inbox opening hours")
    assert event.actor == personas.alice and "hours" in event.changes


def test_bad_hours_name_the_day_and_field_and_save_nothing(client, personas):
    login(client, personas.alice)
    before = inbox_settings(personas.bakery).hours
    response = client.post(URL, week(tue="17:00-09:00", wed="9h-17:00", fri="09:00-"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Tuesday, first opening: it closes at 09:00, which is not after it opens (17:00)" in text
    assert "Wednesday, first opening: the opening time “9h” is not a time like 09:00" in text
    assert "Friday, first opening: give the closing time too" in text
    assert 'value="9h"' in text  # what was typed stays on the page
    assert inbox_settings(personas.bakery).hours == before


def test_overlapping_openings_and_a_week_with_no_opening_are_refused(client, personas):
    login(client, personas.alice)
    response = client.post(URL, week(thu="09:00-13:00,12:00-17:00"))
    assert "Thursday: the opening from 12:00 overlaps" in response.content.decode()
    response = client.post(URL, week())
    assert "Open on at least one day" in response.content.decode()


def test_holidays_are_added_and_removed(client, personas):
    login(client, personas.alice)
    client.post(URL + "holidays/add/", {"day": "2026-12-25"})
    client.post(URL + "holidays/add/", {"day": "2026-01-01"})
    assert inbox_settings(personas.bakery).holidays == ["2026-01-01", "2026-12-25"]
    again = client.post(URL + "holidays/add/", {"day": "2026-12-25"}, follow=True)
    assert "25 December 2026 is already a holiday" in again.content.decode()
    bad = client.post(URL + "holidays/add/", {"day": "Christmas"}, follow=True)
    assert "“Christmas” is not a date" in bad.content.decode()
    client.post(URL + "holidays/remove/", {"day": "2026-01-01"})
    assert inbox_settings(personas.bakery).holidays == ["2026-12-25"]
    assert AuditEvent.objects.filter(object_repr="inbox holidays").count() == 3


def test_staff_see_the_settings_but_cannot_change_them(client, personas):
    login(client, personas.bob)
    assert b"Only managers and owners" in client.get(URL).content
    assert client.post(URL, week(mon="09:00-17:00")).status_code == 404
    assert client.post(URL + "holidays/add/", {"day": "2026-12-25"}).status_code == 404
    assert client.post(SLA, {}).status_code == 404
    login(client, personas.vera)  # a viewer takes no conversations: no inbox settings
    assert client.get(URL).status_code == 404


def sla_form(**changes):
    data = {
        f"{level}-{clock}": "8" for level in policy.LEVELS for clock in ("first", "next", "resolve")
    }
    data.update(warn_before="30m", alert_after="1:00", reply_from="hello@bakery.example")
    data.update(changes)
    return data


def test_the_service_levels_are_saved_in_business_minutes(client, personas):
    login(client, personas.alice)
    response = client.post(SLA, sla_form(**{"urgent-first": "1:30", "urgent-next": "45m"}))
    assert response.status_code == 302
    s = inbox_settings(personas.bakery)
    assert s.sla["urgent"] == {"first": 90, "next": 45, "resolve": 480}
    assert s.warn_before_minutes == 30 and s.unassigned_alert_minutes == 60
    assert s.reply_from == "hello@bakery.example"
    assert AuditEvent.objects.filter(object_repr="inbox service levels").exists()
    page = client.get(SLA).content.decode()
    assert 'value="1:30"' in page and "An urgent message that arrives on" in page


def test_bad_service_levels_name_the_priority_and_field(client, personas):
    login(client, personas.alice)
    before = inbox_settings(personas.bakery).sla
    response = client.post(
        SLA,
        sla_form(
            **{"high-next": "soon", "low-first": "0", "normal-resolve": "1"},
            reply_from="not an address",
            alert_after="",
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "High, next reply: “soon” is not a time" in text
    assert "Low, first reply: the time must be more than zero" in text
    assert "Normal: resolution (1:00) comes before the first reply (8:00)" in text
    assert "Reply-from address: “not an address” is not an e-mail address" in text
    assert "Waiting for a person too long: give a time" in text
    assert inbox_settings(personas.bakery).sla == before


def test_garbage_never_breaks_the_pages(client, personas):
    login(client, personas.alice)
    junk = {"open-0-0": "\x00" * 10, "close-0-0": "9" * 5000, "closed-x": "1", "open-9-9": "1"}
    assert client.post(URL, junk).status_code == 400
    assert client.post(SLA, {"urgent-first": "9" * 200}).status_code == 400
    assert client.post(URL + "holidays/remove/", {"day": "2026-13-45"}).status_code == 302
