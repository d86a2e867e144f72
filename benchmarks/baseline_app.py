"""The floor the collector is measured against: a bare Starlette ingest endpoint.

It does only what any ingest endpoint must: check the write key, parse the body with
orjson and insert every message into the same ``events`` table (same columns, same
indexes, same ``ON CONFLICT DO NOTHING`` dedupe) with one driver ``executemany``. No
validation, clock correction, identity resolution or projections: the collector's ratio
to it is the price of those.

Configured by environment, since uvicorn workers import it by name::

    BASELINE_DATABASE_URL  sqlite:///path, or a libpq URI postgresql://...
    BASELINE_PROJECT_ID    the project every event is stored under
    BASELINE_WRITE_KEY     the only write key accepted
"""

from __future__ import annotations

import base64
import os
import queue
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
from psycopg_pool import ConnectionPool
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.kit.db.backends.sqlite import SQLITE_PRAGMAS

COLUMNS = (
    "project_id, message_id, type, event, user_id, anonymous_id, person_id, group_id, "
    "previous_id, category, timestamp, original_timestamp, sent_at, received_at, "
    "properties, traits, context, integrations"
)
SQLITE_INSERT = (
    f"INSERT INTO events ({COLUMNS}) VALUES ({', '.join('?' * 18)}) ON CONFLICT DO NOTHING"
)
# PostgreSQL casts the text parameters to the column types itself.
POSTGRES_INSERT = (
    f"INSERT INTO events ({COLUMNS}) VALUES (%s::uuid, %s, %s, %s, %s, %s, %s::uuid, %s, %s, %s, "
    "%s::timestamptz, %s::timestamptz, %s::timestamptz, %s::timestamptz, "
    "%s::jsonb, %s::jsonb, %s::jsonb, %s::jsonb) ON CONFLICT DO NOTHING"
)
Row = tuple[Any, ...]


class Store(Protocol):
    def project_key(self, project_id: str) -> str:
        """The project id as the events table stores it."""
        ...

    def insert(self, rows: list[Row]) -> None: ...


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def event_row(project_id: str, message: dict[str, Any], sent_at: Any, received_at: str) -> Row:
    """The events row of one message, values taken as sent."""
    get = message.get
    return (
        project_id,
        get("messageId"),
        get("type"),
        get("event") or get("name"),
        get("userId"),
        get("anonymousId"),
        None,
        get("groupId"),
        get("previousId"),
        get("category"),
        get("timestamp") or get("originalTimestamp") or received_at,
        get("originalTimestamp"),
        get("sentAt") or sent_at,
        received_at,
        _json(get("properties")),
        _json(get("traits")),
        _json(get("context")),
        _json(get("integrations")),
    )


class SqliteStore:
    """SQLite with the collector's settings, a connection per thread that needs one."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        for pragma in SQLITE_PRAGMAS:
            connection.execute(pragma)
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._connect()
        try:
            yield connection
        finally:
            self._idle.put(connection)

    def project_key(self, project_id: str) -> str:
        return uuid.UUID(project_id).hex  # SQLAlchemy's Uuid on SQLite: 32 hex digits

    def insert(self, rows: list[Row]) -> None:
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.executemany(SQLITE_INSERT, rows)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")


class PostgresStore:
    """psycopg 3 with a pool; its ``executemany`` pipelines the statements."""

    def __init__(self, conninfo: str) -> None:
        self._pool = ConnectionPool(conninfo, min_size=1, max_size=10, open=True)

    def project_key(self, project_id: str) -> str:
        return project_id

    def insert(self, rows: list[Row]) -> None:
        with self._pool.connection() as connection, connection.cursor() as cursor:
            cursor.executemany(POSTGRES_INSERT, rows)


def open_store(database_url: str) -> Store:
    if database_url.startswith("sqlite:///"):
        return SqliteStore(database_url.removeprefix("sqlite:///"))
    return PostgresStore(database_url)


def create_app() -> Starlette:
    """The app, configured from ``BASELINE_*`` variables (a uvicorn factory)."""
    store = open_store(os.environ["BASELINE_DATABASE_URL"])
    project_id = store.project_key(os.environ["BASELINE_PROJECT_ID"])
    token = base64.b64encode(f"{os.environ['BASELINE_WRITE_KEY']}:".encode()).decode()
    expected_auth = f"Basic {token}"

    async def batch(request: Request) -> Response:
        if request.headers.get("authorization") != expected_auth:
            return Response(status_code=401)
        body = orjson.loads(await request.body())
        received_at = datetime.now(UTC).isoformat()
        sent_at = body.get("sentAt")
        rows = [event_row(project_id, m, sent_at, received_at) for m in body["batch"]]
        await run_in_threadpool(store.insert, rows)
        result = {"success": True, "accepted": len(rows), "rejected": []}
        return Response(orjson.dumps(result), media_type="application/json")

    async def health(request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(
        routes=[
            Route("/v1/batch", batch, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ]
    )
