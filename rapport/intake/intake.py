"""Items sent by other systems, through the REST API or a signed webhook: touchpoints for
the timeline and answers to a survey.

Each item is a JSON object, read field by field so that every problem is reported at once
as (field, reason); an item is stored on its own, in its own savepoint, so a bad one never
spoils the good ones around it. The sender's ``id`` keys what is stored: the same item sent
again adds nothing and is reported as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from rapport.accounts.models import Automation, Membership, Workspace
from rapport.lib.keys import record_key
from rapport.people.choices import Channel, Direction, Group
from rapport.people.lookup import person_ids_by_email
from rapport.people.models import Interaction, Person

MAX_ITEM_TEXT = 50_000
# An item's time more than this far ahead of the clock is a mistake, not early.
ITEM_FUTURE_SLACK = dt.timedelta(days=1)
# No field of an item holds a longer number; reading one of 5,000 digits costs time, and
# past 4,300 Python refuses to.
MAX_NUMBER_DIGITS = 100
# Items are flat objects with a few lists; deeper is a mistake (and could exhaust the stack).
MAX_ITEM_DEPTH = 20
_LEADING_DIGITS = re.compile(r"\s*-?(\d+)")


class LongNumber:
    """A JSON number of more than ``MAX_NUMBER_DIGITS`` digits, left unread so that only its
    item is rejected (``json.loads(..., parse_int=read_whole_number)``)."""

    def __init__(self, digits: int):
        self.digits = digits


def read_whole_number(text: str) -> int | LongNumber:
    digits = len(text.lstrip("-"))
    return LongNumber(digits) if digits > MAX_NUMBER_DIGITS else int(text)


def tidy_item(data: dict) -> tuple[dict, list[tuple[str, str]]]:
    """``data`` with NUL characters removed from every string (PostgreSQL cannot store them,
    and no sender means them), and the (field, reason) of every value that no field can
    hold: text with half of a UTF-16 surrogate pair, a number too long to read, NaN or
    infinity. Such a value is replaced by a printable string or None.
    """
    problems: list[tuple[str, str]] = []

    def text(value: str, name: str) -> str:
        half = next((c for c in value if "\ud800" <= c <= "\udfff"), None)
        if half is None:
            return value.replace("\x00", "")
        problems.append(
            (
                name,
                f"holds \\u{ord(half):04x}, half of a UTF-16 surrogate pair without its other "
                "half: that is not text (send text as UTF-8)",
            )
        )
        return _printable(value)

    def too_long(name: str, digits: int) -> None:
        problems.append((name, _too_long(digits)))

    def tidy(value, name: str, depth: int):
        if isinstance(value, str):
            return text(value, name)
        if isinstance(value, LongNumber):
            too_long(name, value.digits)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            problems.append((name, "is not a number (NaN or infinity)"))
            return None
        if isinstance(value, int) and abs(value) >= 10**MAX_NUMBER_DIGITS:
            too_long(name, len(str(abs(value))))
            return None
        if isinstance(value, dict | list) and depth >= MAX_ITEM_DEPTH:
            problems.append((name, f"is nested more than {MAX_ITEM_DEPTH} deep"))
            return None
        if isinstance(value, list):
            return [tidy(inner, f"{name}[{n}]", depth + 1) for n, inner in enumerate(value)]
        if isinstance(value, dict):
            tidied = {}
            for key, inner in value.items():
                where = f"{name}.{_printable(key)}" if name else _printable(key)
                tidied[text(str(key), where)] = tidy(inner, where, depth + 1)
            return tidied
        return value

    return tidy(data, "", 0), problems


def _too_long(digits: int) -> str:
    return f"is a number of {digits:,} digits; at most {MAX_NUMBER_DIGITS} are read"


def _printable(value) -> str:
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


class ItemStatus:
    CREATED = "created"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass
class ItemResult:
    """What became of one item: created, a duplicate of one already received, or rejected
    with ``errors`` as (field, reason) pairs."""

    index: int = 0
    id: str = ""
    status: str = ItemStatus.CREATED
    object_id: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)


class _Item:
    """Field-by-field reading of one JSON object, collecting every problem."""

    def __init__(self, data: dict):
        self.data = data
        self.errors: list[tuple[str, str]] = []

    def error(self, name: str, reason: str) -> None:
        self.errors.append((name, reason))

    def text(self, name: str, max_length: int, *, required: bool = False, source=None) -> str:
        source = self.data if source is None else source
        prefix = "" if source is self.data else "person."
        value = source.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(prefix + name, "required")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(prefix + name, "must be a string")
            return ""
        value = str(value).strip()
        if len(value) > max_length:
            self.error(prefix + name, f"is {len(value):,} characters long; at most {max_length:,}")
            return ""
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(name, "must be true or false")
            return default
        return value

    def choice(self, name: str, choices, default: str) -> str:
        value = self.data.get(name) or default
        if value not in choices.values:
            self.error(name, f"{str(value)[:40]!r} is not one of: {', '.join(choices.values)}")
            return default
        return value

    def moment(self, name: str, workspace: Workspace, *, required: bool) -> dt.datetime | None:
        value = self.data.get(name)
        if value in (None, ""):
            if required:
                self.error(name, "required: an ISO 8601 time such as 2025-02-03T09:30:00+01:00")
            return None
        if isinstance(value, dt.datetime):
            when = value
        else:
            try:
                when = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            except ValueError:
                self.error(name, f"{str(value)[:40]!r} is not an ISO 8601 time")
                return None
        if when.tzinfo is None:
            # No offset: the business's own clock.
            when = when.replace(tzinfo=workspace.zone)
        if when > timezone.now() + ITEM_FUTURE_SLACK:
            self.error(name, "is in the future")
            return None
        return when


def _find_person(workspace: Workspace, item: _Item, *, create: bool) -> Person | None:
    """The person an item names under "person": by Rapport id, external id or email; made
    (in "group", default customer) when ``create`` and a name or email is given."""
    ref = item.data.get("person")
    if not isinstance(ref, dict):
        item.error("person", "required: an object with an id, external_id or email")
        return None
    person_id = ref.get("id")
    external_id = item.text("external_id", 100, source=ref)
    email = item.text("email", 254, source=ref).lower()
    name = item.text("name", 200, source=ref)
    group = ref.get("group") or Group.CUSTOMER
    if group not in Group.values:
        item.error("person.group", f"{str(group)[:20]!r} is not one of: {', '.join(Group.values)}")
        return None
    if email and ("@" not in email or any(c.isspace() for c in email)):
        item.error("person.email", f"{email[:60]!r} is not an email address")
        return None
    people = Person.objects.filter(workspace=workspace)
    if person_id not in (None, ""):
        if isinstance(person_id, bool) or not isinstance(person_id, int):
            item.error("person.id", "must be a whole number (Rapport's id of the person)")
            return None
        found = people.filter(pk=person_id).first()
        if found is None:
            item.error("person.id", f"no person with id {person_id}")
        return found
    if external_id:
        matches = people.filter(external_id=external_id)
        if ref.get("group"):
            matches = matches.filter(group=group)
        found_list = list(matches[:2])
        if len(found_list) > 1:
            item.error("person.external_id", f"{external_id!r} matches several people: give group")
            return None
        if found_list:
            return found_list[0]
    if email:
        pk = person_ids_by_email(workspace, {email}, group if ref.get("group") else "").get(email)
        if pk is not None:
            return people.get(pk=pk)
    if not (external_id or email):
        if not item.errors:
            item.error("person", "give the person's id, external_id or email")
        return None
    if not create:
        shown = f"external_id {external_id!r}" if external_id else f"email {email!r}"
        item.error("person", f"no person with {shown} in this business")
        return None
    from rapport.people.actions import create_person

    return create_person(
        workspace,
        via="api",
        group=group,
        name=name or email or external_id,
        email=email,
        external_id=external_id,
    )


def intake_interaction(
    workspace: Workspace,
    data: dict,
    *,
    index: int = 0,
    require_id: bool = False,
    member: Membership | None = None,
) -> ItemResult:
    """Add one touchpoint sent by another system to the timeline.

    ``data`` (a JSON object): ``id`` (the sender's own id: the same id again adds nothing),
    ``occurred_at``, ``channel``, ``direction``, ``subject``, ``text``, ``thread_key``,
    ``is_open``, ``person`` ({id | external_id | email, name, group}: unknown people are
    created), and who handled it: ``handled_by`` (a member's email), ``handled_by_me``
    (``member``, the API caller) or ``handled_by_automation`` (a name).
    """
    if not isinstance(data, dict):
        return ItemResult(index, "", ItemStatus.REJECTED, errors=[("", "must be a JSON object")])
    data, unreadable = tidy_item(data)
    item = _Item(data)
    item_id = item.text("id", 100, required=require_id)
    if unreadable:
        return ItemResult(index, item_id, ItemStatus.REJECTED, errors=unreadable)
    result = ItemResult(index, item_id)
    key = record_key("intake", "interaction", item_id) if item_id else ""
    if key:
        existing = Interaction.objects.filter(workspace=workspace, import_key=key).first()
        if existing is not None:
            result.status, result.object_id = ItemStatus.DUPLICATE, str(existing.pk)
            return result
    occurred_at = item.moment("occurred_at", workspace, required=True)
    channel = item.choice("channel", Channel, Channel.OTHER)
    direction = item.choice("direction", Direction, Direction.INBOUND)
    subject = item.text("subject", 200)
    text = item.text("text", MAX_ITEM_TEXT)
    thread_key = item.text("thread_key", 100)
    is_open = item.boolean("is_open")
    handler_email = item.text("handled_by", 254).lower()
    automation_name = item.text("handled_by_automation", 100)
    handled_by = member if item.boolean("handled_by_me") else None
    if handler_email:
        handled_by = (
            Membership.objects.filter(workspace=workspace, user__email__iexact=handler_email)
            .select_related("user")
            .first()
        )
        if handled_by is None:
            item.error("handled_by", f"no member with email {handler_email!r}")
    if automation_name and (handled_by or handler_email):
        item.error("handled_by_automation", "a touchpoint has one handler: a member or a bot")
    if item.errors:
        result.status, result.errors = ItemStatus.REJECTED, item.errors
        return result
    try:
        with transaction.atomic():
            person = _find_person(workspace, item, create=True)
            if item.errors:
                raise _Rejected
            automation = None
            if automation_name:
                automation, _ = Automation.objects.get_or_create(
                    workspace=workspace, name=automation_name
                )
            from rapport.people.actions import record_interaction

            interaction = record_interaction(
                person,
                occurred_at=occurred_at,
                channel=channel,
                direction=direction,
                subject=subject,
                text=text,
                thread_key=thread_key,
                is_open=is_open,
                handled_by=handled_by,
                handled_by_automation=automation,
                external_id=item_id,
                import_key=key,
            )
    except _Rejected:
        result.status, result.errors = ItemStatus.REJECTED, item.errors
        return result
    except IntegrityError:
        # The same id, sent twice at the same moment: the other request stored it.
        existing = Interaction.objects.filter(workspace=workspace, import_key=key).first()
        if not key or existing is None:
            raise
        result.status, result.object_id = ItemStatus.DUPLICATE, str(existing.pk)
        return result
    result.object_id = str(interaction.pk)
    return result


class _Rejected(Exception):
    """Roll back what an item wrote before its problem was found."""


def intake_response(
    survey,
    data: dict,
    *,
    index: int = 0,
    require_id: bool = False,
) -> ItemResult:
    """Store one respondent's answers sent by another system, through the same verb as the
    answering page (``feedback.actions.submit_response``, channel "api"), so the survey's
    anonymity holds whichever way an answer comes.

    ``data`` (a JSON object): ``id`` (the sender's own id: the same id again adds nothing),
    ``answers`` ({question key or id: value}), optionally ``person`` ({id | external_id |
    email}: a person already known), ``contact_email``, ``may_contact`` and ``submitted_at``.
    """
    from rapport.feedback.actions import (
        Duplicate,
        SubmissionError,
        clean_answers,
        response_import_key,
        submit_response,
    )
    from rapport.feedback.choices import Channel as AnswerChannel
    from rapport.feedback.models import Response

    if not isinstance(data, dict):
        return ItemResult(index, "", ItemStatus.REJECTED, errors=[("", "must be a JSON object")])
    workspace = survey.workspace
    data, unreadable = tidy_item(data)
    item = _Item(data)
    item_id = item.text("id", 100, required=require_id)
    if unreadable:
        return ItemResult(index, item_id, ItemStatus.REJECTED, errors=unreadable)
    result = ItemResult(index, item_id)
    # Keyed with the server's secret for an anonymous survey, which keeps no external_id.
    key = response_import_key(survey, "intake", item_id) if item_id else ""
    if key:
        existing = Response.objects.filter(workspace=workspace, import_key=key).first()
        if existing is not None:
            result.status, result.object_id = ItemStatus.DUPLICATE, str(existing.pk)
            return result
    answers = data.get("answers")
    raw: dict = {}
    names: dict[int, str] = {}
    if not isinstance(answers, dict) or not answers:
        item.error("answers", "required: an object of {question key or id: answer}")
    else:
        questions = list(survey.questions.all())
        by_key = {q.key: q for q in questions if q.key}
        by_id = {str(q.pk): q for q in questions}
        for name, value in answers.items():
            question = by_key.get(str(name)) or by_id.get(str(name))
            if question is None:
                item.error(f"answers.{name}", "no such question in this survey")
                continue
            digits = _LEADING_DIGITS.match(value) if isinstance(value, str) else None
            if question.scale and digits and len(digits[1]) > MAX_NUMBER_DIGITS:
                # Read as a number, it would go past what Python agrees to convert.
                item.error(f"answers.{name}", _too_long(len(digits[1])))
                continue
            raw[question.pk] = value
            names[question.pk] = str(name)
    contact_email = item.text("contact_email", 254).lower()
    if contact_email and "@" not in contact_email:
        item.error("contact_email", f"{contact_email[:60]!r} is not an email address")
    may_contact = item.boolean("may_contact")
    now = item.moment("submitted_at", workspace, required=False)
    person = None
    if data.get("person") is not None:
        person = _find_person(workspace, item, create=False)
    if item.errors:
        # Judge the answers that were named too, so every problem is reported at once.
        known = [q for q in survey.questions.all() if q.pk in raw]
        for pk, reason in clean_answers(known, raw)[1].items():
            item.error(f"answers.{names[pk]}", reason)
        result.status, result.errors = ItemStatus.REJECTED, item.errors
        return result
    try:
        submitted = submit_response(
            survey,
            raw,
            channel=AnswerChannel.API,
            person=person,
            may_contact=may_contact,
            contact_email=contact_email,
            now=now,
            import_key=key,
            external_id=item_id,
        )
    except Duplicate:
        result.status = ItemStatus.DUPLICATE
        return result
    except SubmissionError as error:
        result.status = ItemStatus.REJECTED
        result.errors = [
            (f"answers.{names.get(pk, pk)}" if pk else "", reason)
            for pk, reason in error.errors.items()
        ]
        return result
    except IntegrityError:
        existing = Response.objects.filter(workspace=workspace, import_key=key).first()
        if not key or existing is None:
            raise
        result.status, result.object_id = ItemStatus.DUPLICATE, str(existing.pk)
        return result
    result.object_id = str(submitted.response.pk)
    return result
