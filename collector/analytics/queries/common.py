"""Expressions every analysis shares, written once for SQLite and once for PostgreSQL.

Builders combine these into ``Select`` objects; the per-dialect SQL lives only here, in
``@compiles`` functions, so the builders themselves are dialect-free.

- ``epoch_us(t)``: a timestamp as integer microseconds since 1970, exact on both (SQLite
  keeps timestamps as ``YYYY-MM-DD HH:MM:SS.ffffff`` text, so whole seconds come from
  ``strftime`` and the microseconds from the text itself: ``julianday`` would be off by
  tens of microseconds).
- ``shifted(t, seconds)``: a timestamp moved by whole seconds, comparable with stored ones.
- ``json_text(document, keys)``: a value inside a JSON document as text, the same text on
  both databases (``true``, ``3``, ``funnel``), or NULL when it is missing or null.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FromClause, FunctionElement

from collector.analytics.definitions import EventMatch, PropertyPath
from collector.kit.db.base import UtcDateTime

Rows = Select[*tuple[Any, ...]]
"""A statement of any columns, as the builders return them."""


class epoch_us(FunctionElement[int]):
    type = BigInteger()
    inherit_cache = True


@compiles(epoch_us)
def _epoch_us_sqlite(element: epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = element.clauses
    seconds = cast(func.strftime("%s", moment), Integer) * 1_000_000
    return f"({compiler.process(seconds + cast(func.substr(moment, 21, 6), Integer), **kw)})"


@compiles(epoch_us, "postgresql")
def _epoch_us_postgresql(element: epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = element.clauses
    # date_part is a double (EXTRACT's numeric is several times slower); the cast rounds,
    # and a double holds today's epoch in microseconds exactly.
    return f"CAST(date_part('epoch', {compiler.process(moment, **kw)}) * 1000000 AS BIGINT)"


class shifted(FunctionElement[Any]):
    type = UtcDateTime()
    inherit_cache = True


@compiles(shifted)
def _shifted_sqlite(element: shifted, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = element.clauses
    modifier = literal("+") + cast(seconds, String) + literal(" seconds")
    whole = func.strftime("%Y-%m-%d %H:%M:%S", moment, modifier)
    return f"({compiler.process(whole.concat(func.substr(moment, 20)), **kw)})"


@compiles(shifted, "postgresql")
def _shifted_postgresql(element: shifted, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = element.clauses
    return (
        f"({compiler.process(moment, **kw)}"
        f" + make_interval(secs => {compiler.process(seconds, **kw)}))"
    )


def shift(moment: ColumnElement[Any], seconds: int) -> ColumnElement[Any]:
    """``moment`` (a stored timestamp) plus ``seconds``."""
    return shifted(moment, literal(seconds, Integer))


class json_text(FunctionElement[str]):
    type = String()
    inherit_cache = True


@compiles(json_text)
def _json_text_sqlite(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
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


@compiles(json_text, "postgresql")
def _json_text_postgresql(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    document, *keys = element.clauses
    path = postgresql.array(keys, type_=String)  # type: ignore[misc]
    return f"({compiler.process(document, **kw)} #>> {compiler.process(path, **kw)})"


def value_of(table: FromClause, path: PropertyPath) -> ColumnElement[str]:
    """The text of ``path`` in ``table``'s JSON column (``properties`` or ``traits``)."""
    column = table.c.properties if path.source == "properties" else table.c.traits
    return json_text(column, *[literal(key, String) for key in path.keys])


def as_text(value: Any) -> str | None:
    """A JSON value as :func:`json_text` renders it, to compare with it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def matches(events: FromClause, match: EventMatch) -> ColumnElement[bool]:
    """Whether a row of ``events`` is a track event ``match`` describes."""
    conditions = [events.c.type == "track", events.c.event == match.event]
    for path, values in match.where.items():
        text = value_of(events, path)
        wanted = [as_text(value) for value in values if value is not None]
        options = [text.in_(wanted)] if wanted else []
        if None in values:
            options.append(text.is_(null()))
        conditions.append(or_(*options))
    return and_(true(), *conditions)


def percentile(
    position: ColumnElement[int],
    count: ColumnElement[int],
    value: ColumnElement[Any],
    hundredths: int,
) -> ColumnElement[Any]:
    """An aggregate: the percentile of ``value`` with linear interpolation between the two
    nearest ranks (PostgreSQL's ``percentile_cont``; the median is the mean of the two
    middle values when n is even). ``position`` (from 1, in value order) and ``count``
    come from window functions over the group; integer arithmetic finds the two ranks,
    so both databases agree exactly, and each rank's row adds its share of the result."""
    scaled = (count - 1) * hundredths
    lower = scaled // 100
    fraction = cast(scaled - lower * 100, Float) / 100.0
    exact = cast(value, Float)
    return func.sum(
        case(
            (position - 1 == lower, (1.0 - fraction) * exact),
            (position - 2 == lower, fraction * exact),
        )
    )
