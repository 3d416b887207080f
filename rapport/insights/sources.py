"""The database read as the plain rows ``compute`` works on, for one business and a range
of local days. Each query is scoped to the workspace and reads only the columns it needs."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
from django.db import NotSupportedError, connections
from django.db.models import BigIntegerField, Case, F, Func, IntegerField, TextField, Value, When
from django.db.models.functions import Cast

from rapport.accounts.models import Workspace
from rapport.feedback.choices import QuestionKind
from rapport.feedback.models import Answer, Invitation, Response
from rapport.insights import compute as c
from rapport.insights.compute import RETENTION_DAYS, Data
from rapport.people.choices import EXIT_KINDS, EmploymentEventKind, Group
from rapport.people.models import (
    CommunityEvent,
    Delivery,
    EmploymentEvent,
    Interaction,
    Person,
    Purchase,
    Team,
)

# Survey question kinds the dashboards score, as ``compute`` names them.
SCORED = {
    QuestionKind.NPS: "nps",
    QuestionKind.ENPS: "enps",
    QuestionKind.CSAT: "csat",
    QuestionKind.CES: "ces",
    QuestionKind.LIKERT: "likert",
    QuestionKind.RATING: "rating",
}
# The models whose rows the dashboards count on a day, and the field holding that day (a
# date, or for messages the moment, whose local day it is). A write to one of them marks
# the snapshots stale from that day (``signals``); the first of them all is where a full
# refresh starts (``actions``).
DAY_FIELDS = (
    (Interaction, "occurred_at"),
    (Purchase, "purchased_on"),
    (Response, "submitted_on"),
    (Delivery, "promised_on"),
    (EmploymentEvent, "date"),
    (CommunityEvent, "date"),
    # An invitation counts in the response rate of the day it was made, and is answered days
    # later: its own save (answered) marks that day.
    (Invitation, "created_at"),
)


def _rows(queryset, *fields, dated=()) -> list[tuple]:
    """The ``values_list`` rows of ``queryset`` straight from the database cursor. At a
    quarter of a large business (a hundred thousand messages, as many purchases) Django's
    converters, called on every value, cost more than the reading: the
    callers convert the ``dated`` fields themselves (``_moment``, ``_date``)."""
    connection = connections[queryset.db]
    if connection.vendor == "sqlite" and dated:
        # The SQLite driver hands a column declared as a date or a moment to Django's
        # parser, in Python; the same text cast is returned as it is.
        columns = {
            f"_{i}": Cast(f, TextField()) if f in dated else F(f) for i, f in enumerate(fields)
        }
        queryset, fields = queryset.annotate(**columns), tuple(columns)
    compiler = queryset.values_list(*fields).order_by().query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _fast_moments(cursor.cursor)
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fast_moments(cursor) -> None:
    """Read timestamps with psycopg's own loader (compiled, in its binary package) rather
    than Django's, a Python subclass eight times slower: both give an aware datetime, in
    the connection's zone (UTC) for psycopg's, which ``astimezone`` treats alike."""
    import psycopg
    from psycopg.pq import Format

    oid = psycopg.adapters.types["timestamptz"].oid
    cursor.adapters.register_loader(oid, psycopg.adapters.get_loader(oid, Format.TEXT))


class Microseconds(Func):
    """A stored moment as whole microseconds since 1970 (UTC), worked out by the database:
    a quarter's hundred thousand messages are not turned into Python datetimes one by one.
    SQLite keeps a moment as its UTC text, whole seconds then any fraction; its date
    functions round to the millisecond (59.9999 s reads as the next minute), so the whole
    seconds are read without the fraction, and the fraction on its own."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(CAST(strftime('%%s', substr({sql}, 1, 19)) AS INTEGER) * 1000000"
            f" + CAST(round(CAST('0' || substr({sql}, 20) AS REAL) * 1000000) AS INTEGER))",
            [*params, *params],
        )

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(EXTRACT(EPOCH FROM {sql}) * 1000000)::bigint", params

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"Microseconds on {connection.vendor}")


class DayNumber(Func):
    """A stored date as its proleptic Gregorian ordinal (``date.toordinal``), worked out by
    the database."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # Julian day numbers start at noon: 1 January of year 1 began at 1721424.5.
        return f"CAST(julianday({sql}) - 1721424.5 AS INTEGER)", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} - DATE '0001-01-01' + 1)", params

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"DayNumber on {connection.vendor}")


def _coded(field: str, codes: dict[str, int], other: int) -> Case:
    """A text column as the code ``codes`` gives its value (``other`` for any other)."""
    whens = [When(**{field: name}, then=Value(code)) for name, code in codes.items()]
    return Case(*whens, default=Value(other), output_field=IntegerField())


def _columns(rows: list[tuple], width: int) -> list[tuple]:
    """Rows turned into their columns (tuples), ``width`` of them however few rows."""
    found = list(zip(*rows, strict=True))
    return found or [()] * width


def _message_columns(rows, tz) -> c.MessageColumns:
    person, at, direction, handler, thread, is_open, sentiment = _columns(rows, 7)
    at = np.array(at, dtype=np.int64)
    return c.MessageColumns(
        person=np.array(person, dtype=np.int64),
        day=c.local_days(at, tz),
        at=at,
        direction=np.array(direction, dtype=np.int8),
        handler=np.array(handler, dtype=np.int8),
        thread=c.thread_codes(thread),
        is_open=np.array(is_open, dtype=bool),
        sentiment=np.array(sentiment, dtype=np.float64),  # None: NaN
    )


def _moment(value) -> dt.datetime | None:
    """A stored moment as an aware datetime: PostgreSQL gives one, SQLite its UTC text."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def midnight(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz)


def read_people(workspace: Workspace) -> c.PeopleColumns:
    """Everyone on file, as the columns ``compute`` looks people up in: a large business has
    a hundred thousand, read on every refresh."""
    teams = dict(Team.objects.filter(workspace=workspace).values_list("id", "name").order_by())
    everyone = Person.objects.filter(workspace=workspace)
    ids, groups, segments, team_ids, first, referred = _columns(
        _rows(
            everyone.annotate(_first=DayNumber("first_purchase_on")),
            "id",
            "group",
            "segment",
            "team_id",
            "_first",
            "referred_by_id",
        ),
        6,
    )
    # Deliveries are cut by their supplier's name, whatever group the supplier is in.
    delivering = Delivery.objects.filter(workspace=workspace).values("supplier_id")
    suppliers = dict(everyone.filter(pk__in=delivering).values_list("id", "name").order_by())
    codes, names = {}, {}
    for dim, values in (
        ("group", groups),
        ("segment", segments),
        ("team", [teams.get(team) for team in team_ids]),
    ):
        codes[dim], names[dim] = c.codes_of(values)
    return c.PeopleColumns(
        np.array(ids, dtype=np.int64),
        codes,
        names,
        np.array([day or 0 for day in first], dtype=np.int64),
        np.array([r is not None for r in referred], dtype=bool),
        suppliers,
    )


def read(
    workspace: Workspace,
    first: dt.date,
    last: dt.date,
    people: c.PeopleColumns | None = None,
    today: dt.date | None = None,
    *,
    buys_from: dt.date | None = None,
    messages_only: bool = False,
) -> Data:
    """Everything the periods from ``first`` to ``last`` (local days, ``last`` excluded)
    need, with the look-back retention needs and the look-ahead that finds replies.

    buys_from: the first day of purchases to read (``compute.purchases_from`` of the
    periods); by default far enough back for the retention of any period from ``first``.
    messages_only: read the messages alone, all that ``compute.REPLY_METRICS`` need."""
    tz = workspace.zone
    now = dt.datetime.now(tz)
    if today is not None and today < now.date():
        now = midnight(today + dt.timedelta(days=1), tz)  # the end of that day
    data = Data(people_columns=people if people is not None else read_people(workspace))
    data.now = now
    data.today = today or now.date()
    ws = workspace

    # Messages, and replies up to the horizon after the last period.
    since, until = midnight(first, tz), midnight(last, tz) + c.REPLY_HORIZON
    messages = Interaction.objects.filter(
        workspace=ws, occurred_at__gte=since, occurred_at__lt=until
    ).annotate(
        _at=Microseconds("occurred_at"),
        _direction=_coded("direction", c.DIRECTION_CODES, c.OTHER_DIRECTION),
        _handler=Case(
            When(handled_by_id__isnull=False, then=Value(c.HANDLER_CODES["person"])),
            When(handled_by_automation_id__isnull=False, then=Value(c.HANDLER_CODES["automation"])),
            default=Value(c.HANDLER_CODES[None]),
            output_field=IntegerField(),
        ),
    )
    rows = _rows(
        messages,
        "person_id",
        "_at",
        "_direction",
        "_handler",
        "thread_key",
        "is_open",
        "reading__sentiment_score",
    )
    data.message_columns = _message_columns(rows, tz)
    if messages_only:
        return data

    # Purchases, from far enough back for retention.
    back = buys_from or first - dt.timedelta(days=2 * RETENTION_DAYS + 1)
    buys = Purchase.objects.filter(workspace=ws, purchased_on__gte=back, purchased_on__lt=last)
    person, day, location = _columns(
        _rows(buys.annotate(_day=DayNumber("purchased_on")), "person_id", "_day", "location"), 3
    )
    locations, names = c.codes_of(location)
    data.purchase_columns = c.PurchaseColumns(
        np.array(person, dtype=np.int64), np.array(day, dtype=np.int64), locations, names
    )

    # Scored survey answers with the cut their response was given under; the labels of the
    # response's comment (themes and emotion groups) for the drivers.
    labels = _response_labels(ws, first, last)
    answers = _rows(
        Answer.objects.filter(
            response__workspace=ws,
            response__submitted_on__gte=first,
            response__submitted_on__lt=last,
            question__kind__in=list(SCORED),
            number__isnull=False,
        ),
        "response_id",
        "response__group",
        "response__survey__audience_group",
        "response__segment",
        "response__team__name",
        "question__kind",
        "number",
        "question__scale_max",
        "response__submitted_on",
        dated={"response__submitted_on"},
    )
    for rid, group, audience, segment, team, kind, number, scale, day in answers:
        group = group or audience
        if not group:
            continue
        data.answers.append(
            c.Answer(
                str(rid),
                group,
                segment or "",
                team or "",
                SCORED[kind],
                number,
                scale,
                _date(day),
                labels.get(rid, frozenset()),
            )
        )

    # Deliveries due in the periods.
    data.supplies = [
        c.Supply(sid, promised, delivered, _float(q), float(bad or 0))
        for sid, promised, delivered, q, bad in Delivery.objects.filter(
            workspace=ws, promised_on__gte=first, promised_on__lt=last
        )
        .values_list("supplier_id", "promised_on", "delivered_on", "quantity", "defective_quantity")
        .order_by()
    ]

    # Staff: every employee's spell (a small table), exits and absences in the periods.
    data.spells = [
        c.Spell(pid, start or dt.date(1900, 1, 1), end, team or "")
        for pid, start, end, team in Person.objects.filter(
            workspace=ws, group=Group.EMPLOYEE
        ).values_list("id", "start_date", "end_date", "team__name")
    ]
    events = EmploymentEvent.objects.filter(workspace=ws, date__gte=first, date__lt=last)
    for pid, kind, day, days in events.filter(
        kind__in=[*EXIT_KINDS, EmploymentEventKind.ABSENCE]
    ).values_list("person_id", "kind", "date", "days"):
        if kind == EmploymentEventKind.ABSENCE:
            data.absences.append(c.Absence(pid, day, float(days if days is not None else 1)))
        else:
            data.exits.append(c.Exit(pid, day, kind))

    # Community events with the staff who took part.
    staffed: dict[int, list[int]] = {}
    through = CommunityEvent.staff_participants.through
    for event_id, pid in through.objects.filter(
        communityevent__workspace=ws,
        communityevent__date__gte=first,
        communityevent__date__lt=last,
    ).values_list("communityevent_id", "person_id"):
        staffed.setdefault(event_id, []).append(pid)
    data.events = [
        c.Event(day, attendance, tuple(staffed.get(eid, ())))
        for eid, day, attendance in CommunityEvent.objects.filter(
            workspace=ws, date__gte=first, date__lt=last
        ).values_list("id", "date", "attendance")
    ]

    # Feedback to act on, and survey invitations.
    data.follow_ups = [
        c.FollowUp(
            group or audience or "",
            seg or "",
            team or "",
            _date(day),
            _day(_moment(ack), tz),
            _day(_moment(done), tz),
        )
        for group, audience, seg, team, day, ack, done in _rows(
            Response.objects.filter(
                workspace=ws, actionable=True, submitted_on__gte=first, submitted_on__lt=last
            ),
            "group",
            "survey__audience_group",
            "segment",
            "team__name",
            "submitted_on",
            "acknowledged_at",
            "done_at",
            dated={"submitted_on", "acknowledged_at", "done_at"},
        )
    ]
    invitations = Invitation.objects.filter(
        workspace=ws, created_at__gte=midnight(first, tz), created_at__lt=midnight(last, tz)
    ).exclude(sent_at__isnull=True)
    for group, seg, team, at, answered in _rows(
        invitations,
        "person__group",
        "person__segment",
        "person__team__name",
        "created_at",
        "answered",
        dated={"created_at"},
    ):
        # Response rates of a team are only cut for identified or confidential surveys
        # here: an invitation names its person, whatever the survey's anonymity.
        data.invites.append(
            c.Invite(group, seg or "", team or "", _day(_moment(at), tz), bool(answered))
        )
    return data


def _response_labels(workspace: Workspace, first: dt.date, last: dt.date) -> dict:
    """Response id → the names of its comment's themes and emotion groups."""
    from rapport.feedback.models import ResponseReading
    from rapport.understanding.models import Theme

    names = dict(Theme.objects.filter(workspace=workspace).values_list("key", "name").order_by())
    found: dict = {}
    # Raw response ids, as ``read`` gets them with the answers.
    for rid, themes, groups in _rows(
        ResponseReading.objects.filter(
            response__workspace=workspace,
            response__submitted_on__gte=first,
            response__submitted_on__lt=last,
        ),
        "response_id",
        "themes",
        "detected_groups",
    ):
        themes, groups = _json(themes), _json(groups)
        found[rid] = frozenset(
            [names.get(t, str(t)) for t in themes or ()]
            + [g for g in groups or () if g != "neutral"]
        )
    return found


def _json(value):
    """A JSON column's value, read as text (SQLite) or already decoded by the driver."""
    return json.loads(value) if isinstance(value, str) else value


def _day(moment: dt.datetime | None, tz) -> dt.date | None:
    return moment.astimezone(tz).date() if moment is not None else None


def _float(value) -> float | None:
    return float(value) if value is not None else None
