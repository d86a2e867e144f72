"""The funnel definitions transcribed literally into Python, over a few persons' events:
the reference the SQL statements are checked against."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from collector.analytics.definitions import EventMatch, Funnel
from collector.analytics.queries.common import as_text


@dataclass(frozen=True)
class Tracked:
    event: str
    timestamp: datetime
    properties: dict[str, Any]
    id: int


def _value(properties: dict[str, Any], keys: Sequence[str]) -> Any:
    value: Any = properties
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def is_step(event: Tracked, match: EventMatch) -> bool:
    if event.event != match.event:
        return False
    return all(
        as_text(_value(event.properties, path.keys)) in {as_text(v) for v in values}
        for path, values in match.where.items()
    )


Attempt = list[datetime]


def _ordered(events: list[Tracked], funnel: Funnel, start: Tracked) -> Attempt:
    times = [start.timestamp]
    deadline = start.timestamp + funnel.window
    for match in funnel.steps[1:]:
        found = [
            e.timestamp
            for e in events
            if is_step(e, match) and times[-1] <= e.timestamp <= deadline
        ]
        if not found:
            break
        times.append(min(found))
    return times


def _step_of(event: Tracked, funnel: Funnel) -> int:
    found = [i for i, match in enumerate(funnel.steps, start=1) if is_step(event, match)]
    return found[0] if found else 0


def _strict(events: list[Tracked], funnel: Funnel, start: Tracked) -> Attempt:
    size = funnel.size
    ordered = sorted(events, key=lambda e: (e.timestamp, _step_of(e, funnel) or size + 1, e.id))
    times = [start.timestamp]
    for event in ordered[ordered.index(start) + 1 :]:
        step = _step_of(event, funnel)
        if len(times) == size:
            break
        if step == len(times):
            continue
        if step != len(times) + 1 or event.timestamp > start.timestamp + funnel.window:
            break
        times.append(event.timestamp)
    return times


def _unordered(events: list[Tracked], funnel: Funnel, start: Tracked) -> Attempt:
    deadline = start.timestamp + funnel.window
    firsts = []
    for match in funnel.steps:
        found = [
            e.timestamp
            for e in events
            if is_step(e, match) and start.timestamp <= e.timestamp <= deadline
        ]
        if found:
            firsts.append(min(found))
    return sorted(firsts)


def attributed(events: list[Tracked], funnel: Funnel) -> Attempt | None:
    """The attributed attempt's step times, or None when the person never started."""
    starting = funnel.steps if funnel.order == "unordered" else funnel.steps[:1]
    starts = [
        e
        for e in events
        if any(is_step(e, match) for match in starting)
        and funnel.range.start <= e.timestamp < funnel.range.end
    ]
    walk = {"ordered": _ordered, "strict": _strict, "unordered": _unordered}[funnel.order]
    attempts = [(walk(events, funnel, start), start.timestamp) for start in starts]
    if not attempts:
        return None
    best = max(attempts, key=lambda a: (len(a[0]), -a[0][-1].timestamp(), a[1].timestamp()))
    return best[0]


def figures(persons: dict[Any, list[Tracked]], funnel: Funnel) -> list[tuple[int, float | None]]:
    """Per step: persons, and the median seconds from the previous step."""
    journeys = [a for a in (attributed(events, funnel) for events in persons.values()) if a]
    answer: list[tuple[int, float | None]] = []
    for step in range(funnel.size):
        reached = [a for a in journeys if len(a) > step]
        gaps = [(a[step] - a[step - 1]) / timedelta(seconds=1) for a in reached] if step else []
        answer.append((len(reached), statistics.median(gaps) if gaps else None))
    return answer
