from django.urls import reverse

from rapport.accounts.models import Automation
from rapport.people.tests.factories import make_customer, make_touch
from rapport.test import login


def test_it_shows_the_timeline_newest_first_with_human_and_automated_markers(client, personas):
    dana = make_customer(personas.bakery, owner=personas.bob_member)
    bot = Automation.objects.create(
        workspace=personas.bakery, name="Shop Assistant", kind="chatbot"
    )
    make_touch(dana, days_ago=10, member=personas.bob_member, text="Old message handled by Bob")
    make_touch(dana, days_ago=2, automation=bot, text="Newest message answered by the bot")

    response = login(client, personas.alice).get(
        reverse("people:person", args=["alices-bakery", dana.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Newest message answered by the bot") < html.index(
        "Old message handled by Bob"
    )
    assert "Automated: Shop Assistant" in html
    assert "Handled by Bob Okafor" in html


def test_it_counts_days_since_the_last_human_contact_not_the_last_bot_reply(client, personas):
    dana = make_customer(personas.bakery)
    bot = Automation.objects.create(
        workspace=personas.bakery, name="Shop Assistant", kind="chatbot"
    )
    make_touch(dana, days_ago=40, member=personas.bob_member)
    make_touch(dana, days_ago=1, automation=bot)

    response = login(client, personas.alice).get(
        reverse("people:person", args=["alices-bakery", dana.pk])
    )

    assert response.context["days_since_human"] == 40
    assert "40 days ago" in response.content.decode()


def test_it_lists_open_items(client, personas):
    dana = make_customer(personas.bakery)
    make_touch(dana, text="Can you make a nut-free cake for Saturday?", is_open=True)

    response = login(client, personas.bob).get(
        reverse("people:person", args=["alices-bakery", dana.pk])
    )

    assert [i.text for i in response.context["open_items"]] == [
        "Can you make a nut-free cake for Saturday?"
    ]


def test_it_escapes_markup_in_names_and_messages(client, personas):
    mallory = make_customer(personas.bakery, name="<script>alert('x')</script>")
    make_touch(mallory, text="<img src=x onerror=alert(1)>")

    html = (
        login(client, personas.alice)
        .get(reverse("people:person", args=["alices-bakery", mallory.pk]))
        .content.decode()
    )

    assert "<script>alert(" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_it_uses_a_fixed_number_of_queries_however_long_the_timeline(
    client, personas, django_assert_max_num_queries
):
    dana = make_customer(personas.bakery)
    for day in range(60):
        make_touch(dana, days_ago=day + 1, member=personas.bob_member)
    login(client, personas.alice)
    url = reverse("people:person", args=["alices-bakery", dana.pk])

    # 14 for the page itself, 2 for the reading panel (the entries' readings, the trend),
    # 1 for the menu's inbox count, 1 for the prediction.
    with django_assert_max_num_queries(18):
        response = client.get(url)

    assert len(response.context["entries"]) == 50
    assert response.context["more"] is True
