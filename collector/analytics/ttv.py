"""Time to value: how long persons take from their start to their first value event."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row

from collector.analytics import calendar
from collector.analytics.definitions import TimeToValue
from collector.analytics.params import event_match, optional_path, time_range
from collector.analytics.queries.ttv import HISTOGRAM_EDGES_SECONDS, WITHIN_DAYS, figures
from collector.analytics.reading import analysis_transaction
from collector.analytics.results import (
    CohortValueFigures,
    HistogramBucket,
    TimeToValueFigures,
    ValueFigures,
    Within,
)

FIGURE_COLUMNS = (
    "persons_started",
    "persons_reached_value",
    "median_seconds",
    "p90_seconds",
    "average_seconds",
    *(f"share_within_{days}d" for days in WITHIN_DAYS),
)


def question(params: Mapping[str, Any], project_id: uuid.UUID, now: datetime) -> TimeToValue:
    start = params.get("start")
    return TimeToValue(
        project_id=project_id,
        start=None if start is None else event_match(start),
        value=event_match(params["value"]),
        range=time_range(params, now),
        zone=params["tz"],
        breakdown=optional_path(params.get("breakdown")),
    )


def run(
    engine: Engine, params: Mapping[str, Any], project_id: uuid.UUID, now: datetime
) -> TimeToValueFigures:
    """Everyone's figures, then per signup week (in ``tz``) and per breakdown value."""
    asked = question(params, project_id, now)
    weeks = calendar.period_days(asked.range, "week", asked.zone)
    with analysis_transaction(engine) as connection:
        rows = connection.execute(figures(asked, calendar.edges(weeks, asked.zone))).all()
    groups = {(row.level, row.key): row for row in rows}
    cohorts = [
        CohortValueFigures(cohort=week.isoformat(), **_figures(groups.get((2, str(index)))))
        for index, week in enumerate(weeks[:-1])
    ]
    everyone = groups.get((0, ""))
    figures_ = _figures(everyone)
    answer = TimeToValueFigures(
        persons_started=figures_["persons_started"],
        persons_reached_value=figures_["persons_reached_value"],
        median_seconds=figures_["median_seconds"],
        p90_seconds=figures_["p90_seconds"],
        average_seconds=figures_["average_seconds"],
        within=figures_["within"],
        histogram=_histogram(everyone),
        cohorts=cohorts,
    )
    if asked.breakdown is not None:
        values = sorted((row for row in rows if row.level == 1), key=lambda r: (-r.started, r.key))
        answer["breakdown"] = {row.key: _figures(row) for row in values}
    return answer


def _seconds(microseconds: float | None) -> float | None:
    return None if microseconds is None else microseconds / 1_000_000


def _figures(row: Row[Any] | None) -> ValueFigures:
    if row is None:
        return _figures_of({})
    return _figures_of(dict(row._mapping))


def _figures_of(row: Mapping[str, Any]) -> ValueFigures:
    within: dict[str, Within] = {}
    for days in WITHIN_DAYS:
        eligible, reached = row.get(f"eligible_{days}d") or 0, row.get(f"reached_{days}d") or 0
        share = reached / eligible if eligible else None
        within[f"{days}d"] = {"eligible": eligible, "reached": reached, "share": share}
    return {
        "persons_started": row.get("started", 0),
        "persons_reached_value": row.get("reached", 0),
        "median_seconds": _seconds(row.get("median_us")),
        "p90_seconds": _seconds(row.get("p90_us")),
        "average_seconds": _seconds(row.get("mean_us")),
        "within": within,
    }


def _histogram(row: Row[Any] | None) -> list[HistogramBucket]:
    highs: list[int | None] = [*HISTOGRAM_EDGES_SECONDS[1:], None]
    return [
        {
            "from_seconds": low,
            "to_seconds": high,
            "persons": row._mapping[f"bucket_{index}"] if row is not None else 0,
        }
        for index, (low, high) in enumerate(zip(HISTOGRAM_EDGES_SECONDS, highs, strict=True))
    ]


def _flat(group: str, figures_: ValueFigures) -> dict[str, Any]:
    shares = {f"share_within_{key}": value["share"] for key, value in figures_["within"].items()}
    return {"group": group, **figures_, **shares}


def table(answer: TimeToValueFigures) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """Everyone, each cohort (``cohort:2026-01-05``) and each breakdown value as rows."""
    rows = [_flat("all", answer)]
    rows += [_flat(f"cohort:{cohort['cohort']}", cohort) for cohort in answer["cohorts"]]
    rows += [_flat(f"breakdown:{key}", value) for key, value in answer.get("breakdown", {}).items()]
    return ("group", *FIGURE_COLUMNS), rows
