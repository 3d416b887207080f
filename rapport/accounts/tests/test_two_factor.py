"""Two-factor sign-in with an authenticator app: set up with a QR code and one code, asked
for after the password, recovery codes that work once, turned off only with a code, and
required of owners when their business says so. Codes are computed here from the secret
with RFC 6238 itself (HMAC-SHA1, 30-second steps, 6 digits)."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest

from rapport.accounts.models import AuditEvent
from rapport.test import PASSWORD, login


@pytest.fixture(autouse=True)
def _quick(quick_passwords, personas):
    pass


def totp(secret: str, steps_ahead: int = 0) -> str:
    """RFC 6238 over the base32 secret the page shows; ``steps_ahead`` picks a later
    30-second step (a code is accepted once, and one step either side)."""
    key = base64.b32decode(secret.replace(" ", ""))
    counter = int(time.time()) // 30 + steps_ahead
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def turn_on(client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor/").content.decode()
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    done = client.post("/account/two-factor/", {"step": "confirm", "code": totp(secret)})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    return secret, codes


def wait_out_one_failure():
    """django-otp makes a device wait after a wrong code: 1 s after the first, doubling."""
    time.sleep(1.1)


def sign_in(client, email="alice@example.com", password=PASSWORD):
    return client.post("/login/", {"username": email, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_setting_it_up_shows_a_qr_code_and_needs_a_right_code(client, personas):
    login(client, personas.alice)
    page = client.get("/account/two-factor/").content.decode()
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    refused = client.post("/account/two-factor/", {"step": "confirm", "code": wrong(totp(secret))})
    assert "That code is not right" in refused.content.decode()
    wait_out_one_failure()
    # The same secret until it is confirmed: a reload does not break what was scanned.
    assert secret in client.get("/account/two-factor/").content.decode()
    done = client.post("/account/two-factor/", {"step": "confirm", "code": totp(secret)})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert "is <strong>on</strong>" in client.get("/account/two-factor/").content.decode()
    event = AuditEvent.objects.get(workspace=personas.bakery, object_type="two-factor sign-in")
    assert event.actor == personas.alice


def test_sign_in_asks_for_the_code_after_the_password(client, personas):
    secret, _ = turn_on(login(client, personas.alice))
    client.post("/logout/")
    response = sign_in(client)
    assert response["Location"] == "/login/code/"
    assert not signed_in(client)
    client.post("/login/code/", {"code": wrong(totp(secret, 1))})
    assert not signed_in(client)
    wait_out_one_failure()
    response = client.post("/login/code/", {"code": totp(secret, 1)})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_code_without_the_password_first_gets_nowhere(client, personas):
    secret, _ = turn_on(login(client, personas.alice))
    client.post("/logout/")
    response = client.post("/login/code/", {"code": totp(secret, 1)})
    assert response["Location"] == "/login/"
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, personas):
    _, codes = turn_on(login(client, personas.alice))
    client.post("/logout/")
    sign_in(client)
    client.post("/login/code/", {"code": codes[0]})
    assert signed_in(client)
    client.post("/logout/")
    sign_in(client)
    client.post("/login/code/", {"code": codes[0]})
    assert not signed_in(client)


def test_turning_it_off_needs_a_code(client, personas):
    secret, _ = turn_on(login(client, personas.alice))
    client.post("/account/two-factor/", {"step": "off", "code": wrong(totp(secret, 1))})
    assert "is <strong>on</strong>" in client.get("/account/two-factor/").content.decode()
    wait_out_one_failure()
    client.post("/account/two-factor/", {"step": "off", "code": totp(secret, 1)})
    assert "is <strong>on</strong>" not in client.get("/account/two-factor/").content.decode()
    client.post("/logout/")
    assert sign_in(client)["Location"] != "/login/code/"
    assert signed_in(client)


def test_a_business_can_require_it_of_owners(client, personas):
    owner = login(client, personas.alice)
    form = {
        "name": "Alice's Bakery",
        "time_zone": "UTC",
        "currency": "EUR",
        "min_group_size": 5,
        "min_comment_group_size": 8,
        "human_contact_alert_days": 60,
        "require_two_factor": "on",
    }
    owner.post("/w/alices-bakery/settings/", form)
    assert AuditEvent.objects.filter(
        workspace=personas.bakery, changes__require_two_factor=[False, True]
    ).exists()
    response = owner.get("/w/alices-bakery/people/")
    assert response["Location"] == "/account/two-factor/"
    # Staff choose for themselves.
    bob = login(client.__class__(), personas.bob)
    assert bob.get("/w/alices-bakery/people/").status_code == 200
    # Once set up, the owner goes on.
    turn_on(owner)
    assert owner.get("/w/alices-bakery/people/").status_code == 200


def test_wrong_codes_slow_down(client, personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0.5  # waits of 0.5 s, 1 s, then 2 s
    secret, _ = turn_on(login(client, personas.alice))
    client.post("/logout/")
    sign_in(client)
    for pause in (0, 0.55, 1.05):
        time.sleep(pause)
        client.post("/login/code/", {"code": wrong(totp(secret, 1))})
    # After failures, even the right code waits out django-otp's throttle, and the page says so.
    page = client.post("/login/code/", {"code": totp(secret, 1)}).content.decode()
    assert not signed_in(client)
    assert re.search(r"Too many wrong codes: wait \d+ seconds?", page)
