"""A business's one time zone and one "today": ``Workspace.zone`` and ``Workspace.today()``,
with UTC for an empty or unknown zone, and the validator that keeps unknown zones out."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from rapport.accounts.forms import WorkspaceSettingsForm
from rapport.accounts.models import Workspace, validate_time_zone

UTC = dt.UTC


def test_today_is_the_date_in_the_business_time_zone_around_midnight():
    paris = Workspace(time_zone="Europe/Paris")
    auckland = Workspace(time_zone="Pacific/Auckland")
    new_york = Workspace(time_zone="America/New_York")

    # 22:59 UTC on 31 December is 23:59 in Paris (UTC+1 in winter), 11:59 next day in
    # Auckland (UTC+13) and 17:59 in New York (UTC-5).
    before = dt.datetime(2025, 12, 31, 22, 59, tzinfo=UTC)
    after = before + dt.timedelta(minutes=2)  # 00:01 in Paris

    assert paris.today(before) == dt.date(2025, 12, 31)
    assert paris.today(after) == dt.date(2026, 1, 1)
    assert auckland.today(before) == dt.date(2026, 1, 1)
    assert new_york.today(after) == dt.date(2025, 12, 31)
    assert paris.zone == ZoneInfo("Europe/Paris")


def test_today_follows_daylight_saving_time():
    paris = Workspace(time_zone="Europe/Paris")

    # Summer time: UTC+2, so 22:30 UTC is already the next day.
    assert paris.today(dt.datetime(2026, 7, 14, 22, 30, tzinfo=UTC)) == dt.date(2026, 7, 15)
    assert paris.today(dt.datetime(2026, 1, 14, 22, 30, tzinfo=UTC)) == dt.date(2026, 1, 14)


def test_today_without_a_moment_is_now():
    ws = Workspace(time_zone="Asia/Tokyo")

    assert ws.today() == dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "utc", "../etc/passwd"])
def test_an_empty_or_unknown_zone_falls_back_to_utc(name):
    ws = Workspace(time_zone=name)
    late = dt.datetime(2026, 3, 1, 23, 30, tzinfo=UTC)

    assert ws.zone == ZoneInfo("UTC")
    assert ws.today(late) == dt.date(2026, 3, 1)


@pytest.mark.parametrize("name", ["Europe/Paris", "UTC", "America/Argentina/Buenos_Aires"])
def test_the_validator_accepts_iana_names(name):
    validate_time_zone(name)


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "utc", "Europe/Paris ", "../etc", None])
def test_the_validator_rejects_anything_else_with_a_clear_message(name):
    with pytest.raises(ValidationError, match="Unknown time zone; use a name like Europe/Paris."):
        validate_time_zone(name)


def test_the_model_field_validates_the_time_zone():
    ws = Workspace(name="Garage", slug="garage", time_zone="Mars/Olympus")

    with pytest.raises(ValidationError) as error:
        ws.clean_fields()
    assert error.value.message_dict == {
        "time_zone": ["Unknown time zone; use a name like Europe/Paris."]
    }


def test_the_settings_form_uses_the_same_validator():
    fields = {
        "name": "Bakery",
        "currency": "eur",
        "min_group_size": 5,
        "min_comment_group_size": 8,
        "human_contact_alert_days": 60,
    }
    bad = WorkspaceSettingsForm({**fields, "time_zone": "Mars/Olympus"})
    good = WorkspaceSettingsForm({**fields, "time_zone": "  Europe/Paris  "})

    assert bad.errors == {"time_zone": ["Unknown time zone; use a name like Europe/Paris."]}
    assert good.is_valid() and good.cleaned_data["time_zone"] == "Europe/Paris"
