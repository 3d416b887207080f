"""A business's opening hours, holidays, service levels and chat widget, as its managers
edit them.

The settings pages post plain text; the ``read_*`` functions turn it into what
``InboxSettings`` stores, or into a list of errors that name the day, priority or line and
the field, in plain words. The ``set_*`` verbs save and audit. :func:`example` says in words
what the SLA means on one real week ("an urgent message that arrives on Friday at 16:30
must be answered by Monday at 09:30"), with ``engine.sla``'s clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from rapport.accounts.audit import diff_fields, record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Workspace
from rapport.inbox.choices import Priority
from rapport.inbox.clocks import limits
from rapport.inbox.models import InboxSettings
from rapport.inbox.routing import business_hours, inbox_settings

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Opening spans a day may have on the page (a morning and an afternoon, and one more).
SPANS_PER_DAY = 3
ORDINAL = ("first", "second", "third")
LEVELS = ("urgent", "high", "normal", "low")
CLOCKS = (("first", "first reply"), ("next", "next reply"), ("resolve", "resolution"))
# The longest business time a limit may be: a year of round-the-clock hours.
LONGEST = 366 * 24 * 60
MAX_HOLIDAYS = 200
TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
CLOCK_DURATION = re.compile(r"^(\d{1,5}):([0-5]\d)$")
MINUTES = re.compile(r"^(\d{1,6})\s*m(?:in(?:ute)?s?)?$", re.IGNORECASE)
# The chat widget: its title (InboxSettings.widget_title) and the sites that may show it.
MAX_TITLE = 80
MAX_ORIGINS = 50
DEFAULT_PORTS = {"https": 443, "http": 80}
# A site name (a leading "*." allows every subdomain) or an IPv4 address, already lowercase.
HOST = re.compile(
    r"^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
HOURS = re.compile(
    r"^(\d{1,5}(?:[.,]\d+)?)\s*(?:h(?:ours?)?\s*(?:(\d{1,2})\s*m(?:in(?:ute)?s?)?)?)?$",
    re.IGNORECASE,
)


class PolicyError(Exception):
    """The input could not be saved; ``errors`` says why, one plain sentence each."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


# --- reading the forms --------------------------------------------------------------------


def _clock(text: str) -> dt.time | None:
    """HH:MM (24:00 is midnight at the end of the day) as a time, or None."""
    found = TIME.match((text or "").strip())
    if not found:
        return None
    hours, minutes = int(found[1]), int(found[2])
    if hours == 24:
        return dt.time(0) if minutes == 0 else None
    return dt.time(hours, minutes)


def read_hours(data) -> dict[str, list[list[str]]]:
    """Opening hours from the form: for each day ``d`` (0 = Monday), ``closed-d`` or the
    spans ``open-d-i`` / ``close-d-i``. Raises PolicyError naming each bad day and field."""
    hours: dict[str, list[list[str]]] = {}
    errors: list[str] = []
    for day, name in enumerate(DAYS):
        if data.get(f"closed-{day}"):
            continue
        spans = []
        for i in range(SPANS_PER_DAY):
            opens_text = (data.get(f"open-{day}-{i}") or "").strip()
            closes_text = (data.get(f"close-{day}-{i}") or "").strip()
            if not opens_text and not closes_text:
                continue
            where = f"{name}, {ORDINAL[i]} opening"
            span, problem = _span(opens_text, closes_text, where)
            if problem:
                errors.append(problem)
            else:
                spans.append(span)
        spans.sort()
        for (_, a_close), (b_open, _) in zip(spans, spans[1:], strict=False):
            if a_close == "00:00" or b_open < a_close:
                errors.append(f"{name}: the opening from {b_open} overlaps the one before it.")
        if spans:
            hours[str(day)] = spans
    if errors:
        raise PolicyError(errors)
    if not hours:
        raise PolicyError(["Open on at least one day, or the reply clocks could never run."])
    return hours


def _span(opens_text: str, closes_text: str, where: str) -> tuple[list[str], str]:
    opens, closes = _clock(opens_text), _clock(closes_text)
    if not opens_text or not closes_text:
        missing = "opening" if not opens_text else "closing"
        return [], f"{where}: give the {missing} time too, or leave both empty."
    if opens is None or opens_text.startswith("24"):
        return [], f"{where}: the opening time “{opens_text}” is not a time like 09:00."
    if closes is None:
        return [], f"{where}: the closing time “{closes_text}” is not a time like 17:30."
    if closes != dt.time(0) and closes <= opens:
        return [], (
            f"{where}: it closes at {closes_text}, which is not after it opens ({opens_text})."
        )
    return [f"{opens:%H:%M}", f"{closes:%H:%M}"], ""


def read_holiday(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise PolicyError([f"“{text}” is not a date; pick one in the calendar."]) from None


def duration_text(minutes: int | None) -> str:
    """Business minutes as the form shows them: 1:30, 8:00, 0:45."""
    if minutes is None:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"


def read_duration(text: str, where: str, *, required: bool = True) -> int | None:
    """Business time typed as hours (2, 1.5, 1:30, 2h 30m) or minutes (45m), in minutes."""
    text = (text or "").strip()
    if not text:
        if required:
            raise PolicyError([f"{where}: give a time, such as 2 (hours) or 45m (minutes)."])
        return None
    if found := CLOCK_DURATION.match(text):
        minutes = int(found[1]) * 60 + int(found[2])
    elif found := MINUTES.match(text):
        minutes = int(found[1])
    elif found := HOURS.match(text):
        minutes = round(float(found[1].replace(",", ".")) * 60) + int(found[2] or 0)
    else:
        raise PolicyError(
            [
                f"{where}: “{text[:40]}” is not a time; write hours like 2 or 1:30, or "
                "minutes like 45m."
            ]
        )
    if minutes <= 0:
        raise PolicyError([f"{where}: the time must be more than zero."])
    if minutes > LONGEST:
        raise PolicyError([f"{where}: {text} is longer than a year."])
    return minutes


@dataclass
class ServiceLevels:
    sla: dict[str, dict[str, int]]
    warn_before_minutes: int
    unassigned_alert_minutes: int
    reply_from: str


def read_service_levels(data) -> ServiceLevels:
    """The SLA form: ``<level>-<clock>`` per priority, ``warn_before``, ``alert_after``,
    ``reply_from``. Raises PolicyError with every problem at once."""
    errors: list[str] = []

    def duration(key: str, where: str) -> int:
        try:
            return read_duration(data.get(key, ""), where) or 0
        except PolicyError as e:
            errors.extend(e.errors)
            return 0

    sla = {
        level: {
            clock: duration(f"{level}-{clock}", f"{level.capitalize()}, {words}")
            for clock, words in CLOCKS
        }
        for level in LEVELS
    }
    for level, clocks in sla.items():
        if clocks["first"] and clocks["resolve"] and clocks["resolve"] < clocks["first"]:
            errors.append(
                f"{level.capitalize()}: resolution ({duration_text(clocks['resolve'])}) "
                f"comes before the first reply ({duration_text(clocks['first'])})."
            )
    warn = duration("warn_before", "Warn before a reply is due")
    alert = duration("alert_after", "Waiting for a person too long")
    reply_from = (data.get("reply_from") or "").strip()
    if reply_from:
        try:
            validate_email(reply_from)
        except ValidationError:
            errors.append(f"Reply-from address: “{reply_from[:80]}” is not an e-mail address.")
    if errors:
        raise PolicyError(errors)
    return ServiceLevels(sla, warn, alert, reply_from)


@dataclass(frozen=True)
class Widget:
    enabled: bool
    title: str
    origins: str  # one origin per line, as the chat page's frame-ancestors lists them


def read_widget(data) -> Widget:
    """The chat widget's form: ``enabled``, ``title`` and ``origins`` (one site per line).
    Raises PolicyError naming each bad line with its number and what is wrong with it."""
    errors: list[str] = []
    title = " ".join(str(data.get("title", "")).replace("\x00", "").split())
    if not title:
        errors.append("Title: write the words shown at the top of the chat.")
    elif len(title) > MAX_TITLE:
        errors.append(f"Title: at most {MAX_TITLE} characters; this one has {len(title)}.")
    origins: list[str] = []
    for number, line in enumerate(str(data.get("origins", "")).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            origin = read_origin(line.strip())
        except ValueError as error:
            errors.append(f"Allowed sites, line {number}: “{line.strip()[:100]}” {error}.")
        else:
            origins += [origin] if origin not in origins else []
    if len(origins) > MAX_ORIGINS:
        errors.append(f"Allowed sites: at most {MAX_ORIGINS}; this list has {len(origins)}.")
    if errors:
        raise PolicyError(errors)
    return Widget(bool(data.get("enabled")), title, "\n".join(origins))


def read_origin(text: str) -> str:
    """``https://www.example.com`` from what an owner typed for one site (any case, a
    trailing slash, the default port); ValueError saying what is wrong, in words that follow
    the quoted line."""
    if any(c.isspace() or c == "," for c in text):
        raise ValueError("holds more than one address; put each site on its own line")
    if "://" not in text:
        raise ValueError(f"needs https:// in front, like https://{text.split('/')[0]}")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError("is not a website address: it must start with https:// or http://")
    if "@" in parts.netloc:
        raise ValueError("holds a user name; give only the site, like https://www.example.com")
    extra = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    extra += f"#{parts.fragment}" if parts.fragment else ""
    if extra:
        raise ValueError(
            f"has more than the site ({extra[:40]}); give only the site, like "
            f"{scheme}://{parts.hostname or 'www.example.com'}"
        )
    return f"{scheme}://{_host(parts)}{_port(parts, scheme)}"


def _host(parts) -> str:
    host = parts.hostname or ""
    if parts.netloc.startswith("["):
        raise ValueError("is an IPv6 address; give the site's name instead")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        host = ""
    if not HOST.fullmatch(host):
        raise ValueError("has no proper site name, like www.example.com")
    return host


def _port(parts, scheme: str) -> str:
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port is None and parts.netloc.endswith(":"):
        raise ValueError("has a colon but no port number after it")
    if port == 0:
        raise ValueError("has a port that is not a number from 1 to 65535")
    return "" if port in (None, DEFAULT_PORTS[scheme]) else f":{port}"


# --- saving -------------------------------------------------------------------------------


def _save(workspace: Workspace, actor, changes: dict, what: str) -> InboxSettings:
    with transaction.atomic():
        settings = InboxSettings.objects.select_for_update().get(pk=inbox_settings(workspace).pk)
        before = {field: getattr(settings, field) for field in changes}
        for field, value in changes.items():
            setattr(settings, field, value)
        settings.save(update_fields=list(changes))
        diff = diff_fields(before, changes)
        if diff:
            record_audit(
                workspace,
                AuditAction.UPDATE,
                settings,
                actor=actor,
                changes=diff,
                object_repr=f"inbox {what}",
            )
    return settings


def set_hours(workspace: Workspace, hours: dict, *, actor) -> InboxSettings:
    return _save(workspace, actor, {"hours": hours}, "opening hours")


def add_holiday(workspace: Workspace, day: dt.date, *, actor) -> InboxSettings:
    holidays = set(inbox_settings(workspace).holidays or ())
    if day.isoformat() in holidays:
        raise PolicyError([f"{day:%-d %B %Y} is already a holiday."])
    if len(holidays) >= MAX_HOLIDAYS:
        raise PolicyError([f"At most {MAX_HOLIDAYS} holidays; remove past ones first."])
    return _save(workspace, actor, {"holidays": sorted(holidays | {day.isoformat()})}, "holidays")


def remove_holiday(workspace: Workspace, day: dt.date, *, actor) -> InboxSettings:
    holidays = list(inbox_settings(workspace).holidays or ())
    if day.isoformat() not in holidays:
        raise PolicyError([f"{day:%-d %B %Y} is not a holiday."])
    holidays.remove(day.isoformat())
    return _save(workspace, actor, {"holidays": holidays}, "holidays")


def set_service_levels(workspace: Workspace, levels: ServiceLevels, *, actor) -> InboxSettings:
    return _save(
        workspace,
        actor,
        {
            "sla": levels.sla,
            "warn_before_minutes": levels.warn_before_minutes,
            "unassigned_alert_minutes": levels.unassigned_alert_minutes,
            "reply_from": levels.reply_from,
        },
        "service levels",
    )


def set_widget(workspace: Workspace, widget: Widget, *, actor) -> InboxSettings:
    changes = {
        "widget_enabled": widget.enabled,
        "widget_title": widget.title,
        "widget_origins": widget.origins,
    }
    return _save(workspace, actor, changes, "chat widget")


def new_widget_key(workspace: Workspace, *, actor) -> InboxSettings:
    """A new key for the chat widget: the snippet on the business's website with the old key
    stops working at once (its chat page answers 404)."""
    key = InboxSettings._meta.get_field("widget_key").get_default()
    return _save(workspace, actor, {"widget_key": key}, "chat widget key")


# --- in words -----------------------------------------------------------------------------


def in_words(minutes: int) -> str:
    """Business minutes in words: "45 business minutes", "2 business hours",
    "1 business hour 30 minutes"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} business minute{'s' if rest != 1 else ''}"
    said = f"{hours} business hour{'s' if hours != 1 else ''}"
    return f"{said} {rest} minute{'s' if rest != 1 else ''}" if rest else said


def _moment(at: dt.datetime, today: dt.date) -> str:
    day = at.date()
    when = f"{DAYS[day.weekday()]} {day:%-d %B}"
    if day.year != today.year:
        when += f" {day.year}"
    return f"{when} at {at:%H:%M}"


def example(workspace: Workspace, *, after: dt.date | None = None) -> str:
    """One worked example of the urgent first-reply limit on the business's own hours: a
    message that arrives half an hour before closing on the last open day of the week
    starting on or after ``after`` (default: today)."""
    settings = inbox_settings(workspace)
    hours = business_hours(workspace, settings)
    today = workspace.today()
    start = after or today
    days = [start + dt.timedelta(days=i) for i in range(7)]
    open_days = [d for d in days if hours.spans.get(d.weekday()) and d not in hours.holidays]
    # The last working day of the week (Friday, usually): the example that crosses a weekend.
    day = max(open_days, key=lambda d: (d.weekday() < 5, d.weekday())) if open_days else start
    opens, closes = (hours.spans.get(day.weekday()) or ((dt.time(9), dt.time(17)),))[-1]
    closing = dt.datetime.combine(
        day + dt.timedelta(days=closes == dt.time(0)), closes, tzinfo=hours.zone
    )
    opening = dt.datetime.combine(day, opens, tzinfo=hours.zone)
    arrives = max(opening, closing - dt.timedelta(minutes=30)).astimezone(hours.zone)
    first = limits(settings, Priority.URGENT)["first"]
    try:
        due = hours.add(arrives, dt.timedelta(minutes=first)).astimezone(hours.zone)
    except ValueError:
        return "The business has no opening hours within a year: the reply clocks never run."
    return (
        f"An urgent message that arrives on {_moment(arrives, today)} must be answered by "
        f"{_moment(due, today)} ({in_words(first)} of opening time)."
    )
