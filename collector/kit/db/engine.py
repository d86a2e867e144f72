"""Engines and units of work.

Each database's engine is built by its backend (:mod:`collector.kit.db.backends`):
SQLite in WAL mode, its writers one at a time; PostgreSQL through psycopg 3 with a
connection pool per process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url

from collector.kit.db.backends import backend_for, backend_of
from collector.kit.db.backends.base import WRITE_OPTION


def build_engine(database_url: str, *, pool_size: int = 10) -> Engine:
    """An engine for the URL, configured for how Waypost uses that database."""
    url = make_url(database_url)
    return backend_for(url).build_engine(url, pool_size=pool_size)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One unit of work that writes: committed on success, rolled back on any error."""
    with (
        backend_of(engine).writer_turn(engine),
        engine.connect().execution_options(**{WRITE_OPTION: True}) as connection,
        connection.begin(),
    ):
        yield connection


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent snapshot for reading."""
    with engine.connect() as connection, connection.begin():
        yield connection
