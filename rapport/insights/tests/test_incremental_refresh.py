"""The incremental refresh after a day's new rows recomputes only what can have changed, and
gives the same snapshots, drivers and alerts as a full rebuild."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from rapport.engine.periods import MONTH, window_of
from rapport.insights.actions import refresh_snapshots
from rapport.insights.models import Finding, InsightSettings, Snapshot
from rapport.insights.tests.factories import Bakery, answer, noon, person, today_of
from rapport.insights.tests.test_plain_words import nps_fall
from rapport.people.actions import record_interaction, record_purchase
from rapport.people.choices import Channel, Direction, Group
from rapport.people.models import Delivery


def everything(workspace) -> tuple[dict, list]:
    """Every snapshot's figures, and every finding, as comparable values."""
    snapshots = {
        (s.group, s.metric, s.every, s.start, s.dimension, s.member): (
            s.end,
            s.value,
            s.n,
            s.low,
            s.high,
            s.enough,
            s.minimum,
            s.parts,
            s.withheld,
        )
        for s in Snapshot.objects.filter(workspace=workspace)
    }
    findings = sorted(
        (f.kind, f.group, f.every, f.start, f.key, f.severity, f.sentence, str(f.payload))
        for f in Finding.objects.filter(workspace=workspace)
    )
    return snapshots, findings


def earlier_today(workspace) -> dt.datetime:
    """A moment of today that has passed: a reply at noon, run before noon, would not have
    happened yet, and the message it answers would still be waiting, its age growing between
    the two refreshes compared."""
    midnight = dt.datetime.combine(today_of(workspace), dt.time(), tzinfo=workspace.zone)
    return max(midnight, timezone.now() - dt.timedelta(minutes=1))


def a_day_of_new_rows(bakery, personas):
    """Today: two customers write and Bob answers one, a purchase, two survey answers, and a
    delivery promised last month arrives; and one more answer dated last month."""
    ws, c = bakery.workspace, bakery.customers
    now = noon(ws, today_of(ws))
    for who, direction in ((c["Fay"], Direction.INBOUND), (c["Fay"], Direction.OUTBOUND)):
        record_interaction(
            who,
            occurred_at=now,
            channel=Channel.EMAIL,
            direction=direction,
            text="About my order",
            handled_by=personas.bob_member,
        )
    record_purchase(c["Gus"], purchased_on=today_of(ws), amount=Decimal("3"), location="Centre")
    for name, score in (("Hal", 9), ("Ida", 3)):
        answer(bakery.survey, c[name], score, when=now)
    answer(bakery.survey, c["Dana"], 7, when=bakery.at + dt.timedelta(days=2))
    Delivery.objects.create(
        workspace=ws,
        supplier=bakery.mill,
        promised_on=bakery.day + dt.timedelta(days=4),
        delivered_on=today_of(ws),
    )


def test_an_incremental_refresh_gives_what_a_full_rebuild_gives(personas):
    bakery = Bakery(personas)
    ws = bakery.workspace
    # Eli wrote 25 days ago; Bob answers today: the reply counts in that older week.
    asked = noon(ws, today_of(ws) - dt.timedelta(days=25))
    record_interaction(
        bakery.customers["Eli"],
        occurred_at=asked,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        thread_key="order-7",
        text="Where is my cake?",
    )
    refresh_snapshots(ws, full=True)
    a_day_of_new_rows(bakery, personas)
    record_interaction(
        bakery.customers["Eli"],
        occurred_at=earlier_today(ws),
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        thread_key="order-7",
        handled_by=personas.bob_member,
        text="On its way",
    )

    refresh_snapshots(ws)
    incremental = everything(ws)
    refresh_snapshots(ws, full=True)
    rebuilt = everything(ws)

    assert incremental[0] == rebuilt[0]
    assert incremental[1] == rebuilt[1]
    month = window_of(today_of(ws), MONTH)
    assert incremental[0][("customer", "nps", MONTH, month.start, "", "")][2] == 2


def test_a_reply_today_updates_the_response_time_of_the_week_it_answers(personas):
    bakery = Bakery(personas)
    ws = bakery.workspace
    asked = noon(ws, today_of(ws) - dt.timedelta(days=25))
    eli = bakery.customers["Eli"]
    record_interaction(
        eli,
        occurred_at=asked,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        thread_key="order-7",
        text="Where is my cake?",
    )
    refresh_snapshots(ws, full=True)
    record_interaction(
        eli,
        occurred_at=earlier_today(ws),
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        thread_key="order-7",
        handled_by=personas.bob_member,
        text="On its way",
    )

    refresh_snapshots(ws)
    incremental = everything(ws)
    refresh_snapshots(ws, full=True)

    assert incremental == everything(ws)


def test_rows_dated_today_leave_older_periods_and_the_alerts_as_they_were(personas):
    bakery = Bakery(personas)
    ws = bakery.workspace
    nps_fall(ws)  # an alert to keep
    refresh_snapshots(ws, full=True)
    alerts = set(Finding.objects.filter(workspace=ws, kind=Finding.Kind.ALERT).values_list("pk"))
    assert alerts
    today = today_of(ws)
    old = window_of(today, MONTH).previous().previous()  # ends over a month ago
    before = dict(
        Snapshot.objects.filter(workspace=ws, every=MONTH, start__lte=old.start).values_list(
            "pk", "computed_at"
        )
    )
    record_purchase(
        bakery.customers["Gus"], purchased_on=today, amount=Decimal("3"), location="Centre"
    )

    report = refresh_snapshots(ws)

    assert report.periods < 13  # not a whole quarter's weeks, months and quarter
    after = dict(
        Snapshot.objects.filter(workspace=ws, every=MONTH, start__lte=old.start).values_list(
            "pk", "computed_at"
        )
    )
    assert after == before  # not even rewritten
    kept = set(Finding.objects.filter(workspace=ws, kind=Finding.Kind.ALERT).values_list("pk"))
    assert kept == alerts


def test_a_new_anonymity_threshold_recomputes_the_alerts(personas):
    ws = personas.bakery
    nps_fall(ws)
    refresh_snapshots(ws, full=True)
    assert Finding.objects.filter(workspace=ws, kind=Finding.Kind.ALERT).exists()
    assert InsightSettings.objects.get(workspace=ws).alerts_basis.endswith("k=5")

    told = set(Finding.objects.filter(workspace=ws, kind=Finding.Kind.ALERT).values_list("pk"))
    refresh_snapshots(ws)  # nothing new: the alerts stay as they are
    assert set(Finding.objects.filter(workspace=ws, kind=Finding.Kind.ALERT).values_list("pk")) == (
        told
    )

    ws.min_group_size = 30
    ws.save(update_fields=["min_group_size"])
    refresh_snapshots(ws)

    assert InsightSettings.objects.get(workspace=ws).alerts_basis.endswith("k=30")
    again = set(Finding.objects.filter(workspace=ws, kind=Finding.Kind.ALERT).values_list("pk"))
    assert again and not again & told  # computed anew


def test_an_invitation_answered_weeks_later_updates_the_response_rate_of_its_month(personas):
    from rapport.feedback import actions as feedback
    from rapport.feedback.choices import Channel as Via
    from rapport.feedback.models import Invitation

    bakery = Bakery(personas)
    ws = bakery.workspace
    sent = noon(ws, today_of(ws) - dt.timedelta(days=40))
    invited = [
        Invitation.objects.create(
            workspace=ws,
            survey=bakery.survey,
            person=person(ws, Group.CUSTOMER, f"{name} Client", segment="Regulars"),
            created_at=sent,
            sent_at=sent,
        )
        for name in ("Jo", "Max")
    ]
    refresh_snapshots(ws, full=True)
    question = bakery.survey.questions.get(key="score")
    feedback.submit_response(
        bakery.survey,
        {question: 9},
        channel=Via.PERSONAL,
        person=invited[0].person,
        invitation=invited[0],
        now=noon(ws, today_of(ws)) - dt.timedelta(hours=2),
    )

    refresh_snapshots(ws)
    incremental = everything(ws)
    refresh_snapshots(ws, full=True)
    rebuilt = everything(ws)
    assert incremental == rebuilt
    month = window_of(sent.date(), MONTH)
    rate = incremental[0][("customer", "response_rate", MONTH, month.start, "", "")]
    assert rate[2] == 2 and rate[1] > 0  # two invited that month, one has answered
