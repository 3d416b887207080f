"""E-mail import: a generated 10,000-message mbox into a fresh SQLite database.

    python benchmarks/bench_import_mbox.py [--messages 10000] [--no-docs]

Writes an mbox of threaded conversations between a bakery and its customers (realistic
headers, Received lines, References chains, quoted replies and signatures; plain UTF-8
quoted-printable, base64 Latin-1, HTML-only and multipart/alternative bodies; a few
replies filed before their parent; a few broken dates), then runs ``rapport import-mail``
on it in a child process, twice. Prints messages/s and the child's peak memory (compared
with the same command on a one-message file), checks that the second run added nothing
and that every conversation has one thread key, and updates the "import-mbox" section of
docs/benchmarks.md.
"""

import argparse
import base64
import os
import quopri
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, scratch_django, write_section  # noqa: E402

DOMAIN = "bench-bakery.example"
STAFF = [("Owner", "owner@example.com"), ("Sam Baker", "sam@example.com")]
SHARED = ("Bench Bakery", f"hello@{DOMAIN}")
PARIS_WINTER = timezone(timedelta(hours=1))
FIRST = ["Anna", "Léa", "Marc", "Zoë", "Tom", "Inès", "Paul", "Jürgen", "Aoife", "Chloé", "Omar"]
LAST = ["Martin", "Dubois", "Müller", "Rossi", "Smith", "Nguyen", "García", "O'Neil", "Kowalski"]
OPENERS = [
    "I ordered a birthday cake for Saturday and wanted to check the time for pick-up.",
    "The sourdough this week was the best yet, thank you so much.",
    "My delivery arrived an hour late again and the croissants were cold.",
    "Do you have anything gluten-free? My daughter has coeliac disease.",
    "Could we order 60 pastries for an office breakfast next Friday?",
    "I was charged twice for my order on Tuesday, could you look into it?",
    "The queue at lunchtime is getting very long, is there a way to pre-order?",
    "Is the almond croissant made with real butter? Asking for an allergy.",
]
REPLIES = [
    "Thank you for letting us know, I am looking into it right now.",
    "Of course! I have noted it down; we will have it ready for you.",
    "I am sorry about that. I have refunded the difference to your card.",
    "Yes, we do, and we can set some aside for you if you tell us the day.",
    "That works for us. Could you confirm the number of people?",
]
FOLLOW_UPS = [
    "Perfect, thanks for the quick answer!",
    "Still waiting on this, could someone get back to me?",
    "Great, see you on Friday then.",
    "That is disappointing, it is the second time this month.",
    "Thanks, much appreciated.",
]
SIGNATURES = ["-- \n{name}\n07700 900{n:03d}", "Sent from my iPhone", "Best,\n{name}", ""]


def _person(rng, n):
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return name, f"customer{n}@example.net"


def _from_header(name, address):
    if name.isascii():
        return f"{name} <{address}>"
    encoded = base64.b64encode(name.encode()).decode()
    return f"=?utf-8?b?{encoded}?= <{address}>"


def _body(rng, text, quoted, author):
    signature = rng.choice(SIGNATURES).format(name=author, n=rng.randrange(1000))
    plain = text + ("\n\n" + signature if signature else "")
    if quoted:
        plain += "\n\nOn Mon, someone wrote:\n" + "\n".join("> " + q for q in quoted.split("\n"))
    kind = rng.random()
    if kind < 0.45:
        encoded = quopri.encodestring(plain.encode()).decode()
        return (
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: quoted-printable\n\n" + encoded
        )
    if kind < 0.6:
        latin = plain.encode("latin-1", "replace")
        return (
            "Content-Type: text/plain; charset=iso-8859-1\n"
            "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(latin).decode()
        )
    html = "<html><body><p>" + text.replace("\n", "<br>") + "</p>"
    if quoted:
        html += '<blockquote type="cite">' + quoted.replace("\n", "<br>") + "</blockquote>"
    html += "</body></html>"
    if kind < 0.75:
        return "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + html
    boundary = f"=_alt{rng.randrange(10**9)}"
    return (
        f'Content-Type: multipart/alternative; boundary="{boundary}"\n\n'
        f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{plain}\n"
        f"--{boundary}\nContent-Type: text/html; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{html}\n--{boundary}--"
    )


def generate(path: Path, messages: int, seed: int = 7) -> tuple[int, int]:
    """Write the mbox; returns (threads, messages with a broken date)."""
    rng = random.Random(seed)
    customers = [_person(rng, n) for n in range(max(10, messages // 7))]
    start = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    written = threads = broken = 0
    out = []
    while written < messages:
        threads += 1
        name, address = rng.choice(customers)
        subject = rng.choice(["Order", "Cake", "Delivery", "Question", "Invoice"]) + f" #{threads}"
        when = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        refs: list[str] = []
        quoted = ""
        for turn in range(min(rng.randint(1, 8), messages - written)):
            ours = turn % 2 == 1
            if ours:
                author, sender = rng.choice([*STAFF, SHARED])
                to = f"{name} <{address}>"
                text = rng.choice(REPLIES)
            else:
                author, sender = name, address
                to = f"{SHARED[0]} <{SHARED[1]}>"
                text = rng.choice(OPENERS if turn == 0 else FOLLOW_UPS)
            mid = f"{threads}.{turn}.{rng.randrange(10**8)}@{'mail.' + DOMAIN if ours else 'example.net'}"
            date = format_datetime(when.astimezone(rng.choice([UTC, PARIS_WINTER])))
            if rng.random() < 0.002:
                date, broken = "sometime last week", broken + 1
            headers = [
                f"Return-Path: <{sender}>",
                f"Received: from smtp.example.net (smtp.example.net [192.0.2.{turn + 1}])\n"
                f"\tby mx.{DOMAIN} with ESMTPS id {rng.randrange(16**8):08X}\n\tfor <{SHARED[1]}>; {date}",
                f"From: {_from_header(author, sender)}",
                f"To: {to}",
                f"Subject: {'Re: ' if turn else ''}{subject}",
                f"Date: {date}",
                f"Message-ID: <{mid}>",
                "MIME-Version: 1.0",
            ]
            if refs:
                headers.append(f"In-Reply-To: <{refs[-1]}>")
                headers.append("References: " + "\n ".join(f"<{r}>" for r in refs))
            message = "\n".join(headers) + "\n" + _body(rng, text, quoted, author)
            out.append((when, message))
            refs.append(mid)
            quoted = text
            when += timedelta(minutes=rng.randint(5, 60 * 48))
            written += 1
    # Mostly in date order, as a mail program exports; 3% filed out of place.
    out.sort(key=lambda pair: pair[0])
    for _ in range(len(out) * 3 // 100):
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for when, message in out:
            body = "\n".join(
                ">" + line if line.startswith("From ") else line for line in message.split("\n")
            )
            handle.write(f"From MAILER-DAEMON {when:%a %b %d %H:%M:%S %Y}\n{body}\n\n")
    return threads, broken


# The child reports its own high-water mark: a fork's RUSAGE_CHILDREN would count the pages
# it shared with this (larger) parent before exec.
CHILD = """
import sys
from rapport.cli import main
status = main(sys.argv[1:])
with open("/proc/self/status") as status_file:
    peak = next(line for line in status_file if line.startswith("VmHWM"))
print("peak_kb", peak.split()[1], file=sys.stderr)
sys.exit(status)
"""


def run_child(argv: list[str], env: dict) -> tuple[float, str, float]:
    """(seconds, the command's output, peak resident memory in MB) of one child run."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *argv],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
    peak_kb = int(done.stderr.rsplit("peak_kb", 1)[1].split()[0])
    return elapsed, done.stdout.strip(), peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    args = parser.parse_args()

    folder = scratch_django()
    try:
        from rapport.accounts.actions import add_member, create_workspace
        from rapport.accounts.models import User
        from rapport.people.models import Interaction

        owner = User.objects.create_user("owner@example.com", "benchmark-password", name="Owner")
        sam = User.objects.create_user("sam@example.com", "benchmark-password", name="Sam")
        workspace = create_workspace("Bench Bakery", "bench", owner=owner)
        add_member(workspace, sam, "staff")

        mbox = folder / "bakery.mbox"
        began = time.perf_counter()
        threads, broken = generate(mbox, args.messages)
        generated_s = time.perf_counter() - began
        size_mb = mbox.stat().st_size / 1024 / 1024
        one = folder / "one.eml"
        one.write_text(
            "From: A <a@example.net>\nTo: hello@bench-bakery.example\nSubject: Hi\n"
            "Date: Mon, 03 Feb 2025 10:00:00 +0000\nMessage-ID: <one@x>\n\nHello\n"
        )

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rapport.settings"}
        base = ["--workspace", "bench", "--ours", "@" + DOMAIN, "--progress", "never"]
        baseline_s, _, baseline_mb = run_child(["import-mail", str(one), *base], env)
        first_s, first_out, peak_mb = run_child(["import-mail", str(mbox), *base], env)
        again_s, again_out, again_mb = run_child(["import-mail", str(mbox), *base], env)

        stored = Interaction.objects.filter(workspace=workspace).exclude(external_id="one@x")
        count = stored.count()
        thread_count = stored.values("thread_key").distinct().count()
        keys_by_conversation: dict[str, set[str]] = {}
        conversations_by_key: dict[str, set[str]] = {}
        for subject, key in stored.values_list("subject", "thread_key"):
            conversation = subject.removeprefix("Re: ")
            keys_by_conversation.setdefault(conversation, set()).add(key)
            conversations_by_key.setdefault(key, set()).add(conversation)
        split = sum(len(keys) > 1 for keys in keys_by_conversation.values())
        merged = sum(len(found) > 1 for found in conversations_by_key.values())
        conversations = len(keys_by_conversation)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    rate, again_rate = args.messages / first_s, args.messages / again_s
    print(
        f"generated {args.messages:,} messages in {threads:,} threads ({size_mb:.1f} MB) "
        f"in {generated_s:.1f} s"
    )
    print(f"first import: {first_s:.1f} s = {rate:,.0f} messages/s  [{first_out}]")
    print(f"second import: {again_s:.1f} s = {again_rate:,.0f} messages/s  [{again_out}]")
    print(
        f"peak memory: {peak_mb:.0f} MB, second run {again_mb:.0f} MB "
        f"(one-message file: {baseline_mb:.0f} MB in {baseline_s:.1f} s)"
    )
    print(
        f"stored {count:,}; {thread_count:,} thread keys for the {conversations:,} "
        f"conversations with a stored message ({threads:,} generated)"
    )
    if " 0 added" not in again_out:
        raise SystemExit("the second import added messages")
    if split or merged:
        raise SystemExit(f"{split} conversations split, {merged} thread keys shared by several")

    section = "\n".join(
        [
            "## E-mail import (mbox)",
            "",
            f"`python benchmarks/bench_import_mbox.py`: a generated mbox of {args.messages:,} "
            f"messages ({size_mb:.1f} MB) in {threads:,} conversations between a bakery and "
            f"{max(10, args.messages // 7):,} customers (Received lines, References chains, "
            "quoted replies and signatures; quoted-printable UTF-8, base64 Latin-1, HTML-only "
            "and multipart/alternative bodies; 3% of messages filed out of order; "
            f"{broken} with a broken date), imported with `rapport import-mail` in a child "
            "process into a fresh SQLite database (WAL), batches of 500 messages.",
            "",
            "| run | messages | seconds | messages/s | peak memory (RSS) |",
            "|---|---:|---:|---:|---:|",
            f"| one-message file (start-up baseline) | 1 | {baseline_s:.1f} | | "
            f"{baseline_mb:.0f} MB |",
            f"| first import | {args.messages:,} | {first_s:.1f} | {rate:,.0f} | "
            f"{peak_mb:.0f} MB |",
            f"| second import (adds nothing) | {args.messages:,} | {again_s:.1f} | "
            f"{again_rate:,.0f} | {again_mb:.0f} MB |",
            "",
            f"- First run: {first_out}. Second run: {again_out}; messages already stored "
            "are recognised by their Message-ID before being parsed.",
            f"- Conversations: {thread_count:,} thread keys for the {conversations:,} "
            f"conversations with a stored message ({threads:,} generated; "
            f"{threads - conversations} had only broken-dated messages): no conversation "
            "split over two keys, no key shared by two conversations, replies filed before "
            "their parent included.",
            "- Seconds are wall time of the whole command (interpreter and Django start-up "
            "included, see the baseline). Peak memory is the child's own high-water resident "
            "set (VmHWM), Python and Django included. The archive is read one message at a "
            f"time: the import of {size_mb:.1f} MB of mail took {peak_mb - baseline_mb:.0f} MB "
            "more than the one-message baseline (one batch of messages and the archive's "
            "table of message offsets).",
        ]
    )
    if not args.no_docs:
        write_section("import-mbox", section)
        print("updated docs/benchmarks.md (import-mbox)")


if __name__ == "__main__":
    main()
