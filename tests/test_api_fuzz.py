"""The JSON API, fuzzed from its own OpenAPI description with schemathesis.

Every operation is called through the real app (WSGI, no server) with Alice's real token
against the real database, with her business's real records in its paths: no answer may be
a 500, every answer must match its schema, every status code must be documented.

Kept fast and repeatable: a few examples per operation besides schemathesis's boundary
cases, derandomized, no example database.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from rapport.accounts.models import ApiToken
from rapport.feedback.actions import create_survey, set_status
from rapport.feedback.choices import SurveyStatus
from rapport.inbox.models import Conversation
from rapport.knowledge.actions import save_entry
from rapport.people.tests.factories import make_customer, make_touch

EXAMPLES = 8

config = SchemathesisConfig()
config.projects.default.generation.update(
    max_examples=EXAMPLES, deterministic=True, with_security_parameters=False
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=config)


@pytest.fixture
def one_connection():
    """Requests go through the real WSGI handler, which closes the database connection after
    each one; the test's own transaction must outlive them (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def alice(personas, one_connection):
    """Alice's token and the ids of a record of each kind in her business."""
    dana = make_customer(personas.bakery, name="Dana Petit", email="dana@example.com")
    make_touch(dana, text="Dana asks whether the rye is baked today")
    survey = create_survey(personas.bakery, blueprint="customer_nps", title="After a visit")
    set_status(survey, SurveyStatus.OPEN)
    save_entry(
        personas.bakery,
        personas.alice_member,
        key="opening-hours",
        questions=["When are you open?"],
        answer="From 7 to 7.",
    )
    _, token = ApiToken.issue(personas.alice_member, "fuzz")
    return {
        "headers": {"Authorization": f"Bearer {token}"},
        "ids": {
            "person_id": dana.pk,
            "survey_id": survey.pk,
            "conversation_id": Conversation.objects.get(person=dana).pk,
        },
    }


def aim_at_alices_records(case, ids):
    """The generated path, pointed at Alice's business and, where the generated id is a
    well-formed one, at one of her records (a random id would only ever find nothing)."""
    path = dict(case.path_parameters or {})
    for name, value in path.items():
        if name == "slug":
            path[name] = "alices-bakery"
        elif name == "key" and isinstance(value, str) and len(value) % 2:
            path[name] = "opening-hours"
        elif name in ids and isinstance(value, int) and not isinstance(value, bool):
            path[name] = ids[name]
    case.path_parameters = path


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), database=None)
def test_the_api_keeps_its_description(case, alice):
    aim_at_alices_records(case, alice["ids"])
    # Not checked: that every request the schema allows is accepted. Business rules a JSON
    # schema cannot state (a survey's required questions, a snooze only for an item on this
    # week's list) rightly refuse some of them, in plain words and a documented 4xx.
    case.call_and_validate(
        headers=alice["headers"], excluded_checks=[schemathesis.checks.positive_data_acceptance]
    )
