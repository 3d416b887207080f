"""What followed each item marked done, read from the facts: their reply, the mood of what
they wrote, their next purchase, a supplier's deliveries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.engine import outreach as o
from rapport.outreach.actions import mark_done
from rapport.outreach.effect import done_recently
from rapport.outreach.tests.conftest import make_bakehouse, read_as
from rapport.people.actions import record_purchase
from rapport.people.models import Delivery
from rapport.people.tests.factories import make_customer, make_touch


def followed(workspace, subject_id):
    done = done_recently(workspace, workspace.today())
    return next(item for item in done if item.subject_id == subject_id).followed


def test_a_reply_better_mood_and_a_purchase_are_told_in_plain_words(personas, bakery_week):
    bakery, bob, dana = personas.bakery, personas.bob_member, bakery_week["dana"]
    read_as(make_touch(dana, days_ago=30, text="The bread was stale."), -0.4)
    mark_done(bakery, bob, o.NO_HUMAN_CONTACT, dana.pk)
    read_as(make_touch(dana, days_ago=-3, text="Thank you for calling."), 0.2)
    record_purchase(dana, purchased_on=bakery.today() + timedelta(days=9), amount=12)
    found = followed(bakery, dana.pk)
    assert found.words() == (
        "replied 3 days later; sentiment up from \N{MINUS SIGN}0.4 to +0.2; "
        "bought again after 9 days"
    )
    assert found.numbers()["messages read 90 days before"] == 1


def test_nothing_following_is_said_as_nothing_yet(personas, bakery_week):
    bakery, bob, dana = personas.bakery, personas.bob_member, bakery_week["dana"]
    mark_done(bakery, bob, o.NO_HUMAN_CONTACT, dana.pk)
    assert followed(bakery, dana.pk).words() == "no reply yet; no purchase yet"
    [done] = done_recently(bakery, bakery.today() + timedelta(days=28))
    assert done.followed.words() == "no reply in 28 days; no purchase yet"


def test_a_message_after_four_weeks_is_not_a_reply(personas, bakery_week):
    bakery, bob, dana = personas.bakery, personas.bob_member, bakery_week["dana"]
    mark_done(bakery, bob, o.NO_HUMAN_CONTACT, dana.pk)
    make_touch(dana, days_ago=-40)
    record_purchase(dana, purchased_on=bakery.today() + timedelta(days=70), amount=3)
    found = followed(bakery, dana.pk)
    assert not found.replied and not found.bought
    assert found.words().startswith("wrote next after 40 days")


def test_a_suppliers_deliveries_after_are_set_against_before(personas, bakery_week):
    bakery, alice, mill = personas.bakery, personas.alice_member, bakery_week["mill"]
    mark_done(bakery, alice, o.SUPPLIER_SLIPPING, mill.pk)
    for days, late in ((2, 0), (9, 0), (16, 3)):
        promised = bakery.today() + timedelta(days=days)
        Delivery.objects.create(
            workspace=bakery,
            supplier=mill,
            promised_on=promised,
            delivered_on=promised + timedelta(days=late),
        )
    words = followed(bakery, mill.pk).words()
    # The fixture's last 13 weeks: late every other week (7 of 13), on time 6 of 13.
    assert "on time 67% (2 of 3) since, against 46% (6 of 13) before" in words
    assert "purchase" not in words


def test_team_items_have_nothing_followed(personas):
    team, _ = make_bakehouse(personas)
    mark_done(personas.bakery, personas.alice_member, o.TEAM_MOOD, team.pk)
    [done] = done_recently(personas.bakery, personas.bakery.today())
    assert done.followed is None and done.next_contact_at is None


def test_it_is_a_fixed_number_of_queries_however_many_were_done(personas, bakery_week):
    bakery, bob = personas.bakery, personas.bob_member

    def count():
        with CaptureQueriesContext(connection) as queries:
            done = done_recently(bakery, bakery.today())
            [item.followed.words() for item in done]
        return len(queries), len(done)

    mark_done(bakery, bob, o.NO_HUMAN_CONTACT, bakery_week["dana"].pk)
    before, _ = count()
    for i in range(4):
        person = make_customer(bakery, name=f"Quiet {i}", owner=bob)
        make_touch(person, days_ago=90, member=personas.alice_member)
        mark_done(bakery, bob, o.NO_HUMAN_CONTACT, person.pk)
        read_as(make_touch(person, days_ago=-1), 0.5)
        record_purchase(person, purchased_on=bakery.today() + timedelta(days=2), amount=4)
    assert count() == (before, 5)
