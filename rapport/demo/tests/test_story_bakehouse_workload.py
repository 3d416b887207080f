"""Story 1: the Bakehouse is under rising workload over the last six months."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from rapport.demo.staff import BAKEHOUSE
from rapport.demo.tests.conftest import AS_OF, HALF_YEAR, share
from rapport.people.choices import Direction, EmploymentEventKind, Group
from rapport.people.models import EmploymentEvent, Interaction, Person

TIRED = (
    "tired",
    "exhausted",
    "short",
    "knackered",
    "break",
    "drained",
    "dread",
    "morale",
    "sustainable",
    "wits' end",
    "staffing",
    "broke",
    "pace",
    "overwork",
    "swollen",
)


def test_bakehouse_absence_days_climb_and_outpace_other_teams(demo, db):
    split = AS_OF - HALF_YEAR
    rows = (
        EmploymentEvent.objects.filter(
            workspace=demo, kind=EmploymentEventKind.ABSENCE, date__gte=split - HALF_YEAR
        )
        .values("person__team__name")
        .annotate(
            before=Sum("days", filter=Q(date__lt=split)),
            recent=Sum("days", filter=Q(date__gte=split)),
        )
    )
    days = {row["person__team__name"]: row for row in rows}
    heads = dict(
        Person.objects.filter(workspace=demo, group=Group.EMPLOYEE, end_date__isnull=True)
        .values_list("team__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    bakehouse = days[BAKEHOUSE]
    assert bakehouse["recent"] >= Decimal("1.6") * bakehouse["before"]
    per_head = {team: (row["recent"] or 0) / heads[team] for team, row in days.items()}
    assert per_head[BAKEHOUSE] == max(per_head.values())


def test_bakehouse_messages_turn_tired(demo, db):
    split = AS_OF - HALF_YEAR
    said = Interaction.objects.filter(
        workspace=demo,
        person__team__name=BAKEHOUSE,
        direction=Direction.INBOUND,
        occurred_at__date__gte=split - HALF_YEAR,
    )
    before = share(said.filter(occurred_at__date__lt=split).values_list("text", flat=True), TIRED)
    recent = share(said.filter(occurred_at__date__gte=split).values_list("text", flat=True), TIRED)
    assert recent >= 0.3
    assert recent >= 2 * before


def test_a_baker_resigned_citing_workload(demo, db):
    exit_ = EmploymentEvent.objects.get(
        workspace=demo,
        kind=EmploymentEventKind.EXIT_VOLUNTARY,
        person__team__name=BAKEHOUSE,
        date__gte=AS_OF - HALF_YEAR,
    )
    assert "workload" in exit_.reason.lower()
    assert "workload" in exit_.person.exit_reason.lower()
