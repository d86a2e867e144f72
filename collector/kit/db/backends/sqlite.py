"""SQLite: one file, statements run inside this process, one writer at a time.

SQLite runs in WAL mode with ``synchronous=NORMAL``: a commit survives the process being
killed (only an operating-system crash can lose the last transactions), and readers never
block the writer. Write units of work start with ``BEGIN IMMEDIATE`` so that two processes
never both read and then fail to upgrade to a write lock; the busy timeout makes the
second one wait instead. Within a process, writers queue on a lock before that (see
``writer_turn``).

Since write transactions run one at a time, nothing here locks rows or takes turns: what
a writer reads stays true until it commits.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
import weakref
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Connection,
    Dialect,
    Engine,
    Integer,
    String,
    Table,
    case,
    cast,
    create_engine,
    event,
    func,
    literal,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from collector.kit.db.backends.base import (
    WRITE_OPTION,
    DriverValues,
    EventDays,
    Statements,
    utc,
)
from collector.kit.db.backends.expressions import (
    epoch_seconds,
    epoch_us,
    json_list_has,
    json_text,
    shifted,
)
from collector.kit.db.base import json_serializer
from collector.kit.db.models import PersonEventDay, table_of

SQLITE_BUSY_TIMEOUT_MS = 30_000
# A checkpoint copies the WAL's pages into the database file and syncs it; SQLite starts
# one when the WAL reaches this many pages. At SQLite's default (1,000 pages, 4 MB) that
# is every few ingest batches, since each batch rewrites hundreds of index pages: 10,000
# pages (40 MB) syncs a tenth as often and copies a page that several batches rewrote
# once. Durability is the same: a commit is in the WAL either way.
SQLITE_WAL_CHECKPOINT_PAGES = 10_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA wal_autocheckpoint={SQLITE_WAL_CHECKPOINT_PAGES}",
)
UNIX_EPOCH_JULIAN_DAY = 2440587.5
SECONDS_PER_DAY = 86400.0

_event_days = table_of(PersonEventDay)


def _time(value: datetime | None) -> str | None:
    """SQLite's ``DATETIME`` text: UTC without offset, always with microseconds."""
    moment = utc(value)
    return None if moment is None else moment.isoformat(" ", "microseconds")[:26]


def _uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


VALUES = DriverValues(
    bind_uuid=_uuid,
    bind_time=_time,
    bind_json=json_serializer,
    read_uuid=uuid.UUID,
    read_json=orjson.loads,
)

_STATE = (
    "s.experience_id, s.status, s.current_step, json(s.completed_items), s.shown_count,"
    " s.dismiss_count, s.last_shown_at, s.last_dismissed_at, s.last_responded_at,"
    " s.completed_at"
)
STATEMENTS = Statements(
    known_identities=(
        "SELECT i.distinct_id, i.person_id, p.user_id FROM identities AS i"
        " JOIN persons AS p ON p.id = i.person_id"
        " WHERE i.distinct_id IN (SELECT value FROM json_each(?)) AND i.project_id = ?"
    ),
    lock_traits=(
        "SELECT id, traits, trait_times FROM persons"
        " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
    ),
    save_traits="UPDATE persons SET traits = ?, trait_times = ?, updated_at = ? WHERE id = ?",
    experiences_stamp=(
        "(SELECT count(*) || ' ' || ifnull(max(e.updated_at), '')"
        " FROM experiences AS e WHERE e.project_id = {project})"
    ),
    person_facts=f"""
 (SELECT json_group_array(json(t.traits)) FROM (
   SELECT a.traits FROM account_members AS m JOIN accounts AS a ON a.id = m.account_id
   WHERE m.person_id = per.id ORDER BY a.group_id) AS t),
 (SELECT json_group_array(json_array({_STATE}))
   FROM experience_states AS s WHERE s.person_id = per.id),
 (SELECT json_group_array(json_array(d.event, d.day, d.count)) FROM person_event_days AS d
   WHERE d.person_id = per.id AND d.event IN (SELECT value FROM json_each({{events}}))),
 (SELECT json_group_array(json_array(i.experience_id, i.kind, i.session_id, i.shown_at, x.type))
   FROM impressions AS i JOIN experiences AS x ON x.id = i.experience_id
   WHERE i.project_id = p.id AND i.person_id = per.id AND i.shown_at >= {{since}})""",
    named_parameter=":{}",
)


class SQLiteBackend:
    """SQLite's ways (see the module's docstring)."""

    name = "sqlite"
    values = VALUES
    sql = STATEMENTS
    runs_in_process = True
    skips_locked_rows = False
    bucket_check = None

    def __init__(self) -> None:
        self._write_locks: weakref.WeakKeyDictionary[Engine, threading.RLock] = (
            weakref.WeakKeyDictionary()
        )

    def build_engine(self, url: URL, *, pool_size: int) -> Engine:
        """An engine on the file (made with its folder); SQLite has no pool to size."""
        database = url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            json_serializer=json_serializer,
            json_deserializer=orjson.loads,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            # Let SQLAlchemy, not the driver, decide when transactions begin.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get(WRITE_OPTION, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        self._write_locks[engine] = threading.RLock()
        return engine

    @contextmanager
    def writer_turn(self, engine: Engine) -> Iterator[None]:
        """Queue the process's writers on a lock rather than in SQLite's busy handler.

        SQLite admits one writer at a time and the others poll, sleeping up to 100 ms
        between tries, so under load a thread sleeps on a lock freed long before and the
        database idles. A Python lock hands over the moment the writer finishes. Writers
        of other processes still meet the busy timeout; a thread that waited that long
        here goes on to SQLite anyway, which then decides, as it would have without it.
        """
        lock = self._write_locks.get(engine)
        acquired = lock is not None and lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            yield
        finally:
            if acquired and lock is not None:
                lock.release()

    @contextmanager
    def raw_cursor(self, engine: Engine) -> Iterator[DBAPICursor]:
        """A cursor of a pooled connection; this engine's connections begin no transaction
        unless SQLAlchemy begins one, so each statement stands alone."""
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        finally:
            connection.close()

    @contextmanager
    def advisory_turn(self, engine: Engine, key: int | tuple[int, int]) -> Iterator[bool]:
        """Always this process's turn: one process serves a SQLite database."""
        yield True

    def transaction_lock(self, connection: Connection, key: str, *, exclusive: bool) -> bool:
        """None taken: write transactions already run one at a time."""
        return False

    def insert_on_conflict(self, table: Table) -> sqlite.Insert:
        return sqlite.insert(table)

    def insert_many_ignoring_duplicates(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """The driver's own executemany: one prepared statement stepped in C per row.

        Core's executemany runs every value of every row through Python type processing,
        which for ingestion's hundreds of rows per request costs more than SQLite does.
        """
        if rows:
            connection.exec_driver_sql(
                _bulk_insert(connection.dialect, table, tuple(columns)), rows
            )

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
        """The keys not stored before the insert: executemany cannot return rows, and
        since writers take turns, a read in the same transaction is exact."""
        seen = set(stored())
        self.insert_many_ignoring_duplicates(connection, table, columns, rows)
        position = list(columns).index(key)
        new = []
        for row in rows:
            value = row[position]
            if value not in seen:
                seen.add(value)
                new.append(value)
        return new

    def add_event_days(
        self, connection: Connection, project_id: uuid.UUID, counts: EventDays
    ) -> None:
        """One upsert, executemany'd: SQLite steps it in process, cheaply per counter."""
        if not counts:
            return
        statement = sqlite.insert(_event_days)
        statement = statement.on_conflict_do_update(
            index_elements=["project_id", "person_id", "event", "day"],
            set_={"count": _event_days.c.count + statement.excluded.count},
        )
        connection.execute(
            statement,
            [
                {
                    "project_id": project_id,
                    "person_id": person,
                    "event": name,
                    "day": day,
                    "count": n,
                }
                for (person, name, day), n in sorted(counts.items())
            ],
        )

    def without_waiting_for_disk(self, connection: Connection) -> None:
        """Nothing to do: in WAL mode with ``synchronous=NORMAL`` no commit waits for it."""

    def tune_for_analysis(self, connection: Connection) -> None:
        """Nothing to tune: SQLite sorts in its page cache and compiles nothing."""


@cache
def _bulk_insert(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> str:
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)})"
    return f"{head} VALUES ({', '.join('?' for _ in columns)}) ON CONFLICT DO NOTHING"


# Expressions (``collector.kit.db.backends.expressions``). SQLite keeps UTC timestamps as
# ``YYYY-MM-DD HH:MM:SS.ffffff`` text. ``epoch_us``, ``shifted`` and ``json_text`` compile
# this way on any dialect but PostgreSQL.


@compiles(epoch_us)
def _epoch_us(element: epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    # Whole seconds from strftime, microseconds from the text itself: julianday would be
    # off by tens of microseconds.
    (moment,) = element.clauses
    seconds = cast(func.strftime("%s", moment), Integer) * 1_000_000
    return f"({compiler.process(seconds + cast(func.substr(moment, 21, 6), Integer), **kw)})"


@compiles(epoch_seconds, "sqlite")
def _epoch_seconds(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"((julianday({moment}) - {UNIX_EPOCH_JULIAN_DAY}) * {SECONDS_PER_DAY})"


@compiles(shifted)
def _shifted(element: shifted, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = element.clauses
    modifier = literal("+") + cast(seconds, String) + literal(" seconds")
    whole = func.strftime("%Y-%m-%d %H:%M:%S", moment, modifier)
    return f"({compiler.process(whole.concat(func.substr(moment, 20)), **kw)})"


@compiles(json_text)
def _json_text(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    document, *keys = element.clauses
    path: ColumnElement[str] = literal("$")
    for key in keys:
        path = path.concat('."').concat(key).concat('"')
    kind = func.json_type(document, path)
    text = case(
        (kind.in_(["true", "false"]), kind),
        else_=cast(func.json_extract(document, path), String),
    )
    return compiler.process(text, **kw)


@compiles(json_list_has, "sqlite")
def _json_list_has(element: json_list_has, compiler: SQLCompiler, **kw: Any) -> str:
    column, value = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {value})"
