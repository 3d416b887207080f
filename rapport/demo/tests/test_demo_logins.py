import pytest

from rapport.demo import DEMO_PASSWORD
from rapport.demo.generate import DEMO_LOGINS


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.key)
def test_every_printed_login_opens_the_demo(demo, db, client, login):
    # Through the sign-in page itself (its lockout guard needs the request).
    signed_in = client.post("/login/", {"username": login.email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    response = client.get("/w/demo/people/")
    assert response.status_code == 200
    assert "Maison Levain" in response.content.decode()
