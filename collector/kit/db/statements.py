"""Statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, Dialect, Insert, Table
from sqlalchemy.dialects import postgresql, sqlite

from collector.kit.db.base import json_serializer


def insert_ignoring_duplicates(connection: Connection, table: Table) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING``: rows whose unique key exists are skipped."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def insert_many_ignoring_duplicates(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    *,
    returning: str | None = None,
) -> list[Any] | None:
    """Insert many rows of driver values (see ``driver_values``), skipping duplicates.

    On PostgreSQL, ``returning`` names a column whose values of the rows actually inserted
    are returned. SQLite's executemany cannot return rows, so there it returns None and a
    caller that needs to know reads before inserting (its writers take turns, so a read in
    the same transaction is exact).

    Core's executemany runs every value of every row through Python type processing,
    which for ingestion's hundreds of rows per request costs more than the database does.
    SQLite gets the driver's own executemany: one prepared statement stepped in C per row.
    PostgreSQL gets the rows as one JSON document that ``json_to_recordset`` expands in a
    single ``INSERT … SELECT``: orjson writes it in one call and the server reads it in C,
    where psycopg would adapt the values of per-column arrays one by one in Python, and
    executemany would run one statement per row.
    """
    postgres = connection.dialect.name == "postgresql"
    if not rows:
        return [] if postgres else None
    statement = _bulk_insert(connection.dialect, table, tuple(columns))
    if not postgres:
        connection.exec_driver_sql(statement, rows)
        return None
    if returning is not None:
        statement += f" RETURNING {connection.dialect.identifier_preparer.quote(returning)}"
    document = orjson.dumps([dict(zip(columns, row, strict=True)) for row in rows])
    result = connection.exec_driver_sql(statement, (document.decode(),))
    return list(result.scalars()) if returning is not None else []


@cache
def _bulk_insert(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> str:
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)})"
    if dialect.name != "postgresql":
        return f"{head} VALUES ({', '.join('?' for _ in columns)}) ON CONFLICT DO NOTHING"
    record = ", ".join(f"{quote(name)} {table.c[name].type.compile(dialect)}" for name in columns)
    values = ", ".join(_record_value(dialect, table, name) for name in columns)
    return (
        f"{head} SELECT {values} FROM json_to_recordset(%s::json) AS r ({record})"
        " ON CONFLICT DO NOTHING"
    )


def _record_value(dialect: Dialect, table: Table, name: str) -> str:
    value = f"r.{dialect.identifier_preparer.quote(name)}"
    if isinstance(table.c[name].type.dialect_impl(dialect), JSON):
        # A JSON null in the document reads as SQL NULL; Core stores None as JSON null.
        return f"COALESCE({value}, 'null')"
    return value


@dataclass(frozen=True)
class DriverValues:
    """Values as Core's types bind and read them, for statements that bypass Core."""

    bind_uuid: Callable[[uuid.UUID | None], Any]
    bind_time: Callable[[datetime | None], Any]
    """For ``UtcDateTime`` columns."""
    bind_json: Callable[[Any], Any]
    """For ``Document`` columns: the JSON text on SQLite (``None`` is ``null``, as Core's
    ``JSON`` stores it); on PostgreSQL the value itself, nested in the rows' document."""
    read_uuid: Callable[[Any], uuid.UUID]
    read_json: Callable[[Any], Any]
    """A ``Document`` column's value: JSON text on SQLite, already parsed on PostgreSQL."""


def _utc(value: datetime | None) -> datetime | None:
    """What ``UtcDateTime`` binds: aware values in UTC; naive ones are refused."""
    if value is None or value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return value.astimezone(UTC)


def _sqlite_time(value: datetime | None) -> str | None:
    """SQLite's ``DATETIME`` text: UTC without offset, always with microseconds."""
    moment = _utc(value)
    return None if moment is None else moment.isoformat(" ", "microseconds")[:26]


def _sqlite_uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def _same(value: Any) -> Any:
    return value


# On PostgreSQL, orjson writes UUIDs and aware datetimes into the rows' document itself.
_POSTGRESQL_VALUES = DriverValues(
    bind_uuid=_same, bind_time=_utc, bind_json=_same, read_uuid=_same, read_json=_same
)
_SQLITE_VALUES = DriverValues(
    bind_uuid=_sqlite_uuid,
    bind_time=_sqlite_time,
    bind_json=json_serializer,
    read_uuid=uuid.UUID,
    read_json=orjson.loads,
)


def driver_values(dialect: Dialect) -> DriverValues:
    return _POSTGRESQL_VALUES if dialect.name == "postgresql" else _SQLITE_VALUES
