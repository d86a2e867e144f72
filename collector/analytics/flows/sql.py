"""Two SQL expressions the backends spell differently, compiled per dialect.

Everything else in the onboarding statements is the same SQL on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Boolean

UNIX_EPOCH_JULIAN_DAY = 2440587.5
SECONDS_PER_DAY = 86400.0


class epoch_seconds(FunctionElement[float]):
    """Seconds since 1970 of a timestamp column, as a float."""

    type = Float()
    name = "epoch_seconds"
    inherit_cache = True


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps UTC timestamps as ISO text, which julianday() reads.
    moment = compiler.process(element.clauses, **kw)
    return f"((julianday({moment}) - {UNIX_EPOCH_JULIAN_DAY}) * {SECONDS_PER_DAY})"


class json_list_has(FunctionElement[bool]):
    """Whether a JSON array column holds a string value."""

    type = Boolean()
    name = "json_list_has"
    inherit_cache = True


@compiles(json_list_has, "postgresql")
def _has_postgresql(element: json_list_has, compiler: SQLCompiler, **kw: Any) -> str:
    column, value = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(({column})::jsonb ? {value})"


@compiles(json_list_has, "sqlite")
def _has_sqlite(element: json_list_has, compiler: SQLCompiler, **kw: Any) -> str:
    column, value = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {value})"
