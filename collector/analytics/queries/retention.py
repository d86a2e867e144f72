"""Retention statements: cohorts by the period of each person's start, and how many of
each cohort came back in each later period.

Each cohort person is asked, per period, whether one returning event exists in it: an
index seek per person and period, rather than a pass over every event of every person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    case,
    exists,
    func,
    literal,
    select,
    true,
    union_all,
)

from collector.analytics.definitions import Retention, TimeRange
from collector.analytics.queries.common import matches
from collector.analytics.queries.persons import period_index, person_starts
from collector.kit.db.base import UtcDateTime
from collector.kit.db.models import Event, table_of

_events = table_of(Event)


def _edge(index: ColumnElement[int], edges: Sequence[datetime]) -> ColumnElement[Any]:
    """The instant ``edges[index]``."""
    return case(
        *((index == number, literal(edge, UtcDateTime())) for number, edge in enumerate(edges))
    )


def triangle(
    question: Retention, edges: Sequence[datetime], cohorts: int
) -> CompoundSelect[*tuple[Any, ...]]:
    """``cohort, offset, persons``: offset -1 is the cohort's size; offset ``k`` counts
    the persons who returned in the ``k``-th period after their cohort's (0: the same)."""
    within = TimeRange(edges[0], min(edges[cohorts], question.range.end))
    starts = person_starts(question.project_id, question.start, within).subquery("starts")
    people = (
        select(
            starts.c.person_id,
            starts.c.started,
            period_index(starts.c.started, edges[: cohorts + 1]).label("cohort"),
        )
        .cte("cohorts")
        .prefix_with("MATERIALIZED")
    )
    offsets = union_all(
        *(select(literal(offset, Integer).label("offset")) for offset in range(question.periods))
    ).subquery("offsets")
    period = people.c.cohort + offsets.c.offset
    begins, ends = _edge(period, edges), _edge(period + 1, edges)
    seen = _events.alias("returned")
    came_back = exists().where(
        seen.c.project_id == question.project_id,
        seen.c.person_id == people.c.person_id,
        seen.c.timestamp >= case((people.c.started > begins, people.c.started), else_=begins),
        seen.c.timestamp < ends,
        seen.c.type == "track" if question.returning is None else matches(seen, question.returning),
    )
    returned = (
        select(people.c.cohort, offsets.c.offset, func.count().label("persons"))
        .select_from(people.join(offsets, true()))
        .where(came_back)
        .group_by(people.c.cohort, offsets.c.offset)
    )
    size = (literal(-1, Integer).label("offset"), func.count().label("persons"))
    sizes = select(people.c.cohort, *size).group_by(people.c.cohort)
    return union_all(sizes, returned)
