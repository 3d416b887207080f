"""Charlie, who owns another business, must see nothing of Alice's Bakery, anywhere.

The test walks every URL pattern under ``/w/<slug>/`` and ``/api/w/<slug>/`` so a new page
is covered the day it is added. A pattern with a parameter this test does not know fails
loudly: add the parameter to ``alice_ids`` below.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from rapport.accounts.models import ApiToken
from rapport.feedback.actions import create_survey, set_status, submit_response
from rapport.feedback.choices import SurveyStatus
from rapport.imports.actions import create_run, execute_run
from rapport.inbox.models import Conversation, EscalationRule, SavedView
from rapport.knowledge.actions import save_entry
from rapport.people.tests.factories import make_customer, make_touch
from rapport.test import login


def iter_patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from iter_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def scoped_routes():
    routes = [r for r in iter_patterns(get_resolver()) if re.search(r"<(\w+:)?slug>|\{slug\}", r)]
    assert routes, "no workspace-scoped routes found"
    return routes


@pytest.fixture
def alice_data(personas, tmp_path):
    dana = make_customer(personas.bakery, name="Dana Secret", email="dana@example.com")
    touch = make_touch(dana, text="Alice's private note about Dana", member=personas.alice_member)
    staff_file = tmp_path / "Dana-staff.csv"
    staff_file.write_text("Employee ID,Name\nE1,Dana Staffer\n")
    run = execute_run(
        create_run(
            personas.bakery,
            "people",
            staff_file,
            original_filename="Dana-staff.csv",
            member=personas.alice_member,
            options={"group": "employee"},
        )
    )
    assert run.created == 1, "the fixture's import must really have run"
    survey = create_survey(personas.bakery, blueprint="customer_nps", title="Dana's survey")
    set_status(survey, SurveyStatus.OPEN)
    answer = submit_response(
        survey, {survey.questions.get(key="nps"): 2}, channel="public", person=dana
    ).response
    save_entry(
        personas.bakery,
        personas.alice_member,
        key="dana-faq",
        questions=["Is Dana in today?"],
        answer="Dana bakes on Mondays.",
    )
    rule = EscalationRule.objects.create(
        workspace=personas.bakery, name="Dana's rule", any_of=["money"]
    )
    # Dana writes in: her message is filed in a conversation of the inbox as it is stored.
    dana_asks = make_touch(dana, text="Dana asks the bakery something")
    conversation = Conversation.objects.get(messages__interaction=dana_asks)
    token, _ = ApiToken.issue(personas.bob_member, "Dana's till script")
    saved = SavedView.objects.create(
        workspace=personas.bakery, membership=personas.alice_member, name="Dana's view"
    )
    return {
        "conversation_id": conversation.pk,
        "token_id": token.pk,
        "view_id": saved.pk,
        "key": "dana-faq",
        "rule_id": rule.pk,
        "survey_id": survey.pk,
        "question_id": survey.questions.first().pk,
        "response_id": answer.pk,
        "person_id": dana.pk,
        "pk": dana.pk,
        "membership_id": personas.bob_member.pk,
        "run_id": run.pk,
        "interaction_id": touch.pk,
        "group_slug": "customers",
        "metric": "nps",
    }


# URL parameters that name no record: the same for every business.
NOT_RECORDS = {"slug", "group_slug", "metric"}


def fill(route, slug, ids):
    def value(match):
        name = match.group(1).split(":")[-1]
        if name == "slug":
            return slug
        if name in ids:
            return str(ids[name])
        raise AssertionError(
            f"{route}: unknown URL parameter {name!r}; teach test_isolation about it"
        )

    url = re.sub(r"<([^>]+)>", value, route)
    url = re.sub(r"\{([^}]+)\}", value, url)
    url = url.replace("^", "").replace("$", "")
    return "/" + url


def test_charlie_gets_404_on_every_page_of_alices_bakery(client, personas, alice_data):
    login(client, personas.charlie)
    for route in scoped_routes():
        url = fill(route, "alices-bakery", alice_data)
        response = client.get(url)
        assert response.status_code in (404, 405), f"GET {url} gave {response.status_code}"
        assert b"Dana" not in response.content
        # An empty POST may also be refused earlier, as malformed; it must never succeed.
        response = client.post(url)
        assert response.status_code in (400, 404, 405, 422), (
            f"POST {url} gave {response.status_code}"
        )
        assert b"Dana" not in response.content


def test_alice_records_are_not_reachable_through_charlies_own_workspace(
    client, personas, alice_data
):
    login(client, personas.charlie)
    for route in scoped_routes():
        # Every route naming a record besides the workspace: each must look the record up
        # within the workspace of the URL, not by its id alone.
        names = {m.split(":")[-1] for m in re.findall(r"<([^>]+)>", route)}
        if not names - NOT_RECORDS:
            continue
        url = fill(route, "charlies-garage", alice_data)
        response = client.get(url)
        assert response.status_code in (404, 405), f"GET {url} gave {response.status_code}"
        assert b"Dana" not in response.content, url


def test_charlies_directory_and_search_show_nothing_of_alices(client, personas, alice_data):
    response = login(client, personas.charlie).get("/w/charlies-garage/people/", {"q": "Dana"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_charlies_api_token_cannot_read_alices_people(client, personas, alice_data):
    _, token = ApiToken.issue(personas.charlie_member, "garage script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    assert client.get("/api/w/alices-bakery/people", **auth).status_code == 404
    assert (
        client.get(f"/api/w/alices-bakery/people/{alice_data['person_id']}", **auth).status_code
        == 404
    )
    assert (
        client.get(f"/api/w/charlies-garage/people/{alice_data['person_id']}", **auth).status_code
        == 404
    )
    mine = client.get("/api/w/charlies-garage/people", **auth)
    assert mine.status_code == 200 and mine.json() == []


def test_charlie_cannot_write_to_alices_timeline_through_the_api(client, personas, alice_data):
    from rapport.people.models import Interaction

    _, token = ApiToken.issue(personas.charlie_member, "garage script")
    before = Interaction.objects.count()
    response = client.post(
        f"/api/w/alices-bakery/people/{alice_data['person_id']}/interactions",
        {
            "occurred_at": "2026-01-05T10:00:00Z",
            "channel": "email",
            "direction": "inbound",
            "text": "hi",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 404
    assert Interaction.objects.count() == before


def test_charlie_cannot_change_alices_members_or_settings(client, personas, alice_data):
    login(client, personas.charlie)
    client.post(f"/w/alices-bakery/settings/members/{personas.bob_member.pk}/remove/")
    client.post(
        f"/w/alices-bakery/settings/members/{personas.bob_member.pk}/role/", {"role": "viewer"}
    )
    client.post(
        "/w/alices-bakery/settings/members/", {"email": "charlie@example.com", "role": "owner"}
    )
    # Charlie, owner of his own business, names Alice's member in his own workspace's URL.
    client.post(f"/w/charlies-garage/settings/members/{personas.bob_member.pk}/remove/")
    personas.bob_member.refresh_from_db()
    assert personas.bob_member.is_active and personas.bob_member.role == "staff"
    assert not personas.bakery.memberships.filter(user=personas.charlie).exists()


def test_a_stranger_is_sent_to_log_in(client, alice_data):
    response = client.get("/w/alices-bakery/people/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/api/w/alices-bakery/people").status_code == 401
