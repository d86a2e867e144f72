"""The transaction an analysis reads in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from collector.kit.db.backends import backend_of
from collector.kit.db.engine import read_transaction


@contextmanager
def analysis_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent snapshot for one analysis, tuned for it where the database allows
    (on PostgreSQL, larger sorts in memory and no JIT compilation)."""
    with read_transaction(engine) as connection:
        backend_of(connection).tune_for_analysis(connection)
        yield connection
