"""Fast multi-row INSERT for the CSV import (tens of thousands of rows in one transaction).

Django's ``bulk_create`` prepares every value of every row through the field machinery;
for 10,000 participants and their invitations that costs seconds of Python. Here the
values are plain Python values already validated by the import, so they go straight to
the driver: PostgreSQL's ``COPY … FROM STDIN``, elsewhere multi-row
``INSERT … VALUES (…), (…)`` statements.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

MAX_ROWS_PER_STATEMENT = 1000
MAX_PARAMETERS = 65_535  # PostgreSQL's limit per statement


def _static_default(field: models.Field) -> Any:
    """The value a column gets when a row does not give one; callables must be given."""
    if field.default is not NOT_PROVIDED:
        if callable(field.default):
            raise ValueError(f"{field.model.__name__}.{field.name}: give it per row")
        return field.default
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} has no default: give it per row")


def bulk_insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (``{attname: value}``) into ``model``'s table; ids are not returned.

    Values must already be valid (the caller validated them): no field validation, no
    signals, no ``auto_now`` — give timestamps explicitly.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = set(rows[0])
    defaults = {f.attname: _static_default(f) for f in fields if f.attname not in given}
    unknown = given - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    adapt = {
        f.attname: connection.ops.adapt_datetimefield_value
        for f in fields
        if isinstance(f, models.DateTimeField)
    }
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    names = [f.attname for f in fields]

    def values(row: dict[str, Any]) -> list[Any]:
        out = []
        for name in names:
            value = row[name] if name in row else defaults[name]
            if value is not None and name in adapt and connection.vendor != "postgresql":
                value = adapt[name](value)
            out.append(value)
        return out

    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk-load path: no SQL text to build or parse per value.
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        return
    # Many rows per statement (one round trip per batch), within the backend's limit on
    # query parameters (SQLite: 32,766 or 999 on old builds; PostgreSQL: 65,535).
    batch = max(
        1,
        min(
            MAX_ROWS_PER_STATEMENT,
            connection.ops.bulk_batch_size(fields, rows),
            MAX_PARAMETERS // len(fields),
        ),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            # Table and column names come from the model (quoted); values are parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join(  # noqa: S608
                [row_placeholder] * len(chunk)
            )
            cursor.execute(sql, [value for row in chunk for value in values(row)])


def bulk_set(
    model: type[models.Model],
    *,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    same: dict[str, Any] | None = None,
) -> None:
    """``UPDATE`` many rows of ``model`` with their own values, one statement per batch.

    ``rows``: ``(pk, value for each of columns)``; ``same``: ``{attname: value}`` set on
    every row (a timestamp). Values must already be valid, as for :func:`bulk_insert`.
    Django's ``bulk_update`` builds a ``CASE WHEN`` per row and column, which for 10,000
    import rows costs seconds of Python; here one ``UPDATE … FROM (VALUES …)`` per batch
    (PostgreSQL, and SQLite from 3.33) carries them as plain parameters.
    """
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in columns]
    same = same or {}
    same_fields = [meta.get_field(name) for name in same]
    table = quote(meta.db_table)
    pk = meta.pk

    def cast(field: models.Field, position: int) -> str:
        # VALUES carries untyped parameters: each column says what it holds.
        return f"CAST(v.column{position} AS {field.cast_db_type(connection)})"

    assignments = [f"{quote(f.column)} = {cast(f, i + 2)}" for i, f in enumerate(fields)]
    assignments += [f"{quote(f.column)} = %s" for f in same_fields]
    same_values = []
    for field, value in zip(same_fields, same.values(), strict=True):
        if isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
            value = connection.ops.adapt_datetimefield_value(value)
        same_values.append(value)
    width = 1 + len(fields)
    batch = max(1, min(MAX_ROWS_PER_STATEMENT, (MAX_PARAMETERS - len(same)) // width))
    if connection.vendor == "sqlite":
        batch = min(batch, max(1, 32_000 // width))
    placeholder = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            # Table and column names come from the model (quoted); values are parameters.
            sql = (
                f"UPDATE {table} SET {', '.join(assignments)} "  # noqa: S608
                f"FROM (VALUES {', '.join([placeholder] * len(chunk))}) AS v "
                f"WHERE {table}.{quote(pk.column)} = {cast(pk, 1)}"
            )
            cursor.execute(sql, [*same_values, *(value for row in chunk for value in row)])
