"""One Maison Levain for the whole package: generating it takes seconds, reading it is cheap.

The demo is committed outside any test transaction and deleted when the package is done,
with the tasks it queued, so tests elsewhere never see it. Tests that change it (``--reset``) run inside the usual
test transaction and are rolled back.
"""

from datetime import date, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from rapport.accounts.models import User
from rapport.demo.generate import DEMO_LOGINS, delete_demo, generate_demo

AS_OF = date(2025, 6, 30)
HALF_YEAR = timedelta(days=182)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        before = set(DBTaskResult.objects.values_list("pk", flat=True))
        workspace = generate_demo(as_of=AS_OF)
    yield workspace
    with django_db_blocker.unblock():
        delete_demo(workspace)
        User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]).delete()
        # The tasks the demo queued (readings, the inbox, e-mails) go with it.
        DBTaskResult.objects.exclude(pk__in=before).delete()


def share(texts, cues) -> float:
    """The share of ``texts`` containing any of ``cues`` (case-insensitive)."""
    texts = list(texts)
    if not texts:
        return 0.0
    return sum(any(cue in text.lower() for cue in cues) for text in texts) / len(texts)
