"""A real browser on a phone: a visitor on the bakery's own website opens the chat widget,
writes (HTML stays text), asks for a person, and sees a member's reply arrive, delivered.
Debian's Chromium driven by Playwright, against a live server.

The bakery's website is another origin (a small server of the test's own on another
port), so the frame rules are the real ones: the chat shows there, and not on a second site
the business did not list.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser import local_page, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

PHONE = {"width": 390, "height": 844}


def calmly(read):
    """``read()``, again if SQLite's shared in-memory test database was locked by a request
    of the widget's polling at that very moment (the live server shares it)."""
    from django.db import OperationalError

    for _ in range(20):
        try:
            return read()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.1)
    return read()


def website_server(html: str) -> ThreadingHTTPServer:
    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def sites(live_server, personas):
    """The bakery's website and a site the bakery did not list, both embedding the widget."""
    from rapport.inbox.routing import inbox_settings

    key = inbox_settings(personas.bakery).widget_key
    html = (
        "<!doctype html><html lang='en'><head><meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Alice's Bakery</title></head><body>"
        "<h1>Alice's Bakery</h1><p>Fresh bread every morning.</p>"
        f"<script src='{live_server.url}/static/rapport/widget.js' "
        f"data-rapport-widget='{key}' defer></script></body></html>"
    )
    servers = [website_server(html), website_server(html)]
    yield [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    for s in servers:
        s.shutdown()


@pytest.fixture
def chat(personas, sites):
    from rapport.inbox.routing import inbox_settings

    s = inbox_settings(personas.bakery)
    s.hours = {str(d): [["00:00", "00:00"]] for d in range(7)}
    s.widget_enabled = True
    s.widget_origins = sites[0]
    s.save()
    return s


@pytest.fixture
def phone(live_server, chat, sites):
    with local_page(
        live_server.url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    ) as page:
        # The two websites are let through the guard (page routes come before it).
        for site in sites:
            page.route(f"{site}/**", lambda route: route.continue_())
        yield page


def test_a_visitor_chats_asks_for_a_person_and_sees_the_reply(phone, sites, chat, personas):
    from playwright.sync_api import expect

    from rapport.inbox import actions
    from rapport.inbox.choices import Author, Delivery, Status
    from rapport.inbox.models import Conversation

    page = phone
    page.goto(f"{sites[0]}/")
    opener = page.get_by_role("button", name="Chat with us")
    opener.focus()
    page.keyboard.press("Enter")  # by keyboard
    expect(page.get_by_role("button", name="Close the chat")).to_have_attribute(
        "aria-expanded", "true"
    )
    frame_box = page.locator("iframe[title='Chat with us']").bounding_box()
    assert frame_box["x"] >= 0 and frame_box["x"] + frame_box["width"] <= PHONE["width"]
    chat_frame = page.frame_locator("iframe[title='Chat with us']")
    expect(chat_frame.get_by_role("heading", name="Questions? Write to us.")).to_be_visible()

    box = chat_frame.get_by_label("Your message")
    box.fill("<b>Do you</b> make wedding cakes? 🎂")
    box.press("Control+Enter")
    log = chat_frame.get_by_role("log")
    mine = log.get_by_role("listitem").filter(has_text="wedding cakes")
    expect(mine).to_contain_text("Delivered")
    expect(mine).to_contain_text("<b>Do you</b>")  # shown as written, never as HTML
    assert mine.locator("b").count() == 0

    chat_frame.get_by_role("button", name="Talk to a person").click()
    expect(chat_frame.get_by_text("A person will reply here.")).to_be_visible()
    expect(log).to_contain_text("needs a person")  # Rapport's handoff message, fetched
    c = calmly(lambda: Conversation.objects.get(workspace=chat.workspace))
    assert c.asked_for_person and c.status == Status.ASSIGNED

    reply = calmly(
        lambda: actions.reply(c, "Yes! Come and taste on Saturday.", actor=personas.bob_member)
    )
    theirs = log.get_by_role("listitem").filter(has_text="Come and taste")
    expect(theirs).to_contain_text("Bob Okafor", timeout=30_000)
    calmly(reply.refresh_from_db)
    assert reply.delivery == Delivery.DELIVERED
    assert calmly(lambda: c.messages.filter(author=Author.CUSTOMER).count()) == 1

    # A reload keeps the conversation (the visitor key is in the frame's storage).
    page.reload()
    page.get_by_role("button", name="Chat with us").click()
    chat_frame = page.frame_locator("iframe[title='Chat with us']")
    expect(chat_frame.get_by_role("log")).to_contain_text("Come and taste", timeout=10_000)
    assert page.context.cookies() == []


def test_a_message_sent_while_offline_is_kept_and_stored_once(phone, sites, chat):
    from playwright.sync_api import expect

    from rapport.inbox.models import Message

    page = phone
    page.goto(f"{sites[0]}/")
    page.get_by_role("button", name="Chat with us").click()
    chat_frame = page.frame_locator("iframe[title='Chat with us']")
    expect(chat_frame.get_by_label("Your message")).to_be_visible()
    page.context.set_offline(True)
    chat_frame.get_by_label("Your message").fill("Are you open on Sunday?")
    chat_frame.get_by_role("button", name="Send").click()
    mine = chat_frame.get_by_role("listitem").filter(has_text="Sunday")
    expect(mine).to_contain_text("Failed", timeout=20_000)
    expect(mine.get_by_role("button", name="Retry")).to_be_visible()
    # Back online, the widget sends it again by itself (the Retry button does the same).
    page.context.set_offline(False)
    expect(mine).to_contain_text("Delivered", timeout=20_000)
    assert calmly(lambda: Message.objects.filter(body="Are you open on Sunday?").count()) == 1


def test_a_site_the_business_did_not_list_cannot_show_the_chat(phone, sites, chat):
    page = phone
    page.goto(f"{sites[1]}/")
    page.get_by_role("button", name="Chat with us").click()
    page.wait_for_timeout(1500)
    frame = page.frame(url=lambda url: "/chat/" in url)
    assert frame is None or frame.query_selector("#chat") is None
