"""People of any group: customers, employees, suppliers, community organisations.

A person is matched by (group, external id); without an external id by email; without
either by name (email and name ignoring case), so a re-import of the same file never duplicates anyone. Blank cells
never erase what is already stored, and imported tags are added, never removed: an import
must not undo what someone typed in the app.
"""

from __future__ import annotations

from django.utils import timezone

from rapport.imports.kinds.base import ImportKindBase
from rapport.imports.kinds.cleaning import BatchResult, Cleaner, CleanRow, Context, words
from rapport.imports.mapping import Field
from rapport.lib.bulk import among, insert_rows
from rapport.people.choices import CommunityKind, Group, PartyKind
from rapport.people.lookup import ignoring_case
from rapport.people.models import TAG_MAX, Person, Tag, Team
from rapport.privacy.actions import CONSENTS, record_consent_changes

GROUP_WORDS = words(
    {
        Group.CUSTOMER: ("customers", "client", "clients", "buyer"),
        Group.EMPLOYEE: ("employees", "staff", "worker", "team member"),
        Group.SUPPLIER: ("suppliers", "vendor", "vendors", "partner", "partners"),
        Group.COMMUNITY: (
            "community organisation",
            "community organization",
            "organisation",
            "press",
            "school",
        ),
    }
)
PARTY_WORDS = words(
    {
        PartyKind.PERSON: ("individual", "private", "people", "human"),
        PartyKind.ORGANISATION: ("organization", "company", "business", "org", "corporate", "firm"),
    }
)
COMMUNITY_WORDS = words(
    {
        CommunityKind.ASSOCIATION: ("club", "sports club", "society"),
        CommunityKind.SCHOOL: ("college", "university", "kindergarten"),
        CommunityKind.PRESS: ("newspaper", "media", "radio", "local press", "journalist"),
        CommunityKind.CHARITY: ("ngo", "non profit", "nonprofit", "foundation"),
        CommunityKind.COUNCIL: ("municipality", "city", "town hall", "public body", "government"),
        CommunityKind.BUSINESS: ("neighbour", "neighbor", "neighbouring business", "shop"),
        CommunityKind.OTHER: (),
    }
)

# Model fields an import may set directly, compared to decide "updated" vs "unchanged".
PLAIN_FIELDS = (
    "name",
    "kind",
    "email",
    "phone",
    "address",
    "job_title",
    "start_date",
    "birthday",
    "end_date",
    "exit_reason",
    "segment",
    "category",
    "community_kind",
    "may_contact",
    "may_analyse",
)


class PeopleKind(ImportKindBase):
    name = "people"
    label = "People"
    group_label = "Everyone in this file is a"
    group_required = True
    offers_create_missing = False
    fields = (
        Field(
            "external_id",
            "External id",
            (
                "id",
                "customer id",
                "customerid",
                "client id",
                "employee number",
                "employee id",
                "employee no",
                "staff id",
                "staff number",
                "emp id",
                "empno",
                "supplier id",
                "vendor id",
                "vendor code",
                "supplier code",
                "account number",
                "account id",
                "contact id",
                "member id",
                "person id",
                "customer number",
                "customer no",
                "organisation id",
            ),
            patterns=(
                r"(customer|client|employee|staff|supplier|vendor|member)(id|number|no|code)$",
            ),
        ),
        Field(
            "name",
            "Name",
            (
                "full name",
                "fullname",
                "customer name",
                "client name",
                "employee name",
                "contact name",
                "display name",
                "vendor",
                "vendor name",
                "supplier",
                "supplier name",
                "company",
                "company name",
                "organisation",
                "organization",
                "organisation name",
            ),
        ),
        Field("first_name", "First name", ("firstname", "given name", "forename", "first")),
        Field("last_name", "Last name", ("lastname", "surname", "family name", "last")),
        Field(
            "group",
            "Group",
            ("relationship", "person group", "type of relationship"),
            help="customer, employee, supplier or community; overrides the run's group",
        ),
        Field("kind", "Person or organisation", ("party kind", "entity type", "party type")),
        Field("email", "Email", ("e-mail", "email address", "mail", "work email", "contact email")),
        Field(
            "phone", "Phone", ("telephone", "phone number", "mobile", "cell", "tel", "mobile phone")
        ),
        Field("address", "Address", ("street address", "postal address", "full address")),
        Field("team", "Team", ("department", "dept", "team name", "division", "unit")),
        Field(
            "manager",
            "Manager's external id",
            (
                "manager id",
                "manager employee number",
                "reports to",
                "supervisor id",
                "line manager id",
            ),
        ),
        Field("job_title", "Job title", ("title", "job role", "role", "position", "jobtitle")),
        Field(
            "start_date",
            "Start date",
            (
                "hire date",
                "date hired",
                "hired on",
                "joined",
                "date joined",
                "employment start",
                "start",
            ),
            is_date=True,
        ),
        Field(
            "birthday",
            "Birthday",
            ("birth date", "date of birth", "dob", "birthdate"),
            is_date=True,
        ),
        Field(
            "end_date",
            "End date",
            ("termination date", "exit date", "leaving date", "left on", "date left", "end"),
            is_date=True,
        ),
        Field(
            "exit_reason",
            "Exit reason",
            ("termination reason", "reason for leaving", "leaving reason", "separation reason"),
        ),
        Field(
            "segment",
            "Segment",
            ("customer segment", "tier", "loyalty tier", "customer type", "plan", "contract"),
        ),
        Field(
            "category",
            "Category",
            ("supplier category", "vendor category", "product group", "industry", "sector"),
        ),
        Field(
            "community_kind",
            "Community kind",
            ("organisation type", "organization type", "community type"),
        ),
        Field("tags", "Tags", ("labels", "tag", "keywords"), help="separated by ; or ,"),
        Field(
            "may_contact",
            "May contact",
            ("consent", "marketing consent", "opt in", "optin", "contact allowed", "subscribed"),
        ),
        Field(
            "may_analyse", "May analyse", ("analysis consent", "may analyze", "analytics consent")
        ),
    )
    required_any = (
        (
            ("external_id", "name", "first_name", "last_name", "email"),
            "a name, an external id or an email",
        ),
    )

    def clean(self, raw: dict[str, str], ctx: Context):
        c = Cleaner(raw, ctx)
        group = c.choice("group", GROUP_WORDS) or ctx.options.get("group")
        if not group:
            c.error("group", "no group: choose customer, employee, supplier or community")
        c.data["group"] = group
        c.text("external_id", 100)
        c.text("name", 200)
        first, last = c.text("first_name", 100), c.text("last_name", 100)
        c.data.pop("first_name", None)
        c.data.pop("last_name", None)
        if "name" not in c.data and (first or last):
            c.data["name"] = " ".join(part for part in (first, last) if part)
        c.choice("kind", PARTY_WORDS)
        c.email("email")
        c.text("phone", 40)
        c.long_text("address")
        c.text("team", 100)
        c.text("manager", 100)
        c.text("job_title", 100)
        c.date("start_date")
        c.date("birthday", not_future=True)
        c.date("end_date")
        c.text("exit_reason", 200)
        c.text("segment", 60)
        c.text("category", 60)
        c.choice("community_kind", COMMUNITY_WORDS)
        tags = c.value("tags")
        if tags:
            names = sorted({t.strip() for t in tags.replace(",", ";").split(";") if t.strip()})
            too_long = [t for t in names if len(t) > TAG_MAX]
            if too_long:
                c.error(
                    "tags", f"the tag “{too_long[0][:40]}…” is longer than {TAG_MAX} characters"
                )
            else:
                c.data["tags"] = names
        c.boolean("may_contact")
        c.boolean("may_analyse")
        start, end = c.data.get("start_date"), c.data.get("end_date")
        if start and end and end < start:
            c.error("end_date", f"{end.isoformat()} is before the start date {start.isoformat()}")
        if not c.errors and not any(c.data.get(k) for k in ("external_id", "name", "email")):
            c.error("name", "a row needs a name, an external id or an email")
        return c.data, c.errors

    def preview_options(self, options: dict) -> dict:
        # The mapping form asks for the group; until then the preview reads the rows as
        # customers rather than flag every one of them for a choice not made yet.
        return options if options.get("group") else {**options, "group": Group.CUSTOMER}

    def identity(self, data: dict, ctx: Context) -> str:
        if data.get("external_id"):
            return f"{data['group']}:id:{data['external_id']}"
        if data.get("email"):
            return f"{data['group']}:email:{data['email']}"
        return f"{data['group']}:name:{data.get('name', '').casefold()}"

    def write(self, rows: list[CleanRow], ctx: Context) -> BatchResult:
        result = BatchResult()
        existing = self._existing(rows, ctx)
        teams = self._teams(rows, ctx)
        now = timezone.now()
        to_create, to_update, changed_fields = [], [], set()
        consents = []  # (person, {field: [before, after]}): audited, and take effect
        # (row, stored person or None, index in to_create): the created get their keys below.
        targets: list[tuple[CleanRow, Person | None, int]] = []
        for row in rows:
            data = row.data
            values = {name: data[name] for name in PLAIN_FIELDS if name in data}
            if "team" in data:
                values["team_id"] = teams[data["team"]]
            person = existing.get(row.identity)
            if person is None:
                values.setdefault("name", data.get("external_id") or data.get("email") or "")
                # A plain row, not a Person: building a model instance per new person cost
                # more than inserting it.
                to_create.append(
                    {
                        "workspace_id": ctx.workspace.pk,
                        "group": data["group"],
                        "external_id": data.get("external_id", ""),
                        "created_at": now,
                        "updated_at": now,
                        **values,
                    }
                )
                targets.append((row, None, len(to_create) - 1))
                continue
            changed = [name for name, value in values.items() if getattr(person, name) != value]
            if changed:
                consent = {
                    name: [getattr(person, name), values[name]]
                    for name in changed
                    if name in CONSENTS
                }
                if consent:
                    consents.append((person, consent))
                for name in changed:
                    setattr(person, name, values[name])
                person.updated_at = now
                changed_fields.update(changed)
                to_update.append(person)
            targets.append((row, person, -1))
        created_keys = insert_rows(Person, to_create, returning=True)
        if to_update:
            Person.objects.bulk_update(
                to_update, sorted(changed_fields | {"updated_at"}), batch_size=500
            )
            record_consent_changes(ctx.workspace, consents, via="import")
        # (row, person's key, its stored manager): what tags and managers need.
        keyed = [
            (row, created_keys[at], None) if person is None else (row, person.pk, person.manager_id)
            for row, person, at in targets
        ]
        tagged = self._add_tags(keyed, ctx)
        managed = self._set_managers(keyed, ctx)
        created_ids = set(created_keys)
        updated_ids = {p.pk for p in to_update} | tagged | managed
        result.created = len(created_ids)
        result.updated = len(updated_ids - created_ids)
        result.unchanged = len(rows) - result.created - result.updated
        return result

    def _existing(self, rows, ctx) -> dict[str, Person]:
        """The stored people this batch names, keyed by each row's identity.

        A row without an external id matches by email, then by name, whatever the stored
        person's own external id: a file of emails must find the people already there.
        """
        ids = {r.data["external_id"] for r in rows if r.data.get("external_id")}
        emails = {
            r.data["email"] for r in rows if not r.data.get("external_id") and r.data.get("email")
        }
        names = {
            r.data["name"]
            for r in rows
            if not r.data.get("external_id") and not r.data.get("email") and r.data.get("name")
        }
        groups = {r.data["group"] for r in rows}
        scope = Person.objects.filter(workspace=ctx.workspace, group__in=groups).order_by()
        # One query per kind of reference, each on its index (the external id's is partial:
        # the query repeats its condition); one OR of the three reads the whole workspace.
        queries = []
        if ids:
            queries.append(scope.filter(external_id__in=among(ids)).exclude(external_id=""))
        if emails:
            queries.append(scope.filter(ignoring_case(scope, "email", emails, ctx.workspace)))
        if names:
            queries.append(scope.filter(ignoring_case(scope, "name", names, ctx.workspace)))
        people = {person.pk: person for query in queries for person in query}
        by_key: dict[tuple, Person] = {}
        for _, person in sorted(people.items()):
            if person.external_id:
                by_key.setdefault((person.group, "id", person.external_id), person)
            if person.email:
                by_key.setdefault((person.group, "email", person.email.lower()), person)
            by_key.setdefault((person.group, "name", person.name.casefold()), person)
        found = {}
        for row in rows:
            group, kind, value = row.identity.split(":", 2)
            person = by_key.get((group, kind, value))
            if person is not None:
                found[row.identity] = person
        return found

    def _teams(self, rows, ctx) -> dict[str, int]:
        names = {r.data["team"] for r in rows if r.data.get("team")}
        if not names:
            return {}
        Team.objects.bulk_create(
            [Team(workspace=ctx.workspace, name=n) for n in names], ignore_conflicts=True
        )
        return dict(
            Team.objects.filter(workspace=ctx.workspace, name__in=names).values_list("name", "pk")
        )

    def _add_tags(self, targets, ctx) -> set[int]:
        wanted = {(pk, name) for row, pk, _ in targets for name in row.data.get("tags", ())}
        if not wanted:
            return set()
        names = {name for _, name in wanted}
        Tag.objects.bulk_create(
            [Tag(workspace=ctx.workspace, name=n) for n in names], ignore_conflicts=True
        )
        tag_ids = dict(
            Tag.objects.filter(workspace=ctx.workspace, name__in=names).values_list("name", "pk")
        )
        through = Person.tags.through
        person_ids = {pk for pk, _ in wanted}
        have = set(
            through.objects.filter(person_id__in=person_ids, tag__name__in=names).values_list(
                "person_id", "tag__name"
            )
        )
        missing = wanted - have
        through.objects.bulk_create(
            [through(person_id=pk, tag_id=tag_ids[name]) for pk, name in missing],
            ignore_conflicts=True,
        )
        return {pk for pk, _ in missing}

    def _set_managers(self, targets, ctx) -> set[int]:
        refs = {row.data["manager"] for row, _, _ in targets if row.data.get("manager")}
        if not refs:
            return set()
        managers = dict(
            Person.objects.filter(
                workspace=ctx.workspace, group=Group.EMPLOYEE, external_id__in=refs
            )
            .exclude(external_id="")
            .values_list("external_id", "pk")
        )
        changed = []
        for row, pk, manager_id in targets:
            ref = row.data.get("manager")
            if not ref:
                continue
            if ref not in managers:
                # The manager may be further down the file: try again once every row is in.
                ctx.deferred.append((row.line, pk, ref))
            elif manager_id != managers[ref]:
                changed.append(Person(pk=pk, manager_id=managers[ref]))
        Person.objects.bulk_update(changed, ["manager_id"], batch_size=500)
        return {p.pk for p in changed}

    def finish(self, ctx: Context) -> list[tuple[int, str, str]]:
        if not ctx.deferred:
            return []
        refs = {ref for _, _, ref in ctx.deferred}
        managers = dict(
            Person.objects.filter(
                workspace=ctx.workspace, group=Group.EMPLOYEE, external_id__in=refs
            )
            .exclude(external_id="")
            .values_list("external_id", "pk")
        )
        warnings, changed = [], []
        for line, person_id, ref in ctx.deferred:
            if ref in managers:
                changed.append(Person(pk=person_id, manager_id=managers[ref]))
            else:
                warnings.append(
                    (line, "manager", f"no employee with id {ref!r}; imported without a manager")
                )
        Person.objects.bulk_update(changed, ["manager_id"], batch_size=500)
        return warnings
