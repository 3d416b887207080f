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

from collections.abc import Callable, Sequence

from django.db import connections, models, router
from django.db.models.fields import NOT_PROVIDED

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


def _converter(field: models.Field, connection) -> Callable:
    attname, prepare = field.attname, field.get_db_prep_save
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: prepare(field.pre_save(obj, True), connection)
    plain = _plain_types(field)

    def convert(obj):
        value = getattr(obj, attname)
        if type(value) in plain or (value is None and plain):
            return value
        return prepare(value, connection)

    return convert


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


def _execute(connection, model, fields, rows: Sequence, converters, *, returning: bool):
    """Insert ``rows`` (each read by ``converters``), chunk by chunk; yields the new keys
    when ``returning``."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # Names from the model's own metadata, quoted by the backend; values go as parameters.
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = _chunk_rows(connection, len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [convert(row) for row in chunk for convert in converters]
            cursor.execute(head + ", ".join([placeholders] * len(chunk)) + tail, params)
            if returning:
                yield from (pk for (pk,) in cursor.fetchall())


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (new instances of ``model``, without primary keys) and set their keys."""
    if not objs:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = _fields(meta)
    if not _can_insert(connection, fields) or any(obj.pk is not None for obj in objs):
        model.objects.bulk_create(objs)
        return
    converters = [_converter(f, connection) for f in fields]
    keys = _execute(connection, model, fields, objs, converters, returning=True)
    pk_attname = meta.pk.attname
    for obj, pk in zip(objs, keys, strict=True):
        setattr(obj, pk_attname, pk)
        obj._state.adding = False
        obj._state.db = using


def insert_rows(model: type[models.Model], rows: Sequence[dict]) -> None:
    """Insert new rows given as ``{column attname: value}`` (``workspace_id``, ``text``);
    a column left out takes its field's default. No instances are built and no keys come
    back: for rows that nothing reads again in the same breath (imported facts)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = _fields(model._meta)
    if not _can_insert(connection, fields) or any(
        getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in fields
    ):
        insert(model, [model(**row) for row in rows])
        return
    known = {f.attname for f in fields}
    unknown = {key for row in rows for key in row} - known
    if unknown:  # a field's name for its attname ("person" for "person_id"), or a typo
        raise TypeError(f"insert_rows: {model.__name__} has no columns {sorted(unknown)}")
    converters = [_row_converter(f, connection) for f in fields]
    for _ in _execute(connection, model, fields, rows, converters, returning=False):
        pass


def _row_converter(field: models.Field, connection) -> Callable:
    attname, prepare, default = field.attname, field.get_db_prep_save, field.get_default
    plain = _plain_types(field)

    def convert(row):
        value = row[attname] if attname in row else default()
        if type(value) in plain or (value is None and plain):
            return value
        return prepare(value, connection)

    return convert
