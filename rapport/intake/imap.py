"""Reading new mail from an IMAP folder into the timeline.

Each poll opens the folder read-only (nothing is marked as read), asks for the UIDs after the
last one read, fetches them a hundred at a time and imports them exactly as the file import
does. The last UID is saved after each hundred is stored, so an interrupted poll resumes
where it stopped. A hundred the database refuses stops the poll before its last UID is
saved, so the next poll reads them again. When the folder's UIDVALIDITY changes (the server
renumbered its messages), everything is fetched again and the import keys keep anything
from being added twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import logging
import re
import ssl
from collections.abc import Callable

from django.db import DatabaseError
from django.utils import timezone

from rapport.intake.actions import MailImporter, MailResult
from rapport.intake.models import Mailbox

FETCH_CHUNK = 100
TIMEOUT_SECONDS = 60
# How much of the rejected messages' reasons a mailbox keeps for its list.
MAX_ERROR_TEXT = 2000

logger = logging.getLogger(__name__)


class MailboxError(Exception):
    """The mailbox could not be read (connection, login, folder); the message says why."""


def connect(mailbox: Mailbox) -> imaplib.IMAP4:
    """A logged-in connection: TLS from the start, or STARTTLS when the server offers it.
    The password is never sent in plain text to another machine: a server without STARTTLS
    is refused unless it is this one (a local mail store or bridge)."""
    context = ssl.create_default_context()
    if mailbox.ssl:
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=context, timeout=TIMEOUT_SECONDS
        )
    else:
        conn = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
        if "STARTTLS" in conn.capabilities:
            conn.starttls(ssl_context=context)
        elif not is_this_machine(mailbox.host):
            with contextlib.suppress(Exception):
                conn.logout()
            raise MailboxError(
                f"{mailbox.host} does not offer STARTTLS, and the password would cross the "
                "network in plain text: connect with TLS (leave out --no-ssl)"
            )
    try:
        conn.login(mailbox.username, mailbox.password)
    except imaplib.IMAP4.error as error:
        with contextlib.suppress(Exception):
            conn.logout()
        raise MailboxError(f"login refused for {mailbox.username}: {_text(error)}")
    return conn


def is_this_machine(host: str) -> bool:
    """Whether ``host`` names this machine by its loopback name or address."""
    if host.strip().lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if v is not None)
    return str(value)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uid_validity(conn: imaplib.IMAP4, folder: str) -> int | None:
    _, data = conn.response("UIDVALIDITY")
    value = data[0] if data and data[0] is not None else None
    if value is None:
        typ, status = conn.status(_quoted(folder), "(UIDVALIDITY)")
        match = re.search(rb"UIDVALIDITY (\d+)", status[0] or b"") if typ == "OK" else None
        value = match.group(1) if match else None
    return int(value) if value is not None else None


def _fetched(data) -> list[tuple[int, bytes]]:
    """(uid, raw message) pairs from a UID FETCH reply, wherever the server put the UID."""
    messages = []
    for i, item in enumerate(data):
        if not isinstance(item, tuple):
            continue
        header, raw = item
        match = re.search(rb"UID (\d+)", header)
        if match is None and i + 1 < len(data) and isinstance(data[i + 1], bytes):
            match = re.search(rb"UID (\d+)", data[i + 1])
        if match is not None:
            messages.append((int(match.group(1)), raw))
    return messages


def poll(
    mailbox: Mailbox,
    *,
    opener: Callable[[Mailbox], imaplib.IMAP4] = connect,
    progress: Callable[[MailResult], None] | None = None,
) -> MailResult:
    """Import the messages that arrived in ``mailbox`` since the last poll.

    Raises ``MailboxError`` when the mailbox cannot be read; the reason is also kept in
    ``mailbox.last_error``. Messages that cannot be imported are counted, and their reasons
    kept in ``last_error`` too, while the others are stored.
    """
    importer = MailImporter(
        mailbox.workspace,
        group=mailbox.group,
        ours=mailbox.own_addresses,
        via="mailbox",
        source=str(mailbox),
        progress=progress,
        stop_on_database_error=True,
    )
    try:
        conn = opener(mailbox)
        try:
            typ, data = conn.select(_quoted(mailbox.folder), readonly=True)
            if typ != "OK":
                raise MailboxError(f"cannot open folder {mailbox.folder!r}: {_text(data)}")
            validity = _uid_validity(conn, mailbox.folder)
            last = mailbox.last_uid if validity == mailbox.uid_validity else 0
            typ, data = conn.uid("SEARCH", None, f"UID {last + 1}:*")
            if typ != "OK":
                raise MailboxError(f"the server refused to list new mail: {_text(data)}")
            # "UID n:*" always answers the highest UID, even when it is below n.
            uids = sorted({u for u in (int(x) for x in (data[0] or b"").split()) if u > last})
            for start in range(0, len(uids), FETCH_CHUNK):
                chunk = uids[start : start + FETCH_CHUNK]
                typ, data = conn.uid("FETCH", ",".join(map(str, chunk)), "(UID BODY.PEEK[])")
                if typ != "OK":
                    raise MailboxError(f"the server refused to send messages: {_text(data)}")
                try:
                    for uid, raw in _fetched(data):
                        importer.add(f"{mailbox}, UID {uid}", raw)
                    importer.flush()
                except DatabaseError as error:
                    # The last UID stays before this hundred: the next poll reads it again.
                    raise MailboxError(
                        f"the database refused the messages of UIDs {chunk[0]}–{chunk[-1]}: "
                        f"none of them was stored, and the next poll reads them again ({error})"
                    ) from error
                mailbox.last_uid, mailbox.uid_validity = chunk[-1], validity
                Mailbox.objects.filter(pk=mailbox.pk).update(
                    last_uid=chunk[-1], uid_validity=validity
                )
            if not uids and validity != mailbox.uid_validity:
                mailbox.uid_validity, mailbox.last_uid = validity, 0
                Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
        finally:
            with contextlib.suppress(Exception):
                conn.logout()
    except (imaplib.IMAP4.error, OSError, MailboxError) as error:
        reason = str(error) if isinstance(error, MailboxError) else _describe(mailbox, error)
        if isinstance(error.__cause__, DatabaseError):
            logger.error("mailbox %s (%s): %s", mailbox.pk, mailbox, reason)
        importer.finish()
        _remember(mailbox, reason)
        raise MailboxError(reason) from error
    result = importer.finish()
    problems = "; ".join(str(p) for p in result.problems)
    _remember(mailbox, f"{result.rejected} message(s) rejected: {problems}" if problems else "")
    return result


def _describe(mailbox: Mailbox, error: Exception) -> str:
    if isinstance(error, ssl.SSLError):
        return f"TLS failed with {mailbox.host}:{mailbox.port}: {error.reason or error}"
    if isinstance(error, TimeoutError):
        return f"{mailbox.host}:{mailbox.port} did not answer within {TIMEOUT_SECONDS} s"
    if isinstance(error, OSError):
        return f"cannot reach {mailbox.host}:{mailbox.port}: {error.strerror or error}"
    return f"the server refused: {_text(error.args[0] if error.args else error)}"


def _remember(mailbox: Mailbox, error: str) -> None:
    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = error[:MAX_ERROR_TEXT]
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=mailbox.last_polled_at, last_error=mailbox.last_error
    )


def poll_all(workspace=None) -> list[tuple[Mailbox, MailResult | None, str]]:
    """Poll every active mailbox (of ``workspace``, or of every business); one mailbox's
    failure does not stop the others. Returns (mailbox, result or None, error)."""
    mailboxes = Mailbox.objects.filter(active=True).select_related("workspace")
    if workspace is not None:
        mailboxes = mailboxes.filter(workspace=workspace)
    outcomes = []
    for mailbox in mailboxes:
        try:
            outcomes.append((mailbox, poll(mailbox), ""))
        except MailboxError as error:
            outcomes.append((mailbox, None, str(error)))
    return outcomes
