"""The dashboards benchmark's generator (benchmarks/insights_data.py), at a tiny size: the
shape the benchmark relies on, and anonymity kept as the app itself keeps it.

Like the demo in conftest.py, one chain is committed for the module and deleted after it;
tests that add to it run inside the usual test transaction.
"""

import importlib.util
import sys
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from rapport.accounts.models import User
from rapport.feedback.models import Response
from rapport.people.models import EmploymentEvent, Interaction, Person, Purchase

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
AS_OF = date(2026, 6, 10)
SIZE = {"people": 400, "interactions": 3_000, "answers": 1_200, "as_of": AS_OF}


def load_generator():
    sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("insights_data", BENCHMARKS / "insights_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return load_generator()


@pytest.fixture(scope="module")
def built(generator, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        owner = User.objects.create_user("owner@bench.example.com", None, name="Owner")
        workspace = generator.build_insights_workspace(owner, **SIZE)
    yield owner, workspace
    with django_db_blocker.unblock():
        workspace.delete()
        User.objects.filter(email__endswith="@bench.example.com").delete()


@pytest.fixture
def owner(db, built):
    return built[0]


@pytest.fixture
def chain(db, built):
    return built[1]


def test_it_writes_what_was_asked_for_with_customers_as_the_bulk(chain):
    people = Person.objects.filter(workspace=chain)
    assert people.count() == 400
    assert Interaction.objects.filter(workspace=chain).count() == 3_000
    assert Purchase.objects.filter(workspace=chain).count() == 1_500  # half the interactions
    assert set(people.values_list("group", flat=True)) == {
        "customer",
        "employee",
        "supplier",
        "community",
    }
    assert people.filter(group="customer").count() / 400 > 0.9
    assert (
        people.filter(group="customer").exclude(segment="").count()
        == people.filter(group="customer").count()
    )


def test_history_covers_two_years_ending_yesterday(chain):
    local = ZoneInfo(chain.time_zone)
    interactions = Interaction.objects.filter(workspace=chain).order_by("occurred_at")
    first, last = interactions.first().occurred_at, interactions.last().occurred_at
    assert last.astimezone(local).date() < AS_OF
    assert first.astimezone(local).date() >= AS_OF - timedelta(days=2 * 365)
    assert (last - first).days > 600
    assert not Purchase.objects.filter(workspace=chain, purchased_on__gte=AS_OF).exists()


def test_replies_come_after_the_message_from_a_person_or_an_automation(chain):
    replies = Interaction.objects.filter(workspace=chain, direction="outbound").exclude(
        thread_key=""
    )
    by_person = replies.filter(handled_by__isnull=False).count()
    by_automation = replies.filter(handled_by_automation__isnull=False).count()
    assert by_person and by_automation
    assert 0.45 < by_person / (by_person + by_automation) < 0.75
    for reply in replies[:200]:
        message = (
            Interaction.objects.filter(
                workspace=chain,
                thread_key=reply.thread_key,
                direction="inbound",
                occurred_at__lt=reply.occurred_at,
            )
            .order_by("-occurred_at")
            .first()
        )
        assert message is not None
        delay = reply.occurred_at - message.occurred_at
        if reply.handled_by_id:
            assert timedelta(hours=1) <= delay <= timedelta(hours=72)
        else:
            assert delay < timedelta(minutes=5)


def test_every_leaver_has_an_exit_and_everyone_a_hire(chain):
    staff = Person.objects.filter(workspace=chain, group="employee")
    events = EmploymentEvent.objects.filter(workspace=chain)
    assert events.filter(kind="hire").count() == staff.count()
    for person in staff.exclude(end_date=None):
        assert events.filter(
            person=person, kind__in=["exit_voluntary", "exit_involuntary"], date=person.end_date
        ).exists()


def test_anonymous_responses_keep_only_what_the_app_keeps(chain):
    anonymous = Response.objects.filter(workspace=chain, survey__anonymity="anonymous")
    assert anonymous.exists()
    assert not anonymous.filter(person__isnull=False).exists()
    assert not anonymous.filter(submitted_at__isnull=False).exists()
    assert all(day.weekday() == 0 for day in anonymous.values_list("submitted_on", flat=True))
    pulse = anonymous.filter(survey__blueprint="employee_pulse")
    assert pulse.exists() and not pulse.filter(team__isnull=True).exists()
    identified = Response.objects.filter(workspace=chain, survey__blueprint="customer_nps")
    assert identified.exists()
    assert not identified.filter(person__isnull=True).exists()
    assert not identified.filter(submitted_at__isnull=True).exists()


def test_the_same_seed_gives_the_same_timeline(generator, owner, chain):
    again = generator.build_insights_workspace(owner, slug="again", **SIZE)

    def timeline(workspace):
        return list(
            Interaction.objects.filter(workspace=workspace)
            .order_by("occurred_at", "text", "direction")
            .values_list("occurred_at", "channel", "direction", "text", "thread_key")
        )

    assert timeline(chain) == timeline(again)


def test_recent_activity_is_dated_today(generator, chain):
    local = ZoneInfo(chain.time_zone)
    interactions = Interaction.objects.filter(workspace=chain)
    last_id = interactions.order_by("-id").values_list("id", flat=True).first()
    generator.add_recent_activity(chain, interactions=60, answers=10)
    now = timezone.now()
    new = interactions.filter(id__gt=last_id)
    assert new.count() == 60
    assert {i.occurred_at.astimezone(local).date() for i in new} == {now.astimezone(local).date()}
    assert all(i.occurred_at <= now for i in new)
    today = Response.objects.filter(workspace=chain, submitted_on=now.astimezone(local).date())
    assert today.count() == 5
