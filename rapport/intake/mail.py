"""Reading e-mail: ``.eml`` files, ``.mbox`` archives and raw IMAP messages into plain
``MailMessage`` values, one message at a time.

Nothing here touches the database. ``parse_message`` turns the bytes of one message into
who wrote to whom, when, the subject and the readable text (the plain part, or the HTML part
turned into text; quoted replies and signatures trimmed; any charset decoded, wrong labels
included). A message that cannot be used raises ``MailError`` with a reason a person can act
on. ``read_mail_files`` streams the messages of many files, so a 10,000-message archive is
never held in memory.
"""

from __future__ import annotations

import datetime as dt
import email
import email.errors
import email.policy
import email.utils
import mailbox
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from html.parser import HTMLParser
from pathlib import Path

from rapport.lib.keys import record_key

# Longer bodies (newsletters, pasted logs) are cut: a person reads the first pages only.
MAX_TEXT = 50_000
MAX_SUBJECT = 200
# A Date header more than this far ahead of the clock is wrong, not early.
FUTURE_SLACK = dt.timedelta(days=1)
MAIL_SUFFIXES = (".eml", ".mbox", ".mbx", ".msg.txt")


class MailError(ValueError):
    """A message that cannot be imported; the message says why."""


@dataclass(frozen=True)
class Address:
    name: str
    email: str  # lower case


@dataclass
class MailMessage:
    """One message, read."""

    message_id: str  # without angle brackets; "" when the message has none
    # Its ancestors, oldest first (References, then In-Reply-To when References lacks it).
    references: list[str]
    sender: Address
    to: list[Address]
    cc: list[Address]
    subject: str
    text: str
    occurred_at: dt.datetime
    # Sent by a program (an auto-reply, a notification), per its Auto-Submitted header.
    auto_submitted: bool = False
    # A stable hash: of the Message-ID or, without one, of the headers and the body.
    identity: str = ""
    recipients: list[Address] = field(default_factory=list)


# --- headers ------------------------------------------------------------------------------

_ID = re.compile(r"<([^<>\s]+)>")


def message_ids(value: str | None) -> list[str]:
    """The ids in a Message-ID, In-Reply-To or References header, in order."""
    if not value:
        return []
    found = _ID.findall(value)
    if not found:
        # Some programs drop the angle brackets.
        found = [token.strip("<>,;") for token in value.split() if "@" in token]
    out: list[str] = []
    for item in found:
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return out


def _raw_headers(msg, name: str) -> list[str]:
    """The undecoded values of every ``name`` header (parsing them never raises)."""
    wanted = name.lower()
    values = []
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            values.append(str(value))
    return values


_SURROGATES = re.compile("[\ud800-\udfff]")


def _unescaped(value: str) -> str:
    """Raw 8-bit bytes in a header reach us as surrogate escapes: decode them for real."""
    if not _SURROGATES.search(value):
        return value
    return decode_bytes(value.encode("utf-8", "surrogateescape"), None)


def _decoded(value: str) -> str:
    """A header value with its encoded words (=?utf-8?q?...?=) decoded, whatever happens."""
    value = re.sub(r"\r?\n[ \t]+", " ", _unescaped(str(value)))
    try:
        decoded = str(make_header(decode_header(value)))
    except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError):
        decoded = value
    # What is left unencodable (a lone surrogate from a broken encoded word) is replaced.
    return decoded.encode("utf-8", "replace").decode("utf-8")


def _header_text(msg, name: str) -> str:
    values = _raw_headers(msg, name)
    if not values:
        return ""
    text = _decoded(values[0])
    return re.sub(r"\s+", " ", text).replace("\x00", "").strip()


def _addresses(msg, name: str) -> list[Address]:
    found: list[Address] = []
    for value in _raw_headers(msg, name):
        # Split the raw value, then decode each name: a decoded name may hold a comma.
        value = re.sub(r"\r?\n[ \t]+", " ", _unescaped(str(value)))
        for display, addr in email.utils.getaddresses([value]):
            addr = _decoded(addr or "").strip().strip("<>").lower()
            if "@" not in addr or len(addr) > 254 or any(c.isspace() for c in addr):
                continue
            display = re.sub(r"\s+", " ", _decoded(display or "")).strip().strip("'\"")
            if display.lower() == addr:
                display = ""
            found.append(Address(display.replace("\x00", ""), addr))
    return found


def parse_date(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """The aware time of a Date header; ``MailError`` when it is missing or unreadable."""
    if not value or not value.strip():
        raise MailError("no Date header")
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        when = None
    if when is None:
        raise MailError(f"unreadable Date header {value.strip()[:60]!r}")
    if when.tzinfo is None:
        # "-0000": the time is in UTC, the sender's own zone unknown (RFC 5322 3.3).
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    if when.year < 1980:
        raise MailError(f"Date header {value.strip()[:60]!r} is before 1980")
    if when > now + FUTURE_SLACK:
        raise MailError(f"Date header {value.strip()[:60]!r} is in the future")
    return when


# --- bodies -------------------------------------------------------------------------------


def decode_bytes(payload: bytes, declared: str | None) -> str:
    """Text from bytes whose label may be missing, unknown or wrong.

    The declared charset is tried first, strictly; then UTF-8, then Windows-1252 (what
    "us-ascii" mail with accents usually is), then Latin-1, which cannot fail.
    """
    candidates = [declared] if declared else []
    candidates += ["utf-8", "cp1252"]
    for name in candidates:
        try:
            return payload.decode(name.strip().strip('"'))
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


_SKIPPED_TAGS = {"script", "style", "head", "title", "blockquote", "template", "noscript"}
# Where mail programs put the message being answered.
_QUOTE_MARKERS = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "divrplyfwdmsg")
_BLOCK_TAGS = {
    "p",
    "div",
    "tr",
    "table",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "address",
    "pre",
    "hr",
    "dl",
    "dt",
    "dd",
}
_VOID_TAGS = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


class _TextFromHtml(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if self.skip_tag:
            if tag == self.skip_tag:
                self.skip_depth += 1
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id")).lower()
        if tag in _SKIPPED_TAGS or (
            tag not in _VOID_TAGS and any(m in marks for m in _QUOTE_MARKERS)
        ):
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS and self.skip_tag == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.skip_tag:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data):
        if self.skip_tag:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Readable text from an HTML mail body: paragraphs kept, markup and quotes dropped."""
    parser = _TextFromHtml()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):
        pass  # a broken tail: keep what was read before it
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_ATTRIBUTION = re.compile(
    r"^(On\s.+wrote|Le\s.+a\s+écrit|Am\s.+schrieb.*|El\s.+escribió|Op\s.+schreef.*"
    r"|Il\s.+ha\s+scritto)\s*:\s*$",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(
    r"^\s*(-{2,}\s*(Original Message|Forwarded message|Message d'origine|Ursprüngliche Nachricht)"
    r"\s*-{2,}|_{20,})\s*$",
    re.IGNORECASE,
)
_HEADER_BLOCK = re.compile(r"^\*?(From|De|Von|Van|Da)\s*:\*?\s+\S", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\*?(Sent|Date|Envoyé|Gesendet|Verzonden|Inviato|To|À)\s*:", re.IGNORECASE
)
_SENT_FROM = re.compile(
    r"^(Sent from my \w+.*|Sent from (Mail|Outlook|Yahoo Mail).*|Get Outlook for \w+.*"
    r"|Envoyé de mon \w+.*|Von meinem \w+ gesendet.*)$",
    re.IGNORECASE,
)


def trim_reply(text: str) -> str:
    """The new part of a message: quoted text, the "On ... wrote:" line, a forwarded or
    original message below a separator, a signature after "-- " and "Sent from my phone"
    footers are removed. Returns the whole text when nothing would be left."""
    lines = text.split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if line.rstrip() == "--" or line == "-- ":
            cut = i
            break
        if _ORIGINAL.match(stripped):
            cut = i
            break
        # An attribution may wrap over two lines: "On Mon, 3 Feb 2025, Ann <ann@x>" / "wrote:".
        joined = " ".join(s.strip() for s in lines[i : i + 2])
        if stripped and (
            _ATTRIBUTION.match(stripped)
            or (not stripped.endswith(":") and _ATTRIBUTION.match(joined))
        ):
            cut = i
            break
        if _HEADER_BLOCK.match(stripped) and any(
            _HEADER_NEXT.match(s.strip()) for s in lines[i + 1 : i + 4]
        ):
            cut = i
            break
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    while kept and (not kept[-1].strip() or _SENT_FROM.match(kept[-1].strip())):
        kept.pop()
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in kept)).strip()
    return result or text.strip()


def _content_type(part) -> tuple[str, str | None]:
    """("text/plain", charset) from the raw header: the parsed header objects of
    ``policy.default`` cost a millisecond each, and this runs for every part."""
    values = _raw_headers(part, "Content-Type")
    if not values:
        return "text/plain", None
    value = _unescaped(values[0])
    ctype = value.split(";", 1)[0].strip().lower() or "text/plain"
    match = re.search(r"""charset\s*=\s*["']?([^"';\s]+)""", value, re.IGNORECASE)
    return ctype, match.group(1) if match else None


def _is_attachment(part) -> bool:
    values = _raw_headers(part, "Content-Disposition")
    return bool(values) and values[0].strip().lower().startswith("attachment")


def _text_parts(msg) -> tuple:
    """The first plain and the first HTML body part, not counting attachments and attached
    messages (what ``get_body(("plain", "html"))`` chooses)."""
    plain = html = None
    stack = [msg]
    while stack:
        part = stack.pop(0)
        ctype, charset = _content_type(part)
        if ctype.startswith("multipart/"):
            payload = part.get_payload()
            if isinstance(payload, list):
                stack[0:0] = payload
            continue
        if part is not msg and _is_attachment(part):
            continue
        if ctype == "text/plain" and plain is None:
            plain = (part, charset, False)
        elif ctype == "text/html" and html is None:
            html = (part, charset, True)
    return plain, html


def body_text(msg) -> str:
    """The readable text of a message: its plain part, else its HTML part as text."""
    plain, html = _text_parts(msg)
    chosen = plain or html
    if chosen is None:
        return ""
    part, charset, is_html = chosen
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError):
        payload = None
    if payload is None:
        raw = part.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    text = decode_bytes(payload, charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if is_html:
        text = html_to_text(text)
    text = trim_reply(text)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT].rstrip() + "\n[…]"
    return text


# --- one message --------------------------------------------------------------------------


def parse_message(raw: bytes, *, now: dt.datetime | None = None) -> MailMessage:
    """Read one message; ``MailError`` says why it cannot be imported."""
    if not raw or not raw.strip():
        raise MailError("the message is empty")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    own_ids = message_ids(_header_text(msg, "Message-ID"))
    message_id = own_ids[0] if own_ids else ""
    senders = _addresses(msg, "From") or _addresses(msg, "Sender")
    if not senders:
        what = "an unreadable" if _raw_headers(msg, "From") else "no"
        raise MailError(f"{what} From address")
    occurred_at = parse_date(_header_text(msg, "Date"), now)
    references = message_ids(_header_text(msg, "References"))
    for parent in message_ids(_header_text(msg, "In-Reply-To")):
        if parent not in references:
            references.append(parent)
    references = [ref for ref in references if ref != message_id]
    subject = _header_text(msg, "Subject")[:MAX_SUBJECT]
    text = body_text(msg)
    to, cc = _addresses(msg, "To"), _addresses(msg, "Cc")
    auto = _header_text(msg, "Auto-Submitted").lower()
    if message_id:
        identity = mail_identity(message_id)
    else:
        identity = record_key(
            "no-message-id",
            senders[0].email,
            ",".join(a.email for a in to),
            occurred_at.isoformat(),
            subject,
            text,
        )
    return MailMessage(
        message_id=message_id,
        references=references,
        sender=senders[0],
        to=to,
        cc=cc,
        subject=subject,
        text=text,
        occurred_at=occurred_at,
        auto_submitted=bool(auto) and auto != "no",
        identity=identity,
        recipients=to + cc,
    )


def mail_identity(message_id: str) -> str:
    """The identity (and import key) of the message with this Message-ID; "" for none."""
    return record_key("message-id", message_id) if message_id else ""


_PEEK_ID = re.compile(rb"^Message-ID:[ \t]*(?:\r?\n[ \t]+)?<([^<>\s]+)>", re.IGNORECASE | re.M)


def peek_message_id(raw: bytes) -> str:
    """The Message-ID found in the headers of raw bytes, without parsing the message."""
    head = raw[:65_536]
    end = re.search(rb"\r?\n\r?\n", head)
    match = _PEEK_ID.search(head[: end.start()] if end else head)
    return match.group(1).decode("utf-8", "replace") if match else ""


# --- files --------------------------------------------------------------------------------


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\r\n")
    return head.startswith(b"From ")


def expand_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files to read: each file given, and the mail files found inside each folder given.

    Raises ``FileNotFoundError`` naming the first path that does not exist."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and p.name.endswith(MAIL_SUFFIXES)
            )
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(str(given))
    return files


def count_messages(files: Iterable[Path]) -> int:
    """How many messages ``files`` hold (an mbox is scanned line by line, not loaded)."""
    total = 0
    for path in files:
        if not _is_mbox(path):
            total += 1
            continue
        with path.open("rb") as handle:
            total += sum(1 for line in handle if line.startswith(b"From "))
    return total


_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)


def _unescape_from(data: bytes) -> bytes:
    """Undo the ">From " an mbox writer puts before body lines that start with "From "."""
    return _ESCAPED_FROM.sub(rb"\1", data)


@dataclass
class RawMail:
    where: str  # "inbox.mbox, message 12" or "reply.eml"
    data: bytes


def read_mail_files(files: Iterable[Path]) -> Iterator[RawMail]:
    """The messages of every file, one at a time, each with where it came from."""
    for path in files:
        if not _is_mbox(path):
            yield RawMail(str(path), path.read_bytes())
            continue
        box = mailbox.mbox(path, create=False)
        try:
            for number, key in enumerate(box.iterkeys(), start=1):
                yield RawMail(f"{path}, message {number}", _unescape_from(box.get_bytes(key)))
        finally:
            box.close()
