"""A forgotten password is reset from a link sent by e-mail, through a real SMTP
conversation; the page never says whether an address has an account."""

import email
import email.policy
import re

import pytest

from rapport.test import PASSWORD

NEW_PASSWORD = "a brand new sourdough starter"


@pytest.fixture(autouse=True)
def _quick(quick_passwords, personas):
    pass


@pytest.fixture
def smtp(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.server_address
    settings.EMAIL_USE_TLS = False
    return smtp_server


def received(smtp):
    return [
        (rcpt, email.message_from_bytes(data, policy=email.policy.default))
        for rcpt, data in smtp.mails
    ]


def ask_for_link(client, address):
    return client.post("/account/reset/", {"email": address}, follow=True)


def the_link(smtp) -> str:
    (rcpt, message), *_ = received(smtp)
    body = message.get_body(("plain",)).get_content()
    return re.search(r"https?://testserver(/account/reset/\S+/)", body).group(1)


def test_the_login_page_offers_a_reset(client):
    assert "/account/reset/" in client.get("/login/").content.decode()


def test_it_sends_a_link_over_smtp_and_the_new_password_replaces_the_old(client, personas, smtp):
    page = ask_for_link(client, "Alice@Example.com")
    assert "Check your email" in page.content.decode()
    (rcpt, message), *_ = received(smtp)
    assert rcpt == ["alice@example.com"]
    assert message["Subject"] == "Choose a new Rapport password"

    form = client.get(the_link(smtp), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password is changed" in done.content.decode()

    assert (
        client.post("/login/", {"username": "alice@example.com", "password": PASSWORD}).status_code
        == 200
    )
    assert (
        client.post(
            "/login/", {"username": "alice@example.com", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def test_a_used_link_no_longer_works(client, personas, smtp):
    ask_for_link(client, "alice@example.com")
    link = the_link(smtp)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    again = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in again
    assert "new_password1" not in again


def test_it_checks_the_new_password_like_every_password(client, personas, smtp):
    ask_for_link(client, "alice@example.com")
    form = client.get(the_link(smtp), follow=True)
    page = client.post(
        form.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    ).content.decode()
    assert "too short" in page


def test_it_says_the_same_for_an_address_with_no_account_and_sends_nothing(client, personas, smtp):
    known = ask_for_link(client, "alice@example.com")
    unknown = ask_for_link(client, "nobody@example.com")
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert [rcpt for rcpt, _ in received(smtp)] == [["alice@example.com"]]


def test_a_reset_lifts_a_lockout(client, personas, smtp, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/login/", {"username": "alice@example.com", "password": "wrong"})
    assert (
        client.post("/login/", {"username": "alice@example.com", "password": PASSWORD}).status_code
        == 429
    )
    ask_for_link(client, "alice@example.com")
    form = client.get(the_link(smtp), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (
        client.post(
            "/login/", {"username": "alice@example.com", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def test_a_flood_of_requests_sends_a_few_links_and_the_page_never_changes(client, smtp):
    pages = [ask_for_link(client, "alice@example.com").content for _ in range(5)]
    assert len(smtp.mails) == 3  # three links an hour for one address, however often asked
    assert len(set(pages)) == 1  # the page says the same whether a link went or not
    for n in range(6):
        ask_for_link(client, f"nobody{n}@example.com")
    ask_for_link(client, "bob@example.com")
    assert len(smtp.mails) == 3  # and ten requests an hour from one client address
