"""The feedback inbox: one row per response, filters, bulk actions, the item page, and
anonymity that holds for small teams."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rapport.feedback import actions
from rapport.feedback.analysis import analyze_pending_responses
from rapport.feedback.choices import Anonymity, Author, Channel, FollowUp, Schedule, SurveyStatus
from rapport.feedback.inbox_views import sees_as_anonymous, unnamed
from rapport.feedback.models import FollowUpMessage, Response, ResponseReading
from rapport.people.actions import create_person
from rapport.people.models import Team
from rapport.people.tests.factories import make_customer
from rapport.test import login
from rapport.understanding.models import Theme


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_survey(workspace, blueprint, **settings):
    survey = actions.create_survey(workspace, blueprint=blueprint, **settings)
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def answer(survey, answers: dict, *, days_ago=0, **fields) -> Response:
    raw = {survey.questions.get(key=key): value for key, value in answers.items()}
    submitted = actions.submit_response(
        survey,
        raw,
        channel=fields.pop("channel", Channel.PUBLIC),
        now=timezone.now() - timedelta(days=days_ago),
        check_duplicate=False,
        **fields,
    )
    return submitted.response


def inbox_url(slug="alices-bakery"):
    return reverse("feedback:inbox", args=[slug])


def item_url(response, slug="alices-bakery"):
    return reverse("feedback:item", args=[slug, response.pk])


def get_inbox(client, user, **params):
    """The inbox with every answer listed unless ``show`` says otherwise (the default list,
    items to act on, has its own test)."""
    params.setdefault("show", "all")
    response = login(client, user).get(inbox_url(), params)
    assert response.status_code == 200
    return response


def rows(page) -> str:
    """The table body only (the filter lists name every team and survey)."""
    html = page.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


def shown(page) -> set:
    return {row.item.pk for row in page.context["rows"]}


def dates(page) -> list:
    """The date each listed item shows, in order."""
    return [row.sight.day for row in page.context["rows"]]


@pytest.fixture
def bakehouse(personas):
    """An employee pulse with a small team: the case where anonymity is easiest to break."""
    team = Team.objects.create(workspace=personas.bakery, name="Bakehouse")
    staff = [
        create_person(personas.bakery, group="employee", name=f"Baker {n}", team=team, via="test")
        for n in range(4)
    ]
    return team, staff, open_survey(personas.bakery, "employee_pulse")


def pulse_answer(survey, person, text, **fields):
    return answer(survey, {"went_well": text}, person=person, **fields)


def days_ago(day) -> int:
    return (timezone.localdate() - day).days


def week_label(day) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"Week of {monday.day} {monday:%b %Y}"


def day_label(day) -> str:
    return f"{day.day} {day:%b %Y}"


# --- who may see what ------------------------------------------------------------------------


def test_staff_see_every_item_newest_first(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    dana = make_customer(personas.bakery, name="Dana Hart")
    old = answer(survey, {"nps": "9", "reason": "Great rye."}, person=dana, days_ago=5)
    new = answer(survey, {"nps": "3", "reason": "Stale croissant."}, person=dana, days_ago=1)

    page = get_inbox(client, personas.bob)

    assert [row.item.pk for row in page.context["rows"]] == [new.pk, old.pk]
    html = rows(page)
    assert "Stale croissant." in html and "Great rye." in html
    assert f'href="{reverse("people:person", args=["alices-bakery", dana.pk])}"' in html
    assert "Detractor" in html and "Promoter" in html
    assert "1 day ago" in html and "5 days ago" in html


def test_viewers_and_other_businesses_get_404(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    item = answer(survey, {"nps": "8", "reason": "Dana's secret opinion"})

    login(client, personas.vera)
    assert client.get(inbox_url()).status_code == 404
    assert client.get(item_url(item)).status_code == 404

    login(client, personas.charlie)
    assert client.get(inbox_url()).status_code == 404
    assert client.get(item_url(item)).status_code == 404
    assert client.get(item_url(item, "charlies-garage")).status_code == 404
    page = client.get(inbox_url("charlies-garage"))
    assert page.status_code == 200 and b"secret opinion" not in page.content
    response = client.post(
        reverse("feedback:inbox-bulk", args=["charlies-garage"]),
        {"item": [str(item.pk)], "action": "acknowledge"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == FollowUp.NEW


def test_a_staff_member_cannot_see_confidential_names_but_owners_can(client, personas):
    mill = create_person(personas.bakery, group="supplier", name="Millstone Flour", via="test")
    survey = open_survey(personas.bakery, "supplier_check")  # confidential
    item = answer(survey, {"nps": "5", "change": "Orders come too late."}, person=mill)
    person_link = reverse("people:person", args=["alices-bakery", mill.pk])

    as_bob = get_inbox(client, personas.bob)
    bob_item = client.get(item_url(item)).content.decode()

    assert "Millstone" not in as_bob.content.decode() and "Millstone" not in bob_item
    assert person_link not in rows(as_bob)
    assert "Confidential respondent" in rows(as_bob) and "Orders come too late." in rows(as_bob)

    as_alice = get_inbox(client, personas.alice)
    assert "Millstone Flour" in rows(as_alice) and person_link in rows(as_alice)
    assert "Millstone Flour" in client.get(item_url(item)).content.decode()


def test_staff_see_a_confidential_item_as_anonymous_and_managers_see_who_wrote_it(
    client, personas, bakehouse
):
    team, staff, _ = bakehouse
    pulse = open_survey(personas.bakery, "employee_pulse", anonymity=Anonymity.CONFIDENTIAL)
    today = timezone.localdate()
    wednesday = today - timedelta(days=(today.weekday() - 2) % 7 + 7)
    item = pulse_answer(pulse, staff[0], "The rota is unfair.", days_ago=days_ago(wednesday))

    as_bob = rows(get_inbox(client, personas.bob))
    bob_item = client.get(item_url(item)).content.decode()
    by_team = get_inbox(client, personas.bob, team=team.pk)
    by_group = get_inbox(client, personas.bob, group="employee")

    assert "The rota is unfair." in as_bob and "Confidential respondent" in as_bob
    for html in (as_bob, bob_item):
        assert "Bakehouse" not in html and "Baker 0" not in html
        assert day_label(wednesday) not in html and week_label(wednesday) in html
    # Filtering by a team of four would say which four people wrote what it shows.
    assert shown(by_team) == set() and shown(by_group) == set()
    assert "Anonymous and confidential feedback is never filtered" in by_team.content.decode()

    as_alice = rows(get_inbox(client, personas.alice))
    alice_item = client.get(item_url(item)).content.decode()
    for html in (as_alice, alice_item):
        assert "Baker 0" in html and "Bakehouse" in html and day_label(wednesday) in html
    assert shown(get_inbox(client, personas.alice, team=team.pk)) == {item.pk}


def test_a_confidential_items_place_in_the_list_gives_no_day_away_to_staff(
    client, personas, bakehouse
):
    _, staff, _ = bakehouse
    pulse = open_survey(personas.bakery, "employee_pulse", anonymity=Anonymity.CONFIDENTIAL)
    nps = open_survey(personas.bakery, "customer_nps")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    tess, theo = (make_customer(personas.bakery, name=n) for n in ("Tess", "Theo"))
    tuesday = answer(nps, {"nps": "3"}, person=tess, days_ago=days_ago(monday + timedelta(1)))
    secret = pulse_answer(pulse, staff[0], "Help", days_ago=days_ago(monday + timedelta(2)))
    thursday = answer(nps, {"nps": "4"}, person=theo, days_ago=days_ago(monday + timedelta(3)))

    def order(user):
        return [row.item.pk for row in get_inbox(client, user).context["rows"]]

    assert order(personas.alice) == [thursday.pk, secret.pk, tuesday.pk]
    # Between Tuesday and Thursday would say Wednesday: it sorts with its week's Monday.
    assert order(personas.bob) == [thursday.pk, tuesday.pk, secret.pk]


def test_one_rule_says_who_is_seen_as_anonymous_on_pages_and_in_queries(personas, bakehouse):
    _, staff, anonymous_pulse = bakehouse
    confidential = open_survey(personas.bakery, "supplier_check")
    identified = open_survey(personas.bakery, "customer_nps")
    box = open_survey(personas.bakery, "suggestion_box")
    pulse_answer(anonymous_pulse, staff[0], "Tired")
    answer(confidential, {"nps": "5"}, person=staff[1])
    answer(confidential, {"nps": "6"}, contact_email="mill@example.com")
    answer(identified, {"nps": "9"}, person=staff[2])
    answer(box, {"suggestion": "Plants"})
    answer(box, {"suggestion": "Music"}, contact_email="sam@example.com")
    everything = list(Response.objects.select_related("survey"))

    for member in (personas.alice_member, personas.bob_member):
        by_query = set(Response.objects.filter(unnamed(member)).values_list("pk", flat=True))
        by_page = {r.pk for r in everything if sees_as_anonymous(r, member)}
        assert by_query == by_page
    assert len(by_page) == 4 and len(by_query) == 4  # Bob: the anonymous two, both confidential


def test_an_anonymous_answer_alone_in_its_week_never_shows_that_week(client, personas):
    personas.bakery.min_comment_group_size = 3
    personas.bakery.save()
    survey = open_survey(personas.bakery, "community_perception", schedule=Schedule.MONTHLY)
    today = timezone.localdate()
    month = (today.replace(day=1) - timedelta(days=40)).replace(day=1)
    first, third, fourth = (month + timedelta(days=n) for n in (7, 14, 21))

    def neighbour(day, text):
        return answer(survey, {"rating": "3", "ideas": text}, days_ago=days_ago(day))

    busy = [neighbour(first, f"Idea {n}") for n in range(3)]
    lone = neighbour(third, "The 5am deliveries wake me up.")

    page = get_inbox(client, personas.alice)

    # The round (the month) has four answers, but the lone one's week would name its author.
    assert shown(page) == {item.pk for item in busy} and page.context["held_back"] == 1
    assert dates(page) == [week_label(first)] * 3
    assert client.get(item_url(lone)).status_code == 404

    later = [neighbour(fourth, f"Later {n}") for n in range(2)]

    page = get_inbox(client, personas.alice)
    html = rows(page)
    item_page = client.get(item_url(lone)).content.decode()

    # The thin weeks hold three answers together: shown with the month, never the week.
    assert shown(page) == {item.pk for item in [*busy, lone, *later]}
    assert page.context["held_back"] == 0
    assert week_label(third) not in html and week_label(fourth) not in html
    # They sort at the month's first day, after every week that begins in it.
    assert dates(page) == [week_label(first)] * 3 + [f"{month:%B %Y}"] * 3
    assert "The 5am deliveries wake me up." in item_page
    assert week_label(third) not in item_page and f"{month:%B %Y}" in item_page


def test_a_one_off_surveys_thin_weeks_are_shown_without_a_date(client, personas):
    personas.bakery.min_comment_group_size = 2
    personas.bakery.save()
    survey = open_survey(personas.bakery, "community_perception")
    today = timezone.localdate()
    weeks = [today - timedelta(days=today.weekday() + 7 * n + 5) for n in (1, 3, 5)]
    items = [
        answer(survey, {"rating": "4", "ideas": "More benches"}, days_ago=days_ago(day))
        for day in weeks
    ]

    page = get_inbox(client, personas.bob)

    assert shown(page) == {item.pk for item in items} and items[0].round == ""
    assert "Week of" not in rows(page)
    assert dates(page) == ["During the survey"] * 3


def test_anonymous_items_never_render_a_team_name_or_exact_date(client, personas, bakehouse):
    team, staff, pulse = bakehouse
    personas.bakery.min_comment_group_size = 2
    personas.bakery.save()
    today = timezone.localdate()
    wednesday = today - timedelta(days=(today.weekday() - 2) % 7 + 7)
    days_ago = (today - wednesday).days
    first = pulse_answer(pulse, staff[0], "Proud of the new sourdough.", days_ago=days_ago)
    pulse_answer(pulse, staff[1], "The oven broke again.", days_ago=days_ago)
    monday = wednesday - timedelta(days=2)

    page = get_inbox(client, personas.alice)
    html = rows(page)
    item_page = client.get(item_url(first)).content.decode()

    assert len(page.context["rows"]) == 2 and first.team_id == team.pk
    assert "Bakehouse" not in html and "Bakehouse" not in item_page
    assert "Baker 0" not in html and "Baker 0" not in item_page
    assert f"Week of {monday.day} {monday:%b %Y}" in html
    assert f"{wednesday.day} {wednesday:%b %Y}" not in html
    assert f"{wednesday.day} {wednesday:%b %Y}" not in item_page
    assert "Anonymous" in html and "Proud of the new sourdough." in item_page


def test_group_and_team_filters_leave_anonymous_items_out_and_say_so(client, personas, bakehouse):
    team, staff, pulse = bakehouse
    personas.bakery.min_comment_group_size = 1
    personas.bakery.save()
    anonymous = pulse_answer(pulse, staff[0], "Too many late shifts.")
    nps = open_survey(personas.bakery, "customer_nps")
    named = answer(nps, {"nps": "10", "reason": "Lovely staff."}, person=staff[1])

    assert shown(get_inbox(client, personas.alice)) == {anonymous.pk, named.pk}
    by_team = get_inbox(client, personas.alice, team=team.pk)
    by_group = get_inbox(client, personas.alice, group="employee")

    assert shown(by_team) == {named.pk} and shown(by_group) == {named.pk}
    assert "never filtered by group or team" in by_team.content.decode()
    assert "(as now)" in by_team.content.decode()


def test_a_held_back_item_appears_once_the_round_reaches_the_comment_threshold(
    client, personas, bakehouse
):
    _, staff, pulse = bakehouse
    personas.bakery.min_comment_group_size = 3
    personas.bakery.save()
    first = pulse_answer(pulse, staff[0], "My manager never listens.")
    pulse_answer(pulse, staff[1], "Good week overall.")

    page = get_inbox(client, personas.alice)
    assert page.context["rows"] == []
    assert "2 anonymous items are held back" in page.content.decode()
    assert "at least 3 responses" in page.content.decode()
    assert client.get(item_url(first)).status_code == 404

    pulse_answer(pulse, staff[2], "Busy but fine.")

    page = get_inbox(client, personas.alice)
    assert len(page.context["rows"]) == 3
    assert "held back" not in page.content.decode()
    assert "My manager never listens." in rows(page)
    assert client.get(item_url(first)).status_code == 200


def test_the_suggestion_box_is_never_held_back(client, personas):
    box = open_survey(personas.bakery, "suggestion_box")
    idea = answer(box, {"suggestion": "Open on Sunday mornings."})

    page = get_inbox(client, personas.bob)

    assert shown(page) == {idea.pk} and page.context["held_back"] == 0


# --- filters and reading ----------------------------------------------------------------------


def test_it_filters_by_survey_score_band_status_and_owner(client, personas):
    nps = open_survey(personas.bakery, "customer_nps")
    csat = open_survey(personas.bakery, "post_visit_csat")
    detractor = answer(nps, {"nps": "2"})
    passive = answer(nps, {"nps": "7"})
    promoter = answer(nps, {"nps": "10"})
    low = answer(csat, {"csat": "1", "ces": "7"})
    high = answer(csat, {"csat": "5", "ces": "1"})
    actions.move(passive, FollowUp.IN_PROGRESS, member=personas.bob_member)
    actions.move(promoter, FollowUp.DONE, member=personas.alice_member, what_we_did="Thanked")

    def matches(**params):
        return shown(get_inbox(client, personas.bob, **params))

    assert matches(survey=nps.pk) == {detractor.pk, passive.pk, promoter.pk}
    assert matches(band="detractor") == {detractor.pk}
    assert matches(band="passive") == {passive.pk}
    assert matches(band="promoter") == {promoter.pk}
    assert matches(band="low") == {low.pk}
    assert matches(band="high") == {high.pk}
    assert matches(band="middle") == set()
    assert matches(status="in_progress") == {passive.pk}
    assert matches(status="open") == {detractor.pk, passive.pk, low.pk, high.pk}
    assert matches(owner="me") == {passive.pk}
    assert matches(owner=personas.alice_member.pk) == {promoter.pk}
    assert matches(owner="none") == {detractor.pk, low.pk, high.pk}
    # A mistyped value matches nothing rather than everything.
    assert matches(band="awful") == set() and matches(survey="x") == set()


def test_it_filters_by_emotion_theme_and_need_for_a_human(client, personas):
    box = open_survey(personas.bakery, "suggestion_box")
    angry = answer(
        box,
        {
            "suggestion": "I am furious, the manager shouted at me in front of customers "
            "and nobody cares."
        },
    )
    grateful = answer(box, {"suggestion": "Thank you so much for the lovely team lunch!"})
    assert analyze_pending_responses(personas.bakery) == 2
    Theme.objects.create(workspace=personas.bakery, key="t7", name="Team lunches", size=1)
    ResponseReading.objects.filter(response=grateful).update(themes=["t7"])

    def matches(**params):
        return shown(get_inbox(client, personas.bob, **params))

    assert matches(emotion="anger") == {angry.pk}
    assert matches(emotion="gratitude") == {grateful.pk}
    assert matches(human="yes") == {angry.pk}
    assert matches(theme="t7") == {grateful.pk}
    assert matches(theme="t77") == set()
    html = rows(get_inbox(client, personas.bob))
    assert (
        '<span class="sentiment negative">' in html and '<span class="emotion">anger</span>' in html
    )
    assert "Needs a human" in html


def test_the_first_comment_is_shown_with_personal_data_redacted(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    item = answer(
        survey,
        {
            "nps": "4",
            "reason": "Parking is impossible. Call me on 020 7946 0958.",
            "improve": "More tables.",
        },
    )
    analyze_pending_responses(personas.bakery)

    html = rows(get_inbox(client, personas.bob))
    item_page = client.get(item_url(item)).content.decode()

    assert "Parking is impossible. Call me on [PHONE]." in html
    assert "020 7946 0958" not in html and "More tables." not in html
    assert '<mark class="pii" title="Personal data: phone">020 7946 0958</mark>' in item_page


def test_the_inbox_keeps_a_fixed_query_count_and_pages(
    client, personas, django_assert_max_num_queries
):
    survey = open_survey(personas.bakery, "customer_nps")
    box = open_survey(personas.bakery, "suggestion_box")
    bob_owned = []
    for n in range(30):
        person = make_customer(personas.bakery, name=f"Customer {n}")
        item = answer(survey, {"nps": str(n % 11), "reason": f"Reason {n}"}, person=person)
        bob_owned.append(item)
        answer(box, {"suggestion": f"Idea {n}"})
    for item in bob_owned[:10]:
        actions.assign(item, personas.bob_member)
    analyze_pending_responses(personas.bakery, limit=20)
    login(client, personas.alice)

    with django_assert_max_num_queries(16):
        page = client.get(inbox_url())

    assert len(page.context["rows"]) == 25
    assert page.context["page"].paginator.num_pages == 3
    second = client.get(inbox_url(), {"page": 2, "survey": survey.pk})
    assert len(second.context["rows"]) == 5
    assert f"survey={survey.pk}&amp;page=1" in second.content.decode()


def test_figures_say_not_enough_data_under_five_items(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    for n in range(4):
        answer(survey, {"nps": "3"}, person=make_customer(personas.bakery, name=f"C{n}"))
    answer(survey, {"nps": "9"}, person=make_customer(personas.bakery, name="Happy"))

    page = get_inbox(client, personas.bob).content.decode()

    assert page.count("Not enough data") == 2
    assert "n = 4; at least 5 items are needed" in page


def test_figures_give_the_median_time_to_acknowledge_and_the_closure_rate(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    items = [
        answer(survey, {"nps": "5"}, person=make_customer(personas.bakery, name=f"C{n}"))
        for n in range(6)
    ]
    answer(survey, {"nps": "8"}, person=make_customer(personas.bakery, name="Silent"))
    for hours, item in zip([1, 2, 3, 4, 5], items, strict=False):
        actions.move(
            item,
            FollowUp.DONE if hours <= 3 else FollowUp.ACKNOWLEDGED,
            what_we_did="Called them",
            now=item.submitted_at + timedelta(hours=hours),
        )
    answer(survey, {"nps": "4"}, person=make_customer(personas.bakery, name="Old"), days_ago=120)

    figures = get_inbox(client, personas.bob).context["figures"]

    # 1–5 hours for the acknowledged five; the sixth, still waiting, counts as at least its
    # age so far (5 hours, as "now" is the latest moment seen): median of 1,2,3,4,5,5.
    assert figures["acknowledge"]["n"] == 5 and figures["acknowledge"]["median"] == "3.5 hours"
    assert figures["acknowledge"]["waiting"] == 1
    assert figures["closure"]["n"] == 6 and figures["closure"]["done"] == 3
    assert figures["closure"]["percent"] == 50
    assert 0 < figures["closure"]["low_percent"] < 50 < figures["closure"]["high_percent"] < 100
    html = get_inbox(client, personas.bob).content.decode()
    assert "50% closed" in html and "3 done of n = 6 items to act on" in html


# --- bulk actions ------------------------------------------------------------------------------


def bulk(client, items, action, **fields):
    return client.post(
        reverse("feedback:inbox-bulk", args=["alices-bakery"]),
        {"item": [str(i.pk) for i in items], "action": action, **fields},
        follow=True,
    )


def test_bulk_done_without_what_we_did_reports_the_items_it_did_not_close(client, personas):
    nps = open_survey(personas.bakery, "customer_nps")
    box = open_survey(personas.bakery, "suggestion_box")
    said = answer(nps, {"nps": "3"}, days_ago=2)
    actions.move(said, FollowUp.IN_PROGRESS, what_we_did="Refunded the cake.")
    silent = answer(nps, {"nps": "4"}, days_ago=1)
    idea = answer(box, {"suggestion": "Sell day-old bread cheaper."})
    login(client, personas.bob)

    page = bulk(client, [said, silent, idea], "done")

    html = page.content.decode()
    assert "1 item marked done." in html
    assert "2 items not marked done, because nobody has said what was done" in html
    assert nps.title in html and "Suggestion box" in html
    statuses = dict(Response.objects.values_list("pk", "status"))
    assert statuses == {said.pk: "done", silent.pk: "new", idea.pk: "new"}

    actions.move(said, FollowUp.IN_PROGRESS)
    page = bulk(client, [said, silent, idea], "done", what_we_did="Discussed at the team meeting.")

    assert "3 items marked done." in page.content.decode()
    said.refresh_from_db()
    assert said.what_we_did == "Refunded the cake."
    silent.refresh_from_db()
    assert silent.status == FollowUp.DONE and silent.what_we_did.startswith("Discussed")
    assert silent.owner == personas.bob_member


def test_bulk_assigns_acknowledges_and_marks_in_progress(client, personas):
    box = open_survey(personas.bakery, "suggestion_box")
    first = answer(box, {"suggestion": "Longer opening hours."})
    second = answer(box, {"suggestion": "A loyalty card."})
    actions.move(second, FollowUp.IN_PROGRESS)
    login(client, personas.alice)

    page = bulk(client, [first, second], "assign", owner=personas.bob_member.pk)
    assert "2 items assigned to Bob Okafor." in page.content.decode()

    page = bulk(client, [first, second], "acknowledge", next="status=open")
    assert "1 item acknowledged. 1 already were, or are further along." in page.content.decode()
    assert page.redirect_chain[-1][0].endswith("?status=open")

    bulk(client, [first], "in_progress")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.owner == second.owner == personas.bob_member
    assert first.status == second.status == FollowUp.IN_PROGRESS
    assert first.acknowledged_at is not None

    page = bulk(client, [], "acknowledge")
    assert "tick at least one item" in page.content.decode()


def test_bulk_never_touches_held_back_or_other_businesses_items(client, personas, bakehouse):
    _, staff, pulse = bakehouse
    held = pulse_answer(pulse, staff[0], "Nobody thanks us.")
    garage = open_survey(personas.garage, "suggestion_box")
    theirs = answer(garage, {"suggestion": "Free coffee."})
    login(client, personas.alice)

    page = bulk(client, [held, theirs], "acknowledge")

    assert "tick at least one item" in page.content.decode()
    assert set(Response.objects.values_list("status", flat=True)) == {"new"}


# --- the item page -----------------------------------------------------------------------------


def test_the_item_page_shows_answers_reading_and_conversation(client, personas):
    dana = make_customer(personas.bakery, name="Dana Hart", email="dana@example.com")
    survey = open_survey(personas.bakery, "customer_nps")
    item = answer(
        survey,
        {"nps": "2", "reason": "Thanks a lot for charging me twice. I want a refund now."},
        person=dana,
    )
    analyze_pending_responses(personas.bakery)
    actions.reply(item, personas.bob_member, "So sorry, we are refunding you today.")
    actions.respondent_reply(item, "Thank you.")

    html = login(client, personas.bob).get(item_url(item)).content.decode()

    assert "How likely are you to recommend us" in html and "2 (of 0–10)" in html
    assert "What Rapport read in it" in html and "Does it need a human?" in html
    reading = ResponseReading.objects.get(response=item)
    assert f'<span class="sentiment {reading.sentiment}">' in html
    assert reading.reasons and all(r["label"] in html for r in reading.reasons)
    assert "So sorry, we are refunding you today." in html and "Thank you." in html
    assert "Bob Okafor" in html and "The respondent" in html
    assert "They did not allow contact" in html  # the reply hint: no email was allowed


def test_the_item_page_changes_status_owner_and_what_we_did(client, personas):
    box = open_survey(personas.bakery, "suggestion_box")
    item = answer(box, {"suggestion": "Paper bags instead of plastic."})
    login(client, personas.bob)
    url = reverse("feedback:item-update", args=["alices-bakery", item.pk])

    page = client.post(
        url, {"status": "done", "owner": personas.bob_member.pk, "what_we_did": ""}, follow=True
    )
    assert "Not saved: Say what was done before closing the loop." in page.content.decode()
    item.refresh_from_db()
    assert item.status == FollowUp.NEW and item.owner is None  # nothing half-saved

    client.post(
        url,
        {"status": "done", "owner": personas.alice_member.pk, "what_we_did": "Switched to paper."},
    )

    item.refresh_from_db()
    assert item.status == FollowUp.DONE and item.what_we_did == "Switched to paper."
    assert item.owner == personas.alice_member and item.done_at is not None
    page = client.get(item_url(item)).content.decode()
    assert "posted in their private conversation" in page


def test_a_reply_from_the_item_page_goes_into_the_conversation(client, personas):
    box = open_survey(personas.bakery, "suggestion_box")
    item = answer(box, {"suggestion": "Gluten-free loaves."})
    login(client, personas.bob)

    client.post(
        reverse("feedback:item-reply", args=["alices-bakery", item.pk]),
        {"text": "  We will try a recipe next month.  "},
    )
    page = client.post(
        reverse("feedback:item-reply", args=["alices-bakery", item.pk]), {"text": " "}, follow=True
    )

    [message] = FollowUpMessage.objects.filter(response=item)
    assert message.author == Author.BUSINESS and message.member == personas.bob_member
    assert message.text == "We will try a recipe next month."
    assert "Not sent: The reply is empty." in page.content.decode()
    item.refresh_from_db()
    assert item.status == FollowUp.ACKNOWLEDGED


def test_by_default_it_lists_what_asks_for_follow_up_and_counts_only_that(client, personas):
    nps = open_survey(personas.bakery, "customer_nps")
    silent = answer(nps, {"nps": 8})
    low = answer(nps, {"nps": 3})
    said = answer(nps, {"nps": 9, "reason": "Lovely staff"})
    default = shown(get_inbox(client, personas.bob, show=""))
    assert default == {low.pk, said.pk} and silent.pk not in default
    assert shown(get_inbox(client, personas.bob)) == {silent.pk, low.pk, said.pk}
    assert shown(get_inbox(client, personas.bob, show="bogus")) == set()
