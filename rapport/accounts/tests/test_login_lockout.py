"""Too many wrong passwords lock the account (and, at three times as many, the address);
the lockout ends by itself, says the same for any email, is audited and can be lifted."""

import datetime as dt
import time

import pytest
from axes.models import AccessAttempt

from rapport.accounts.models import AuditEvent
from rapport.test import PASSWORD, login

LIMIT = 10


@pytest.fixture(autouse=True)
def _quick(quick_passwords, personas):
    pass


def sign_in(client, email, password, address="203.0.113.7", **headers):
    return client.post(
        "/login/", {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, email, times, address="203.0.113.7", **headers):
    for _ in range(times):
        sign_in(client, email, "wrong password", address, **headers)


def test_ten_wrong_passwords_then_the_right_one_is_refused(client, personas):
    fail(client, "alice@example.com", LIMIT)
    response = sign_in(client, "alice@example.com", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_nine_wrong_passwords_still_let_the_right_one_in(client, personas):
    fail(client, "alice@example.com", LIMIT - 1)
    assert sign_in(client, "alice@example.com", PASSWORD).status_code == 302


def test_the_right_password_works_again_after_the_lockout(client, personas, settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    fail(client, "alice@example.com", LIMIT)
    assert sign_in(client, "alice@example.com", PASSWORD).status_code == 429
    time.sleep(1.2)
    assert sign_in(client, "alice@example.com", PASSWORD).status_code == 302


def test_another_account_is_not_locked_by_someone_elses_failures(client, personas):
    fail(client, "alice@example.com", LIMIT)
    # Same address (an office): Bob still signs in.
    assert sign_in(client, "bob@example.com", PASSWORD).status_code == 302


def test_the_account_is_locked_from_any_address(client, personas):
    fail(client, "alice@example.com", LIMIT, address="203.0.113.7")
    assert sign_in(client, "alice@example.com", PASSWORD, "198.51.100.9").status_code == 429


def test_an_address_trying_many_accounts_is_locked_at_three_times_the_limit(client, personas):
    for n in range(3 * LIMIT):
        sign_in(client, f"guess{n}@example.com", "wrong password")
    assert sign_in(client, "bob@example.com", PASSWORD).status_code == 429
    assert sign_in(client, "bob@example.com", PASSWORD, "198.51.100.9").status_code == 302


def test_it_counts_upper_and_lower_case_emails_as_one_account(client, personas):
    fail(client, "Alice@Example.com", LIMIT // 2)
    fail(client, "alice@example.com", LIMIT // 2)
    assert sign_in(client, "alice@example.com", PASSWORD).status_code == 429


def test_the_lockout_says_the_same_for_an_email_with_no_account(client, personas):
    fail(client, "alice@example.com", LIMIT, address="203.0.113.7")
    fail(client, "nobody@example.com", LIMIT, address="198.51.100.9")
    known = sign_in(client, "alice@example.com", PASSWORD, "203.0.113.7")
    unknown = sign_in(client, "nobody@example.com", PASSWORD, "198.51.100.9")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


def test_behind_the_proxy_it_counts_the_address_the_proxy_appended(client, personas, settings):
    settings.BEHIND_PROXY = True
    for n in range(3 * LIMIT):
        sign_in(
            client, f"guess{n}@example.com", "nope", "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
        )
    # Everyone comes through the proxy's 10.0.0.1; only the client at 203.0.113.7 is locked,
    # and a client cannot slip out by sending its own X-Forwarded-For first.
    spoofed = "192.0.2.1, 203.0.113.7"
    assert (
        sign_in(
            client, "bob@example.com", PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR=spoofed
        ).status_code
        == 429
    )
    assert (
        sign_in(
            client, "bob@example.com", PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9"
        ).status_code
        == 302
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_a_lockout_is_in_the_audit_log_and_an_owner_can_lift_it(client, personas):
    fail(client, "bob@example.com", LIMIT)
    event = AuditEvent.objects.get(workspace=personas.bakery, action="lockout")
    assert event.object_repr == str(personas.bob)

    owner = login(client.__class__(), personas.alice)
    settings_page = owner.get("/w/alices-bakery/settings/").content.decode()
    assert "Locked out" in settings_page
    owner.post(f"/w/alices-bakery/settings/members/{personas.bob_member.pk}/unlock/")
    assert AuditEvent.objects.filter(workspace=personas.bakery, action="unlock").exists()
    assert "Locked out" not in owner.get("/w/alices-bakery/settings/").content.decode()
    assert sign_in(client, "bob@example.com", PASSWORD).status_code == 302


def test_only_an_owner_can_lift_a_lockout(client, personas):
    fail(client, "bob@example.com", LIMIT)
    manager = login(client.__class__(), personas.vera)
    url = f"/w/alices-bakery/settings/members/{personas.bob_member.pk}/unlock/"
    assert manager.post(url).status_code == 404
    assert sign_in(client, "bob@example.com", PASSWORD).status_code == 429


def test_an_owner_cannot_lift_a_lockout_in_another_business(client, personas):
    fail(client, "bob@example.com", LIMIT)
    charlie = login(client.__class__(), personas.charlie)
    url = f"/w/charlies-garage/settings/members/{personas.bob_member.pk}/unlock/"
    assert charlie.post(url).status_code == 404
    assert sign_in(client, "bob@example.com", PASSWORD).status_code == 429
