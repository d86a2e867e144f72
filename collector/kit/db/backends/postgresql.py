"""PostgreSQL through psycopg 3: a connection pool per process, writers side by side.

Several processes and hosts share one database, and their transactions write at the same
time: what must happen once takes an advisory lock, rows read to be changed are locked,
and rate buckets live in a table every process sees. Statements travel over the network,
so hot ones are built to need one round trip.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cache
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Connection,
    Dialect,
    Engine,
    String,
    Table,
    TextClause,
    create_engine,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from collector.kit.db.backends.base import DriverValues, EventDays, Statements, utc
from collector.kit.db.backends.expressions import (
    epoch_seconds,
    epoch_us,
    json_list_has,
    json_text,
    shifted,
)
from collector.kit.db.base import json_serializer

ANALYSIS_SETTINGS = ("SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'")
"""An analysis sorts a few hundred thousand rows (attempts, times between steps): with
PostgreSQL's default 4 MB they spill to disk. Its statements are index seeks, which JIT
compilation does not speed up: compiling only adds time. Together, a quarter less time on
the benchmark's million events. ``SET LOCAL`` ends with the transaction, so pooled
connections keep their defaults."""


def _same(value: Any) -> Any:
    return value


# orjson writes UUIDs and aware datetimes into the rows' document itself.
VALUES = DriverValues(
    bind_uuid=_same, bind_time=utc, bind_json=_same, read_uuid=_same, read_json=_same
)

_STATE = (
    "s.experience_id, s.status, s.current_step, s.completed_items, s.shown_count,"
    " s.dismiss_count, s.last_shown_at, s.last_dismissed_at, s.last_responded_at,"
    " s.completed_at"
)
STATEMENTS = Statements(
    # The ids travel as one JSON array, so the statement text, and the plan PostgreSQL
    # caches for it, is the same whatever the number of ids. Each id probes the unique
    # index on its own (the ``LIMIT`` keeps the lateral subquery from being flattened into
    # a join): otherwise the planner, on tables it has not analysed yet, scans all of a
    # project's identities.
    known_identities=(
        "SELECT wanted.distinct_id, i.person_id, p.user_id"
        " FROM json_array_elements_text(%s::json) AS wanted (distinct_id)"
        " CROSS JOIN LATERAL (SELECT person_id FROM identities"
        "  WHERE project_id = %s AND distinct_id = wanted.distinct_id LIMIT 1) AS i"
        " JOIN persons AS p ON p.id = i.person_id"
    ),
    lock_traits=(
        "SELECT id, traits, trait_times FROM persons"
        " WHERE id IN (SELECT value::uuid FROM json_array_elements_text(%s::json))"
        " ORDER BY id FOR UPDATE"
    ),
    save_traits=(
        "UPDATE persons SET traits = %s::jsonb, trait_times = %s::jsonb, updated_at = %s"
        " WHERE id = %s"
    ),
    experiences_stamp=(
        "(SELECT count(*) || ' ' || coalesce(max(e.updated_at)::text, '')"
        " FROM experiences AS e WHERE e.project_id = {project})"
    ),
    person_facts=f"""
 (SELECT coalesce(json_agg(a.traits ORDER BY a.group_id), '[]')
   FROM account_members AS m JOIN accounts AS a ON a.id = m.account_id
   WHERE m.person_id = per.id),
 (SELECT coalesce(json_agg(json_build_array({_STATE})),
   '[]') FROM experience_states AS s WHERE s.person_id = per.id),
 (SELECT coalesce(json_agg(json_build_array(d.event, d.day, d.count)), '[]')
   FROM person_event_days AS d WHERE d.person_id = per.id
   AND d.event IN (SELECT json_array_elements_text(CAST({{events}} AS json)))),
 (SELECT coalesce(json_agg(json_build_array(i.experience_id, i.kind, i.session_id, i.shown_at,
   x.type)), '[]')
   FROM impressions AS i JOIN experiences AS x ON x.id = i.experience_id
   WHERE i.project_id = p.id AND i.person_id = per.id AND i.shown_at >= {{since}})""",
    named_parameter="%({})s",
)

# One statement over arrays: an executemany would run one upsert per counter.
_ADD_EVENT_DAYS = """
INSERT INTO person_event_days (project_id, person_id, event, day, count)
SELECT %s, person_id, event, day, count
FROM unnest(%s::uuid[], %s::varchar[], %s::date[], %s::integer[])
  AS counted (person_id, event, day, count)
ON CONFLICT (project_id, person_id, event, day)
DO UPDATE SET count = person_event_days.count + excluded.count
"""

# A GCRA bucket, counted in one upsert: full again at ``tat``, and whether this request
# was let through. ``{n}`` numbers the buckets of one check.
_BUCKET_UPSERT = (
    "INSERT INTO rate_buckets (key, tat, allowed) VALUES (:key{n}, :now + :interval{n}, true)"
    " ON CONFLICT (key) DO UPDATE SET"
    "  tat = CASE WHEN GREATEST(rate_buckets.tat, :now) + :interval{n} - :now <= :tolerance{n}"
    "   THEN GREATEST(rate_buckets.tat, :now) + :interval{n} ELSE rate_buckets.tat END,"
    "  allowed = GREATEST(rate_buckets.tat, :now) + :interval{n} - :now <= :tolerance{n}"
    " RETURNING tat, allowed"
)


@cache
def _bucket_check(count: int) -> TextClause:
    """The check of ``count`` buckets, one data-modifying ``WITH`` query each: one
    autocommitted round trip per request, rows locked for the statement only. Binds
    ``now`` and ``key{n}``, ``interval{n}``, ``tolerance{n}``; returns ``n, tat, allowed``."""
    upserts = ", ".join(f"b{n} AS ({_BUCKET_UPSERT.format(n=n)})" for n in range(count))
    rows = " UNION ALL ".join(f"SELECT {n} AS n, tat, allowed FROM b{n}" for n in range(count))
    return text(f"WITH {upserts} {rows}")


class PostgreSQLBackend:
    """PostgreSQL's ways (see the module's docstring)."""

    name = "postgresql"
    values = VALUES
    sql = STATEMENTS
    runs_in_process = False
    skips_locked_rows = True

    @property
    def bucket_check(self) -> Callable[[int], TextClause]:
        """``_bucket_check``: buckets live in the unlogged ``rate_buckets`` table."""
        return _bucket_check

    def build_engine(self, url: URL, *, pool_size: int) -> Engine:
        """``pool_size`` connections kept per process, as many more lent under load."""
        return create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            json_serializer=json_serializer,
            json_deserializer=orjson.loads,
        )

    def writer_turn(self, engine: Engine) -> AbstractContextManager[None]:
        """No turn: PostgreSQL writers run side by side and lock what they change."""
        return nullcontext()

    @contextmanager
    def raw_cursor(self, engine: Engine) -> Iterator[DBAPICursor]:
        """A cursor of a pooled connection lent in autocommit, for statements complete in
        themselves: that saves the round trips of ``BEGIN`` and of the pool's ``ROLLBACK``."""
        connection = engine.raw_connection()
        driver: Any = connection.driver_connection
        try:
            driver.autocommit = True
            cursor = connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        finally:
            if not driver.closed:
                driver.autocommit = False
            connection.close()

    @contextmanager
    def advisory_turn(self, engine: Engine, key: int | tuple[int, int]) -> Iterator[bool]:
        """Whether this process holds the session advisory lock ``key`` (tried, not waited
        for) for the duration; it is released at the end."""
        keys = key if isinstance(key, tuple) else (key,)
        names = ", ".join(f":k{n}" for n in range(len(keys)))
        parameters = {f"k{n}": value for n, value in enumerate(keys)}
        with engine.connect() as connection:
            taken = bool(
                connection.execute(
                    text(f"SELECT pg_try_advisory_lock({names})"), parameters
                ).scalar()
            )
            connection.commit()
            try:
                yield taken
            finally:
                if taken:
                    connection.execute(text(f"SELECT pg_advisory_unlock({names})"), parameters)
                    connection.commit()

    def transaction_lock(self, connection: Connection, key: str, *, exclusive: bool) -> bool:
        """Wait for the advisory lock named ``key`` (shared unless ``exclusive``), held
        until the transaction ends."""
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        connection.execute(text(f"SELECT {function}(hashtextextended(:key, 0))"), {"key": key})
        return True

    def insert_on_conflict(self, table: Table) -> postgresql.Insert:
        return postgresql.insert(table)

    def insert_many_ignoring_duplicates(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """The rows as one JSON document that ``json_to_recordset`` expands in a single
        ``INSERT … SELECT``: orjson writes it in one call and the server reads it in C,
        where psycopg would adapt the values of per-column arrays one by one in Python,
        and executemany would run one statement per row."""
        if rows:
            self._insert(connection, table, columns, rows, None)

    def insert_many_reporting_new(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
        *,
        key: str,
        stored: Callable[[], Collection[Any]],
    ) -> list[Any]:
        """The same insert, ``RETURNING`` the keys of the rows it inserted."""
        if not rows:
            return []
        return self._insert(connection, table, columns, rows, key)

    def _insert(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
        returning: str | None,
    ) -> list[Any]:
        statement = _bulk_insert(connection.dialect, table, tuple(columns))
        if returning is not None:
            statement += f" RETURNING {connection.dialect.identifier_preparer.quote(returning)}"
        document = orjson.dumps([dict(zip(columns, row, strict=True)) for row in rows])
        result = connection.exec_driver_sql(statement, (document.decode(),))
        return list(result.scalars()) if returning is not None else []

    def add_event_days(
        self, connection: Connection, project_id: uuid.UUID, counts: EventDays
    ) -> None:
        """One ``INSERT … SELECT FROM unnest(…)`` over a column array each."""
        if not counts:
            return
        ordered = sorted(counts.items())
        columns = [list(column) for column in zip(*(key for key, _ in ordered), strict=True)]
        connection.exec_driver_sql(_ADD_EVENT_DAYS, (project_id, *columns, [n for _, n in ordered]))

    def without_waiting_for_disk(self, connection: Connection) -> None:
        """This transaction's commit returns before its WAL reaches the disk."""
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")

    def tune_for_analysis(self, connection: Connection) -> None:
        """``ANALYSIS_SETTINGS`` for this transaction."""
        for setting in ANALYSIS_SETTINGS:
            connection.exec_driver_sql(setting)


@cache
def _bulk_insert(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> str:
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)})"
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


# Expressions (``collector.kit.db.backends.expressions``).


@compiles(epoch_us, "postgresql")
def _epoch_us(element: epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = element.clauses
    # date_part is a double (EXTRACT's numeric is several times slower); the cast rounds,
    # and a double holds today's epoch in microseconds exactly.
    return f"CAST(date_part('epoch', {compiler.process(moment, **kw)}) * 1000000 AS BIGINT)"


@compiles(epoch_seconds, "postgresql")
def _epoch_seconds(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


@compiles(shifted, "postgresql")
def _shifted(element: shifted, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = element.clauses
    return (
        f"({compiler.process(moment, **kw)}"
        f" + make_interval(secs => {compiler.process(seconds, **kw)}))"
    )


@compiles(json_text, "postgresql")
def _json_text(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    document, *keys = element.clauses
    path = postgresql.array(keys, type_=String)  # type: ignore[misc]
    return f"({compiler.process(document, **kw)} #>> {compiler.process(path, **kw)})"


@compiles(json_list_has, "postgresql")
def _json_list_has(element: json_list_has, compiler: SQLCompiler, **kw: Any) -> str:
    column, value = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(({column})::jsonb ? {value})"
