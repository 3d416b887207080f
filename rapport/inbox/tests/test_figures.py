"""The inbox's responsiveness and SLA figures: counts as facts, shares and times only with
enough conversations behind them, times in business hours; on their page and the dashboard."""

import datetime as dt

from django.utils import timezone

from rapport.inbox import actions, automation, clocks
from rapport.inbox.figures import P90_MINIMUM, figures
from rapport.inbox.models import Conversation
from rapport.inbox.routing import inbox_settings
from rapport.inbox.tests.conftest import later, write_in
from rapport.test import login


def handed_off(customer, n, *, hours_ago=10):
    """``n`` conversations opened ``hours_ago``, read and handed to a person."""
    start = timezone.now() - dt.timedelta(hours=hours_ago)
    for i in range(n):
        write_in(customer, f"Question {i}?", thread=f"q{i}", at=start)
    automation.process(customer.workspace, now=later())
    return list(Conversation.objects.filter(workspace=customer.workspace).order_by("pk"))


def reply_after(c, hours, personas):
    actions.reply(c, "Here you are.", actor=personas.alice_member)
    Conversation.objects.filter(pk=c.pk).update(
        first_replied_at=c.opened_at + dt.timedelta(hours=hours)
    )


def test_a_few_conversations_give_counts_and_not_enough_data(client, personas, customer):
    conversations = handed_off(customer, 3)
    reply_after(conversations[0], 1, personas)
    found = figures(personas.bakery)
    assert found.get("opened").current.value == 3 and found.get("opened").previous.value == 0
    handed = found.get("handed_off").current
    assert handed.n == 3 and handed.value == 100 and not handed.enough
    assert not found.get("median_first_reply").current.enough
    assert found.get("touches").current.value == 1
    login(client, personas.alice)
    page = client.get("/w/alices-bakery/inbox/figures/").content.decode()
    assert "Not enough data" in page and "n = 3" in page


def test_enough_conversations_give_a_median_an_interval_and_the_sla_share(personas, customer):
    s = inbox_settings(personas.bakery)
    s.sla = {"normal": {"first": 300, "next": 600, "resolve": 2880}}
    s.save()
    conversations = handed_off(customer, 8, hours_ago=20)
    for hours, c in enumerate(conversations, start=1):
        reply_after(c, hours, personas)
    found = figures(personas.bakery)
    median = found.get("median_first_reply").current
    assert median.enough and median.value == 4.5 and median.n == 8
    assert median.low <= 4.5 <= median.high
    within = found.get("within_sla").current
    assert within.n == 8 and within.value == 62.5 and within.enough  # 1–5 hours of 8
    assert 30 < within.low < 62.5 < within.high < 90
    [normal] = [f for f in found.by_priority if f.label == "Normal"]
    assert normal.current.value == 62.5
    p90 = found.get("p90_first_reply").current
    assert p90.value == 8 and not p90.enough and p90.minimum == P90_MINIMUM == 36


def test_times_are_business_hours_and_a_breach_is_counted(personas, customer):
    s = inbox_settings(personas.bakery)
    s.hours = {str(d): [["09:00", "17:00"]] for d in range(5)}
    s.save()
    conversations = handed_off(customer, 7)
    friday_four = dt.datetime(2026, 11, 27, 16, tzinfo=dt.UTC)
    for c in conversations[:6]:
        reply_after(c, 0, personas)
        Conversation.objects.filter(pk=c.pk).update(
            opened_at=friday_four, first_replied_at=friday_four + dt.timedelta(days=3, hours=-6)
        )  # answered on Monday at 10:00: two business hours later
    late = conversations[6]
    Conversation.objects.filter(pk=late.pk).update(
        reply_due=timezone.now() - dt.timedelta(minutes=1)
    )
    clocks.tick(personas.bakery)
    found = figures(
        personas.bakery, today=dt.date(2026, 12, 4), now=dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC)
    )
    median = found.get("median_first_reply").current
    assert median.value == 2.0 and median.n == 6  # the late one opened today: outside
    assert figures(personas.bakery).get("breaches").current.value == 1


def test_the_last_four_weeks_stand_beside_the_four_before(personas, customer):
    conversations = handed_off(customer, 4)
    Conversation.objects.filter(pk__in=[c.pk for c in conversations[:3]]).update(
        opened_at=timezone.now() - dt.timedelta(days=35)
    )
    found = figures(personas.bakery)
    assert found.get("opened").current.value == 1 and found.get("opened").previous.value == 3


def test_the_dashboard_shows_the_inbox_once_there_are_conversations(client, personas, customer):
    login(client, personas.alice)
    assert b"How quickly we answer" not in client.get("/w/alices-bakery/insights/").content
    handed_off(customer, 2)
    page = client.get("/w/alices-bakery/insights/").content.decode()
    assert "How quickly we answer" in page and "Conversations opened" in page
    assert "/w/alices-bakery/inbox/figures/" in page
