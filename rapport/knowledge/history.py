"""The knowledge base tried on the business's own history.

``threshold_view``: what each threshold would have done with the last year's messages from
customers (how many answered automatically, how many of those likely wrong, how many sent to
a person). ``suggestions``: questions the team answered by hand again and again that no entry
answers yet, grouped by meaning, each a draft entry. Both read texts with the encoder and the
text model (seconds), so ``refresh_reports`` runs them in the background and stores them.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from rapport.accounts.models import Workspace
from rapport.engine.answers import KnowledgeBase, Match
from rapport.engine.text.needs_human import asks_something
from rapport.knowledge.entries import kb_version, knowledge_base, knowledge_settings
from rapport.knowledge.models import KnowledgeSettings
from rapport.people.choices import Channel, Direction, Group
from rapport.people.models import Interaction
from rapport.understanding.models import InteractionReading

# Where customers write in words that a knowledge base could answer.
WRITTEN_CHANNELS = (Channel.EMAIL, Channel.CHAT, Channel.TICKET, Channel.SOCIAL, Channel.OTHER)
HISTORY_DAYS = 365
HISTORY_LIMIT = 2_000
# Below this many messages, shares would mostly be noise: the page says so instead.
MIN_HISTORY = 30
THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99)
# A member's reply counts as the answer to a question when it follows within this time.
REPLY_DAYS = 7
# A group of questions becomes a suggestion from this many messages.
MIN_CLUSTER = 3
EXAMPLES = 5


@dataclass(frozen=True)
class ThresholdViewRow:
    """What one threshold would have done with ``n`` messages of the business's history.

    ``answered`` and ``to_person`` are counts; the shares are None when ``n`` is below
    ``MIN_HISTORY``. ``wrong_estimate``: the expected share of the automatic answers that
    would be wrong, the mean of 1 − confidence over them (the confidence is calibrated; no
    one checked these answers)."""

    threshold: float
    n: int
    answered: int
    to_person: int
    answered_share: float | None
    wrong_estimate: float | None
    to_person_share: float | None

    @property
    def enough(self) -> bool:
        return self.n >= MIN_HISTORY


@dataclass(frozen=True)
class Suggestion:
    """A suggested entry: ``questions`` (examples, personal data redacted, most typical
    first), ``answer`` (a member's reply to the most typical one, redacted, as a draft) and
    ``size`` (how many messages asked it)."""

    questions: list[str]
    answer: str
    size: int


def _window(workspace: Workspace, since: dt.datetime | None):
    since = since or timezone.now() - dt.timedelta(days=HISTORY_DAYS)
    return Interaction.objects.filter(
        workspace=workspace,
        occurred_at__gte=since,
        channel__in=WRITTEN_CHANNELS,
        person__group=Group.CUSTOMER,
        person__may_analyse=True,
    ).exclude(text="")


def recent_questions(workspace: Workspace, *, since: dt.datetime | None = None) -> list[dict]:
    """Customers' most recent written messages (at most HISTORY_LIMIT), newest first."""
    rows = (
        _window(workspace, since)
        .filter(direction=Direction.INBOUND)
        .order_by("-occurred_at", "-id")
        .values("id", "person_id", "thread_key", "occurred_at", "text")
    )
    return list(rows[:HISTORY_LIMIT])


def threshold_view(workspace: Workspace, *, since: dt.datetime | None = None) -> list:
    """Per threshold (``THRESHOLDS`` and the business's own), what the knowledge base
    would have done with the business's recent messages: ``ThresholdViewRow``."""
    texts = [row["text"] for row in recent_questions(workspace, since=since)]
    kb = knowledge_base(workspace)
    matches = kb.match(texts) if texts else []
    thresholds = sorted({*THRESHOLDS, round(kb.threshold, 4)})
    return [_row(threshold, matches) for threshold in thresholds]


def _answered_at(match: Match, threshold: float) -> bool:
    blockers = [r for r in match.reasons if r != "low confidence"]
    return match.entry_id is not None and match.confidence >= threshold and not blockers


def _row(threshold: float, matches: list[Match]) -> ThresholdViewRow:
    n = len(matches)
    confident = [m.confidence for m in matches if _answered_at(m, threshold)]
    enough = n >= MIN_HISTORY
    return ThresholdViewRow(
        threshold=threshold,
        n=n,
        answered=len(confident),
        to_person=n - len(confident),
        answered_share=len(confident) / n if enough else None,
        wrong_estimate=(
            sum(1 - c for c in confident) / len(confident) if enough and confident else None
        ),
        to_person_share=(n - len(confident)) / n if enough else None,
    )


# --- suggested entries -------------------------------------------------------------------


def answered_by_hand(workspace: Workspace, *, since: dt.datetime | None = None) -> list[dict]:
    """Recent messages that asked something and got a member's reply (an outbound message
    handled by a member, to the same person, in the same thread when it has one, within
    REPLY_DAYS): each row with its ``reply`` text."""
    asked = [row for row in recent_questions(workspace, since=since) if asks_something(row["text"])]
    if not asked:
        return []
    replies = defaultdict(list)
    for reply in (
        _window(workspace, min(row["occurred_at"] for row in asked))
        .filter(direction=Direction.OUTBOUND, handled_by__isnull=False)
        .order_by("occurred_at", "id")
        .values("person_id", "thread_key", "occurred_at", "text")
    ):
        replies[reply["person_id"]].append(reply)
    found = []
    for row in asked:
        limit = row["occurred_at"] + dt.timedelta(days=REPLY_DAYS)
        reply = next(
            (
                r
                for r in replies[row["person_id"]]
                if row["occurred_at"] < r["occurred_at"] <= limit
                and (not row["thread_key"] or r["thread_key"] == row["thread_key"])
            ),
            None,
        )
        if reply is not None:
            found.append({**row, "reply": reply["text"]})
    return found


def suggestions(workspace: Workspace, *, since: dt.datetime | None = None) -> list[Suggestion]:
    """Questions answered by hand that the knowledge base does not answer, grouped by
    meaning (sentence embeddings, average-linkage clustering at the themes' similarity);
    every group of at least MIN_CLUSTER messages, largest first."""
    rows = answered_by_hand(workspace, since=since)
    if len(rows) < MIN_CLUSTER:
        return []
    # Only the confidence counts here, not whether the message was routine: the text model's
    # routine check is left out (it takes most of the time).
    kb = knowledge_base(workspace)
    matches = KnowledgeBase(kb.entries, kb.threshold, analyze=False).match(
        [row["text"] for row in rows]
    )
    rows = [
        row
        for row, m in zip(rows, matches, strict=True)
        if m.entry_id is None or m.confidence < kb.threshold
    ]
    groups = _groups([row["text"] for row in rows])
    redacted = _redacted(workspace, rows, {i for group in groups for i in group[:EXAMPLES]})
    out = []
    for group in groups:
        examples = list(dict.fromkeys(redacted[i][0] for i in group[:EXAMPLES]))
        out.append(Suggestion(questions=examples, answer=redacted[group[0]][1], size=len(group)))
    return out


def _groups(texts: list[str]) -> list[list[int]]:
    """Indices of texts that ask the same thing, most central first, per group of at least
    MIN_CLUSTER; largest group first."""
    if len(texts) < MIN_CLUSTER:
        return []
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    from rapport.engine.text.clean import clean_text
    from rapport.engine.text.encoder import default_encoder
    from rapport.engine.text.themes import MIN_SIMILARITY

    vectors = default_encoder().encode([clean_text(t[:1000]).text or t[:1000] for t in texts])
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - MIN_SIMILARITY
    ).fit_predict(vectors)
    groups = []
    for label in set(labels.tolist()):
        members = np.flatnonzero(labels == label)
        if len(members) < MIN_CLUSTER:
            continue
        centre = vectors[members].mean(0)
        order = members[np.argsort(-(vectors[members] @ centre), kind="stable")]
        groups.append(order.tolist())
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def _redacted(workspace: Workspace, rows: list[dict], wanted: set[int]) -> dict:
    """(question, reply) of the rows at ``wanted`` with personal data replaced: the stored
    reading's redacted text where the message was read, the PII finder otherwise."""
    from rapport.engine.text.pii import find_pii, redact

    stored = dict(
        InteractionReading.objects.filter(
            workspace=workspace, interaction_id__in=[rows[i]["id"] for i in wanted]
        )
        .exclude(redacted="")
        .values_list("interaction_id", "redacted")
    )
    order = sorted(wanted)
    texts = [rows[i]["text"] for i in order] + [rows[i]["reply"] for i in order]
    spans = find_pii(texts)
    plain = [redact(text, found) for text, found in zip(texts, spans, strict=True)]
    return {
        i: (stored.get(rows[i]["id"]) or plain[j], plain[len(order) + j])
        for j, i in enumerate(order)
    }


# --- stored reports ----------------------------------------------------------------------


def refresh_reports(workspace: Workspace) -> KnowledgeSettings:
    """Compute the threshold view and the suggestions and store them with the time and the
    knowledge base's version (the background task; the pages show what was stored)."""
    version = kb_version(workspace)
    rows = [{**asdict(row), "enough": row.enough} for row in threshold_view(workspace)]
    suggested = [asdict(s) for s in suggestions(workspace)]
    with transaction.atomic():
        settings = knowledge_settings(workspace)
        KnowledgeSettings.objects.filter(pk=settings.pk).update(
            report=rows, suggestions=suggested, reports_at=timezone.now(), reports_version=version
        )
        settings.refresh_from_db()
    return settings
