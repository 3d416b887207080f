"""Analyzing what respondents wrote in their free-text answers.

A response's free-text answers are joined in question order (``free_text``) and read as one
text, the way the understanding app reads a message: same engine, same stored columns
(``understanding.actions.reading_values``), same model version, same themes. The
``ResponseReading`` keeps PII offsets into that joined text, so the inbox can mark or redact
it. ``analyze_pending_responses`` is the one writer: the background task calls it when a
response arrives, and ``rapport reanalyze`` calls it after a model upgrade. Responses of
people who did not consent to analysis (``Person.may_analyse``) are never read; anonymous
responses have no person to ask and are read.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from rapport.accounts.models import Workspace
from rapport.feedback.models import Answer, Response, ResponseReading
from rapport.understanding.actions import BATCH, assign_themes, current_version, reading_values
from rapport.understanding.models import Theme

# Between two answers in the joined text: a paragraph break, so no sentence runs into the next.
SEPARATOR = "\n\n"
# ``ResponseReading.source_field``: PII offsets point into the joined answers.
SOURCE_FIELD = "answers"


def free_text(answers: Iterable[Answer]) -> str:
    """The text that is read: the non-empty free-text answers, in question order."""
    ordered = sorted(answers, key=lambda a: (a.question.position, a.question_id))
    return SEPARATOR.join(a.text for a in ordered if a.text)


def pending_responses(workspace: Workspace, version: str | None = None):
    """Responses of ``workspace`` with free text, from anonymous respondents or people who
    allow analysis, that have no reading or one from another model version."""
    version = version or current_version()
    has_text = Exists(Answer.objects.filter(response=OuterRef("pk")).exclude(text=""))
    return (
        Response.objects.filter(workspace=workspace)
        .filter(Q(person__isnull=True) | Q(person__may_analyse=True))
        .filter(has_text)
        .filter(Q(reading__isnull=True) | ~Q(reading__model_version=version))
    )


def analyze_pending_responses(
    workspace: Workspace,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Analyze every pending response of ``workspace`` (at most ``limit``); returns how many.

    Batches of ``BATCH``, each written in its own transaction, so an interrupted run resumes
    where it stopped."""
    version = current_version()
    queryset = pending_responses(workspace, version)
    total = queryset.count()
    if limit is not None:
        total = min(total, limit)
    done, last_id = 0, None
    while done < total:
        page = queryset.order_by("pk")
        if last_id is not None:
            page = page.filter(pk__gt=last_id)
        ids = list(page.values_list("pk", flat=True)[: min(BATCH, total - done)])
        if not ids:
            break
        last_id = ids[-1]
        _analyze_batch(workspace, ids)
        done += len(ids)
        if progress:
            progress(done, total)
    return done


def _analyze_batch(workspace: Workspace, ids: list) -> None:
    from rapport.engine.text import analyze

    answers: dict = defaultdict(list)
    for answer in (
        Answer.objects.filter(response_id__in=ids).exclude(text="").select_related("question")
    ):
        answers[answer.response_id].append(answer)
    texts = [free_text(answers[pk]) for pk in ids]
    analyses = analyze(texts)
    now = timezone.now()
    readings = [
        ResponseReading(
            workspace=workspace,
            response_id=pk,
            source_field=SOURCE_FIELD,
            analysed_at=now,
            **reading_values(analysis),
        )
        for pk, analysis in zip(ids, analyses, strict=True)
    ]
    themes = list(Theme.objects.filter(workspace=workspace, vanished_at__isnull=True))
    if themes:
        for reading, keys in zip(readings, assign_themes(texts, themes), strict=True):
            reading.themes = list(keys)
    with transaction.atomic():
        ResponseReading.objects.filter(response_id__in=ids).delete()
        ResponseReading.objects.bulk_create(readings)
