"""Retention: of the persons who started in each period, how many came back later."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from collector.analytics import calendar
from collector.analytics.definitions import Retention
from collector.analytics.params import event_match, time_range
from collector.analytics.queries.retention import triangle
from collector.analytics.reading import analysis_transaction
from collector.analytics.results import RetentionCohort, RetentionFigures


def question(params: Mapping[str, Any], project_id: uuid.UUID, now: datetime) -> Retention:
    start, returning = params.get("start"), params.get("returning")
    return Retention(
        project_id=project_id,
        start=None if start is None else event_match(start),
        returning=None if returning is None else event_match(returning),
        interval=params["interval"],
        periods=params["periods"],
        range=time_range(params, now),
        zone=params["tz"],
    )


def run(
    engine: Engine, params: Mapping[str, Any], project_id: uuid.UUID, now: datetime
) -> RetentionFigures:
    """The triangle: per cohort its size and, per period since, who returned (null for
    periods that had not begun by the end of the range)."""
    asked = question(params, project_id, now)
    days = calendar.period_days(asked.range, asked.interval, asked.zone, more=asked.periods - 1)
    edges = calendar.edges(days, asked.zone)
    cohorts = len(days) - asked.periods
    with analysis_transaction(engine) as connection:
        rows = connection.execute(triangle(asked, edges, cohorts)).all()
    counts = {(row.cohort, row.offset): row.persons for row in rows}
    answer: list[RetentionCohort] = []
    for index in range(cohorts):
        size = counts.get((index, -1), 0)
        returned = [
            counts.get((index, offset), 0) if edges[index + offset] < asked.range.end else None
            for offset in range(asked.periods)
        ]
        shares = [None if n is None else (n / size if size else 0.0) for n in returned]
        answer.append(
            {
                "cohort": days[index].isoformat(),
                "persons": size,
                "returned": returned,
                "shares": shares,
            }
        )
    return {"interval": asked.interval, "periods": asked.periods, "cohorts": answer}


def table(answer: RetentionFigures) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """One row per cohort: its size, then the persons returning in each period."""
    periods = [f"period_{offset}" for offset in range(answer["periods"])]
    rows = [
        {
            "cohort": row["cohort"],
            "persons": row["persons"],
            **dict(zip(periods, row["returned"], strict=True)),
        }
        for row in answer["cohorts"]
    ]
    return ("cohort", "persons", *periods), rows
