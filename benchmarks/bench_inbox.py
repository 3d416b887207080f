"""The inbox at size: its pages with 100,000 conversations, against the same pages with 1,000
conversations measured in the same run (the baseline: what the page costs when the size does
not matter), through Django's full request stack on SQLite.

    python benchmarks/bench_inbox.py

Each page is requested 40 times; the table gives the median and the 95th percentile.
"""

import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import scratch_django, write_section  # noqa: E402

SIZES = {"small": 1_000, "big": 100_000}
REPEAT = 40
VIEWS = [
    ("default (open, by priority)", ""),
    ("mine", "?view=mine"),
    ("unassigned", "?view=unassigned"),
    ("needs a person", "?view=person"),
    ("urgent only", "?priority=3"),
    ("search by name", "?q=Okafor"),
    ("page 50", "?page=50"),
]


def build(slug: str, n: int, owner):
    """A workspace with ``n`` conversations in every state, one message each, bulk-written
    (the inbox's own filing is measured elsewhere; this is about reading them)."""
    from django.utils import timezone

    from rapport.accounts.actions import add_member, create_workspace
    from rapport.accounts.models import User
    from rapport.inbox.models import Conversation, Message
    from rapport.people.models import Person

    ws = create_workspace(f"Inbox {n}", slug, owner=owner)
    me = ws.memberships.get()
    others = [
        add_member(ws, User.objects.create_user(f"m{i}-{slug}@example.com", "x" * 12), "staff")
        for i in range(6)
    ]
    members = [me, *others]
    rng = random.Random(n)
    people = Person.objects.bulk_create(
        [
            Person(
                workspace=ws,
                group="customer",
                name=f"Person {i:06d} {rng.choice(['Martin', 'Dubois', 'Okafor', 'Lind'])}",
                email=f"p{i}@{slug}.example.com",
            )
            for i in range(max(n // 5, 10))
        ],
        batch_size=5000,
    )
    now = timezone.now()
    states = ["new", "answered_automatically", "waiting", "assigned", "replied", "resolved"]
    weights = [3, 10, 3, 8, 8, 68]
    rows = []
    for i in range(n):
        status = rng.choices(states, weights)[0]
        owner_ = rng.choice(members) if status in ("assigned", "replied") else None
        at = now - timedelta(minutes=rng.randint(1, 200_000))
        rows.append(
            Conversation(
                workspace=ws,
                person=rng.choice(people),
                source=rng.choice(["email", "widget", "api"]),
                channel="email",
                thread_key=f"t{i}",
                subject=rng.choice(["Order for Saturday", "Allergy question", "Refund", "Hours"]),
                status=status,
                owner=owner_,
                last_owner=owner_,
                automation_stopped=status not in ("new", "answered_automatically"),
                priority=rng.choices([0, 1, 2, 3], [30, 50, 15, 5])[0],
                reasons=["asks something"],
                needs_human=rng.random() < 0.3,
                opened_at=at,
                last_message_at=at,
                awaiting_since=at if status in ("new", "waiting", "assigned") else None,
                reply_due=at + timedelta(hours=8)
                if status in ("new", "waiting", "assigned")
                else None,
                read_at=at,
            )
        )
    Conversation.objects.bulk_create(rows, batch_size=5000)
    ids = Conversation.objects.filter(workspace=ws).values_list("id", flat=True)
    Message.objects.bulk_create(
        [
            Message(
                workspace=ws,
                conversation_id=i,
                author="customer",
                body="Hello, a question.",
                at=now,
            )
            for i in ids
        ],
        batch_size=5000,
    )
    return ws


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def main() -> None:
    scratch_django()
    from django.test import Client

    from rapport.accounts.models import User

    owner = User.objects.create_user("owner@example.com", "x" * 12, name="Owner")
    built = {}
    for slug, n in SIZES.items():
        start = time.perf_counter()
        build(slug, n, owner)
        built[slug] = time.perf_counter() - start
        print(f"built {n:,} conversations in {built[slug]:.1f} s")
    client = Client()
    client.force_login(owner)
    lines = [
        "| view | 1,000: median ms | 1,000: p95 ms | 100,000: median ms | 100,000: p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    worst = 0.0
    for label, query in VIEWS:
        small = measure(client, f"/w/small/inbox/{query}")
        big = measure(client, f"/w/big/inbox/{query}")
        worst = max(worst, big[1])
        lines.append(f"| {label} | {small[0]:.1f} | {small[1]:.1f} | {big[0]:.1f} | {big[1]:.1f} |")
        print(lines[-1])
    body = (
        "## Inbox at size (SQLite)\n\n"
        "`python benchmarks/bench_inbox.py`. Two workspaces in one database: 1,000 conversations "
        "(the baseline) and 100,000 (20,000 people, 7 members, every state, 68% resolved), "
        f"bulk-written in {built['small']:.1f} s and {built['big']:.1f} s. Each page requested "
        f"{REPEAT} times by the owner through Django's test client (full middleware, auth, "
        "scoping and templates; no network).\n\n"
        + "\n".join(lines)
        + f"\n\nWorst p95 at 100,000 conversations: {worst:.0f} ms."
    )
    write_section("inbox", body)
    print("wrote docs/benchmarks.md (inbox)")


if __name__ == "__main__":
    main()
