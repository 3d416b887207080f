"""Named personas for tests, built through the real actions.

Alice owns Alice's Bakery; Bob works there as staff; Vera is a viewer there; Charlie owns
Charlie's Garage, another business, and must never see anything of Alice's.

Apps' tests that drive the ``rapport`` command import ``main`` and ``build_parser`` from here:
an app's own code never imports ``rapport.cli``, which sits above every app.
"""

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
