"""Time-to-value statements: each person's start and first value, then the figures per
group (everyone, each breakdown value, each signup cohort)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.sql.expression import FromClause

from collector.analytics.definitions import NONE_VALUE, TimeToValue
from collector.analytics.queries.common import Rows, matches, percentile
from collector.analytics.queries.persons import breakdown_value, period_index, person_starts
from collector.kit.db.backends.expressions import epoch_us
from collector.kit.db.models import Event, table_of

_events = table_of(Event)
WITHIN_DAYS = (1, 7, 30)
HISTOGRAM_EDGES_SECONDS = (0, 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400)
"""Bucket edges of the histogram: under an hour, a day, 3 days, a week, 2 weeks, 30 days,
and everything longer."""
MICROSECONDS = 1_000_000


def _journeys(question: TimeToValue, cohort_edges: Sequence[datetime]) -> FromClause:
    """``person_id, started, gap_us`` (None: no value yet), ``breakdown``, ``cohort``."""
    starts = person_starts(question.project_id, question.start, question.range).subquery("s")
    value = _events.alias("value_event")
    reached = (
        select(value.c.timestamp)
        .where(
            value.c.project_id == question.project_id,
            value.c.person_id == starts.c.person_id,
            matches(value, question.value),
            value.c.timestamp >= starts.c.started,
            value.c.timestamp < question.range.end,
        )
        .order_by(value.c.timestamp)
        .limit(1)
        .scalar_subquery()
    )
    touch = breakdown_value(
        question.project_id,
        question.breakdown,
        starts.c.person_id,
        starts.c.started,
        [question.start],
    )
    journeys = (
        select(
            starts.c.person_id,
            starts.c.started,
            reached.label("reached_at"),
            func.coalesce(touch, NONE_VALUE).label("breakdown"),
            period_index(starts.c.started, cohort_edges).label("cohort"),
        )
        .cte("journeys")
        .prefix_with("MATERIALIZED")
    )
    return select(
        journeys.c.started,
        journeys.c.breakdown,
        journeys.c.cohort,
        (epoch_us(journeys.c.reached_at) - epoch_us(journeys.c.started)).label("gap_us"),
    ).subquery("gaps")


def _levels(question: TimeToValue, journeys: FromClause) -> FromClause:
    """Level 0: everyone; 1: each breakdown value (when asked); 2: each cohort."""

    def level(number: int, key: object) -> Rows:
        return select(
            literal(number, Integer).label("level"),
            cast(key, String).label("key"),
            journeys.c.started,
            journeys.c.gap_us,
        )

    levels = [level(0, literal("")), level(2, journeys.c.cohort)]
    if question.breakdown is not None:
        levels.append(level(1, journeys.c.breakdown))
    return union_all(*levels).subquery("levels")


def figures(question: TimeToValue, cohort_edges: Sequence[datetime]) -> Rows:
    """Per level and key: persons started and reached, mean, median and p90 of the
    reached ones' microseconds, the within-N-days counts and the histogram."""
    levels = _levels(question, _journeys(question, cohort_edges))
    group = (levels.c.level, levels.c.key, levels.c.gap_us.is_(None))
    ranked = select(
        levels,
        func.row_number().over(partition_by=group, order_by=levels.c.gap_us).label("position"),
        func.count().over(partition_by=group).label("count"),
    ).subquery("ranked")
    gap, started = ranked.c.gap_us, ranked.c.started

    def quantile(hundredths: int) -> ColumnElement[Any]:
        return percentile(ranked.c.position, ranked.c.count, gap, hundredths)

    def total(condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.sum(case((condition, 1), else_=0))

    within = []
    for days in WITHIN_DAYS:
        eligible = started <= question.range.end - timedelta(days=days)
        within += [
            total(eligible).label(f"eligible_{days}d"),
            total(and_(eligible, gap <= days * 86400 * MICROSECONDS)).label(f"reached_{days}d"),
        ]
    edges = [edge * MICROSECONDS for edge in HISTOGRAM_EDGES_SECONDS]
    buckets = [
        total(and_(gap >= low, gap < high) if high else gap >= low).label(f"bucket_{index}")
        for index, (low, high) in enumerate(zip(edges, [*edges[1:], None], strict=True))
    ]
    return select(
        ranked.c.level,
        ranked.c.key,
        func.count().label("started"),
        func.count(gap).label("reached"),
        func.avg(cast(gap, Float)).label("mean_us"),
        quantile(50).label("median_us"),
        quantile(90).label("p90_us"),
        *within,
        *buckets,
    ).group_by(ranked.c.level, ranked.c.key)
