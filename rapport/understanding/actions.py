"""Analyzing messages and keeping their readings current.

``analyze_pending`` is the one writer: the background task calls it on arrival, and
``rapport reanalyze`` calls it to backfill after a model change. It analyzes messages in
batches, skips people who did not consent to analysis (``Person.may_analyse``), and replaces
readings made by another model version. Each batch is written in its own transaction, so an
interrupted backfill resumes where it stopped.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.engine.text.needs_human import asks_something
from rapport.people.choices import Direction
from rapport.people.models import Interaction
from rapport.understanding.analyzed import analyzed
from rapport.understanding.models import Correction, InteractionReading, LabelField, Theme

BATCH = 256
# Earlier messages from the same person, still unanswered, within this window make a
# "repeated contact".
REPEAT_WINDOW = timedelta(days=14)
TOP_EMOTIONS = 8


class CorrectionError(ValueError):
    """A correction that cannot be recorded; the message says why."""


def current_version() -> str:
    """The version string the shipped model writes on its readings."""
    from rapport.engine.text.analysis import default_model

    return default_model().readings_version


def pending(workspace: Workspace, version: str | None = None):
    """Messages of ``workspace`` with text, from people who allow analysis, that have no
    reading or one from another model version."""
    version = version or current_version()
    return (
        Interaction.objects.filter(workspace=workspace, person__may_analyse=True)
        .exclude(text="", subject="")
        .filter(Q(reading__isnull=True) | ~Q(reading__model_version=version))
    )


# The background tasks that read a workspace's messages (``tasks.py``).
READING_TASKS = ("analyze_workspace", "analyze_block")


def reading_backlog(workspace: Workspace) -> int:
    """How many of ``workspace``'s messages wait for a reading while the background worker
    has a reading of it queued or under way (``tasks.analyze_workspace``, or the blocks a big
    backlog is split into, ``tasks.analyze_block``); 0 otherwise. The messages are counted
    only then: the count walks every message."""
    from django.apps import apps
    from django_tasks import TaskResultStatus

    results = apps.get_model("django_tasks_database", "DBTaskResult")
    reading = results.objects.filter(
        task_path__in=[f"rapport.understanding.tasks.{name}" for name in READING_TASKS],
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__args__0=workspace.pk,
    )
    if not reading.exists():
        return 0
    return pending(workspace).count()


def analyze_pending(
    workspace: Workspace,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    only: Q | None = None,
) -> int:
    """Analyze every pending message of ``workspace`` (at most ``limit``; only those matching
    the interaction filter ``only`` when given, e.g. one person's); returns how many."""
    version = current_version()
    queryset = pending(workspace, version)
    if only is not None:
        queryset = queryset.filter(only)
    total = queryset.count()
    if limit is not None:
        total = min(total, limit)
    done, last_id = 0, 0
    while done < total:
        batch = list(
            queryset.filter(pk__gt=last_id)
            .order_by("pk")
            .only("id", "person_id", "occurred_at", "direction", "text", "subject")[
                : min(BATCH, total - done)
            ]
        )
        if not batch:
            break
        last_id = batch[-1].pk
        _analyze_batch(workspace, batch)
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def _analyze_batch(workspace: Workspace, batch: list[Interaction]) -> None:
    from rapport.engine.text import analyze

    sources = [("text", i.text) if i.text.strip() else ("subject", i.subject) for i in batch]
    analyses = analyze([text for _, text in sources], prior_contacts=_prior_contacts(batch))
    now = timezone.now()
    readings = [
        InteractionReading(
            workspace=workspace,
            interaction_id=interaction.pk,
            source_field=field,
            analysed_at=now,
            **reading_values(analysis),
        )
        for interaction, (field, _), analysis in zip(batch, sources, analyses, strict=True)
    ]
    themes = list(Theme.objects.filter(workspace=workspace, vanished_at__isnull=True))
    if themes:
        for reading, keys in zip(
            readings, assign_themes([t for _, t in sources], themes), strict=True
        ):
            reading.themes = list(keys)
    with transaction.atomic():
        InteractionReading.objects.filter(interaction__in=[i.pk for i in batch]).delete()
        InteractionReading.objects.bulk_create(readings)
        analyzed.send(sender=InteractionReading, workspace_id=workspace.pk)


def _prior_contacts(batch: list[Interaction]) -> list[int]:
    """For each inbound message: how many earlier inbound messages from the same person that
    asked something, within REPEAT_WINDOW, came after the business's last outbound reply."""
    inbound = [i for i in batch if i.direction == Direction.INBOUND]
    if not inbound:
        return [0] * len(batch)
    earliest = min(i.occurred_at for i in inbound) - REPEAT_WINDOW
    timeline: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        Interaction.objects.filter(
            person_id__in={i.person_id for i in inbound}, occurred_at__gte=earliest
        )
        .exclude(direction=Direction.INTERNAL)
        .order_by("occurred_at", "pk")
        .values_list("person_id", "pk", "occurred_at", "direction", "text")
    )
    for person_id, pk, occurred_at, direction, text in rows:
        # A message that only informs (a delivery note, a receipt) asked nothing, so it
        # cannot have gone unanswered.
        if direction == Direction.INBOUND and not asks_something(text):
            continue
        timeline[person_id].append((occurred_at, pk, direction))
    counts = []
    for interaction in batch:
        if interaction.direction != Direction.INBOUND:
            counts.append(0)
            continue
        since = interaction.occurred_at - REPEAT_WINDOW
        count = 0
        for occurred_at, pk, direction in timeline[interaction.person_id]:
            if (occurred_at, pk) >= (interaction.occurred_at, interaction.pk):
                break
            if occurred_at < since:
                continue
            count = 0 if direction == Direction.OUTBOUND else count + 1
        counts.append(count)
    return counts


def reading_values(analysis) -> dict:
    """The stored columns of one ``TextAnalysis``."""
    values = {
        "model_version": analysis.model or "",
        "language": analysis.language,
        "language_supported": analysis.language_supported,
        "notes": list(analysis.notes),
        "error": (analysis.error or "")[:300],
    }
    if analysis.sentiment is not None:
        values.update(
            sentiment=analysis.sentiment.label,
            sentiment_score=analysis.sentiment.score,
            sentiment_confidence=analysis.sentiment.confidence,
        )
    if analysis.emotions:
        top = sorted(analysis.emotions.items(), key=lambda item: -item[1])[:TOP_EMOTIONS]
        values["emotions"] = {label: p for label, p in top if p >= 0.02}
        values["emotion_groups"] = dict(analysis.emotion_groups)
        values["detected_groups"] = list(analysis.detected_groups)
    need = getattr(analysis, "needs_human", None)
    if need is not None:
        values.update(
            needs_human_score=need.score,
            needs_human=need.flagged,
            reasons=[
                {"code": r.code, "label": r.label, "evidence": r.evidence, "weight": r.weight}
                for r in need.reasons
            ],
        )
    toxicity = getattr(analysis, "toxicity", None)
    if toxicity is not None:
        values.update(toxicity=toxicity.score, toxic_terms=list(toxicity.terms))
    spans = getattr(analysis, "pii", ()) or ()
    values["pii"] = [{"start": s.start, "end": s.end, "kind": s.kind} for s in spans]
    values["redacted"] = getattr(analysis, "redacted", None) or ""
    if not analysis.model and analysis.error is None:
        values["model_version"] = current_version()
    return values


# --- corrections ------------------------------------------------------------------------

SENTIMENT_CHOICES = ("negative", "neutral", "positive")
NEEDS_HUMAN_CHOICES = ("yes", "no")


def model_value(reading: InteractionReading, field: str) -> str:
    if field == LabelField.SENTIMENT:
        return reading.sentiment
    if field == LabelField.NEEDS_HUMAN:
        return "yes" if reading.needs_human else "no"
    top = reading.top_emotions
    return top[0][0] if top else ""


def allowed_values(field: str) -> tuple[str, ...]:
    from rapport.engine.text import EMOTIONS

    return {
        LabelField.SENTIMENT: SENTIMENT_CHOICES,
        LabelField.NEEDS_HUMAN: NEEDS_HUMAN_CHOICES,
        LabelField.EMOTION: EMOTIONS,
    }[field]


def record_correction(
    membership: Membership, interaction: Interaction, field: str, value: str, note: str = ""
) -> Correction:
    """Keep a member's verdict on one label; the model's reading itself is left as it was."""
    if field not in LabelField.values:
        raise CorrectionError(f"unknown label {field!r}")
    if value not in allowed_values(field):
        raise CorrectionError(
            f"{value!r} is not a {LabelField(field).label.lower()} value; choose one of "
            + ", ".join(allowed_values(field))
        )
    reading = InteractionReading.objects.filter(interaction=interaction).first()
    if reading is None:
        raise CorrectionError("this message has not been read yet")
    return Correction.objects.create(
        workspace_id=interaction.workspace_id,
        interaction=interaction,
        field=field,
        model_value=model_value(reading, field),
        value=value,
        model_version=reading.model_version,
        note=note.strip()[:300],
        by=membership,
    )


def latest_corrections(workspace: Workspace):
    """The latest correction per message and label, newest first."""
    seen, latest = set(), []
    for correction in (
        Correction.objects.filter(workspace=workspace)
        .select_related("interaction", "by__user")
        .order_by("-created_at", "-id")
    ):
        key = (correction.interaction_id, correction.field)
        if key not in seen:
            seen.add(key)
            latest.append(correction)
    return latest


def agreement(corrections) -> dict[str, dict]:
    """Per label: how many verdicts, and the share where the model was right."""
    out: dict[str, dict] = {}
    for field in LabelField:
        verdicts = [c for c in corrections if c.field == field]
        right = sum(c.agrees for c in verdicts)
        out[field.value] = {
            "label": field.label,
            "n": len(verdicts),
            "right": right,
            "share": right / len(verdicts) if verdicts else None,
        }
    return out


# --- themes -----------------------------------------------------------------------------

# Discovery reads at most this many of the latest messages; all messages are then placed.
THEME_SAMPLE = 50_000


def _embed(texts: list[str]):
    from rapport.engine.text.clean import clean_text
    from rapport.engine.text.encoder import default_encoder

    return default_encoder().encode([clean_text(t).text or " " for t in texts])


def _engine_themes(themes: list[Theme]):
    from rapport.engine.text.themes import Theme as EngineTheme

    return [
        EngineTheme(
            id=t.key, name=t.name, phrases=tuple(t.phrases), centroid=tuple(t.centroid), size=t.size
        )
        for t in themes
    ]


def assign_themes(texts: list[str], themes: list[Theme]) -> list[tuple[str, ...]]:
    """The themes of newly read texts, by their closeness to each theme's centre."""
    from rapport.engine.text.themes import assign

    return assign(_embed(texts), _engine_themes(themes))


def discover_workspace_themes(
    workspace: Workspace, *, progress: Callable[[int, int], None] | None = None
):
    """Find the themes of what the workspace's people wrote, keep the keys of themes found
    before, and place every read message in its themes. Returns the engine's ThemeModel."""
    from rapport.engine.text.themes import discover_themes

    # A message whose words a retention rule removed keeps the themes it was placed in.
    readings = (
        InteractionReading.objects.filter(
            workspace=workspace, interaction__direction=Direction.INBOUND, error=""
        )
        .exclude(interaction__text="", interaction__subject="")
        .order_by("-interaction__occurred_at")
    )
    sample = list(
        readings.values_list("pk", "source_field", "interaction__text", "interaction__subject")[
            :THEME_SAMPLE
        ]
    )
    texts = [text if field == "text" else subject for _, field, text, subject in sample]
    previous = list(Theme.objects.filter(workspace=workspace, vanished_at__isnull=True))
    found = discover_themes(
        texts, _embed(texts) if texts else None, previous=_engine_themes(previous)
    )
    now = timezone.now()
    with transaction.atomic():
        Theme.objects.filter(workspace=workspace, key__in=found.vanished).update(vanished_at=now)
        for theme in found.themes:
            Theme.objects.update_or_create(
                workspace=workspace,
                key=theme.id,
                defaults={
                    "name": theme.name,
                    "phrases": list(theme.phrases),
                    "centroid": [round(float(x), 5) for x in theme.centroid],
                    "size": theme.size,
                    "discovered_at": now,
                    "vanished_at": None,
                },
            )
    # Place every read message: the sample from discovery, the rest by their embeddings.
    placed = dict(zip((pk for pk, *_ in sample), found.assignments, strict=True))
    current = list(Theme.objects.filter(workspace=workspace, vanished_at__isnull=True))
    total = readings.count()
    done = 0
    ids = list(readings.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH * 4):
        chunk = list(
            InteractionReading.objects.filter(pk__in=ids[start : start + BATCH * 4]).select_related(
                "interaction"
            )
        )
        rest = [r for r in chunk if r.pk not in placed]
        if rest:
            texts = [
                r.interaction.text if r.source_field == "text" else r.interaction.subject
                for r in rest
            ]
            placed.update(zip((r.pk for r in rest), assign_themes(texts, current), strict=True))
        for reading in chunk:
            reading.themes = list(placed.get(reading.pk, ()))
        InteractionReading.objects.bulk_update(chunk, ["themes"])
        done += len(chunk)
        if progress:
            progress(done, total)
    return found


# Analyzers of other apps' texts (survey responses...), registered from their AppConfig.ready,
# so that `rapport reanalyze` analyzes them too without understanding importing those apps.
# Each is called as analyzer(workspace, limit=..., progress=...) and returns how many it
# analyzed.
PENDING_ANALYZERS: dict[str, Callable[..., int]] = {}


def register_pending_analyzer(noun: str, analyzer: Callable[..., int]) -> None:
    """``noun`` is plural ("responses"); the CLI prints "<n> <noun> read"."""
    PENDING_ANALYZERS[noun] = analyzer
