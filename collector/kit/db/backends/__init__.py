"""Database backends: what SQLite and PostgreSQL do differently, in one place.

``build_engine`` picks a database's backend from its URL; ``backend_of`` finds it again
from any engine or connection. Feature code asks the backend for what it needs and never
tests which database it runs on; SQL that differs between the two lives only in this
package (``sqlite.py``, ``postgresql.py``), including how each compiles the expressions
of ``expressions.py``.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Insert, Table
from sqlalchemy.engine import URL, make_url

from collector.kit.db.backends.base import Backend, DriverValues, Statements
from collector.kit.db.backends.postgresql import PostgreSQLBackend
from collector.kit.db.backends.sqlite import SQLiteBackend

__all__ = [
    "Backend",
    "DriverValues",
    "Statements",
    "backend_for",
    "backend_of",
    "insert_ignoring_duplicates",
]

_SQLITE: Backend = SQLiteBackend()
_POSTGRESQL: Backend = PostgreSQLBackend()
_BACKENDS = {backend.name: backend for backend in (_SQLITE, _POSTGRESQL)}


def backend_for(url: str | URL) -> Backend:
    """The backend of a database URL; databases other than SQLite and PostgreSQL are refused."""
    name = make_url(url).get_backend_name()
    backend = _BACKENDS.get(name)
    if backend is None:
        raise ValueError(f"Waypost runs on sqlite or postgresql, not {name!r}")
    return backend


def backend_of(bind: Engine | Connection) -> Backend:
    """The backend an engine was built with, or the one of a connection's engine."""
    return _BACKENDS[bind.dialect.name]


def insert_ignoring_duplicates(bind: Engine | Connection, table: Table) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING``: rows whose unique key exists are skipped."""
    return backend_of(bind).insert_on_conflict(table).on_conflict_do_nothing()
