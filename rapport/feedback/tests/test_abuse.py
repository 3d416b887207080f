"""The public pages hold up against robots, floods and oversized posts, politely."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from rapport.accounts import ratelimit
from rapport.accounts.models import RateCount
from rapport.feedback import abuse, actions
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.models import FollowUpMessage, Response


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(personas):
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def nps(survey, score, **extra):
    return {f"q{survey.questions.get(key='nps').pk}": str(score), **extra}


def test_a_filled_honeypot_gets_the_thanks_page_and_nothing_is_stored(client, survey):
    page = client.post(f"/s/{survey.public_token}/", nps(survey, 10, website="http://spam"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thank you" in html and "/r/" not in html
    assert Response.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, survey):
    html = client.get(f"/s/{survey.public_token}/").content.decode()
    assert '<div class="hp" aria-hidden="true">' in html
    assert 'name="website" tabindex="-1" autocomplete="off"' in html


def test_too_many_answers_from_one_address_get_a_polite_429(client, survey, settings):
    settings.RAPPORT_ANSWER_RATE = "2/600"
    url = f"/s/{survey.public_token}/"
    for score in (1, 2):
        assert client.post(url, nps(survey, score)).status_code == 200
    blocked = client.post(url, nps(survey, 3))
    assert blocked.status_code == 429 and blocked["Retry-After"] == "600"
    assert "Please wait a moment" in blocked.content.decode()
    assert Response.objects.count() == 2
    # Someone else, or the same person on another survey, is not held back.
    assert client.post(url, nps(survey, 4), REMOTE_ADDR="10.0.0.9").status_code == 200
    other = actions.create_survey(survey.workspace, blueprint="customer_nps")
    actions.set_status(other, SurveyStatus.OPEN)
    assert client.post(f"/s/{other.public_token}/", nps(other, 5)).status_code == 200
    # Reading the page is never limited.
    assert client.get(url).status_code == 200


def test_the_rate_limit_keeps_no_address_in_the_cache(rf, settings, db):
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    abuse.allow(request, "survey:1", abuse.Rate(5, 60))
    key = ratelimit.key("survey:1", "203.0.113.7")
    assert RateCount.objects.get(key=key).count == 1 and "203.0.113.7" not in key
    assert not RateCount.objects.filter(key__contains="203.0.113").exists()


# One server process, as `rapport serve` runs several: it counts two answers from one address.
SERVER_PROCESS = """
import django, sys
django.setup()
from django.test import RequestFactory
from rapport.feedback import abuse
from django.db import connection
from rapport.accounts.models import RateCount
if RateCount._meta.db_table not in connection.introspection.table_names():
    with connection.schema_editor() as editor:  # the one table this needs, not every migration
        editor.create_model(RateCount)
request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
print([abuse.allow(request, "survey:9", abuse.Rate(3, 60)) for _ in range(2)])
"""


def test_every_server_process_counts_against_the_same_limit(tmp_path):
    """Two real processes on one database (each with its own memory): an address gets the
    allowance once, not once per process."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "RAPPORT_DATABASE_URL": "",
        "RAPPORT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
    }

    def process():
        run = subprocess.run(
            [sys.executable, "-c", SERVER_PROCESS], env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert process() == "[True, True]"
    assert process() == "[True, False]"


def test_replies_in_a_conversation_are_rate_limited_too(client, survey, settings):
    settings.RAPPORT_ANSWER_RATE = "1/60"
    answers = {survey.questions.get(key="nps"): 4}
    token = actions.submit_response(survey, answers, channel="public").reply_token
    url = f"/r/{token}/"
    assert client.post(url, {"message": "Hello?"}).status_code == 302
    assert client.post(url, {"message": "Hello again?"}).status_code == 429
    assert FollowUpMessage.objects.count() == 1


def test_an_oversized_answer_is_refused_before_it_is_read(client, survey):
    reason = f"q{survey.questions.get(key='reason').pk}"
    huge = "x" * (3 * abuse.BODY_PER_TEXT)  # the survey has two text questions
    page = client.post(f"/s/{survey.public_token}/", nps(survey, 9, **{reason: huge}))
    assert page.status_code == 413
    assert "too long to receive" in page.content.decode()
    assert Response.objects.count() == 0


def test_a_text_over_five_thousand_characters_is_named_and_kept_in_the_form(client, survey):
    reason = f"q{survey.questions.get(key='reason').pk}"
    page = client.post(f"/s/{survey.public_token}/", nps(survey, 9, **{reason: "é" * 5001}))
    assert page.status_code == 422
    html = page.content.decode()
    assert "This answer is too long: at most 5000 characters are kept." in html
    assert "é" * 5001 in html  # nothing the respondent wrote is lost
    assert Response.objects.count() == 0


def test_the_longest_allowed_text_fits_under_the_size_limit(client, survey):
    reason = f"q{survey.questions.get(key='reason').pk}"
    longest = "😀" * 5000  # four bytes each in UTF-8, three characters each once encoded
    body = urlencode(nps(survey, 9, **{reason: longest}))
    assert len(body) > 60_000
    page = client.post(
        f"/s/{survey.public_token}/", body, content_type="application/x-www-form-urlencoded"
    )
    assert page.status_code == 200
    assert Response.objects.get().answers.get(question__key="reason").text == longest


@pytest.mark.parametrize("value", ["20", "a/b", "0/60", "20/0", "1/2/3"])
def test_a_malformed_rate_setting_is_named(value):
    with pytest.raises(ImproperlyConfigured, match="RAPPORT_ANSWER_RATE"):
        abuse.parse_rate(value)


def test_the_default_rate_is_twenty_answers_in_ten_minutes():
    assert abuse.parse_rate("20/600") == abuse.Rate(20, 600)


def test_behind_the_proxy_each_respondent_has_their_own_limit(client, survey, settings):
    """Behind the business's reverse proxy every request comes from the proxy's address: the
    limit keys on the address the proxy appended to X-Forwarded-For, never on what the client
    wrote before it."""
    settings.RAPPORT_ANSWER_RATE = "1/600"
    url = f"/s/{survey.public_token}/"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def answer(score, forwarded):
        return client.post(url, nps(survey, score), HTTP_X_FORWARDED_FOR=forwarded, **proxy)

    settings.BEHIND_PROXY = True
    assert answer(1, "203.0.113.7").status_code == 200
    assert answer(2, "198.51.100.4").status_code == 200  # another respondent
    # The same respondent, writing a made-up address first, is still themselves.
    assert answer(3, "192.0.2.99, 203.0.113.7").status_code == 429
    # Not behind a proxy: the header is the client's own words and is ignored.
    settings.BEHIND_PROXY = False
    assert answer(4, "192.0.2.50").status_code == 200
    assert answer(5, "192.0.2.51").status_code == 429
