"""A database locked by another writer past the busy timeout: the public answer page and the
API say "try again" (503) in plain words, nothing is half-written, and the answer sent again
once the lock is gone is stored once."""

import re
import sqlite3

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections

from rapport.accounts.models import ApiToken
from rapport.feedback import actions
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.models import Response
from rapport.lib.busy import database_trouble


@pytest.fixture
def short_busy_timeout(worker_database):
    conn = connections["default"]
    if conn.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database")
    options = conn.settings_dict["OPTIONS"]
    before = options.get("timeout")
    conn.close()
    options["timeout"] = 0.2
    try:
        yield conn.settings_dict["NAME"]
    finally:
        conn.close()
        options["timeout"] = before


def test_a_locked_database_says_try_again_and_loses_nothing(client, personas, short_busy_timeout):
    cache.clear()
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    actions.set_status(survey, SurveyStatus.OPEN)
    url = f"/s/{survey.public_token}/"
    nps = f"q{survey.questions.get(key='nps').pk}"
    page = client.get(url).content.decode()
    form = {"submission": re.search(r'name="submission" value="([^"]+)"', page).group(1), nps: "9"}
    _, token = ApiToken.issue(personas.bob_member, "till script")

    other = sqlite3.connect(short_busy_timeout, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        busy = client.post(url, form)
        api = client.get("/api/w/alices-bakery/people", HTTP_AUTHORIZATION=f"Bearer {token}")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert busy.status_code == 503 and busy["Retry-After"] == "30"
    assert "Nothing was saved; please send it again in a minute" in busy.content.decode()
    assert "Traceback" not in busy.content.decode()
    assert not Response.objects.filter(survey=survey).exists()
    # The API never answers 500 either: its token's last use could not be written.
    assert api.status_code == 503 and "Nothing was saved" in api.json()["detail"]

    stored = client.post(url, form)
    assert stored.status_code == 200 and "Thank you" in stored.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_full_disk_is_named_plainly():
    assert database_trouble(OperationalError("database or disk is full")) == "full"
    assert database_trouble(OperationalError("could not extend file: No space left on device"))
    assert database_trouble(OperationalError("database is locked")) == "locked"
    assert database_trouble(OperationalError("no such table: x")) == ""
