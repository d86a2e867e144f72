"""Loaded request parameters turned into the definitions the statement builders read."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from collector.analytics.definitions import (
    EventMatch,
    Exclusion,
    Funnel,
    PropertyPath,
    TimeRange,
    parse_duration,
)

DEFAULT_RANGE = timedelta(days=30)
"""How far back an analysis looks when no ``from`` is given."""


def time_range(params: Mapping[str, Any], now: datetime) -> TimeRange:
    end: datetime = params.get("to") or now
    start: datetime = params.get("from_") or end - DEFAULT_RANGE
    return TimeRange(start, end)


def event_match(params: Mapping[str, Any]) -> EventMatch:
    where = {
        PropertyPath.parse(key, ("properties",)): tuple(
            value if isinstance(value, list) else [value]
        )
        for key, value in params.get("where", {}).items()
    }
    return EventMatch(params["event"], where)


def _values(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def optional_path(text: str | None) -> PropertyPath | None:
    return None if text is None else PropertyPath.parse(text, ("person", "account", "properties"))


def funnel(params: Mapping[str, Any], project_id: uuid.UUID, now: datetime) -> Funnel:
    steps = tuple(event_match(step) for step in params["steps"])
    exclusions = tuple(
        Exclusion(event_match(item), item["from_step"], item.get("to_step", len(steps)))
        for item in params["exclude_"]
    )
    return Funnel(
        project_id=project_id,
        steps=steps,
        window_seconds=parse_duration(params["window"]),
        order=params["order"],
        range=time_range(params, now),
        exclusions=exclusions,
        breakdown=optional_path(params.get("breakdown")),
    )
