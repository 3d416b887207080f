"""A large archive is read one message at a time: memory does not grow with its size."""

import tracemalloc

from rapport.intake.actions import import_mail_files
from rapport.people.models import Interaction

BODY = "We loved the bread at the market today, thank you all. " * 60  # ~3 KB


def write_mbox(path, count):
    with path.open("w") as handle:
        for n in range(count):
            handle.write(
                f"From customer{n % 50}@example.net Mon Feb 10 08:00:00 2025\n"
                f"From: Customer {n % 50} <customer{n % 50}@example.net>\n"
                "To: hello@alices-bakery.example\n"
                f"Subject: Market day {n}\n"
                "Date: Mon, 10 Feb 2025 08:00:00 +0000\n"
                f"Message-ID: <market-{n}@example.net>\n\n{BODY}\n{n}\n\n"
            )


def test_an_archive_larger_than_the_memory_it_takes_is_imported(personas, tmp_path):
    path = tmp_path / "big.mbox"
    write_mbox(path, 2000)
    size = path.stat().st_size

    tracemalloc.start()
    try:
        result = import_mail_files(personas.bakery, [path], batch_size=100)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.created == 2000 and Interaction.objects.count() == 2000
    assert size > 6_000_000
    # A batch of 100 messages (~300 KB of text), their rows and the mbox's table of
    # offsets: far below the archive's own size.
    assert peak < size / 3, (peak, size)
