"""The chat widget's settings tab: managers and owners switch it on, name it, list the sites
that may show it and make a new key; staff read it; viewers and other businesses find
nothing. Every change is audited, and bad sites are named by line with nothing saved."""

import re
import textwrap
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils.html import escape

from rapport.accounts.actions import add_member
from rapport.accounts.choices import Role
from rapport.accounts.models import AuditEvent, User
from rapport.inbox import widget
from rapport.inbox.routing import inbox_settings
from rapport.test import login

URL = "/w/alices-bakery/inbox/settings/widget/"
NEW_KEY = URL + "new-key/"
DOCS = Path(django_settings.BASE_DIR).parent / "docs" / "inbox-widget.md"


def save(client, *, enabled=True, title="Questions? Ask Alice.", origins=""):
    data = {"title": title, "origins": origins}
    if enabled:
        data["enabled"] = "on"
    return client.post(URL, data)


@pytest.fixture
def manager(personas):
    user = User.objects.create_user("mia@example.com", "x", name="Mia Manager")
    add_member(personas.bakery, user, Role.MANAGER)
    return user


def test_the_owner_switches_the_chat_on_and_its_page_answers(client, personas):
    login(client, personas.alice)
    key = inbox_settings(personas.bakery).widget_key
    assert client.get(f"/chat/{key}/").status_code == 404  # off by default
    page = client.get(URL)
    assert page.status_code == 200
    assert "With no sites listed, the chat only opens on Rapport's own page" in page.text
    response = save(client, origins="HTTPS://WWW.AlicesBakery.example/\nhttp://localhost:8000")
    assert response.status_code == 302
    s = inbox_settings(personas.bakery)
    assert s.widget_enabled and s.widget_title == "Questions? Ask Alice."
    assert s.widget_origins == "https://www.alicesbakery.example\nhttp://localhost:8000"
    chat = client.get(f"/chat/{key}/")
    assert chat.status_code == 200 and "Questions? Ask Alice." in chat.text
    assert chat["Content-Security-Policy"].endswith(
        "frame-ancestors 'self' https://www.alicesbakery.example http://localhost:8000"
    )
    assert f'href="/chat/{key}/"' in client.get(URL).text


def test_a_manager_changes_it_too_and_switches_it_off(client, personas, manager):
    login(client, manager)
    assert save(client).status_code == 302
    assert save(client, enabled=False).status_code == 302
    s = inbox_settings(personas.bakery)
    assert not s.widget_enabled
    assert client.get(f"/chat/{s.widget_key}/").status_code == 404
    assert "Switch the chat on to try it" in client.get(URL).text


def test_staff_read_the_tab_but_cannot_change_it(client, personas):
    login(client, personas.bob)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Only managers and owners can change these settings" in page.text
    assert 'name="title"' in page.text and "disabled" in page.text
    assert "Make a new key" not in page.text
    assert save(client).status_code == 404
    assert client.get(NEW_KEY).status_code == 404
    assert client.post(NEW_KEY).status_code == 404
    assert not inbox_settings(personas.bakery).widget_enabled


def test_viewers_find_no_such_page(client, personas):
    login(client, personas.vera)
    assert client.get(URL).status_code == 404
    assert save(client).status_code == 404
    assert client.post(NEW_KEY).status_code == 404


def test_every_bad_site_is_named_by_line_and_nothing_is_saved(client, personas):
    login(client, personas.alice)
    lines = [
        "https://www.alicesbakery.example",
        "alicesbakery.example",
        "ftp://files.alicesbakery.example",
        "https://www.alicesbakery.example/shop",
        "",
        "https://www.alicesbakery.example:99999",
        "https://a.example, https://b.example",
        "https://user@alicesbakery.example",
        "https://[::1]",
        "https://bad_name.example",
        "https://alicesbakery.example?page=1",
        "https://alicesbakery.example:",
    ]
    response = save(client, title="", origins="\n".join(lines))
    assert response.status_code == 400
    said = [
        "Title: write the words shown at the top of the chat.",
        "line 2: “alicesbakery.example” needs https:// in front, like "
        "https://alicesbakery.example.",
        "line 3: “ftp://files.alicesbakery.example” is not a website address: it must start "
        "with https:// or http://.",
        "line 4: “https://www.alicesbakery.example/shop” has more than the site (/shop); give "
        "only the site, like https://www.alicesbakery.example.",
        "line 6: “https://www.alicesbakery.example:99999” has a port that is not a number "
        "from 1 to 65535.",
        "line 7: “https://a.example, https://b.example” holds more than one address; put each "
        "site on its own line.",
        "line 8: “https://user@alicesbakery.example” holds a user name",
        "line 9: “https://[::1]” is an IPv6 address",
        "line 10: “https://bad_name.example” has no proper site name",
        "line 11: “https://alicesbakery.example?page=1” has more than the site (?page=1)",
        "line 12: “https://alicesbakery.example:” has a colon but no port number after it.",
    ]
    errors = response.context["errors"]
    for words in said:
        assert any(words in e for e in errors), words
        assert escape(words) in response.text
    assert len(errors) == len(said)
    assert not any("line 1:" in e or "line 5:" in e for e in errors)
    assert "bad_name.example" in response.text  # what was typed stays on the page
    s = inbox_settings(personas.bakery)
    assert not s.widget_enabled and s.widget_origins == ""
    assert s.widget_title == "Questions? Write to us."
    assert not AuditEvent.objects.filter(object_repr__startswith="inbox chat widget").exists()


def test_a_long_title_and_too_many_sites_are_refused(client, personas):
    login(client, personas.alice)
    many = "\n".join(f"https://shop{i}.example" for i in range(51))
    response = save(client, title="x" * 81, origins=many)
    assert response.status_code == 400
    assert "Title: at most 80 characters; this one has 81." in response.context["errors"]
    assert "Allowed sites: at most 50; this list has 51." in response.context["errors"]


def test_repeated_sites_are_kept_once_and_wildcards_and_ports_stay(client, personas):
    login(client, personas.alice)
    origins = "https://*.alicesbakery.example\nhttps://WWW.alicesbakery.example:443/\n"
    origins += "https://www.alicesbakery.example\nhttp://127.0.0.1:8080"
    assert save(client, origins=origins).status_code == 302
    assert inbox_settings(personas.bakery).widget_origins == (
        "https://*.alicesbakery.example\nhttps://www.alicesbakery.example\nhttp://127.0.0.1:8080"
    )


def test_saving_is_audited_with_what_changed(client, personas):
    login(client, personas.alice)
    save(client, origins="https://www.alicesbakery.example")
    event = AuditEvent.objects.get(workspace=personas.bakery, object_repr="inbox chat widget")
    assert event.actor == personas.alice
    assert event.changes["widget_enabled"] == [False, True]
    assert event.changes["widget_origins"] == ["", "https://www.alicesbakery.example"]
    save(client, origins="https://www.alicesbakery.example")  # nothing changed: no new row
    assert AuditEvent.objects.filter(object_repr="inbox chat widget").count() == 1


def test_the_snippet_is_the_one_the_docs_give_with_the_business_key(client, personas):
    login(client, personas.alice)
    key = inbox_settings(personas.bakery).widget_key
    block = re.search(r"```html\n(.*?)```", DOCS.read_text(), re.S)[1]
    documented = textwrap.dedent(block).strip()
    expected = documented.replace("https://YOUR-RAPPORT", django_settings.RAPPORT_PUBLIC_URL)
    expected = expected.replace("WIDGET_KEY", key)
    assert widget.snippet(inbox_settings(personas.bakery)) == expected
    page = client.get(URL).text
    assert escape(expected) in page  # shown as text to copy, never as a script that runs
    assert 'data-rapport-widget="' not in page


def test_a_new_key_asks_first_then_the_old_snippet_stops_working(client, personas):
    login(client, personas.alice)
    save(client)
    old = inbox_settings(personas.bakery).widget_key
    ask = client.get(NEW_KEY)
    assert ask.status_code == 200 and "stops working at once" in ask.text
    assert inbox_settings(personas.bakery).widget_key == old  # asking changes nothing
    done = client.post(NEW_KEY, follow=True)
    assert "the old one no longer opens the chat" in done.text
    new = inbox_settings(personas.bakery).widget_key
    assert new != old and len(new) >= 16
    assert client.get(f"/chat/{old}/").status_code == 404
    assert client.get(f"/chat/{new}/").status_code == 200
    assert escape(new) in done.text and old not in done.text
    event = AuditEvent.objects.get(object_repr="inbox chat widget key")
    assert event.actor == personas.alice and event.changes["widget_key"] == [old, new]
