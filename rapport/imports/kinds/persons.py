"""Shared by the kinds whose rows point at a person: the column names of a person's id and
email, finding the people a batch names (one query per batch), and upserting facts about
them by import key."""

from __future__ import annotations

from django.utils import timezone

from rapport.imports.kinds.cleaning import BatchResult, CleanRow, Context
from rapport.lib.bulk import among, insert, insert_rows
from rapport.people.choices import Group, PartyKind
from rapport.people.lookup import ignoring_case
from rapport.people.models import Person

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
    names = sorted({name for _, values in rows for name in values})
    # Only the columns the file gives are read back, as tuples: building a model instance per
    # stored row cost more than the comparison itself.
    existing = {
        stored[1]: stored
        for stored in with_import_keys(model, ctx.workspace, keys).values_list(
            "pk", "import_key", *names
        )
    }
    to_create, to_update, changed_fields = [], [], set()
    for row, values in rows:
        stored = existing.get(row.key)
        if stored is None:
            to_create.append(
                {
                    "workspace_id": ctx.workspace.pk,
                    "import_key": row.key,
                    **(defaults or {}),
                    **values,
                }
            )
            continue
        before = dict(zip(names, stored[2:], strict=True))
        changed = [name for name, value in values.items() if before[name] != value]
        if not changed:
            result.unchanged += 1
            continue
        # Every column read goes on the instance: bulk_update writes the union of the
        # batch's changed columns to each row, so the unchanged ones must hold their values.
        to_update.append(model(pk=stored[0], **{**before, **values}))
        changed_fields.update(changed)
        if "person_id" in changed:
            result.left_people.add(before["person_id"])
    insert_rows(model, to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    result.created = len(to_create)
    result.updated = len(to_update)
    return result


def with_import_keys(model, workspace, keys):
    """The rows of ``workspace`` with these import keys. The query repeats the condition of
    the partial unique index on (workspace, import_key): without it SQLite cannot use that
    index and reads every row of the workspace, so each batch would cost more than the last."""
    if not keys:
        return model.objects.none()
    return (
        model.objects.filter(workspace=workspace, import_key__in=among(keys))
        .exclude(import_key="")
        .order_by()
    )


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
            data = row.data
            if ref := data.get(id_field):
                candidates, field_name, what = by_id.get(ref, ()), id_field, "id"
            elif ref := data.get(email_field):
                candidates, field_name, what = by_email.get(ref, ()), email_field, "email"
            else:
                ref = data.get(name_field) if name_field else None
                candidates, field_name, what = by_name.get(ref, ()), name_field, "name"
            if len(candidates) == 1:
                found[row.line] = candidates[0][0]
                continue
            # Worded only for the rows refused: most rows find their one person.
            shown = f"{what} {ref!r}"
            if not candidates:
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
        # The group is always named (all of them when the run has none) so that the unique
        # index on (workspace, group, external_id) finds the ids; one query per kind of
        # reference, each on its index, rather than one OR that reads the whole workspace.
        people = Person.objects.filter(
            workspace=self.ctx.workspace, group__in=[self.group] if self.group else Group.values
        ).order_by()
        queries = []
        if ids:
            queries.append(people.filter(external_id__in=among(ids)).exclude(external_id=""))
        if emails:
            queries.append(
                people.filter(ignoring_case(people, "email", emails, self.ctx.workspace))
            )
        if names:
            queries.append(people.filter(name__in=names))
        found = {}
        # Ids alone are answered from the unique index without reading the people's rows.
        columns = ("pk", "group", "external_id", *(("email", "name") if emails or names else ()))
        for query in queries:
            for values in query.values_list(*columns):
                found[values[0]] = values if len(values) == 5 else (*values, "", "")
        for pk, group, external_id, email, name in sorted(found.values()):
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
        insert(Person, people)
        self.ctx.count(f"{self.create_group}s created", len(people))
        for person in people:
            entry = (person.pk, person.group)
            if person.external_id:
                by_id[person.external_id] = [entry]
            elif person.email:
                by_email[person.email] = [entry]
            else:
                by_name[person.name] = [entry]
