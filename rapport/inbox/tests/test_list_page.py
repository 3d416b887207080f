"""The inbox list: its views, filters, order, saved views, paging and cost; and the old lists
that now lead to it."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from rapport.feedback.actions import create_survey, set_status, submit_response
from rapport.feedback.choices import Anonymity, SurveyStatus
from rapport.inbox import actions, automation
from rapport.inbox.choices import Priority, Source, Status
from rapport.inbox.models import Conversation, SavedView
from rapport.inbox.tests.conftest import later, read_as, write_in
from rapport.people.actions import create_person
from rapport.people.choices import Group
from rapport.people.tests.factories import make_customer
from rapport.test import login


def list_url(slug="alices-bakery"):
    return reverse("inbox:list", args=[slug])


def get_list(client, user, **params):
    response = login(client, user).get(list_url(), params)
    assert response.status_code == 200
    return response


def subjects(response) -> list[str]:
    return [row.c.subject for row in response.context["rows"]]


def test_staff_see_open_conversations_most_urgent_first_then_longest_waiting(
    client, personas, customer
):
    now = timezone.now()
    write_in(customer, "old question", subject="Old", at=now - dt.timedelta(hours=5), thread="a")
    write_in(customer, "new question", subject="New", at=now - dt.timedelta(hours=1), thread="b")
    urgent = write_in(customer, "urgent", subject="Urgent", at=now, thread="c")
    Conversation.objects.filter(thread_key="c").update(priority=Priority.URGENT)
    page = get_list(client, personas.bob)
    assert subjects(page) == ["Urgent", "Old", "New"]
    html = page.content.decode()
    assert "Dana Weiss" in html and "5\xa0hours" in html and "E-mail" in html
    assert urgent.person == customer


def test_viewers_and_strangers_get_404(client, personas, customer):
    assert login(client, personas.vera).get(list_url()).status_code == 404
    assert login(client, personas.charlie).get(list_url()).status_code == 404


def test_the_views_mine_unassigned_needs_a_person_resolved(client, personas, customer):
    for key in ("mine", "free", "human", "done"):
        write_in(customer, f"about {key}", subject=key, thread=key)
    by = {c.subject: c for c in Conversation.objects.all()}
    actions.assign(by["mine"], personas.bob_member, actor=personas.bob_member)
    Conversation.objects.filter(pk=by["human"].pk).update(needs_human=True)
    actions.resolve(by["done"], actor=personas.bob_member)

    def seen(view):
        return set(subjects(get_list(client, personas.bob, view=view)))

    assert seen("mine") == {"mine"}
    assert seen("unassigned") == {"free", "human"}
    assert seen("person") == {"human"}
    assert seen("") == {"mine", "free", "human"}
    assert seen("resolved") == {"done"}
    assert seen("nonsense") == set()
    page = get_list(client, personas.bob)
    assert page.context["inbox_counts"] == {"mine": 1, "unassigned": 2}
    assert "Mine (1)" in page.content.decode()


def test_a_handed_off_conversation_needs_a_person(client, personas, customer):
    i = write_in(customer, "I want my money back", subject="Refund")
    read_as(i, needs_human=True, reasons=("money",), sentiment=-0.7, feelings={"anger": 0.9})
    automation.process(personas.bakery, now=later())
    page = get_list(client, personas.alice, view="person")
    assert subjects(page) == ["Refund"]
    row = page.context["rows"][0]
    assert row.reason and row.c.status == Status.ASSIGNED


def test_filters_narrow_and_an_unknown_value_matches_nothing(client, personas, customer):
    supplier = create_person(personas.bakery, group=Group.SUPPLIER, name="Mill Co")
    write_in(customer, "a", subject="From Dana", thread="d")
    write_in(supplier, "b", subject="From the mill", thread="m")
    Conversation.objects.filter(thread_key="m").update(
        priority=Priority.HIGH, emotion="anger", needs_human=True, source=Source.API
    )

    def seen(**params):
        return set(subjects(get_list(client, personas.alice, **params)))

    assert seen(group="supplier") == {"From the mill"}
    assert seen(priority=str(Priority.HIGH)) == {"From the mill"}
    assert seen(emotion="anger") == {"From the mill"}
    assert seen(human="yes") == {"From the mill"}
    assert seen(channel="email") == {"From Dana"}
    assert seen(q="dana") == {"From Dana"}
    assert seen(q="mill") == {"From the mill"}
    assert seen(owner="none") == {"From Dana", "From the mill"}
    assert seen(owner="me") == set()
    assert seen(status="new") == {"From Dana", "From the mill"}
    for bad in ({"priority": "9"}, {"status": "x"}, {"owner": "x"}, {"channel": "fax"}):
        assert seen(**bad) == set(), bad


def test_a_member_saves_and_removes_their_own_view(client, personas, customer):
    write_in(customer, "a", subject="Angry one", thread="x")
    Conversation.objects.update(emotion="anger")
    login(client, personas.bob)
    response = client.post(
        reverse("inbox:save-view", args=["alices-bakery"]),
        {"name": "Angry", "query": "emotion=anger&page=3&evil=1"},
    )
    assert response.status_code == 302
    saved = SavedView.objects.get()
    assert saved.membership == personas.bob_member and saved.query == "emotion=anger"
    page = get_list(client, personas.bob, emotion="anger")
    assert page.context["saved_here"] == saved and "Angry" in page.content.decode()
    # Alice does not see Bob's view; a second one with the same name is refused.
    assert not get_list(client, personas.alice).context["saved"]
    login(client, personas.bob)
    again = client.post(
        reverse("inbox:save-view", args=["alices-bakery"]),
        {"name": "Angry", "query": "status=new"},
        follow=True,
    )
    assert "already have a view with that name" in again.content.decode()
    nameless = client.post(
        reverse("inbox:save-view", args=["alices-bakery"]), {"name": ""}, follow=True
    )
    assert "give the view a name" in nameless.content.decode()
    # Alice cannot remove Bob's view.
    login(client, personas.alice)
    url = reverse("inbox:delete-view", args=["alices-bakery", saved.pk])
    assert client.post(url).status_code == 404
    login(client, personas.bob)
    assert client.post(url).status_code == 302
    assert not SavedView.objects.exists()


def test_the_list_pages_without_counting_and_its_queries_do_not_grow(
    client, personas, django_assert_max_num_queries
):
    for n in range(30):
        person = make_customer(personas.bakery, name=f"Customer {n}", email=f"c{n}@example.com")
        write_in(person, f"Question {n}?", subject=f"Q{n:02}", thread=f"t{n}")
    login(client, personas.alice)
    with django_assert_max_num_queries(12) as captured:
        first = client.get(list_url())
    assert not any(
        "COUNT(" in q["sql"] and "inbox_conversation" in q["sql"] and "owner_id" not in q["sql"]
        for q in captured.captured_queries
    )
    assert len(first.context["rows"]) == 25 and first.context["has_next"]
    second = client.get(list_url(), {"page": 2})
    assert len(second.context["rows"]) == 5 and not second.context["has_next"]
    assert "Page 2" in second.content.decode()
    with django_assert_max_num_queries(12):
        client.get(list_url(), {"page": "x"})


def _survey_follow_up(personas, anonymity, person=None, subject="About the bread"):
    survey = create_survey(personas.bakery, blueprint="customer_nps", anonymity=anonymity)
    set_status(survey, SurveyStatus.OPEN)
    response = submit_response(
        survey, {survey.questions.get(key="nps"): 2}, channel="public", person=person
    ).response
    # As the survey bridge files a comment that needs a follow-up.
    return Conversation.objects.create(
        workspace=personas.bakery,
        person=response.person,
        source=Source.SURVEY,
        channel="survey",
        thread_key=f"survey:{response.pk}",
        subject=subject,
        response_id=response.pk,
        awaiting_since=timezone.now(),
    )


def test_survey_follow_ups_lead_to_the_feedback_item_and_keep_anonymity(client, personas, customer):
    personas.bakery.min_comment_group_size = 1  # nothing held back here (see the last test)
    personas.bakery.save()
    anonymous = _survey_follow_up(personas, Anonymity.ANONYMOUS, subject="Anonymous comment")
    confidential = _survey_follow_up(
        personas, Anonymity.CONFIDENTIAL, person=customer, subject="Confidential comment"
    )
    page = get_list(client, personas.bob, view="survey")
    rows = {row.c.subject: row for row in page.context["rows"]}
    assert rows.keys() == {"Anonymous comment", "Confidential comment"}
    for row in rows.values():
        assert row.who == "Anonymous" and row.waiting == ""
        assert row.url == reverse("feedback:item", args=["alices-bakery", row.c.response_id])
    assert "Dana" not in page.content.decode()
    # Filters on who wrote leave them out, so one filter minus another singles nobody out.
    assert subjects(get_list(client, personas.bob, view="survey", group="customer")) == []
    assert subjects(get_list(client, personas.bob, view="survey", q="Dana")) == []
    # The owner may know who wrote a confidential answer.
    owner_rows = {
        row.c.subject: row.who
        for row in get_list(client, personas.alice, view="survey").context["rows"]
    }
    assert owner_rows == {"Anonymous comment": "Anonymous", "Confidential comment": "Dana Weiss"}
    # The conversation page of a survey follow-up is its feedback item.
    login(client, personas.bob)
    detail = client.get(reverse("inbox:conversation", args=["alices-bakery", anonymous.pk]))
    assert detail.status_code == 302 and str(anonymous.response_id) in detail["Location"]
    assert confidential.pk


def test_the_feedback_inbox_leads_to_the_survey_follow_ups(client, personas):
    login(client, personas.bob)
    url = reverse("feedback:inbox", args=["alices-bakery"])
    response = client.get(url, {"owner": "me", "status": "done", "band": "low"})
    assert response.status_code == 302
    assert response["Location"] == f"{list_url()}?view=survey&owner=me&status=resolved"
    assert login(client, personas.vera).get(url).status_code == 404


def test_the_menu_counts_what_is_mine_or_nobodys(client, personas, customer):
    write_in(customer, "a", thread="one")
    write_in(customer, "b", thread="two")
    html = (
        login(client, personas.bob)
        .get(reverse("people:directory", args=["alices-bakery"]))
        .content.decode()
    )
    assert f'href="{list_url()}"' in html and '2<span class="visually-hidden"> yours' in html


def test_an_anonymous_comment_alone_in_its_week_is_not_listed(client, personas):
    personas.bakery.min_comment_group_size = 3
    personas.bakery.save()
    held = _survey_follow_up(personas, Anonymity.ANONYMOUS, subject="Alone in its week")
    assert subjects(get_list(client, personas.alice, view="survey")) == []
    assert held.response_id
