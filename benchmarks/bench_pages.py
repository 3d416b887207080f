"""Page load times: the people directory and the person page, on the demo business and on a
workspace with 100,000 people, through Django's full request stack (middleware, auth,
scoping, templates) against SQLite.

    python benchmarks/bench_pages.py

The baseline is the login page, measured in the same run: it renders the same base
template with no query, so the difference is the cost of the page's own work.
"""

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import scratch_django, timed, write_section  # noqa: E402

PEOPLE = 100_000
INTERACTIONS = 300_000


def build_big_workspace(owner):
    from django.utils import timezone

    from rapport.accounts.actions import create_workspace
    from rapport.people.actions import refresh_contact_dates
    from rapport.people.models import Interaction, Person, Tag, Team

    ws = create_workspace("Big Bakery", "big", owner=owner)
    member = ws.memberships.get()
    rng = random.Random(7)
    teams = [Team.objects.create(workspace=ws, name=f"Team {i}") for i in range(8)]
    vip = Tag.objects.create(workspace=ws, name="VIP")
    groups = ["customer"] * 90 + ["employee"] * 3 + ["supplier"] * 3 + ["community"] * 4
    people = [
        Person(
            workspace=ws,
            group=rng.choice(groups),
            name=f"Person {i:06d} {rng.choice(['Martin', 'Dubois', 'Okafor', 'Lind', 'Haddad'])}",
            email=f"p{i}@example.com",
            external_id=f"X{i}",
            team=rng.choice(teams) if rng.random() < 0.03 else None,
            owner=member if rng.random() < 0.2 else None,
        )
        for i in range(PEOPLE)
    ]
    Person.objects.bulk_create(people, batch_size=5000)
    ids = list(Person.objects.filter(workspace=ws).values_list("id", flat=True))
    Person.tags.through.objects.bulk_create(
        [Person.tags.through(person_id=i, tag_id=vip.id) for i in ids[::50]], batch_size=5000
    )
    now = timezone.now()
    busy = ids[0]
    rows = [
        Interaction(
            workspace=ws,
            person_id=busy if n < 2000 else rng.choice(ids),
            occurred_at=now - timedelta(minutes=rng.randint(1, 700_000)),
            channel=rng.choice(["email", "phone", "chat", "visit"]),
            direction=rng.choice(["inbound", "outbound"]),
            handled_by=member if rng.random() < 0.6 else None,
            text="Could I order two sourdough loaves for Saturday morning?",
        )
        for n in range(INTERACTIONS)
    ]
    Interaction.objects.bulk_create(rows, batch_size=5000)
    refresh_contact_dates(ids)
    return ws, busy


def main() -> None:
    scratch_django()
    from django.db import connection
    from django.test import Client

    from rapport.accounts.models import User
    from rapport.demo.generate import DEMO_LOGINS, generate_demo

    start = time.perf_counter()
    generate_demo(as_of=date.today())
    demo_seconds = time.perf_counter() - start

    owner = User.objects.get(email=DEMO_LOGINS[0].email)
    client = Client()
    client.force_login(owner)
    from rapport.people.models import Person

    regular = (
        Person.objects.filter(workspace__slug="demo", group="customer")
        .order_by("-last_contact_at")
        .first()
    )

    start = time.perf_counter()
    big, busy = build_big_workspace(owner)
    build_seconds = time.perf_counter() - start

    pages = [
        ("login page (baseline)", "/login/"),
        ("demo: directory", "/w/demo/people/"),
        ("demo: directory, customers", "/w/demo/people/?group=customer"),
        ("demo: directory, search", "/w/demo/people/?q=mar"),
        ("demo: person page (a regular)", f"/w/demo/people/{regular.pk}/"),
        ("100k: directory", "/w/big/people/"),
        ("100k: directory, page 1,500", "/w/big/people/?page=1500"),
        ("100k: directory, tag VIP", "/w/big/people/?tag=VIP"),
        ("100k: directory, search", "/w/big/people/?q=Okafor"),
        ("100k: person page (2,000 interactions)", f"/w/big/people/{busy}/"),
    ]
    lines = [
        "| page | median ms | queries |",
        "|---|---:|---:|",
    ]
    for label, url in pages:
        anon = url == "/login/"
        c = Client() if anon else client
        # Each request starts by clearing the query log, so count with an execute wrapper,
        # which sees every statement whatever the log does.
        queries = []
        with connection.execute_wrapper(
            lambda run, sql, *rest, seen=queries: seen.append(sql) or run(sql, *rest)
        ):
            response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)
        ms = timed(lambda c=c, url=url: c.get(url), repeat=15)
        lines.append(f"| {label} | {ms:.1f} | {len(queries)} |")
        print(f"{label:45s} {ms:8.1f} ms  {len(queries):3d} queries")

    body = (
        "## Page load times (SQLite)\n\n"
        f"Demo generated in {demo_seconds:.1f} s; the 100k workspace ({PEOPLE:,} people, "
        f"{INTERACTIONS:,} interactions) built in {build_seconds:.1f} s. Times are the median "
        "of 15 requests through Django's test client (full middleware, auth, scoping and "
        "templates; no network).\n\n" + "\n".join(lines)
    )
    write_section("pages", body)
    print("wrote docs/benchmarks.md (pages)")


if __name__ == "__main__":
    main()
