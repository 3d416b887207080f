"""Personal-data rights: export a person's data, erase a person, make consent take effect,
and keep each kind of data only as long as the business's rules say. Every one is audited;
the pages, the CLI and the clock call these."""

import datetime as dt
import re
from pathlib import Path

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.models import AuditEvent, Workspace
from rapport.feedback.models import Response, ResponseReading
from rapport.inbox.models import Conversation
from rapport.insights.actions import mark_dirty
from rapport.insights.models import Dimension, Finding, Snapshot
from rapport.lib.csvstream import atomic_file
from rapport.people.choices import Group
from rapport.people.lookup import by_email
from rapport.people.models import Interaction, Person, Purchase
from rapport.predictions.models import Forecast
from rapport.privacy import export, ledger, retention
from rapport.privacy.holdings import ERASERS, HOLDINGS, Erasure, find
from rapport.privacy.models import RetentionRules
from rapport.understanding.models import Correction, InteractionReading, Theme

ERASED = "(erased)"


def holding(name: str):
    return next(h for h in HOLDINGS if h.name == name)


class PrivacyError(ValueError):
    """A request that cannot be carried out; the message says why, in plain words."""


def find_person(workspace: Workspace, *, person_id=None, email: str = "") -> Person:
    """The one person of ``workspace`` named by id or e-mail (ignoring case)."""
    if person_id is not None:
        found = Person.objects.filter(workspace=workspace, pk=person_id).first()
        if found is None:
            raise PrivacyError(f"{workspace.slug} has no person with id {person_id}")
        return found
    email = email.strip()
    if not email:
        raise PrivacyError("name the person by id or by e-mail")
    people = by_email(workspace, [email.lower()]).get(email.lower(), [])
    if not people:
        raise PrivacyError(f"{workspace.slug} has nobody with the e-mail {email}")
    if len(people) > 1:
        ids = ", ".join(str(p.pk) for p in people)
        raise PrivacyError(
            f"{len(people)} people share the e-mail {email} (ids {ids}): name one by id"
        )
    return people[0]


def may_export(membership, person: Person) -> bool:
    """Managers and owners export people's data; an employee's only the owner, because it
    holds their individual predictions, which a manager may not see (docs/predictions.md)."""
    if person.group == Group.EMPLOYEE:
        return membership.can(Role.OWNER)
    return membership.can(Role.MANAGER)


def _export_audit(person: Person, counts: dict, actor, via: str) -> None:
    record_audit(
        person.workspace,
        AuditAction.EXPORT,
        person,
        actor=actor,
        via=via,
        object_repr=f"personal data of {person.name}",
        changes={"rows": {kind: n for kind, n in counts.items() if n}},
    )


def export_person(person: Person, *, actor=None, via: str = "web") -> tuple[bytes, dict]:
    """The archive of everything held about ``person`` (bytes) and its row counts. Audited."""
    data, counts = export.archive_bytes(
        find(person), business=person.workspace.name, now=timezone.now()
    )
    _export_audit(person, counts, actor, via)
    return data, counts


def export_person_to(person: Person, out: Path, *, actor=None, via: str = "cli") -> dict:
    """Write the archive to ``out``, whole or not at all. Audited."""
    found = find(person)
    with atomic_file(out) as handle:
        counts = export.write_archive(
            found, handle, business=person.workspace.name, now=timezone.now()
        )
    _export_audit(person, counts, actor, via)
    return counts


def confirmation_matches(person: Person, typed: str) -> bool:
    """Erasure asks for the person's name, typed: spaces around it and case do not count."""
    return " ".join(typed.split()).casefold() == " ".join(person.name.split()).casefold()


def _redact_audit(person: Person, found) -> int:
    """Keep that things happened to the person, without their name, e-mail or values."""
    redacted = 0
    for event in holding("audit_log").rows(found).iterator():
        event.object_repr = f"person #{person.pk} (erased)"
        if isinstance(event.changes, dict):
            event.changes = {
                key: [ERASED, ERASED] if isinstance(value, list) and len(value) == 2 else ERASED
                for key, value in event.changes.items()
            }
        else:
            event.changes = {}
        event.save(update_fields=["object_repr", "changes"])
        redacted += 1
    # Other entries that named them: their conversations, and anything carrying the address.
    named = AuditEvent.objects.filter(workspace_id=person.workspace_id, object_type="conversation")
    named = named.filter(object_id__in=[str(pk) for pk in found.conversation_ids])
    redacted += named.update(object_repr="conversation (erased)")
    if person.email:
        redacted += AuditEvent.objects.filter(
            workspace_id=person.workspace_id, object_repr__icontains=person.email
        ).update(object_repr="(erased)")
    return redacted


def _first_day(person: Person, found) -> dt.date | None:
    """The earliest day of the person's data that the dashboards count: they recompute
    from there (their snapshots are aggregates and stay, recomputed without the person)."""
    days = [
        Interaction.objects.filter(person=person).aggregate(d=Min("occurred_at"))["d"],
        Purchase.objects.filter(person=person).aggregate(d=Min("purchased_on"))["d"],
        Response.objects.filter(pk__in=found.response_ids).aggregate(d=Min("submitted_on"))["d"],
    ]
    days = [d.date() if isinstance(d, dt.datetime) else d for d in days if d is not None]
    return min(days, default=None)


def erase_person(
    person: Person, *, typed: str, actor=None, via: str = "web", remember_erasure: bool = True
) -> dict:
    """Erase ``person`` and everything linked to them, all in one transaction or nothing.

    ``typed`` must be the person's name (``confirmation_matches``). Anonymous survey
    answers are untouched: they were never linked to anyone. Returns what was removed, per
    kind. The audit log keeps that an erasure happened, and its counts, without the name.
    Once committed, the erasure is noted in the ledger beside the backups (``ledger.py``),
    so that restoring an older backup erases the person again."""
    if not confirmation_matches(person, typed):
        raise PrivacyError(
            f"type the person's name exactly ({len(person.name)} characters) to erase them"
        )
    workspace = person.workspace
    with transaction.atomic():
        found = find(person)
        counts = {h.name: h.rows(found).count() for h in HOLDINGS if h.erasure == Erasure.DELETE}
        counts = {name: n for name, n in counts.items() if n}
        first = _first_day(person, found)
        counts["audit_log_redacted"] = _redact_audit(person, found)
        holding("outreach").rows(found).delete()
        Conversation.objects.filter(workspace=workspace, pk__in=found.conversation_ids).delete()
        Response.objects.filter(workspace=workspace, pk__in=found.response_ids).delete()
        # A supplier's own figures on the dashboards carry their name: they go now, and the
        # refresh recomputes every period from their first day without them.
        figures = Snapshot.objects.filter(
            workspace=workspace, dimension=Dimension.SUPPLIER, member=person.name
        ).delete()[0]
        if figures:
            counts["supplier_figures"] = figures
        # So do the findings that name them (an alert on a supplier's deliveries).
        full_name = person.name.strip()
        naming = Q(key__icontains=full_name) | Q(sentence__icontains=full_name)
        findings = (
            Finding.objects.filter(workspace=workspace).filter(naming).delete()[0]
            if full_name
            else 0
        )
        if findings:
            counts["findings"] = findings
        if themes := _forget_in_themes(person):
            counts["theme_phrases"] = themes
        for name, erase in ERASERS.items():
            if changed := erase(person):
                counts[name] = changed
        person_id = person.pk
        if remember_erasure:
            ledger.remember(person)
        person.delete()
        mark_dirty(workspace.pk, first)
        event = record_audit(
            workspace,
            AuditAction.DELETE,
            actor=actor,
            via=via,
            object_type="person",
            object_repr=f"person #{person_id} (erased)",
            changes={"erased": counts},
        )
        # The number names nobody now; it ties the erasure to the person's earlier entries.
        event.object_id = str(person_id)
        event.save(update_fields=["object_id"])
    return counts


def erase_again(*folders: Path) -> int:
    """Erase again everyone the erasure ledgers in ``folders`` name whom this database still
    holds (after a restore, ``ledger.py``); returns how many. Each is audited as erased
    "via restore" and not noted in the ledger a second time."""
    erased = 0
    for entry in ledger.read(*folders):
        person = Person.objects.filter(
            workspace_id=entry.workspace_id, pk=entry.person_id, created_at=entry.created_at
        ).first()
        if person is not None:
            erase_person(person, typed=person.name, via="restore", remember_erasure=False)
            erased += 1
    return erased


def _forget_in_themes(person: Person) -> int:
    """Take the person's name out of the business's themes: a phrase with one of its words
    goes, and a theme named with one of them (its phrases, or an excerpt of a message) is
    named again by the phrases left. Erring towards removal: a surname that is also a word
    ("Baker") takes that word's phrases too, until the next discovery. Returns how many
    themes changed."""
    words = {w for w in _words(person.name) if len(w) > 1}
    if not words:
        return 0
    changed = []
    for theme in Theme.objects.filter(workspace_id=person.workspace_id):
        kept = [p for p in theme.phrases if not words & _words(p)]
        named = bool(words & _words(theme.name))
        if len(kept) == len(theme.phrases) and not named:
            continue
        theme.phrases = kept
        if named:
            theme.name = " · ".join(kept[:3]) or "(name removed)"
        changed.append(theme)
    Theme.objects.bulk_update(changed, ["phrases", "name"])
    return len(changed)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


CONSENTS = ("may_contact", "may_analyse")


def record_consent_changes(
    workspace: Workspace, changes: list[tuple[Person, dict]], *, actor=None, via: str = "import"
) -> None:
    """For writers that skip ``update_person`` (the people import writes in bulk): audit each
    person's consent change as ``update_person`` would (``{"may_analyse": [True, False]}``),
    and make withdrawn analysis take effect now."""
    if not changes:
        return
    AuditEvent.objects.bulk_create(
        AuditEvent(
            workspace=workspace,
            actor=actor if actor is not None and actor.is_authenticated else None,
            via=via,
            action=AuditAction.UPDATE,
            object_type="person",
            object_id=str(person.pk),
            object_repr=str(person)[:200],
            changes=diff,
        )
        for person, diff in changes
    )
    withdrawn = [
        person.pk for person, diff in changes if diff.get("may_analyse", [0, 1])[1] is False
    ]
    if withdrawn:
        withdraw_analysis(workspace, withdrawn, via=via)


def withdraw_analysis(workspace: Workspace, person_ids=None, *, via: str = "consent") -> dict:
    """What Rapport read about people who do not allow analysis (``may_analyse`` off) goes:
    the readings of their messages and of their identified survey answers, members'
    corrections of those readings, and their predictions. ``person_ids`` limits it to these
    people (None: everyone of the business who declined, as the clock sweeps after an
    import). Audited when anything went; returns the counts."""
    declined = Person.objects.filter(workspace=workspace, may_analyse=False)
    if person_ids is not None:
        declined = declined.filter(pk__in=list(person_ids))
    declined = declined.values("pk")
    with transaction.atomic():
        counts = {
            "readings": InteractionReading.objects.filter(
                workspace=workspace, interaction__person__in=declined
            ).delete()[0],
            "corrections": Correction.objects.filter(
                workspace=workspace, interaction__person__in=declined
            ).delete()[0],
            "survey_readings": ResponseReading.objects.filter(
                workspace=workspace, response__person__in=declined
            ).delete()[0],
            "predictions": Forecast.objects.filter(
                workspace=workspace, person__in=declined
            ).delete()[0],
        }
        counts = {kind: n for kind, n in counts.items() if n}
        if counts:
            record_audit(
                workspace,
                AuditAction.DELETE,
                via=via,
                object_type="consent",
                object_repr="analysis withdrawn: what Rapport read about people who declined",
                changes={"removed": counts},
            )
    return counts


def retention_rules(workspace: Workspace) -> RetentionRules:
    found, _ = RetentionRules.objects.get_or_create(workspace=workspace)
    return found


def set_retention_rules(workspace: Workspace, *, actor=None, via: str = "web", **months) -> dict:
    """Set rules (``message_text_months=24``; None: keep). Audited; returns what changed."""
    unknown = set(months) - set(RetentionRules.RULES)
    if unknown:
        raise PrivacyError(f"no retention rule named {', '.join(sorted(unknown))}")
    for field, value in months.items():
        if value is not None and not (1 <= value <= 600):
            raise PrivacyError(f"{field}: a number of months from 1 to 600, or none to keep")
    rules = retention_rules(workspace)
    changes = {
        field: [getattr(rules, field), value]
        for field, value in months.items()
        if getattr(rules, field) != value
    }
    if changes:
        with transaction.atomic():
            for field, value in months.items():
                setattr(rules, field, value)
            rules.save()
            record_audit(
                workspace,
                AuditAction.UPDATE,
                rules,
                actor=actor,
                via=via,
                object_type="retention",
                object_repr="retention rules",
                changes=changes,
            )
    return changes


def apply_retention(
    workspace: Workspace, *, actor=None, via: str = "web", now: dt.datetime | None = None
) -> dict:
    """Apply the business's retention rules now, in one transaction; audited with the
    counts (also when nothing was old enough). Returns ``{rule: rows changed}``."""
    now = now or timezone.now()
    rules = retention_rules(workspace)
    if not rules.any_set:
        return {}
    with transaction.atomic():
        done = retention.apply(workspace, rules, now)
        rules.applied_on = workspace.today(now)
        rules.save(update_fields=["applied_on"])
        record_audit(
            workspace,
            AuditAction.DELETE,
            actor=actor,
            via=via,
            object_type="retention",
            object_repr="retention rules applied",
            changes={"removed": done},
        )
    return done


def apply_due(workspace: Workspace, now: dt.datetime | None = None) -> dict:
    """The clock's daily work for one business: consent withdrawn by a bulk write, then the
    retention rules once a day."""
    now = now or timezone.now()
    done = {"consent": withdraw_analysis(workspace, via="clock")}
    rules = RetentionRules.objects.filter(workspace=workspace).first()
    if rules and rules.any_set and rules.applied_on != workspace.today(now):
        done["retention"] = apply_retention(workspace, via="clock", now=now)
    return done
