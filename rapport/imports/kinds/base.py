"""What every import kind is made of: target fields with header synonyms, a row cleaner that
returns clean values or field-level errors, and a batch writer.

A kind never reads files and never opens transactions: the engine in ``imports.actions``
streams rows, calls ``clean`` per row and ``write`` per batch inside ``transaction.atomic``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from rapport.accounts.models import Workspace
from rapport.lib.keys import record_key
from rapport.lib.values import (
    DAY_FIRST,
    is_blank,
    normalise_header,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
)
from rapport.people.lookup import ignoring_case
from rapport.people.models import Person

# Anything larger in one purchase, delivery or refund is a unit error (cents read as units,
# a phone number in the amount column), not a sale a small business makes.
ABSURD_AMOUNT = Decimal("10000000")


@dataclass(frozen=True)
class Field:
    """A target field and the column headers that mean it.

    ``synonyms`` are compared after :func:`normalise_header` (case, spaces, punctuation
    ignored); ``patterns`` are regular expressions on the normalised header, tried only when
    no synonym matched any field.
    """

    name: str
    label: str
    synonyms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    required: bool = False
    is_date: bool = False
    help: str = ""

    def normalised_synonyms(self) -> list[str]:
        return [normalise_header(s) for s in (self.name, self.label, *self.synonyms)]


@dataclass
class Context:
    """Everything a kind needs besides the row: the workspace, its clock, the run's options."""

    workspace: Workspace
    options: dict
    date_orders: dict[str, str] = field(default_factory=dict)
    now: dt.datetime | None = None
    dry_run: bool = False
    # Counters a kind wants reported beside created/updated (e.g. "customers created").
    extra: dict[str, int] = field(default_factory=dict)
    # Work a kind defers to the end of the run (e.g. managers named before they appear).
    deferred: list = field(default_factory=list)

    def __post_init__(self):
        from django.utils import timezone

        self.tz = self.workspace.zone
        self.now = self.now or timezone.now()
        self.today = self.workspace.today(self.now)

    @property
    def date_format(self) -> str | None:
        fmt = self.options.get("date_format") or ""
        return fmt if "%" in fmt else None

    def date_order(self, field_name: str) -> str:
        return self.date_orders.get(field_name) or self.options.get("date_format") or DAY_FIRST

    def count(self, name: str, n: int = 1) -> None:
        if n:
            self.extra[name] = self.extra.get(name, 0) + n


@dataclass
class CleanRow:
    """A row that passed cleaning: ``data`` holds typed values; ``key`` its import key."""

    line: int
    values: list[str]
    data: dict
    identity: str = ""
    key: str = ""


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (line, field, reason) for rows the writer had to reject (unknown person...).
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)


class Cleaner:
    """Reads one raw row field by field, collecting typed values and field-level errors."""

    def __init__(self, raw: dict[str, str], ctx: Context):
        self.raw = raw
        self.ctx = ctx
        self.data: dict = {}
        self.errors: list[tuple[str, str]] = []

    def present(self, name: str) -> bool:
        return not is_blank(self.raw.get(name))

    def value(self, name: str) -> str | None:
        text = self.raw.get(name)
        return None if is_blank(text) else text.strip()

    def error(self, name: str, reason: str) -> None:
        self.errors.append((name, reason))

    def _get(self, name: str, required: bool) -> str | None:
        text = self.value(name)
        if text is None and required:
            self.error(name, "required, but empty")
        return text

    def text(self, name: str, max_length: int, *, required: bool = False) -> str | None:
        text = self._get(name, required)
        if text is None:
            return None
        text = " ".join(text.split()) if "\n" not in text else text
        if len(text) > max_length:
            self.error(name, f"longer than {max_length} characters")
            return None
        self.data[name] = text
        return text

    def long_text(self, name: str) -> str | None:
        text = self._get(name, False)
        if text is not None:
            self.data[name] = text
        return text

    def date(
        self, name: str, *, required: bool = False, not_future: bool = False
    ) -> dt.date | None:
        text = self._get(name, required)
        if text is None:
            return None
        try:
            value = parse_date(text, self.ctx.date_order(name), self.ctx.date_format)
        except ValueError as error:
            self.error(name, str(error))
            return None
        if not_future and value > self.ctx.today:
            self.error(name, f"{value.isoformat()} is in the future")
            return None
        if value.year < 1900:
            self.error(name, f"{value.isoformat()} is before 1900")
            return None
        self.data[name] = value
        return value

    def datetime(self, name: str, *, required: bool = False) -> dt.datetime | None:
        text = self._get(name, required)
        if text is None:
            return None
        try:
            value = parse_datetime(
                text, self.ctx.tz, self.ctx.date_order(name), self.ctx.date_format
            )
        except (ValueError, OverflowError, OSError) as error:
            self.error(name, str(error))
            return None
        # A little slack for clocks that run ahead; more than that is a wrong year or zone.
        if value > self.ctx.now + dt.timedelta(hours=1):
            self.error(name, f"{value.isoformat()} is in the future")
            return None
        self.data[name] = value
        return value

    def decimal(
        self,
        name: str,
        *,
        places: int = 2,
        required: bool = False,
        minimum: Decimal | None = None,
        maximum: Decimal = ABSURD_AMOUNT,
        why_minimum: str = "",
    ) -> Decimal | None:
        text = self._get(name, required)
        if text is None:
            return None
        try:
            value = parse_decimal(text, places)
        except ValueError as error:
            self.error(name, str(error))
            return None
        if minimum is not None and value < minimum:
            self.error(name, why_minimum or f"must be at least {minimum}")
            return None
        if abs(value) >= maximum:
            self.error(name, f"{value} is implausibly large (limit {maximum:,})")
            return None
        self.data[name] = value
        return value

    def integer(self, name: str, *, minimum: int = 0, maximum: int = 10_000_000) -> int | None:
        text = self._get(name, False)
        if text is None:
            return None
        try:
            value = parse_int(text)
        except ValueError as error:
            self.error(name, str(error))
            return None
        if not minimum <= value <= maximum:
            self.error(name, f"must be between {minimum} and {maximum:,}")
            return None
        self.data[name] = value
        return value

    def boolean(self, name: str) -> bool | None:
        text = self._get(name, False)
        if text is None:
            return None
        try:
            value = parse_bool(text)
        except ValueError as error:
            self.error(name, str(error))
            return None
        self.data[name] = value
        return value

    def choice(self, name: str, words: dict[str, str], *, default: str | None = None) -> str | None:
        """Map free text onto a choice through ``words`` ({normalised word: value})."""
        text = self._get(name, False)
        if text is None:
            if default is not None:
                self.data[name] = default
            return default
        value = words.get(normalise_header(text))
        if value is None:
            accepted = ", ".join(sorted(set(words.values())))
            self.error(name, f"unknown value {text!r} (accepted: {accepted})")
            return None
        self.data[name] = value
        return value

    def email(self, name: str) -> str | None:
        text = self._get(name, False)
        if text is None:
            return None
        text = text.lower()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) or len(text) > 254:
            self.error(name, f"not an email address: {text!r}")
            return None
        self.data[name] = text
        return text


def words(choices: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """``{value: (synonym, ...)}`` → ``{normalised synonym: value}`` for :meth:`Cleaner.choice`."""
    table = {}
    for value, synonyms in choices.items():
        for synonym in (value, *synonyms):
            table[normalise_header(synonym)] = value
    return table


def digest(*parts) -> str:
    """A stable sha256 hex of ``parts``: the identity behind an import key."""
    return record_key(*parts, errors="strict")


class ImportKindBase:
    """One kind of import. Subclasses set ``name``, ``fields`` and implement the hooks."""

    name: str = ""
    label: str = ""
    fields: tuple[Field, ...] = ()
    # Groups of fields of which at least one must be mapped, with the reason shown otherwise.
    required_any: tuple[tuple[tuple[str, ...], str], ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def clean(self, raw: dict[str, str], ctx: Context) -> tuple[dict, list[tuple[str, str]]]:
        """Return ``(data, errors)`` for one row; ``errors`` is ``[(field, reason)]``."""
        raise NotImplementedError

    def identity(self, data: dict, ctx: Context) -> str:
        """What makes two rows the same record, before any database lookup."""
        raise NotImplementedError

    def preview_options(self, options: dict) -> dict:
        """The options the preview cleans its rows with, before the person has chosen them."""
        return options

    def rejects_duplicates(self, data: dict) -> bool:
        """True: a second row with the same identity is reported and the first one wins.
        False: repeated identities are separate records (invoice lines, two equal sales)."""
        return True

    def write(self, rows: list[CleanRow], ctx: Context) -> BatchResult:
        """Write one batch (already inside a transaction) and count what happened."""
        raise NotImplementedError

    def finish(self, ctx: Context) -> list[tuple[int, str, str]]:
        """Work deferred to the end of the run; returns warnings ``(line, field, reason)``."""
        return []


# --- shared by the kinds that point at a person --------------------------------------


PERSON_ID_SYNONYMS = (
    "person id",
    "person external id",
    "external id",
    "customer id",
    "customer number",
    "customer no",
    "client id",
    "client number",
    "contact id",
    "account id",
    "member id",
    "employee id",
    "employee number",
    "employee no",
    "staff id",
    "staff number",
    "emp id",
    "empno",
    "supplier id",
    "vendor id",
    "author id",
    "user id",
    "cust id",
    "custid",
)
PERSON_EMAIL_SYNONYMS = (
    "email",
    "e-mail",
    "email address",
    "customer email",
    "contact email",
    "from email",
    "sender email",
    "person email",
    "employee email",
)


def supplied(data: dict, fields: dict[str, str]) -> dict:
    """``{model field: value}`` for the fields a row supplied (``fields`` maps model field to
    data key). A cell left blank is left out, so an update never erases a stored value."""
    return {model_field: data[key] for model_field, key in fields.items() if key in data}


def upsert_facts(
    model, rows: list[tuple[CleanRow, dict]], ctx: Context, *, defaults: dict | None = None
) -> BatchResult:
    """Create or update fact rows by ``import_key``: one read and at most two writes per batch.

    ``rows`` pairs each clean row with the values the file gave it; ``defaults`` fill the
    rest on creation only. A record whose given values all match is counted unchanged and
    not written.
    """
    result = BatchResult()
    keys = [row.key for row, _ in rows]
    existing = {
        obj.import_key: obj
        for obj in model.objects.filter(workspace=ctx.workspace, import_key__in=keys)
    }
    to_create, to_update, changed_fields = [], [], set()
    for row, values in rows:
        obj = existing.get(row.key)
        if obj is None:
            fields = {**(defaults or {}), **values}
            to_create.append(model(workspace=ctx.workspace, import_key=row.key, **fields))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            result.unchanged += 1
            continue
        for name in changed:
            setattr(obj, name, values[name])
        changed_fields.update(changed)
        to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    result.created = len(to_create)
    result.updated = len(to_update)
    return result


def write_person_facts(
    model,
    rows: list[CleanRow],
    ctx: Context,
    *,
    group: str,
    noun: str,
    fields: dict[str, str],
    always_create: bool = False,
    fk: str = "person_id",
    **lookup,
) -> tuple[BatchResult, list[tuple[CleanRow, dict]]]:
    """Resolve each row's person in ``group`` (creating missing ones when the run asks for
    it, or ``always_create``), then upsert the rows as ``model`` facts pointing at them
    through ``fk``. ``lookup`` names the row's id, email and name fields for
    :meth:`PersonResolver.resolve`. Returns the result and the written pairs."""
    rejected: list = []
    create = always_create or ctx.options.get("create_missing")
    people = PersonResolver(
        ctx, group=group, create_group=group if create else None, noun=noun
    ).resolve(rows, rejected, **lookup)
    pairs = [
        (row, {fk: people[row.line], **supplied(row.data, fields)})
        for row in rows
        if row.line in people
    ]
    result = upsert_facts(model, pairs, ctx)
    result.rejected = rejected
    return result, pairs


class PersonResolver:
    """Finds the people a batch refers to with one query per batch, and creates missing ones
    when the run asks for it.

    ``resolve`` returns ``{line: person_id}`` and puts unknown references in ``rejected``.
    """

    def __init__(self, ctx: Context, *, group: str | None, create_group: str | None, noun: str):
        self.ctx = ctx
        self.group = group
        self.create_group = create_group
        self.noun = noun

    def resolve(
        self,
        rows: list[CleanRow],
        rejected: list,
        *,
        id_field="person_external_id",
        email_field="person_email",
        name_field=None,
    ) -> dict[int, int]:
        ids = {r.data[id_field] for r in rows if r.data.get(id_field)}
        # An id wins over an email: look emails up only for the rows that have no id.
        emails = {
            r.data[email_field]
            for r in rows
            if r.data.get(email_field) and not r.data.get(id_field)
        }
        names = {r.data[name_field] for r in rows if name_field and r.data.get(name_field)}
        by_id, by_email, by_name = self._lookup(ids, emails, names)
        missing = self._missing(rows, by_id, by_email, by_name, id_field, email_field, name_field)
        if missing:
            self._create(missing, by_id, by_email, by_name)
        found: dict[int, int] = {}
        for row in rows:
            ref_id, ref_email = row.data.get(id_field), row.data.get(email_field)
            ref_name = row.data.get(name_field) if name_field else None
            if ref_id:
                candidates, shown = by_id.get(ref_id, []), f"id {ref_id!r}"
            elif ref_email:
                candidates, shown = by_email.get(ref_email, []), f"email {ref_email!r}"
            else:
                candidates, shown = by_name.get(ref_name, []), f"name {ref_name!r}"
            field_name = id_field if ref_id else email_field if ref_email else name_field
            if len(candidates) == 1:
                found[row.line] = candidates[0][0]
            elif not candidates:
                hint = "" if self.create_group else " (import them first, or use --create-missing)"
                rejected.append((row.line, field_name, f"no {self.noun} with {shown}{hint}"))
            else:
                groups = ", ".join(sorted({g for _, g in candidates}))
                rejected.append(
                    (
                        row.line,
                        field_name,
                        f"{shown} matches several people ({groups}): choose a group",
                    )
                )
        return found

    def _lookup(self, ids, emails, names):
        by_id, by_email, by_name = {}, {}, {}
        if not (ids or emails or names):
            return by_id, by_email, by_name
        people = Person.objects.filter(workspace=self.ctx.workspace)
        if self.group:
            people = people.filter(group=self.group)
        query = ignoring_case(people, "email", emails)
        if ids:
            query |= Q(external_id__in=ids)
        if names:
            query |= Q(name__in=names)
        people = people.filter(query)
        for pk, group, external_id, email, name in people.values_list(
            "pk", "group", "external_id", "email", "name"
        ):
            if external_id in ids:
                by_id.setdefault(external_id, []).append((pk, group))
            if email and email.lower() in emails:
                by_email.setdefault(email.lower(), []).append((pk, group))
            if name in names:
                by_name.setdefault(name, []).append((pk, group))
        return by_id, by_email, by_name

    def _missing(self, rows, by_id, by_email, by_name, id_field, email_field, name_field):
        if not self.create_group:
            return {}
        missing = {}
        for row in rows:
            ref_id, ref_email = row.data.get(id_field), row.data.get(email_field)
            ref_name = row.data.get(name_field) if name_field else None
            if ref_id and ref_id not in by_id:
                missing.setdefault(("id", ref_id), (ref_id, ref_email, ref_name))
            elif not ref_id and ref_email and ref_email not in by_email:
                missing.setdefault(("email", ref_email), (None, ref_email, ref_name))
            elif not ref_id and not ref_email and ref_name and ref_name not in by_name:
                missing.setdefault(("name", ref_name), (None, None, ref_name))
        return missing

    def _create(self, missing, by_id, by_email, by_name):
        from django.utils import timezone

        from rapport.people.choices import PartyKind

        now = timezone.now()
        organisation = self.create_group == "supplier"
        people = [
            Person(
                workspace=self.ctx.workspace,
                group=self.create_group,
                kind=PartyKind.ORGANISATION if organisation else PartyKind.PERSON,
                name=(name or ref_id or email)[:200],
                external_id=ref_id or "",
                email=email or "",
                created_at=now,
                updated_at=now,
            )
            for ref_id, email, name in missing.values()
        ]
        Person.objects.bulk_create(people, batch_size=500)
        self.ctx.count(f"{self.create_group}s created", len(people))
        for person in people:
            entry = (person.pk, person.group)
            if person.external_id:
                by_id[person.external_id] = [entry]
            elif person.email:
                by_email[person.email] = [entry]
            else:
                by_name[person.name] = [entry]
