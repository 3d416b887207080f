"""Story 2: the flour mill slips from ~95% on time to ~60% over the last months."""

from datetime import timedelta

from django.db.models import Count, F, Q

from rapport.demo.partners import MILL, SUPPLIERS
from rapport.demo.tests.conftest import AS_OF, HALF_YEAR, share
from rapport.people.models import Delivery, Interaction

MILL_NAME = next(s.name for s in SUPPLIERS if s.key == MILL)
SORRY = ("apolog", "sorry", "late", "delay")


def on_time_rate(deliveries) -> float:
    counts = deliveries.filter(delivered_on__isnull=False).aggregate(
        n=Count("id"), on_time=Count("id", filter=Q(delivered_on__lte=F("promised_on")))
    )
    return counts["on_time"] / counts["n"]


def test_the_mill_was_on_time_in_year_one_and_slips_in_the_last_five_months(demo, db):
    start = AS_OF - timedelta(days=730)
    mill = Delivery.objects.filter(workspace=demo, supplier__name=MILL_NAME)
    assert on_time_rate(mill.filter(promised_on__lt=start + timedelta(days=365))) >= 0.9
    assert 0.4 <= on_time_rate(mill.filter(promised_on__gte=AS_OF - timedelta(days=150))) <= 0.75


def test_other_suppliers_stay_reliable(demo, db):
    others = Delivery.objects.filter(
        workspace=demo, promised_on__gte=AS_OF - timedelta(days=150)
    ).exclude(supplier__name=MILL_NAME)
    assert on_time_rate(others) >= 0.85


def test_apologies_and_complaints_about_the_mill_multiply(demo, db):
    letters = Interaction.objects.filter(
        workspace=demo, person__name=MILL_NAME, channel__in=["email", "phone"]
    )
    recent = letters.filter(occurred_at__date__gte=AS_OF - HALF_YEAR).values_list("text", flat=True)
    year_one = letters.filter(occurred_at__date__lt=AS_OF - timedelta(days=365)).values_list(
        "text", flat=True
    )
    recent_count = sum(share([t], SORRY) for t in recent)
    year_one_count = sum(share([t], SORRY) for t in year_one)
    assert recent_count >= 10
    assert recent_count >= 3 * max(1, year_one_count)
