"""Expressions every analysis shares, built on the portable ones of
:mod:`collector.kit.db.backends.expressions` (``epoch_us``, ``shifted``, ``json_text``),
which each database's backend compiles: the builders themselves are dialect-free.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
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
from sqlalchemy.sql.expression import FromClause

from collector.analytics.definitions import EventMatch, PropertyPath
from collector.kit.db.backends.expressions import json_text, shifted

Rows = Select[*tuple[Any, ...]]
"""A statement of any columns, as the builders return them."""


def shift(moment: ColumnElement[Any], seconds: int) -> ColumnElement[Any]:
    """``moment`` (a stored timestamp) plus ``seconds``."""
    return shifted(moment, literal(seconds, Integer))


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
