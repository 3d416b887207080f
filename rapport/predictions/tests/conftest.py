"""A small shop with a history the models can learn from, written straight to the tables (as
an import or the demo does): regular customers, customers who stopped coming and one-time
buyers; three suppliers, one slipping; employees in three teams, some of whom left."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from rapport.people.choices import EmploymentEventKind, Group, PartyKind
from rapport.people.models import Delivery, EmploymentEvent, Person, Purchase, Team
from rapport.test import personas  # noqa: F401  (the shared persona fixture)
from tests.worker_processes import worker_database  # noqa: F401  (tests with real workers)


def _people(workspace, group, names, **fields):
    return Person.objects.bulk_create(
        [Person(workspace=workspace, group=group, name=name, **fields) for name in names]
    )


def _three_absences(person, before):
    """Three absences of 3 days, 20, 40 and 60 days before ``before``."""
    return [
        EmploymentEvent(
            workspace=person.workspace,
            person=person,
            kind=EmploymentEventKind.ABSENCE,
            date=before - dt.timedelta(days=20 * k),
            days=Decimal(3),
        )
        for k in range(1, 4)
    ]


@pytest.fixture
def shop(personas):  # noqa: F811
    w = personas.bakery
    today = w.today()
    rng = np.random.default_rng(7)
    regulars = _people(w, Group.CUSTOMER, [f"Regular {i}" for i in range(40)])
    stopped = _people(w, Group.CUSTOMER, [f"Stopped {i}" for i in range(12)])
    once = _people(w, Group.CUSTOMER, [f"Once {i}" for i in range(10)])
    purchases = []
    for person in regulars:
        for ago in range(int(rng.integers(1, 6)), 420, int(rng.integers(5, 10))):
            purchases.append((person, ago))
    for person in stopped:
        for ago in range(int(rng.integers(130, 160)), 420, 7):
            purchases.append((person, ago))
    for person in once:
        purchases.append((person, int(rng.integers(150, 300))))
    Purchase.objects.bulk_create(
        [
            Purchase(
                workspace=w,
                person=p,
                purchased_on=today - dt.timedelta(days=ago),
                amount=Decimal(f"{rng.uniform(8, 30):.2f}"),
            )
            for p, ago in purchases
        ]
    )
    mill, dairy, farm = _people(
        w,
        Group.SUPPLIER,
        ["Slipping Mill", "Steady Dairy", "Steady Farm"],
        kind=PartyKind.ORGANISATION,
    )
    deliveries = []
    for supplier in (mill, dairy, farm):
        for n in range(60):
            due = today - dt.timedelta(days=7 * (60 - n))
            late = (supplier is mill and n >= 48) or n % 23 == 5
            deliveries.append(
                Delivery(
                    workspace=w,
                    supplier=supplier,
                    promised_on=due,
                    delivered_on=due + dt.timedelta(days=3 if late else 0),
                )
            )
    Delivery.objects.bulk_create(deliveries)
    teams = {name: Team.objects.create(workspace=w, name=name) for name in ("Ovens", "Shop", "Van")}
    staff = []
    for team, count in (("Ovens", 9), ("Shop", 9), ("Van", 2)):
        staff += _people(
            w,
            Group.EMPLOYEE,
            [f"{team} person {i}" for i in range(count)],
            team=teams[team],
            start_date=today - dt.timedelta(days=1500 + 40 * len(staff)),
        )
    events = []
    # Six people of the shop left over the years, each after weeks of absences.
    for i, person in enumerate([p for p in staff if p.team == teams["Shop"]][:6]):
        left = today - dt.timedelta(days=250 + 140 * i)
        person.end_date = left
        person.save(update_fields=["end_date"])
        events.append(
            EmploymentEvent(
                workspace=w, person=person, kind=EmploymentEventKind.EXIT_VOLUNTARY, date=left
            )
        )
        events += _three_absences(person, before=left)
    # Today, the ovens team is absent a lot.
    for person in [p for p in staff if p.team == teams["Ovens"]][:5]:
        events += _three_absences(person, before=today)
    EmploymentEvent.objects.bulk_create(events)
    return {
        "regulars": regulars,
        "stopped": stopped,
        "once": once,
        "mill": mill,
        "dairy": dairy,
        "teams": teams,
        "staff": staff,
    }
