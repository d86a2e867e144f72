"""Engines and units of work.

SQLite runs in WAL mode with ``synchronous=NORMAL``: a commit survives the process being
killed (only an operating-system crash can lose the last transactions), and readers never
block the writer. Write units of work start with ``BEGIN IMMEDIATE`` so that two processes
never both read and then fail to upgrade to a write lock; the busy timeout makes the
second one wait instead. Within a process, writers queue on a lock before that (see
``_one_writer_at_a_time``). PostgreSQL uses psycopg 3 with a connection pool per process.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

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
WRITE_OPTION = "waypost_write"

_sqlite_write_locks: weakref.WeakKeyDictionary[Engine, threading.RLock] = (
    weakref.WeakKeyDictionary()
)


def json_serializer(value: Any) -> str:
    return orjson.dumps(value).decode()


def build_engine(database_url: str, *, pool_size: int = 10) -> Engine:
    """An engine for the URL, configured for how Waypost uses that database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(database_url)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        json_serializer=json_serializer,
        json_deserializer=orjson.loads,
    )


def _sqlite_engine(database_url: str) -> Engine:
    database = make_url(database_url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        database_url,
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

    _sqlite_write_locks[engine] = threading.RLock()
    return engine


@contextmanager
def _one_writer_at_a_time(engine: Engine) -> Iterator[None]:
    """On SQLite, queue the process's writers on a lock rather than in the busy handler.

    SQLite admits one writer at a time and the others poll, sleeping up to 100 ms between
    tries, so under load a thread sleeps on a lock freed long before and the database
    idles. A Python lock hands over the moment the writer finishes. Writers of other
    processes still meet the busy timeout; a thread that waited that long here goes on to
    SQLite anyway, which then decides, as it would have without this lock.
    """
    lock = _sqlite_write_locks.get(engine)
    acquired = lock is not None and lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        yield
    finally:
        if acquired and lock is not None:
            lock.release()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One unit of work that writes: committed on success, rolled back on any error."""
    with (
        _one_writer_at_a_time(engine),
        engine.connect().execution_options(**{WRITE_OPTION: True}) as connection,
        connection.begin(),
    ):
        yield connection


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent snapshot for reading."""
    with engine.connect() as connection, connection.begin():
        yield connection
