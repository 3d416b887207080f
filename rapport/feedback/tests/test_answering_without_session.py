"""The answering pages run without sessions, sign-in or messages (feedback/middleware.py):
a signed-in member who answers a survey is a respondent like any other, and the page kept
for everyone cannot depend on who opened it. Every other page keeps them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from rapport.feedback import actions
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.public_urls import PREFIXES
from rapport.feedback.public_urls import urlpatterns as answering
from rapport.test import login


def test_a_signed_in_member_answers_without_her_session_being_read(client, personas):
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    actions.set_status(survey, SurveyStatus.OPEN)
    login(client, personas.alice)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/s/{survey.public_token}/")
    assert page.status_code == 200 and "sessionid" not in page.cookies
    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert "django_session" not in read and "accounts_user" not in read
    # Her own pages still know her.
    assert login(client, personas.alice).get("/w/alices-bakery/people/").status_code == 200


def test_only_the_answering_pages_start_with_their_prefixes():
    def paths(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from paths(pattern.url_patterns, route)
            else:
                yield pattern, "/" + route

    answering_views = {pattern.callback for pattern in answering}
    for pattern, path in paths(get_resolver().url_patterns):
        assert path.startswith(PREFIXES) == (pattern.callback in answering_views), path
