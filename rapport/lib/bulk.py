"""Inserting many new rows at once: Django's ``bulk_create`` without its per-value cost.

``bulk_create`` compiles a placeholder and prepares each value through the field's full
chain (``pre_save``, ``get_db_prep_save``, ``field_as_sql``) for every value of every row:
an import of 100,000 interactions spent more time there than in the database. ``insert``
builds the statement once per chunk, passes plain values (a ``str`` for a text column, an
``int`` for an integer or a key) as they are, and prepares the others (dates, JSON, decimals,
``auto_now`` fields) through the field as Django would. Like ``bulk_create`` it sends no
signals and sets each new object's primary key.

Hand-written because Django offers nothing between ``bulk_create`` and raw SQL; it falls back
to ``bulk_create`` where it cannot do the same (a database that cannot return the keys of a
multi-row insert, a field with a database default, an object that already has a key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import chain

from django.db import connections, models, router
from django.db.models.expressions import RawSQL
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

# Field classes whose preparation leaves a value of these types unchanged; a subclass that
# overrides the preparation (an encrypted field, say) is prepared the full way.
_PLAIN: tuple[tuple[type[models.Field], tuple[type, ...]], ...] = (
    (models.CharField, (str,)),
    (models.TextField, (str,)),
    (models.BooleanField, (bool,)),
    (models.IntegerField, (int,)),
    (models.FloatField, (float, int)),
)
_PREPARATION = ("get_db_prep_save", "get_db_prep_value", "get_prep_value", "pre_save")


def _plain_types(field: models.Field) -> tuple[type, ...]:
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        same = all(getattr(type(field), m) is getattr(models.ForeignKey, m) for m in _PREPARATION)
        return (int,) if same and isinstance(target, models.AutoField | models.BigAutoField) else ()
    for base, types in _PLAIN:
        if isinstance(field, base) and all(
            getattr(type(field), m) is getattr(base, m) for m in _PREPARATION
        ):
            return types
    return ()


def _chunk_rows(connection, columns: int) -> int:
    """How many rows one statement may carry: the database's limit on parameters."""
    limit = 65_535  # PostgreSQL's
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(1000, limit // max(columns, 1)))


def _can_insert(connection, fields) -> bool:
    return connection.features.can_return_rows_from_bulk_insert and all(
        f.db_default is NOT_PROVIDED for f in fields
    )


def _fields(meta) -> list[models.Field]:
    return [f for f in meta.concrete_fields if not f.primary_key and not f.generated]


def _execute(connection, model, fields, rows: Sequence, *, returning: bool) -> list:
    """Insert ``rows`` (tuples of prepared values in ``fields`` order), chunk by chunk;
    returns the new keys in order when ``returning``."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # Names from the model's own metadata, quoted by the backend; values go as parameters.
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    keys: list = []
    with connection.cursor() as cursor:
        if not returning and connection.vendor == "sqlite":
            # One prepared statement bound once per row, in C: cheaper than parsing a
            # statement of thousands of placeholders.
            cursor.executemany(head + placeholders, rows)
            return keys
        tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
        size = _chunk_rows(connection, len(fields))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = list(chain.from_iterable(chunk))
            cursor.execute(head + ", ".join([placeholders] * len(chunk)) + tail, params)
            if returning:
                keys.extend(pk for (pk,) in cursor.fetchall())
    return keys


def _preparation(field: models.Field, connection):
    """How ``field`` prepares one value: its full chain, or, for an aware datetime in a
    field that prepares it as Django's DateTimeField does (``get_prep_value`` leaves it as
    it is), only the backend's adaptation at the end of that chain, at half the cost."""
    prepare = field.get_db_prep_save
    if not isinstance(field, models.DateTimeField) or any(
        getattr(type(field), m) is not getattr(models.DateTimeField, m) for m in _PREPARATION
    ):
        return prepare
    adapt = _utc_text if _stores_utc_text(connection) else connection.ops.adapt_datetimefield_value

    def prepare_datetime(value, connection):
        if type(value) is dt.datetime and value.utcoffset() is not None:
            return adapt(value)
        return prepare(value, connection)

    return prepare_datetime


def _stores_utc_text(connection) -> bool:
    """Whether the backend stores an aware datetime as Django's SQLite backend does with
    ``USE_TZ`` and no database ``TIME_ZONE``: the UTC wall time as ``str()`` writes it."""
    if connection.vendor != "sqlite":
        return False
    # Imported here: at the module's import time the backend may be half loaded.
    from django.db.backends.sqlite3.operations import DatabaseOperations

    adapt = DatabaseOperations.adapt_datetimefield_value
    return type(connection.ops).adapt_datetimefield_value is adapt and connection.timezone is dt.UTC


def _utc_text(value: dt.datetime) -> str:
    """The text Django's SQLite backend stores for an aware datetime, ``str()`` of its naive
    UTC time (``2024-07-01 08:30:00``, microseconds only when there are some), made without
    its checks and ``make_naive``: a third of an import's time preparing rows. In UTC the
    ISO text ends in ``+00:00``, which goes."""
    return value.astimezone(dt.UTC).isoformat(" ")[:-6]


def _prepared_rows(fields, connection, columns: list[list]) -> list[tuple]:
    """Rows of prepared values from ``columns`` (one list of raw values per field): a value
    of a plain type goes as it is, any other through the field's preparation, once per
    distinct object in a row (the same ``now`` in every row is prepared once)."""
    prepared = []
    for field, column in zip(fields, columns, strict=True):
        plain = _plain_types(field)
        keep = (*plain, type(None)) if plain else ()
        if keep and set(map(type, column)) <= set(keep):
            prepared.append(column)
            continue
        prepare = _preparation(field, connection)
        last, last_value = _UNSET, None
        out = []
        for value in column:
            if type(value) in keep:
                out.append(value)
            elif value is last:
                out.append(last_value)
            else:
                last, last_value = value, prepare(value, connection)
                out.append(last_value)
        prepared.append(out)
    return list(zip(*prepared, strict=True))


_UNSET = object()


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (new instances of ``model``) and set their keys. Either none of them
    has a key yet (the database gives them), or all have one already (a UUID drawn by the
    field's default), which is inserted as it is."""
    if not objs:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = _fields(meta)
    keyed = sum(obj.pk is not None for obj in objs)
    if not _can_insert(connection, fields) or 0 < keyed < len(objs):
        model.objects.bulk_create(objs)
        return
    if keyed:
        fields = [meta.pk, *fields]
    columns = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns.append([field.pre_save(obj, True) for obj in objs])
        else:
            columns.append([getattr(obj, field.attname) for obj in objs])
    rows = _prepared_rows(fields, connection, columns)
    keys = _execute(connection, model, fields, rows, returning=not keyed)
    pk_attname = meta.pk.attname
    for obj, pk in zip(objs, keys or [obj.pk for obj in objs], strict=True):
        setattr(obj, pk_attname, pk)
        obj._state.adding = False
        obj._state.db = using


def insert_rows(
    model: type[models.Model], rows: Sequence[dict], *, returning: bool = False
) -> list | None:
    """Insert new rows given as ``{column attname: value}`` (``workspace_id``, ``text``);
    a column left out takes its field's default. No instances are built; with
    ``returning``, the new rows' primary keys come back in order (otherwise None)."""
    if not rows:
        return [] if returning else None
    connection = connections[router.db_for_write(model)]
    fields = _fields(model._meta)
    if not _can_insert(connection, fields) or any(
        getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in fields
    ):
        objs = [model(**row) for row in rows]
        insert(model, objs)
        return [obj.pk for obj in objs] if returning else None
    known = {f.attname for f in fields}
    given = set().union(*rows)
    unknown = given - known
    if unknown:  # a field's name for its attname ("person" for "person_id"), or a typo
        raise TypeError(f"insert_rows: {model.__name__} has no columns {sorted(unknown)}")
    columns = [_column(field, rows, given) for field in fields]
    keys = _execute(
        connection, model, fields, _prepared_rows(fields, connection, columns), returning=returning
    )
    return keys if returning else None


def _column(field: models.Field, rows: Sequence[dict], given: set[str]) -> list:
    """``field``'s raw values in ``rows``, its default where a row leaves it out (called per
    row only when the default is a callable, such as ``timezone.now``); ``given`` holds the
    columns any row gives."""
    attname = field.attname
    if field.has_default() and callable(field.default) and field.default is not timezone.now:
        default = field.get_default
        return [row[attname] if attname in row else default() for row in rows]
    # A constant default, or the clock read once: the rows of one insert are created at the
    # same moment, as with the database's own CURRENT_TIMESTAMP.
    constant = field.get_default()
    if attname not in given:
        return [constant] * len(rows)
    return [row.get(attname, constant) for row in rows]


def among(values: Iterable[str | int]) -> RawSQL:
    """The right side of ``field__in=…`` for many plain values (text or whole numbers), bound
    as they are.

    Django's ``__in`` prepares every value through the field, one by one: about 7 µs each, and
    an import asks for a thousand keys or ids per batch, several times over. These values
    need no preparation, so they go to the database as they are. Not for an empty list
    (``IN ()`` is not SQL): ask nothing then."""
    values = list(values)
    if not values:
        raise ValueError("among() needs at least one value")
    if not {type(v) for v in values} <= {str, int}:
        raise TypeError("among() takes text and whole numbers only; use __in for the rest")
    return RawSQL(", ".join(["%s"] * len(values)), values)  # noqa: S611 - placeholders only
