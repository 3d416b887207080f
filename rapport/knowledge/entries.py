"""Entries and settings of a business's knowledge base, and the knowledge base the engine
reads (``knowledge_base``): the one place an entry is checked, written and audited.

Reached through ``knowledge.actions``, which the pages, the API, the CLI and the inbox call.
"""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify

from rapport.accounts.audit import diff_fields, record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, Workspace
from rapport.engine.answers import FaqEntry, KnowledgeBase, load_calibrator
from rapport.knowledge.models import Entry, KnowledgeSettings, question_lines

# What one entry may hold: an FAQ answer, not a manual. Longer questions are letters, which
# the engine never answers anyway (engine.answers.MAX_CHARS).
MAX_QUESTIONS = 50
MAX_QUESTION_CHARS = 500
MAX_ANSWER_CHARS = 5_000
MAX_KEY_CHARS = 80
# An owner may ask for automatic answers more often than the shipped default, but never for
# answers the engine thinks are more likely wrong than right.
MIN_THRESHOLD = 0.5
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
# update_settings: leave this setting as it is.
KEEP = object()
# Knowledge bases kept built (their questions embedded) in this process.
CACHE_SIZE = 32


class EntryError(Exception):
    """An entry that cannot be saved; ``problems`` holds (field, reason) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems))


class EntryNotFound(Exception):
    """No entry with that key in this business."""


@dataclass(frozen=True)
class Draft:
    """An entry's cleaned values, checked and ready to write."""

    key: str
    questions: tuple[str, ...]
    answer: str
    language: str
    active: bool = True

    def values(self) -> dict:
        return {
            "questions": "\n".join(self.questions),
            "answer": self.answer,
            "language": self.language,
            "active": self.active,
        }


def same_question(text: str) -> str:
    """A question as compared with others: case and spacing do not count (as in the engine)."""
    return " ".join(text.lower().split())


def taken_questions(workspace: Workspace, *, but: set[str] = frozenset()) -> dict[str, str]:
    """Every example question of the business's entries (except the keys in ``but``),
    compared as ``same_question``, and the key of the entry that holds it."""
    taken = {}
    rows = Entry.objects.filter(workspace=workspace).exclude(key__in=but).order_by("key")
    for key, questions in rows.values_list("key", "questions"):
        for question in question_lines(questions):
            taken.setdefault(same_question(question), key)
    return taken


def key_for(workspace: Workspace, text: str) -> str:
    """A new, unused key made from ``text`` (the first question)."""
    base = slugify(text)[:50].strip("-") or "entry"
    taken = set(
        Entry.objects.filter(workspace=workspace, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def clean_entry(
    workspace: Workspace,
    *,
    key: str | None,
    questions,
    answer: str,
    language: str = "en",
    active: bool = True,
    taken: dict[str, str] | None = None,
) -> Draft:
    """The checked values of an entry, or ``EntryError`` naming every problem at once.

    ``questions``: a list of texts or one text, a question a line. ``key`` None: a new
    entry, its key made from its first question. ``taken``: the questions other entries hold
    (default: the business's entries but this one)."""
    problems = []
    if isinstance(questions, str):
        questions = question_lines(questions)
    listed = [q.strip() for q in questions or () if isinstance(q, str) and q.strip()]
    listed = list({same_question(q): q for q in reversed(listed)}.values())[::-1]
    if not listed:
        problems.append(("questions", "give at least one example question"))
    if len(listed) > MAX_QUESTIONS:
        problems.append(("questions", f"{len(listed)} questions; at most {MAX_QUESTIONS}"))
    for q in listed:
        if len(q) > MAX_QUESTION_CHARS:
            problems.append(
                ("questions", f"{q[:40]!r}… is {len(q):,} characters; at most {MAX_QUESTION_CHARS}")
            )
    answer = (answer or "").strip()
    if not answer:
        problems.append(("answer", "write the answer"))
    elif len(answer) > MAX_ANSWER_CHARS:
        problems.append(
            (
                "answer",
                f"{len(answer):,} characters; an answer may have at most {MAX_ANSWER_CHARS:,}",
            )
        )
    language = (language or "en").strip().lower()
    if not LANGUAGE.match(language):
        problems.append(("language", f"{language!r} is not a two-letter code like en, fr or de"))
    if key is not None:
        key = key.strip()
        if not KEY.match(key) or len(key) > MAX_KEY_CHARS:
            problems.append(
                ("key", f"{key!r}: use lower-case letters, digits, - and _ (at most 80)")
            )
    elif listed:
        key = key_for(workspace, listed[0])
    if taken is None and key is not None:
        taken = taken_questions(workspace, but={key})
    for q in listed:
        other = (taken or {}).get(same_question(q))
        if other is not None and other != key:
            problems.append(
                ("questions", f"{q!r} is in both {other!r} and {key!r}: keep it in one")
            )
    if problems:
        raise EntryError(problems)
    return Draft(key, tuple(listed), answer, language, bool(active))


def write_entry(
    workspace: Workspace, member: Membership | None, draft: Draft, *, via: str, audit: bool = True
) -> tuple[Entry, str]:
    """Create or update the entry ``draft.key``: (entry, "created" | "updated" | "unchanged").
    Nothing is written when nothing changed, so the knowledge base is not rebuilt."""
    entry = Entry.objects.select_for_update().filter(workspace=workspace, key=draft.key).first()
    after = draft.values()
    now = timezone.now()
    if entry is None:
        entry = Entry.objects.create(
            workspace=workspace, key=draft.key, updated_by=member, created_at=now, **after
        )
        if audit:
            record_audit(workspace, AuditAction.CREATE, entry, actor=_user(member), via=via)
        return entry, "created"
    changes = diff_fields({name: getattr(entry, name) for name in after}, after)
    if not changes:
        return entry, "unchanged"
    for name, value in after.items():
        setattr(entry, name, value)
    entry.updated_at, entry.updated_by = now, member
    entry.save()
    if audit:
        record_audit(
            workspace, AuditAction.UPDATE, entry, actor=_user(member), via=via, changes=changes
        )
    return entry, "updated"


def save_entry(
    workspace: Workspace,
    member: Membership | None,
    *,
    key: str | None = None,
    questions,
    answer: str,
    language: str = "en",
    active: bool = True,
    via: str = "web",
) -> Entry:
    """Create the entry ``key`` (None: a new key from its first question) or replace its
    questions, answer, language and state. Audited; raises ``EntryError``."""
    with transaction.atomic():
        draft = clean_entry(
            workspace,
            key=key,
            questions=questions,
            answer=answer,
            language=language,
            active=active,
        )
        return write_entry(workspace, member, draft, via=via)[0]


def get_entry(workspace: Workspace, key: str) -> Entry:
    entry = Entry.objects.filter(workspace=workspace, key=key).first()
    if entry is None:
        raise EntryNotFound(f"no entry {key!r}")
    return entry


def delete_entry(
    workspace: Workspace, member: Membership | None, key: str, *, via: str = "web"
) -> None:
    """Remove the entry ``key``; raises ``EntryNotFound``. Audited."""
    with transaction.atomic():
        entry = get_entry(workspace, key)
        record_audit(workspace, AuditAction.DELETE, entry, actor=_user(member), via=via)
        entry.delete()


def _user(member: Membership | None):
    return member.user if member is not None else None


# --- settings --------------------------------------------------------------------------


def shipped_threshold() -> float:
    return float(load_calibrator()["threshold"])


def knowledge_settings(workspace: Workspace) -> KnowledgeSettings:
    found, _ = KnowledgeSettings.objects.get_or_create(workspace=workspace)
    return found


def effective_threshold(settings: KnowledgeSettings) -> float:
    return settings.threshold if settings.threshold is not None else shipped_threshold()


def update_settings(
    workspace: Workspace,
    member: Membership | None,
    *,
    threshold=KEEP,
    auto_answer: bool | None = None,
    via: str = "web",
) -> KnowledgeSettings:
    """Set the confidence automatic answers need (None: the shipped default) and whether
    the inbox may send them at all. Audited; raises ``EntryError`` for a threshold outside
    [0.5, 1]."""
    with transaction.atomic():
        settings = knowledge_settings(workspace)
        settings = KnowledgeSettings.objects.select_for_update().get(pk=settings.pk)
        after = {}
        if threshold is not KEEP:
            if threshold is not None and not MIN_THRESHOLD <= float(threshold) <= 1:
                raise EntryError(
                    [
                        (
                            "threshold",
                            f"{threshold} is outside 0.5 to 1 (0.5: answer when more "
                            "likely right than wrong; 1: never answer)",
                        )
                    ]
                )
            after["threshold"] = None if threshold is None else round(float(threshold), 4)
        if auto_answer is not None:
            after["auto_answer"] = bool(auto_answer)
        changes = diff_fields({name: getattr(settings, name) for name in after}, after)
        if not changes:
            return settings
        for name, value in after.items():
            setattr(settings, name, value)
        settings.updated_at = timezone.now()
        settings.save()
        record_audit(
            workspace,
            AuditAction.UPDATE,
            settings,
            actor=_user(member),
            via=via,
            object_repr="knowledge base settings",
            changes=changes,
        )
    return settings


# --- the knowledge base the engine reads -------------------------------------------------

_built: OrderedDict[int, tuple[str, KnowledgeBase]] = OrderedDict()
_built_lock = threading.Lock()


def kb_version(workspace: Workspace) -> str:
    """Changes whenever an entry is added, changed or removed, or the threshold changes."""
    seen = Entry.objects.filter(workspace=workspace).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    threshold = (
        KnowledgeSettings.objects.filter(workspace=workspace)
        .values_list("threshold", flat=True)
        .first()
    )
    last = seen["last"].isoformat() if seen["last"] else "-"
    return f"{seen['n']}:{last}:{threshold}"


def knowledge_base(workspace: Workspace) -> KnowledgeBase:
    """The business's active entries as the engine's ``KnowledgeBase``, with its threshold.

    Built once per version of the entries and settings and kept in this process, so the
    questions are embedded once however often it is asked for."""
    version = kb_version(workspace)
    with _built_lock:
        hit = _built.get(workspace.pk)
        if hit is not None and hit[0] == version:
            _built.move_to_end(workspace.pk)
            return hit[1]
    built = KnowledgeBase(
        faq_entries(workspace), threshold=effective_threshold(knowledge_settings(workspace))
    )
    with _built_lock:
        _built[workspace.pk] = (version, built)
        _built.move_to_end(workspace.pk)
        while len(_built) > CACHE_SIZE:
            _built.popitem(last=False)
    return built


def faq_entries(workspace: Workspace) -> list[FaqEntry]:
    """The active entries as the engine's FaqEntry. Saving never lets two entries share a
    question, but a question both hold (rows written some other way) is kept only in the
    first, so the inbox can always build its knowledge base."""
    seen: set[str] = set()
    out = []
    for key, questions, answer, language in (
        Entry.objects.filter(workspace=workspace, active=True)
        .order_by("key")
        .values_list("key", "questions", "answer", "language")
    ):
        own = []
        for question in question_lines(questions):
            if same_question(question) not in seen:
                seen.add(same_question(question))
                own.append(question)
        if own and answer.strip():
            out.append(FaqEntry(id=key, questions=own, answer=answer, language=language))
    return out
