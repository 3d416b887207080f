"""Verbs of the intake app: e-mail into the timeline, and the webhook endpoints and
mailboxes messages come through. (Items sent by other systems: ``intake.py``.)

Every writer keys what it stores so that the same message sent again adds nothing, reports
each bad message with where it was and why, and keeps the good ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, AutomationKind
from rapport.accounts.models import Automation, Membership, Workspace
from rapport.intake.mail import (
    MailError,
    MailMessage,
    mail_identity,
    parse_message,
    peek_message_id,
)
from rapport.intake.threads import ThreadLinker, node
from rapport.people.actions import refresh_contact_dates
from rapport.people.choices import Channel, Direction, Group
from rapport.people.lookup import person_ids_by_email
from rapport.people.models import Interaction, Person
from rapport.understanding.arrival import queue_analysis

MAIL_BATCH = 500
# Enough to fix a mailbox by hand; past this only the count goes on.
MAX_PROBLEMS = 1000
AUTOREPLY_AUTOMATION = "E-mail auto-replies"


# --- e-mail -------------------------------------------------------------------------------


@dataclass
class MailProblem:
    where: str
    message_id: str
    reason: str

    def __str__(self) -> str:
        named = f" ({self.message_id})" if self.message_id else ""
        return f"{self.where}{named}: {self.reason}"


@dataclass
class MailResult:
    read: int = 0
    created: int = 0
    # Already imported before (the same Message-ID), or twice in what was read.
    unchanged: int = 0
    # Mail between the business's own addresses: no one outside to put it on.
    skipped: int = 0
    rejected: int = 0
    people_created: int = 0
    problems: list[MailProblem] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"{self.read:,} messages: {self.created:,} added, {self.unchanged:,} already there, "
            f"{self.skipped:,} internal skipped, {self.rejected:,} rejected"
        )
        if self.people_created:
            line += f" ({self.people_created:,} people created)"
        return line


class MailImporter:
    """Turns messages into e-mail interactions of one workspace, in batches.

    ``add`` one raw message at a time (from a file or a mailbox); every ``batch_size``
    messages are written in one transaction; ``finish`` writes the rest, records the import
    in the audit log and queues the new messages for reading.

    The other side of a message is its sender, unless the sender is the business (an
    address in ``ours``, a domain written ``@example.com`` there, or any member's login
    email): then it is the first recipient who is not. Mail sent by a member is handled by
    that member; an auto-reply (Auto-Submitted) is handled by the "E-mail auto-replies"
    automation. Unknown addresses become people of ``group``, named from the message.

    A batch the database refuses is reported message by message and the import goes on;
    with ``stop_on_database_error`` the ``DatabaseError`` is raised instead (nothing of the
    batch is counted), so that a mailbox poll stops before it remembers them as read.
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        group: str = Group.CUSTOMER,
        ours: Iterable[str] = (),
        batch_size: int = MAIL_BATCH,
        via: str = "cli",
        actor=None,
        source: str = "",
        now: dt.datetime | None = None,
        progress: Callable[[MailResult], None] | None = None,
        stop_on_database_error: bool = False,
    ):
        if group not in Group.values:
            raise ValueError(f"unknown group {group!r}")
        self.workspace = workspace
        self.group = group
        self.batch_size = batch_size
        self.via = via
        self.actor = actor
        self.source = source
        self.now = now
        self.progress = progress
        self.stop_on_database_error = stop_on_database_error
        self.result = MailResult()
        self.pending: list[tuple[str, bytes]] = []
        self.members = {
            email.lower(): pk
            for pk, email in Membership.objects.filter(workspace=workspace).values_list(
                "pk", "user__email"
            )
        }
        self.our_addresses = set(self.members)
        self.our_domains = set()
        for item in ours:
            item = item.strip().lower()
            if item.startswith("@"):
                self.our_domains.add(item[1:])
            elif item:
                self.our_addresses.add(item)
        self._automation_id: int | None = None

    def is_ours(self, address: str) -> bool:
        return address in self.our_addresses or address.rpartition("@")[2] in self.our_domains

    def add(self, where: str, raw: bytes) -> None:
        self.result.read += 1
        self.pending.append((where, raw))
        if len(self.pending) >= self.batch_size:
            self.flush()
        elif self.progress is not None:
            self.progress(self.result)

    def _problem(self, where: str, message_id: str, reason: str) -> None:
        self.result.rejected += 1
        if len(self.result.problems) < MAX_PROBLEMS:
            self.result.problems.append(MailProblem(where, message_id, reason))

    def _parse(self, batch: list[tuple[str, bytes]]) -> list[tuple[str, MailMessage]]:
        # Messages already imported are spotted by their Message-ID before the (slow) full
        # parse, so importing the same archive again costs little; any doubt goes on to
        # the parser, whose identity is the one stored.
        peeked = {i: mail_identity(peek_message_id(raw)) for i, (_, raw) in enumerate(batch)}
        known = set(
            Interaction.objects.filter(
                workspace=self.workspace, import_key__in=[k for k in peeked.values() if k]
            ).values_list("import_key", flat=True)
        )
        parsed = []
        for i, (where, raw) in enumerate(batch):
            if peeked[i] and peeked[i] in known:
                self.result.unchanged += 1
                continue
            try:
                parsed.append((where, parse_message(raw, now=self.now)))
            except MailError as error:
                self._problem(where, peek_message_id(raw), str(error))
            except Exception as error:  # a message the stdlib parser chokes on
                self._problem(where, peek_message_id(raw), f"unreadable message ({error})")
        return parsed

    def flush(self) -> None:
        """Read and write the messages added so far; the writes in one transaction."""
        batch, self.pending = self._parse(self.pending), []
        if batch:
            result = self.result
            before = (result.created, result.unchanged, result.skipped, result.people_created)
            automation_id = self._automation_id
            try:
                with transaction.atomic():
                    self._write(batch)
            except (DatabaseError, ValueError) as error:
                # What the rolled-back batch counted (or created) did not happen.
                result.created, result.unchanged, result.skipped, result.people_created = before
                self._automation_id = automation_id
                if self.stop_on_database_error and isinstance(error, DatabaseError):
                    raise
                # ValueError: text the database cannot store (a stray byte no decoder caught).
                for where, message in batch:
                    self._problem(where, message.message_id, f"not saved: {error}")
        if self.progress is not None:
            self.progress(self.result)

    def finish(self) -> MailResult:
        self.flush()
        result = self.result
        if result.read:
            record_audit(
                self.workspace,
                AuditAction.IMPORT,
                actor=self.actor,
                via=self.via,
                object_type="mail",
                object_repr=self.source[:200],
                changes={
                    name: [None, value]
                    for name, value in {
                        "messages": result.read,
                        "created": result.created,
                        "unchanged": result.unchanged,
                        "skipped": result.skipped,
                        "rejected": result.rejected,
                        "people created": result.people_created,
                    }.items()
                },
            )
        if result.created:
            # Bulk writes bypass save(): ask for the new messages to be read.
            queue_analysis(self.workspace.pk)
        return result

    # The batch writer -----------------------------------------------------------------

    def _other_side(self, message: MailMessage):
        """(direction, the outside address, member id, automation?) or None if internal."""
        sender = message.sender
        if not self.is_ours(sender.email):
            return Direction.INBOUND, sender, None, False
        outside = [a for a in message.recipients if not self.is_ours(a.email)]
        if not outside:
            return None
        if message.auto_submitted:
            return Direction.OUTBOUND, outside[0], None, True
        return Direction.OUTBOUND, outside[0], self.members.get(sender.email), False

    def _automation(self) -> int:
        if self._automation_id is None:
            automation, _ = Automation.objects.get_or_create(
                workspace=self.workspace,
                name=AUTOREPLY_AUTOMATION,
                defaults={"kind": AutomationKind.AUTORESPONDER},
            )
            self._automation_id = automation.pk
        return self._automation_id

    def _people(self, parties) -> dict[str, int]:
        names: dict[str, str] = {}
        for _, address, _, _ in parties:
            if not names.get(address.email):
                names[address.email] = address.name
        people = person_ids_by_email(self.workspace, set(names), self.group)
        missing = [email for email in names if email not in people]
        if missing:
            now = timezone.now()
            fresh = [
                Person(
                    workspace=self.workspace,
                    group=self.group,
                    name=(names[email] or email)[:200],
                    email=email,
                    created_at=now,
                    updated_at=now,
                )
                for email in missing
            ]
            Person.objects.bulk_create(fresh, batch_size=500)
            people.update({p.email: p.pk for p in fresh})
            self.result.people_created += len(fresh)
        return people

    def _write(self, batch: list[tuple[str, MailMessage]]) -> None:
        existing = set(
            Interaction.objects.filter(
                workspace=self.workspace, import_key__in=[m.identity for _, m in batch]
            ).values_list("import_key", flat=True)
        )
        fresh = []
        for _, message in batch:
            if message.identity in existing:
                self.result.unchanged += 1
                continue
            existing.add(message.identity)
            party = self._other_side(message)
            if party is None:
                self.result.skipped += 1
                continue
            fresh.append((message, party))
        if not fresh:
            return
        people = self._people([party for _, party in fresh])
        chains = [
            [node(ref) for ref in m.references]
            + [node(m.message_id) if m.message_id else m.identity]
            for m, _ in fresh
        ]
        linker = ThreadLinker(self.workspace, chains)
        keys = [linker.assign(chain) for chain in chains]
        rows = []
        for (message, (direction, address, member_id, automated)), key in zip(
            fresh, keys, strict=True
        ):
            rows.append(
                Interaction(
                    workspace=self.workspace,
                    person_id=people[address.email],
                    occurred_at=message.occurred_at,
                    channel=Channel.EMAIL,
                    direction=direction,
                    handled_by_id=member_id,
                    handled_by_automation_id=self._automation() if automated else None,
                    subject=message.subject,
                    text=message.text,
                    thread_key=linker.final(key),
                    external_id=message.message_id[:100],
                    import_key=message.identity,
                )
            )
        Interaction.objects.bulk_create(rows, batch_size=500)
        linker.save()
        refresh_contact_dates({row.person_id for row in rows})
        self.result.created += len(rows)


def import_mail_files(
    workspace: Workspace,
    files,
    *,
    group: str = Group.CUSTOMER,
    ours: Iterable[str] = (),
    via: str = "cli",
    actor=None,
    batch_size: int = MAIL_BATCH,
    progress: Callable[[MailResult], None] | None = None,
) -> MailResult:
    """Import every message of ``files`` (.eml files, .mbox archives) into ``workspace``.

    A file that cannot be read (permissions, a disk error) is reported as a problem and the
    other files are still imported."""
    import mailbox

    from rapport.intake.mail import read_mail_files

    files = [Path(f) for f in files]
    importer = MailImporter(
        workspace,
        group=group,
        ours=ours,
        via=via,
        actor=actor,
        batch_size=batch_size,
        progress=progress,
        source=", ".join(f.name for f in files),
    )
    for path in files:
        try:
            for item in read_mail_files([path]):
                importer.add(item.where, item.data)
        except (OSError, mailbox.Error) as error:
            reason = getattr(error, "strerror", None) or str(error)
            importer.result.rejected += 1
            importer.result.problems.append(MailProblem(str(path), "", f"cannot read: {reason}"))
    return importer.finish()


# --- endpoints and mailboxes --------------------------------------------------------------


def create_webhook(
    workspace: Workspace,
    *,
    name: str,
    kind: str,
    survey=None,
    created_by: Membership | None = None,
    via: str = "web",
):
    """A new webhook endpoint; its ``secret`` is shown to the caller once, now."""
    from rapport.intake.choices import WebhookKind
    from rapport.intake.models import WebhookEndpoint

    name = name.strip()
    if not name:
        raise ValueError("give the webhook a name")
    if kind not in WebhookKind.values:
        raise ValueError(f"unknown webhook kind {kind!r}: {', '.join(WebhookKind.values)}")
    if kind == WebhookKind.RESPONSES:
        if survey is None:
            raise ValueError("a webhook for answers needs its survey")
        if survey.workspace_id != workspace.pk:
            raise ValueError("that survey belongs to another business")
    else:
        survey = None
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, name=name[:100], kind=kind, survey=survey, created_by=created_by
    )
    record_audit(
        workspace,
        AuditAction.CREATE,
        endpoint,
        actor=created_by.user if created_by else None,
        via=via,
        changes={"kind": [None, kind], "survey": [None, str(survey) if survey else None]},
    )
    return endpoint


def revoke_webhook(endpoint, *, actor=None, via: str = "web") -> None:
    """Stop accepting deliveries on ``endpoint`` (kept, so the audit log still names it)."""
    if not endpoint.active:
        return
    endpoint.active = False
    endpoint.revoked_at = timezone.now()
    endpoint.save(update_fields=["active", "revoked_at"])
    record_audit(
        endpoint.workspace,
        AuditAction.UPDATE,
        endpoint,
        actor=actor,
        via=via,
        changes={"active": [True, False]},
    )


def add_mailbox(
    workspace: Workspace,
    *,
    host: str,
    username: str,
    password: str,
    port: int | None = None,
    ssl: bool = True,
    folder: str = "INBOX",
    own_addresses: Iterable[str] = (),
    group: str = Group.CUSTOMER,
    created_by: Membership | None = None,
    via: str = "cli",
):
    from rapport.intake.models import Mailbox

    host, username = host.strip(), username.strip()
    if not host or not username:
        raise ValueError("a mailbox needs a host and a user name")
    if group not in Group.values:
        raise ValueError(f"unknown group {group!r}: {', '.join(Group.values)}")
    if Mailbox.objects.filter(
        workspace=workspace, host=host, username=username, folder=folder
    ).exists():
        raise ValueError(f"{username}@{host}/{folder} is already read for this business")
    mailbox = Mailbox.objects.create(
        workspace=workspace,
        host=host,
        port=port or (993 if ssl else 143),
        ssl=ssl,
        username=username,
        password=password,
        folder=folder or "INBOX",
        own_addresses=sorted({a.strip().lower() for a in own_addresses if a.strip()}),
        group=group,
        created_by=created_by,
    )
    record_audit(
        workspace,
        AuditAction.CREATE,
        mailbox,
        actor=created_by.user if created_by else None,
        via=via,
        changes={"mailbox": [None, str(mailbox)]},
    )
    return mailbox


def remove_mailbox(mailbox, *, actor=None, via: str = "cli") -> None:
    record_audit(mailbox.workspace, AuditAction.DELETE, mailbox, actor=actor, via=via)
    mailbox.delete()
