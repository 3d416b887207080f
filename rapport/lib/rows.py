"""Model instances read by one fixed SQL query: ``Manager.raw`` for the reads of every request.

Every public answer reads its survey, business and questions afresh, and each answer with a
comment asks the task queue what waits. ``Manager.raw`` spares those reads the ORM's query
building, but on each run it still works out which field each column holds and how to
convert its values, which costs several times what running the query does. ``Rows`` works
that out once per database connection and column list, then runs the query, converts the
values as ``Manager.raw`` would (the same backend and field converters) and builds the
instances with ``Model.from_db``.

The query must select every concrete column of the model (``SELECT *``), each once.
"""

import weakref

from django.db import DEFAULT_DB_ALIAS, connections


class Rows:
    def __init__(self, model, sql: str):
        self.model = model
        self.sql = sql
        # Each thread has its own connection object: no lock is needed around a plan.
        self._plans: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self, params, using: str = DEFAULT_DB_ALIAS) -> list:
        connection = connections[using]
        adapt = connection.ops.adapt_unknown_value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [adapt(value) for value in params])
            columns = tuple(column[0] for column in cursor.description)
            rows = cursor.fetchall()
        plan = self._plans.get(connection)
        if plan is None or plan[0] != columns:
            plan = self._plans[connection] = (columns, *self._plan(connection, columns))
        _, positions, converters, names = plan
        from_db = self.model.from_db
        found = []
        for row in rows:
            values = [row[position] for position in positions]
            for index, functions, column in converters:
                value = values[index]
                for function in functions:
                    value = function(value, column, connection)
                values[index] = value
            found.append(from_db(using, names, values))
        return found

    def _plan(self, connection, columns: tuple[str, ...]):
        """Where each field's value is in a row, the converters of those that need any, and
        the fields' names for ``from_db``."""
        fields = self.model._meta.concrete_fields
        if len(columns) != len(fields) or set(columns) != {f.column for f in fields}:
            raise ValueError(f"{self.sql!r} must select every column of {self.model.__name__}")
        positions = [columns.index(field.column) for field in fields]
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col(self.model._meta.db_table)
            functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            if functions:
                converters.append((index, functions, column))
        return positions, converters, [field.attname for field in fields]
