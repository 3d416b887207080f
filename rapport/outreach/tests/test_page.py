"""The reach-out page: your list, done and snooze buttons, a fixed number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.engine import outreach as o
from rapport.outreach.models import OutreachItem, OutreachSettings
from rapport.outreach.tests.conftest import make_regular
from rapport.people.tests.factories import make_customer, make_touch
from rapport.test import login

URL = "/w/alices-bakery/outreach/"


def test_bob_sees_his_list_with_links_to_the_person_pages(client, personas, bakery_week):
    page = login(client, personas.bob).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Who to reach out to this week" in html
    assert f"/w/alices-bakery/people/{bakery_week['dana'].pk}/" in html
    assert "for 100 days (the limit is 60)" in html
    assert "Eli Moreau" not in html and "Show everyone" not in html


def test_the_navigation_links_to_it_for_staff_and_up(client, personas, bakery_week):
    assert URL in login(client, personas.bob).get("/w/alices-bakery/people/").content.decode()


def test_viewers_have_no_list(client, personas, bakery_week):
    assert login(client, personas.vera).get(URL).status_code == 404


def test_alice_can_see_everyones_list(client, personas, bakery_week):
    html = login(client, personas.alice).get(URL + "?who=everyone").content.decode()
    assert "Dana Petit" in html and "Eli Moreau" in html and "for Bob Okafor" in html
    answer = bakery_week["eli"].responses.get()
    assert f'/w/alices-bakery/feedback/inbox/{answer.pk}/">Open the answer in the inbox' in html


def test_done_button_marks_the_item_and_returns_to_the_list(client, personas, bakery_week):
    login(client, personas.bob)
    response = client.post(
        URL + "done/", {"kind": o.NO_HUMAN_CONTACT, "subject_id": bakery_week["dana"].pk}
    )
    assert response.status_code == 302 and response["Location"] == URL
    assert OutreachItem.objects.get().done_by == personas.bob_member
    html = client.get(URL).content.decode()
    assert "Marked done" in html and "Done recently" in html


def test_snooze_button_hides_the_item_until_the_date(client, personas, bakery_week):
    login(client, personas.bob)
    until = personas.bakery.today() + timedelta(days=7)
    response = client.post(
        URL + "snooze/",
        {"kind": o.GOING_QUIET, "subject_id": bakery_week["fay"].pk, "until": until.isoformat()},
    )
    assert response.status_code == 302
    assert OutreachItem.objects.get().snoozed_until == until
    assert "Fay Leroy" not in client.get(URL).content.decode()


def test_a_snooze_in_the_past_is_refused_with_a_message(client, personas, bakery_week):
    login(client, personas.bob)
    client.post(
        URL + "snooze/",
        {"kind": o.GOING_QUIET, "subject_id": bakery_week["fay"].pk, "until": "2000-01-01"},
    )
    assert not OutreachItem.objects.exists()
    assert "Snooze until a day after today" in client.get(URL).content.decode()


def test_bob_cannot_mark_alices_item(client, personas, bakery_week):
    login(client, personas.bob)
    response = client.post(
        URL + "done/", {"kind": o.UNHAPPY_ANSWER, "subject_id": bakery_week["eli"].pk}
    )
    assert response.status_code == 404 and not OutreachItem.objects.exists()


def test_only_managers_change_the_privacy_setting(client, personas, bakery_week):
    assert login(client, personas.bob).post(URL + "settings/", {"individual_employees": "on"})
    assert not OutreachSettings.objects.filter(individual_employees=True).exists()
    login(client, personas.alice).post(URL + "settings/", {"individual_employees": "on"})
    assert OutreachSettings.objects.get(workspace=personas.bakery).individual_employees


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL + "?who=everyone").status_code == 200
    return len(queries)


def test_the_page_is_a_fixed_number_of_queries_as_the_list_grows(client, personas, bakery_week):
    login(client, personas.alice)
    count_queries(client)  # the first visit stores the business's (default) settings
    before = count_queries(client)
    for i in range(5):
        person = make_customer(personas.bakery, name=f"Quiet {i}", owner=personas.bob_member)
        make_touch(person, days_ago=90 + i, member=personas.alice_member)
        make_regular(personas.bakery, f"Regular {i}", weeks=20, stopped_days_ago=40)
    assert count_queries(client) == before
    html = client.get(URL + "?who=everyone").content.decode()
    assert "Quiet 4" in html and "Regular 4" in html


def test_each_kind_shows_ten_items_until_asked_for_all(client, personas, bakery_week):
    for i in range(12):
        person = make_customer(personas.bakery, name=f"Quiet {i:02}", owner=personas.bob_member)
        make_touch(person, days_ago=90 + i, member=personas.alice_member)
    login(client, personas.bob)
    html = client.get(URL).content.decode()
    assert "Show 3 more" in html and html.count("No one from the business has been") == 10
    html = client.get(URL + "?all=1").content.decode()
    assert "Show 3 more" not in html and html.count("No one from the business has been") == 13
