"""One thread key per e-mail conversation, whatever order its messages arrive in.

Every Message-ID a message names (its own, and its ancestors from References and
In-Reply-To) is linked to one thread key in ``ThreadLink``. The key is made from the oldest
ancestor the message knows, which for well-behaved mail programs is the conversation's first
message, so a reply read before its parent already gets the key its parent will get. When a
message shows that two threads known so far are one conversation (a parent that only named
its own parent, found later), the two are merged: the key of the older root wins and the
messages and links of the other are moved to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapport.accounts.models import Workspace
from rapport.intake.models import ThreadLink
from rapport.lib.keys import record_key
from rapport.people.models import Interaction

PREFIX = "mail:"


def node(message_id: str) -> str:
    """The hash a Message-ID is stored under."""
    return record_key("id:" + message_id)


def key_for(root: str) -> str:
    """The thread key of a conversation whose first message has node hash ``root``."""
    return PREFIX + root[:40]


class ThreadLinker:
    """Assigns thread keys to one batch of messages.

    Give it every chain of the batch up front (each chain: the node hashes of a message's
    ancestors, oldest first, then its own), so the links they name are read in one query;
    call ``assign`` per message in order, then ``final`` on each key before writing, then
    ``save`` inside the batch's transaction.
    """

    def __init__(self, workspace: Workspace, chains: Iterable[list[str]]):
        self.workspace = workspace
        wanted = {h for chain in chains for h in chain}
        self.stored: dict[str, str] = {}
        wanted_list = sorted(wanted)
        for start in range(0, len(wanted_list), 500):
            self.stored.update(
                ThreadLink.objects.filter(
                    workspace=workspace, message_hash__in=wanted_list[start : start + 500]
                ).values_list("message_hash", "thread_key")
            )
        self.known = dict(self.stored)
        self.merged: dict[str, str] = {}

    def assign(self, chain: list[str]) -> str:
        """The thread key for a message whose chain is ``chain``."""
        root = chain[0]
        keys = {self.known[h] for h in chain if h in self.known}
        winner = self.known.get(root) or key_for(root)
        losers = keys - {winner}
        if losers:
            for h, key in self.known.items():
                if key in losers:
                    self.known[h] = winner
            for loser in losers:
                self.merged[loser] = winner
        for h in chain:
            self.known[h] = winner
        return winner

    def final(self, key: str) -> str:
        """``key`` after the merges this batch made."""
        seen = set()
        while key in self.merged and key not in seen:
            seen.add(key)
            key = self.merged[key]
        return key

    def save(self) -> None:
        """Move merged threads to their winning key and store the new links."""
        for loser in list(self.merged):
            winner = self.final(loser)
            ThreadLink.objects.filter(workspace=self.workspace, thread_key=loser).update(
                thread_key=winner
            )
            Interaction.objects.filter(workspace=self.workspace, thread_key=loser).update(
                thread_key=winner
            )
        fresh = [
            ThreadLink(workspace=self.workspace, message_hash=h, thread_key=self.final(key))
            for h, key in self.known.items()
            if h not in self.stored
        ]
        ThreadLink.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
