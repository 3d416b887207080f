"""The list's effect: items marked done against items snoozed, on the page, the API and the
command line, saying "not enough data" below ten items a group."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.engine import outreach as o
from rapport.engine.periods import week_start
from rapport.engine.stats import wilson
from rapport.outreach.actions import mark_done, snooze
from rapport.outreach.effect import list_effect
from rapport.outreach.models import OutreachItem
from rapport.people.actions import record_purchase
from rapport.people.tests.factories import make_customer, make_touch
from rapport.test import login, main

URL = "/w/alices-bakery/outreach/"


def backdate(item, days):
    """Move an item marked now back ``days`` days, as if it had been marked then."""
    today = item.workspace.today()
    OutreachItem.objects.filter(pk=item.pk).update(
        week=week_start(today - timedelta(days=days)),
        done_at=item.done_at and item.done_at - timedelta(days=days),
        updated_at=item.updated_at - timedelta(days=days),
    )


def seed(personas, state, n, *, replied=0, bought=0, days_ago=60):
    """``n`` customers Bob keeps, nobody in touch for 100 days, whose item was marked
    ``state`` ``days_ago`` days ago; the first ``replied`` wrote 3 days after, the first
    ``bought`` bought 9 days after."""
    bakery, bob = personas.bakery, personas.bob_member
    today = bakery.today()
    for i in range(n):
        person = make_customer(bakery, name=f"{state.title()} {i}", owner=bob)
        make_touch(person, days_ago=100, member=personas.alice_member)
        if state == "done":
            item = mark_done(bakery, bob, o.NO_HUMAN_CONTACT, person.pk)
        else:
            item = snooze(bakery, bob, o.NO_HUMAN_CONTACT, person.pk, today + timedelta(days=7))
        backdate(item, days_ago)
        if i < replied:
            make_touch(person, days_ago=days_ago - 3, text="Lovely to hear from you.")
        if i < bought:
            record_purchase(person, purchased_on=today - timedelta(days=days_ago - 9), amount=5)


def test_done_items_are_set_against_snoozed_ones_with_intervals(personas):
    seed(personas, "done", 12, replied=9, bought=6)
    seed(personas, "snoozed", 12, replied=3, bought=1)
    effect = list_effect(personas.bakery)
    replied, bought = effect.replied, effect.bought
    assert (replied.done.hits, replied.done.n) == (9, 12)
    assert (replied.snoozed.hits, replied.snoozed.n) == (3, 12)
    assert (bought.done.hits, bought.snoozed.hits) == (6, 1)
    low, high = wilson(9, 12)
    assert replied.done.words() == f"75% (9 of 12; likely {low:.0%}–{high:.0%})"
    assert replied.words().startswith("Done items were followed more often: +50 points")
    assert "not a controlled experiment" in effect.comparison.lower()


def test_below_ten_items_a_group_it_says_not_enough_data(personas):
    seed(personas, "done", 9, replied=9, bought=9)
    seed(personas, "snoozed", 12)
    replied = list_effect(personas.bakery).replied
    assert replied.done.words() == "not enough data (9 items)"
    assert replied.snoozed.words().startswith("0% (0 of 12")
    assert replied.difference is None and replied.words().startswith("Not enough data")


def test_items_not_given_their_full_time_are_not_counted(personas):
    seed(personas, "done", 1, replied=1, days_ago=10)
    seed(personas, "snoozed", 1, days_ago=40)
    effect = list_effect(personas.bakery)
    assert (effect.replied.done.n, effect.replied.snoozed.n) == (0, 1)
    assert (effect.bought.done.n, effect.bought.snoozed.n) == (0, 0)


def test_the_page_shows_the_figure_in_a_fixed_number_of_queries(client, personas):
    seed(personas, "done", 2, replied=1)
    login(client, personas.alice)

    def count():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(URL).content.decode()
        return len(queries), html

    count()  # the first visit stores the business's (default) settings
    before, html = count()
    assert "Does the list help?" in html and "not enough data (2 items)" in html
    seed(personas, "done", 10, replied=9, bought=2)
    seed(personas, "snoozed", 10, replied=1)
    after, html = count()
    assert after == before
    assert "83% (10 of 12; likely" in html and "Not a controlled experiment" in html
    assert '<meter min="0" max="1"' in html


def test_the_api_gives_the_shares_or_none_below_ten(client, personas):
    seed(personas, "done", 10, replied=5)
    seed(personas, "snoozed", 3)
    body = login(client, personas.bob).get("/api/w/alices-bakery/outreach/effect").json()
    replied = body["measures"][0]
    assert replied["done"]["share"] == 0.5 and replied["done"]["n"] == 10
    assert replied["done"]["low"] < 0.5 < replied["done"]["high"]
    assert replied["snoozed"] == {"hits": 0, "n": 3, "share": None, "low": None, "high": None}
    assert body["weeks"] == 12 and "snoozed" in body["comparison"]


def test_the_command_line_prints_it(personas, capsys):
    seed(personas, "done", 10, replied=10)
    assert main(["reach-out", "--workspace", "alices-bakery", "--effect"]) == 0
    out = capsys.readouterr().out
    assert "done:    100% (10 of 10; likely" in out
    assert "snoozed: not enough data (0 items)" in out
