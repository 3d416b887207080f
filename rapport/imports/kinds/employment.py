"""Hires, exits, absences and role changes: the facts behind turnover and absenteeism.

An event is the same event when person, kind and date match; its days and reason may be
corrected by a later import. Hires and exits cannot be in the future (a planned leaver is
not yet a leaver); absences can (booked leave).
"""

from __future__ import annotations

from decimal import Decimal

from rapport.imports.kinds.base import ImportKindBase
from rapport.imports.kinds.cleaning import BatchResult, Cleaner, CleanRow, Context, digest, words
from rapport.imports.kinds.persons import (
    PERSON_EMAIL_SYNONYMS,
    PERSON_ID_SYNONYMS,
    write_person_facts,
)
from rapport.imports.mapping import Field
from rapport.people.choices import EXIT_KINDS, EmploymentEventKind, Group
from rapport.people.models import EmploymentEvent

KIND_WORDS = words(
    {
        EmploymentEventKind.HIRE: (
            "hired",
            "hiring",
            "start",
            "started",
            "joined",
            "joiner",
            "new hire",
            "onboarded",
        ),
        EmploymentEventKind.EXIT_VOLUNTARY: (
            "voluntary",
            "voluntary exit",
            "resigned",
            "resignation",
            "quit",
            "left",
            "retired",
            "retirement",
        ),
        EmploymentEventKind.EXIT_INVOLUNTARY: (
            "involuntary",
            "involuntary exit",
            "dismissed",
            "dismissal",
            "fired",
            "terminated",
            "termination",
            "laid off",
            "layoff",
            "redundancy",
            "redundant",
        ),
        EmploymentEventKind.ABSENCE: (
            "absent",
            "sick",
            "sickness",
            "sick leave",
            "illness",
            "leave",
            "absence day",
        ),
        EmploymentEventKind.ROLE_CHANGE: (
            "promotion",
            "promoted",
            "transfer",
            "role",
            "change",
            "team change",
            "new role",
        ),
    }
)


EVENT_FIELDS = {name: name for name in ("kind", "date", "days", "reason")}


class EmploymentKind(ImportKindBase):
    name = "employment"
    label = "Employment events"
    fields = (
        Field("person_external_id", "Employee's external id", PERSON_ID_SYNONYMS),
        Field("person_email", "Employee's email", PERSON_EMAIL_SYNONYMS),
        Field(
            "kind",
            "Event",
            ("event", "event type", "type", "kind", "action", "status change", "reason code"),
            required=True,
        ),
        Field(
            "date",
            "Date",
            ("event date", "effective date", "start date", "from", "date from", "on"),
            patterns=(r"date$",),
            required=True,
            is_date=True,
        ),
        Field(
            "days",
            "Days",
            (
                "days lost",
                "duration",
                "duration days",
                "number of days",
                "working days",
                "absence days",
            ),
        ),
        Field("reason", "Reason", ("comment", "notes", "note", "description", "details", "cause")),
    )
    required_any = (
        (("person_external_id", "person_email"), "the employee's external id or email"),
    )

    def clean(self, raw: dict[str, str], ctx: Context):
        c = Cleaner(raw, ctx)
        c.text("person_external_id", 100)
        c.email("person_email")
        if not c.data.get("person_external_id") and not c.data.get("person_email"):
            c.error("person_external_id", "required: the employee's external id or email")
        kind = c.choice("kind", KIND_WORDS)
        if c.value("kind") is None:
            c.error("kind", "required, but empty")
        c.date("date", required=True, not_future=kind in (EmploymentEventKind.HIRE, *EXIT_KINDS))
        c.decimal(
            "days",
            places=1,
            minimum=Decimal(0),
            maximum=Decimal(367),
            why_minimum="days cannot be negative",
        )
        c.text("reason", 200)
        return c.data, c.errors

    def identity(self, data: dict, ctx: Context) -> str:
        person = data.get("person_external_id") or data.get("person_email")
        return digest("employment", person, data["kind"], data["date"].isoformat())

    def write(self, rows: list[CleanRow], ctx: Context) -> BatchResult:
        result, _ = write_person_facts(
            EmploymentEvent, rows, ctx, group=Group.EMPLOYEE, noun="employee", fields=EVENT_FIELDS
        )
        return result
