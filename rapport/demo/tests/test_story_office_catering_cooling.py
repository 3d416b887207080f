"""Story 4: office catering accounts, a loyal segment, cool over the last six months."""

from django.db.models import Avg, Count, Q

from rapport.demo.customers import OFFICE_CATERING
from rapport.demo.tests.conftest import AS_OF, HALF_YEAR, share
from rapport.people.choices import Direction
from rapport.people.models import Interaction, Purchase

COOL = (
    "skip",
    "reduce",
    "late",
    "pausing",
    "repetitive",
    "cancel",
    "squashed",
    "another caterer",
    "tight",
)


def test_office_accounts_order_less_often_and_smaller(demo, db):
    split = AS_OF - HALF_YEAR
    orders = Purchase.objects.filter(
        workspace=demo, person__segment=OFFICE_CATERING, purchased_on__gte=split - HALF_YEAR
    ).aggregate(
        before=Count("id", filter=Q(purchased_on__lt=split)),
        recent=Count("id", filter=Q(purchased_on__gte=split)),
        before_avg=Avg("amount", filter=Q(purchased_on__lt=split)),
        recent_avg=Avg("amount", filter=Q(purchased_on__gte=split)),
    )
    assert orders["recent"] <= 0.8 * orders["before"]
    assert float(orders["recent_avg"]) <= 0.9 * float(orders["before_avg"])


def test_office_accounts_write_cooler_messages(demo, db):
    split = AS_OF - HALF_YEAR
    said = Interaction.objects.filter(
        workspace=demo,
        person__segment=OFFICE_CATERING,
        direction=Direction.INBOUND,
        occurred_at__date__gte=split - HALF_YEAR,
    )
    before = share(said.filter(occurred_at__date__lt=split).values_list("text", flat=True), COOL)
    recent = share(said.filter(occurred_at__date__gte=split).values_list("text", flat=True), COOL)
    assert recent >= 0.3
    assert recent >= 2 * before
