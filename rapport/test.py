"""Named personas for tests, built through the real actions.

Alice owns Alice's Bakery; Bob works there as staff; Vera is a viewer there; Charlie owns
Charlie's Garage, another business, and must never see anything of Alice's.

Apps' tests that drive the ``rapport`` command import ``main`` and ``build_parser`` from here:
an app's own code never imports ``rapport.cli``, which sits above every app.
"""

import socketserver
import threading
import time

import pytest

from rapport.accounts.actions import add_member, create_workspace
from rapport.accounts.choices import Role
from rapport.accounts.models import User
from rapport.cli import build_parser, main  # noqa: F401  (tests drive the whole `rapport` command)

PASSWORD = "correct horse battery staple"


class Personas:
    def __init__(self):
        self.alice = User.objects.create_user("alice@example.com", PASSWORD, name="Alice Martin")
        self.bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob Okafor")
        self.vera = User.objects.create_user("vera@example.com", PASSWORD, name="Vera Lind")
        self.charlie = User.objects.create_user(
            "charlie@example.com", PASSWORD, name="Charlie Dubois"
        )
        self.bakery = create_workspace("Alice's Bakery", "alices-bakery", owner=self.alice)
        self.garage = create_workspace("Charlie's Garage", "charlies-garage", owner=self.charlie)
        self.alice_member = self.bakery.memberships.get(user=self.alice)
        self.bob_member = add_member(self.bakery, self.bob, Role.STAFF)
        self.vera_member = add_member(self.bakery, self.vera, Role.VIEWER)
        self.charlie_member = self.garage.memberships.get(user=self.charlie)


@pytest.fixture
def personas(db) -> Personas:
    return Personas()


def login(client, user):
    client.force_login(user)
    return client


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for one client: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        self.reply("220 localhost ESMTP test")
        recipients, lines, in_data = [], [], False
        for line in self.rfile:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    time.sleep(self.server.delay)  # a slow server, when a test wants one
                    self.server.mails.append((recipients, b"".join(lines)))
                    recipients, lines, in_data = [], [], False
                    self.reply("250 queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-localhost", "250 8BITMIME")
            elif verb == b"RCPT":
                recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                self.reply("250 ok")
            elif verb == b"DATA":
                in_data = True
                self.reply("354 end with <CRLF>.<CRLF>")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def reply(self, *lines):
        self.wfile.write(b"".join(f"{line}\r\n".encode() for line in lines))


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port; ``server.mails`` holds (recipients, bytes).
    Point Django at it: ``settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address``."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    server.mails = []
    server.delay = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
