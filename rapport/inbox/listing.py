"""The inbox's lists as the API and ``rapport inbox list`` read them: a saved view (mine,
unassigned, needs a person, open, resolved: the list page's views under the API's names) and
filters, always within one workspace and under the list page's anonymity rule (survey
follow-ups the feedback inbox holds back are left out), in a stable order (latest message
first, then the newest conversation)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rapport.accounts.models import Membership, Workspace
from rapport.inbox import queries
from rapport.inbox.choices import Priority, Source, Status
from rapport.inbox.models import Conversation

VIEWS = {
    "mine": "open conversations you hold",
    "unassigned": "new or waiting conversations nobody holds",
    "needs_person": "open conversations a person must answer: handed to a person or read as "
    "needing a human",
    "open": "every conversation not resolved",
    "resolved": "resolved conversations",
    "survey": "survey follow-ups",
}
# "urgent" → 3 ...: the names the API and the CLI use for priorities.
PRIORITY_BY_NAME = {p.label.lower(): p.value for p in Priority}
NAME_OF_PRIORITY = {value: name for name, value in PRIORITY_BY_NAME.items()}


class ListError(ValueError):
    """A filter that cannot be read; the message says which and why."""


# The API's view names → the list page's views (``queries.VIEWS``): one meaning for both.
PAGE_VIEW = {
    "mine": "mine",
    "unassigned": "unassigned",
    "needs_person": "person",
    "open": "",
    "survey": "survey",
}


def _view(view: str, member: Membership) -> Q:
    if not view:
        return Q()
    if view == "resolved":
        return Q(status=Status.RESOLVED)
    return queries.VIEWS[PAGE_VIEW[view]][1](member)


def _owner(owner: str, member: Membership) -> Q:
    """``me``, ``none`` or a member's id."""
    owner = owner.strip().lower()
    if not owner:
        return Q()
    if owner == "me":
        return Q(owner=member)
    if owner == "none":
        return Q(owner__isnull=True)
    if owner.isdigit():
        return Q(owner_id=int(owner))
    raise ListError(f"owner {owner!r}: give a member's id, 'me' or 'none'")


def filter_conversations(
    workspace: Workspace,
    member: Membership,
    *,
    view: str = "",
    status: str = "",
    priority: str = "",
    owner: str = "",
    source: str = "",
    needs_human: bool | None = None,
) -> QuerySet[Conversation]:
    """The conversations of ``workspace`` in ``view`` that pass every filter given, as seen by
    ``member`` ("mine", owner "me")."""
    for name, value, allowed in (
        ("view", view, VIEWS),
        ("priority", priority, PRIORITY_BY_NAME),
        ("status", status, Status.values),
        ("source", source, Source.values),
    ):
        if value and value not in allowed:
            raise ListError(f"{name} {value!r}: choose one of {', '.join(allowed)}")
    found = queries.visible(workspace).filter(_view(view, member), _owner(owner, member))
    if status:
        found = found.filter(status=status)
    if priority:
        found = found.filter(priority=PRIORITY_BY_NAME[priority])
    if source:
        found = found.filter(source=source)
    if needs_human is not None:
        found = found.filter(needs_human=needs_human)
    return found.select_related("owner__user", "person").order_by("-last_message_at", "-id")
