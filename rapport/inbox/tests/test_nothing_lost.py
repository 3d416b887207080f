"""Accepted ⇒ stored ⇒ shown, end to end, with no worker running: a message sent to the REST
intake and a webhook is in the inbox list at once, and the worker's later run hands it to a
person."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from rapport.accounts.models import ApiToken
from rapport.inbox import automation
from rapport.inbox.choices import Status
from rapport.inbox.models import Conversation
from rapport.test import login


@pytest.fixture
def token(personas):
    return ApiToken.issue(personas.bob_member, "website form")[1]


def test_a_message_sent_by_the_api_is_in_the_inbox_with_no_worker(
    client, personas, token, settings
):
    # The task queue stores tasks and nothing runs them: the worker is down.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    texts = [f"Message {n}: is my order {n} ready?" for n in range(12)]
    for n, text in enumerate(texts):
        sent = client.post(
            "/api/w/alices-bakery/interactions",
            json.dumps(
                {
                    "external_id": f"form-{n}",
                    "occurred_at": timezone.now().isoformat(),
                    "channel": "other",
                    "text": text,
                    "is_open": True,
                    "person": {
                        "email": f"c{n % 4}@example.com",
                        "name": f"C{n % 4}",
                        "group": "customer",
                    },
                }
            ),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert sent.status_code == 201, sent.content

    stored = Conversation.objects.filter(workspace=personas.bakery)
    assert stored.count() == 4  # one open conversation per person on the channel
    html = login(client, personas.alice).get("/w/alices-bakery/inbox/").content.decode()
    for c in stored:
        assert c.subject in html
    shown = sum(c.messages.count() for c in stored)
    assert shown == len(texts)

    # The worker comes back: nothing was read (it was down), so each goes to a person.
    automation.process(personas.bakery, now=timezone.now() + dt.timedelta(minutes=5))
    assert set(stored.values_list("status", flat=True)) == {Status.ASSIGNED}
