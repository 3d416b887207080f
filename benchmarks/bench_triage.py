"""Triage (rapport.engine.triage, issue 16): precision and recall of "needs a person" over
whole conversations, with VADER as a baseline in the same run.

    python benchmarks/bench_triage.py            # writes the `triage` section of docs/benchmarks.md
    python benchmarks/bench_triage.py --quick    # 1,500 Bitext utterances; prints, writes nothing

Every message is read once (``analyze`` in full mode, PII off, and ``asks_something``) and
turned into a ``MessageReading``; each conversation is then triaged as a whole. Rules:

- Rapport: needs a person ⇔ ``triage(...).priority`` ≥ high; or ⇔ any message's
  ``needs_human`` is flagged; and both again on the first message alone, to show what reading
  the whole conversation adds;
- VADER: needs a person ⇔ the lowest compound over the messages ≤ −0.05; or the last
  message's ≤ −0.05; or the first message's ≤ −0.05.

Sets: (a) the project's business messages, dev templates only (``template % 5 == 0``),
chained into conversations; (b) Bitext, all of it, chained the same way, with `complaint` and
`contact_human_agent` as the proxy label; (c) Customer Support on Twitter, the customers'
messages of each thread rebuilt from ``in_response_to_tweet_id``: unlabelled, so only the
share flagged. Chaining (``chain``): within one family (the business messages' group —
customer, employee, supplier, community —, all of Bitext), each message that needs a person
starts one conversation: alternately as its first message followed by 0–3 calm ones, or
after 1–3 calm ones and followed by 0 or more, at most 4 messages in all. The calm messages
left over are cut into conversations of 1–4. Every message is in exactly one conversation;
the draws come from ``random.Random(SEED)``.

Needs the data in ../shared/data and the `dev` extra (vaderSentiment). Under a minute on
2 idle cores.
"""

import argparse
import csv
import dataclasses
import datetime as dt
import os
import random
import sys
import time
from collections import Counter
from email.utils import parsedate_to_datetime
from importlib.metadata import version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "RAPPORT_SHARED_DATA" not in os.environ and not (ROOT.parent / "shared" / "data").exists():
    # A worktree sits one level deeper than the main checkout.
    os.environ["RAPPORT_SHARED_DATA"] = str(ROOT.parents[1] / "shared" / "data")

from benchmarks.bench_text import busy_note, log  # noqa: E402
from benchmarks.common import timed, write_section  # noqa: E402
from rapport.engine.stats import wilson  # noqa: E402
from rapport.engine.text import analyze  # noqa: E402
from rapport.engine.text import evaluation as ev  # noqa: E402
from rapport.engine.text.analysis import VADER_CUTOFF  # noqa: E402
from rapport.engine.text.needs_human import asks_something  # noqa: E402
from rapport.engine.triage import (  # noqa: E402
    HIGH_CODES,
    URGENT_CODES,
    MessageReading,
    Priority,
    triage,
)
from scripts.make_business_messages import build_rows  # noqa: E402

SEED = 16
QUICK_BITEXT = 1_500
BOOTSTRAP = 2_000
T0 = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
GAP = dt.timedelta(minutes=30)  # between the chained messages of one conversation
# Triage runs an hour after the last message: no long wait, no key account, no rules, so
# only what the messages say decides the priority.
AFTER = dt.timedelta(hours=1)

RULES = (
    "Rapport: triage ≥ high",
    "Rapport: a message needs a person",
    "Rapport, first message only: triage ≥ high",
    "Rapport, first message only: needs a person",
    f"VADER: lowest compound ≤ −{VADER_CUTOFF}",
    f"VADER: last message ≤ −{VADER_CUTOFF}",
    f"VADER, first message only: ≤ −{VADER_CUTOFF}",
)


@dataclasses.dataclass
class Conversation:
    """Indices into the set's texts, in the order sent; their times; the label (None when
    unlabelled), how it was built (first, later, calm, thread) and the index of its message
    that needs a person, if any."""

    messages: list[int]
    times: list[dt.datetime]
    label: int | None
    kind: str
    needy: int | None = None


# --- the sets ---------------------------------------------------------------------------


def take(pool: list[int], k: int) -> list[int]:
    return [pool.pop() for _ in range(min(k, len(pool)))]


def chain(labels: list[int], families: list[str], seed: int = SEED) -> list[Conversation]:
    """Chain single labelled messages into conversations of 1–4 (see the module docstring)."""
    rng = random.Random(seed)
    chained: list[tuple[list[int], str, int | None]] = []
    for family in sorted(set(families)):
        members = [i for i, f in enumerate(families) if f == family]
        needy = [i for i in members if labels[i]]
        calm = [i for i in members if not labels[i]]
        rng.shuffle(needy)
        rng.shuffle(calm)
        for n, i in enumerate(needy):
            before = take(calm, rng.randint(1, 3)) if n % 2 else []
            after = take(calm, rng.randint(0, 3 - len(before)))
            chained.append(([*before, i, *after], "later" if before else "first", i))
        while calm:
            chained.append((take(calm, rng.randint(1, 4)), "calm", None))
    return [
        Conversation(
            ids,
            [T0 + k * GAP for k in range(len(ids))],
            int(any(labels[i] for i in ids)),
            kind,
            needy,
        )
        for ids, kind, needy in chained
    ]


def business_set() -> tuple[list[str], list[Conversation]]:
    # Only the dev templates, which no shipped weights were fitted on.
    rows = [r for r in build_rows() if r["template"] % 5 == 0]
    texts = [r["text"] for r in rows]
    return texts, chain([int(r["needs_human"]) for r in rows], [r["group"] for r in rows])


def bitext_set(n: int | None) -> tuple[list[str], list[Conversation], list[str]]:
    """The texts, their conversations and each text's intent."""
    texts, human, intents = ev.load_bitext()
    if n is not None:
        index = sorted(random.Random(SEED).sample(range(len(texts)), n))
        texts, human, intents = ([x[i] for i in index] for x in (texts, human, intents))
    return texts, chain(human, ["bitext"] * len(texts)), intents


def twcs_set() -> tuple[list[str], list[Conversation]]:
    """Each thread's customer messages, one conversation per thread and customer."""
    path = ev.shared_data_dir() / "twcs_customer_support_twitter" / "twcs_head5000.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["tweet_id"] and r["created_at"]]
    # One tweet is broken by a line break (PROVENANCE.md): its tail row has no date, and
    # the tweet itself keeps its first line and no parent.
    parent = {r["tweet_id"]: (r["in_response_to_tweet_id"] or "").removesuffix(".0") for r in rows}

    def root(tweet: str) -> str:
        seen = {tweet}
        while parent.get(tweet) in parent and parent[tweet] not in seen:
            tweet = parent[tweet]
            seen.add(tweet)
        return tweet

    threads: dict[tuple[str, str], list[tuple[dt.datetime, str]]] = {}
    for r in rows:
        if r["inbound"] == "True":
            key = (root(r["tweet_id"]), r["author_id"])
            threads.setdefault(key, []).append((parsedate_to_datetime(r["created_at"]), r["text"]))
    texts: list[str] = []
    conversations = []
    for key in sorted(threads):
        messages = sorted(threads[key])
        ids = list(range(len(texts), len(texts) + len(messages)))
        texts += [text for _, text in messages]
        conversations.append(Conversation(ids, [at for at, _ in messages], None, "thread"))
    return texts, conversations


# --- reading and the rules ----------------------------------------------------------------


class Readers:
    """Rapport (as MessageReading) and VADER, each timed over every text it reads."""

    def __init__(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.vader = SentimentIntensityAnalyzer()
        analyze(["Warm up: the order was late."], pii=False)
        self.seconds = {"Rapport": 0.0, "VADER": 0.0}
        self.texts = 0

    def read(self, texts: list[str]) -> tuple[list[MessageReading], list[float]]:
        start = time.perf_counter()
        readings = [
            message_reading(a, t) for a, t in zip(analyze(texts, pii=False), texts, strict=True)
        ]
        self.seconds["Rapport"] += time.perf_counter() - start
        start = time.perf_counter()
        compounds = [self.vader.polarity_scores(t)["compound"] for t in texts]
        self.seconds["VADER"] += time.perf_counter() - start
        self.texts += len(texts)
        return readings, compounds


def message_reading(analysis, text: str) -> MessageReading:
    """What the inbox would hand triage for one message (its time is set per conversation)."""
    need = analysis.needs_human
    flagged = bool(need and need.flagged)
    return MessageReading(
        T0,
        asks=asks_something(text),
        needs_human=flagged,
        reasons=tuple(r.code for r in need.reasons) if flagged else (),
        sentiment=analysis.sentiment.score if analysis.sentiment else None,
    )


def conversation_readings(c: Conversation, readings: list[MessageReading]) -> list:
    return [
        dataclasses.replace(readings[i], at=at) for i, at in zip(c.messages, c.times, strict=True)
    ]


def high(messages: list[MessageReading]) -> bool:
    return triage(messages, now=messages[-1].at + AFTER).priority >= Priority.HIGH


def verdicts(conversations, readings, compounds) -> dict[str, np.ndarray]:
    """Each rule's "needs a person" for each conversation."""
    out: dict[str, list[bool]] = {rule: [] for rule in RULES}
    for c in conversations:
        messages = conversation_readings(c, readings)
        scores = [compounds[i] for i in c.messages]
        for rule, flag in zip(
            RULES,
            (
                high(messages),
                any(m.needs_human for m in messages),
                high(messages[:1]),
                messages[0].needs_human,
                min(scores) <= -VADER_CUTOFF,
                scores[-1] <= -VADER_CUTOFF,
                scores[0] <= -VADER_CUTOFF,
            ),
            strict=True,
        ):
            out[rule].append(flag)
    return {rule: np.array(flags) for rule, flags in out.items()}


def f1(truth: np.ndarray, flags: np.ndarray) -> float:
    tp = int((truth & flags).sum())
    return 2 * tp / (int(truth.sum()) + int(flags.sum())) if tp else 0.0


def figures(truth: np.ndarray, flags: np.ndarray, later: np.ndarray) -> dict:
    """Precision, recall, share of calm conversations flagged, recall where the conversation
    turns in a later message (Wilson 95% intervals); F1 with a bootstrap 95% interval."""
    tp, flagged, positives = int((truth & flags).sum()), int(flags.sum()), int(truth.sum())
    rng = np.random.default_rng(SEED)
    draws = rng.integers(0, len(truth), size=(BOOTSTRAP, len(truth)))
    boot = [f1(truth[d], flags[d]) for d in draws]
    calm = ~truth
    return {
        "flagged": flagged,
        "precision": (tp / flagged, *wilson(tp, flagged)) if flagged else None,
        "recall": (tp / positives, *wilson(tp, positives)),
        "f1": (f1(truth, flags), *np.percentile(boot, [2.5, 97.5])),
        "later": share(flags[later]),
        "calm": share(flags[calm]),
    }


def share(flags: np.ndarray) -> tuple[float, float, float] | None:
    if not len(flags):
        return None
    k = int(flags.sum())
    return (k / len(flags), *wilson(k, len(flags)))


def measure(name, texts, conversations, readers: Readers) -> dict:
    log(f"{name}: reading {len(texts):,} texts")
    readings, compounds = readers.read(texts)
    flags = verdicts(conversations, readings, compounds)
    lengths = Counter(min(len(c.messages), 4) for c in conversations)
    found = {
        "texts": len(texts),
        "conversations": conversations,
        "readings": readings,
        "lengths": lengths,
        "kinds": Counter(c.kind for c in conversations),
        "needy_flagged": sum(
            readings[c.needy].needs_human for c in conversations if c.needy is not None
        ),
    }
    if conversations[0].label is None:
        found["shares"] = {rule: share(f) for rule, f in flags.items()}
        found["why"] = why(conversations, readings)
        return found
    truth = np.array([bool(c.label) for c in conversations])
    later = np.array([c.kind == "later" for c in conversations])
    found["positives"] = int(truth.sum())
    found["rules"] = {rule: figures(truth, f, later) for rule, f in flags.items()}
    found["why"] = why(conversations, readings)
    return found


def why(conversations, readings) -> dict:
    """Where the two Rapport rules part: conversations (calm ones, when labelled) that triage
    raises to high by the sentiment fall alone, and conversations (that need a person, when
    labelled) with a flagged message whose reason codes give only normal."""
    fall_only, stuck, stuck_codes = 0, 0, Counter()
    for c in conversations:
        messages = conversation_readings(c, readings)
        codes = {code for m in messages if m.needs_human for code in m.reasons}
        is_high = high(messages)
        if c.label != 1 and is_high and not codes & (HIGH_CODES | URGENT_CODES):
            fall_only += 1
        if c.label != 0 and not is_high and any(m.needs_human for m in messages):
            stuck += 1
            stuck_codes.update(codes or {"none"})
    return {"fall_only": fall_only, "stuck": stuck, "stuck_codes": stuck_codes}


def triage_speed(sets: list[dict]) -> dict:
    """Conversations and messages per second for triage over messages already read."""
    every = [conversation_readings(c, s["readings"]) for s in sets for c in s["conversations"]]
    ms = timed(lambda: [high(m) for m in every], repeat=5)
    return {
        "conversations": len(every),
        "messages": sum(len(m) for m in every),
        "per_s": len(every) / ms * 1000,
        "messages_per_s": sum(len(m) for m in every) / ms * 1000,
    }


# --- the report ---------------------------------------------------------------------------


def cell(value) -> str:
    if value is None:
        return "n/a"
    x, low, high_ = value
    return f"{x:.3f} ({low:.2f}–{high_:.2f})"


def labelled_table(found: dict) -> list[str]:
    lines = [
        "| rule | flagged | precision | recall | F1 | recall, turns later | calm flagged |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    n = len(found["conversations"])
    for rule, r in found["rules"].items():
        lines.append(
            f"| {rule} | {r['flagged']:,} of {n:,} | {cell(r['precision'])} | {cell(r['recall'])} "
            f"| {cell(r['f1'])} "
            f"| {cell(r['later'])} | {cell(r['calm'])} |"
        )
    return lines


def parting(found: dict) -> str:
    """One line on where the two Rapport rules part (see ``why``)."""
    w = found["why"]
    n = len(found["conversations"])
    calm = f"the {found['kinds']['calm']:,} calm" if "positives" in found else f"the {n:,}"
    needy = f"the {found['positives']} that need a person" if "positives" in found else "them"
    codes = ", ".join(f"{code} {k}" for code, k in w["stuck_codes"].most_common())
    return (
        f"- Where the two Rapport rules part: {w['fall_only']} of {calm} conversations reach "
        "high only because the sentiment fell (by 0.5 or more from the first message to a "
        f"negative last one); {w['stuck']} of {needy} have a flagged message whose reason "
        "codes give only normal priority" + (f" ({codes})" if codes else "") + "."
    )


def other_intents_flagged(found: dict, top: int = 4) -> str:
    """The Bitext intents outside the label that Rapport flags most, as "intent k of n"."""
    flagged, total = Counter(), Counter(found["intents"])
    for reading, intent in zip(found["readings"], found["intents"], strict=True):
        flagged[intent] += reading.needs_human
    others = [i for i in total if i not in ev.BITEXT_HUMAN_INTENTS]
    worst = sorted(others, key=lambda i: -flagged[i] / total[i])[:top]
    return ", ".join(f"`{i}` {flagged[i]} of {total[i]}" for i in worst)


def describe(found: dict) -> str:
    kinds, lengths = found["kinds"], found["lengths"]
    return (
        f"{len(found['conversations']):,} conversations from {found['texts']:,} messages "
        f"({found['positives']} need a person: {kinds['first']} from the first message, "
        f"{kinds['later']} turn in a later one; {kinds['calm']:,} calm; Rapport flags "
        f"{found['needy_flagged']} of those {found['positives']} messages on their own); by length "
        + ", ".join(f"{k}{'+' if k == 4 else ''}: {lengths[k]}" for k in sorted(lengths))
    )


def report(sets: dict, speed: dict, readers: Readers, *, quick, total_s, loads) -> str:
    business, bitext, twcs = sets["business"], sets["bitext"], sets["twcs"]
    rapport_rate = readers.texts / readers.seconds["Rapport"]
    vader_rate = readers.texts / readers.seconds["VADER"]
    lines = [
        "## Triage: does a conversation need a person?"
        + (" (quick run: NOT for publication)" if quick else ""),
        "",
        f"`python benchmarks/bench_triage.py{' --quick' if quick else ''}` "
        f"({total_s / 60:.1f} minutes here). Each message is read once by "
        "`rapport.engine.text.analyze` (full mode, PII off) and `needs_human.asks_something`, "
        "and becomes a `MessageReading` (flagged, its reason codes when flagged, sentiment "
        "score); `triage` then reads each conversation whole, an hour after its last message, "
        "with no key account, no rules and no earlier unanswered messages counted, so only "
        "what the messages say decides. Rapport says *needs a person* when the priority is "
        "high or urgent, or (second rule) when any message is flagged; the first-message-only "
        f"rows apply the same rules to the first message alone. VADER {version('vaderSentiment')} "
        "reads the same texts in the same run. Precision and recall with Wilson 95% intervals "
        f"(`rapport.engine.stats.wilson`), F1 with a bootstrap 95% interval ({BOOTSTRAP:,} "
        "resamples of the conversations); *recall, turns later*: on the conversations whose "
        "first message is calm and a later one needs a person; *calm flagged*: the share of "
        "conversations that need no person flagged anyway (false alarms, whatever the mix).",
        "",
        "How the labelled sets become conversations (`chain`, seed "
        f"{SEED}): within one family, each message labelled as needing a person starts one "
        "conversation, alternately as its first message (then 0–3 calm messages) or after 1–3 "
        "calm messages (then more calm ones, at most 4 messages in all); the calm messages left "
        "over are cut into conversations of 1–4. Every message is in exactly one conversation, "
        "each conversation has at most one message that needs a person, and a conversation "
        "needs a person when any of its messages does; it counts as found whichever of its "
        "messages raised it. The mix of kinds is set by the construction, so precision "
        "depends on it; *calm flagged* does not.",
        "",
        "### Business messages, dev templates",
        "",
        describe(business) + ". Families: the writer's group (customer, employee, supplier, "
        "community).",
        "",
        *labelled_table(business),
        "",
        parting(business),
        "- The project's own messages (`scripts/make_business_messages.build_rows()`, templates "
        "with `template % 5 == 0`). Rapport's need-for-a-human weights were fitted on the other "
        "templates of this set, which share its style and vocabulary, so these figures "
        "flatter Rapport. The conversations are chained single messages, not real threads: "
        "the messages of one conversation need not be about the same thing, and chaining "
        "unrelated messages makes falls in sentiment commoner than in real threads.",
        "",
        "### Bitext, all intents" + (" (sample)" if quick else ""),
        "",
        describe(bitext) + ". One family.",
        "",
        *labelled_table(bitext),
        "",
        parting(bitext),
        "- A proxy label: `complaint` and `contact_human_agent` need a person, the other 25 "
        'intents do not. The utterances are synthetic and mostly calm requests ("how do I file '
        'a complaint", "I want to speak with an agent"), so a tone-only rule such as VADER\'s '
        "has little to go on; and Rapport flags most messages of some other intents, read as "
        "money or a threat to leave (messages flagged: "
        + other_intents_flagged(bitext)
        + "), which account for many of its false alarms here. It also misses many of the "
        'labelled messages themselves: its phrases for asking for a person take "speak to an '
        'agent" but not "speaking with an operator" or "help filing a complaint". Nothing '
        "in Rapport was fitted on Bitext. "
        "Chained like the business messages, with the same caveat about falls in sentiment.",
        "",
        "### Customer Support on Twitter (unlabelled)",
        "",
        f"{len(twcs['conversations']):,} conversations from {twcs['texts']:,} customer tweets "
        "(the first 5,000 tweets of the set; each thread rebuilt from "
        "`in_response_to_tweet_id`, one conversation per thread and customer, the brands' "
        "replies left out); by length "
        + ", ".join(
            f"{k}{'+' if k == 4 else ''}: {twcs['lengths'][k]}" for k in sorted(twcs["lengths"])
        )
        + ". No label says which need a person, so only the share flagged:",
        "",
        "| rule | share of conversations flagged |",
        "|---|---:|",
        *(f"| {rule} | {cell(s)} |" for rule, s in twcs["shares"].items()),
        "",
        parting(twcs),
        "- Real customers writing to 76 brands in public, often because something went wrong, "
        "so no share here is the right one; the rows show how much each rule flags on real "
        "threads and how much later messages add. Tweets in other languages get no reading "
        "from Rapport (never flagged) but do from VADER. Threads may run past the 5,000-tweet "
        "cut.",
        "",
        "### Speed",
        "",
        "| step | per second |",
        "|---|---:|",
        f"| reading, Rapport (`analyze` full mode, PII off, and `asks_something`) | "
        f"{rapport_rate:,.0f} texts |",
        f"| reading, VADER | {vader_rate:,.0f} texts |",
        f"| `triage` over messages already read | {speed['per_s']:,.0f} conversations "
        f"({speed['messages_per_s']:,.0f} messages) |",
        "",
        f"- Reading: every text of the three sets once ({readers.texts:,}). Triage: all "
        f"{speed['conversations']:,} conversations ({speed['messages']:,} messages), median of "
        "5 passes. PII detection, on by default, costs more than reading; see *Text "
        "understanding*.",
    ]
    if note := busy_note(loads):
        lines.append(note)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a Bitext sample; print only")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    # Only before the run: on 2 cores its own reading would count as "busy".
    loads = [os.getloadavg()[0]]
    readers = Readers()
    bitext = bitext_set(QUICK_BITEXT if args.quick else None)
    sets = {
        "business": measure("business", *business_set(), readers),
        "bitext": measure("bitext", *bitext[:2], readers),
        "twcs": measure("twcs", *twcs_set(), readers),
    }
    sets["bitext"]["intents"] = bitext[2]
    log("triage speed")
    speed = triage_speed(list(sets.values()))
    total_s = time.perf_counter() - began
    body = report(sets, speed, readers, quick=args.quick, total_s=total_s, loads=loads)
    print(body)
    if not args.quick:
        write_section("triage", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
