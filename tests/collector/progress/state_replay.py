"""Shared by the state tests: instants, definitions, and a replay of events on a new state."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from collector.progress.states import State, apply_event

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(minutes=1)
T2 = T0 + timedelta(minutes=2)
T3 = T0 + timedelta(minutes=3)

TOUR: Mapping[str, Any] = {"steps": [{"id": "step-1"}, {"id": "step-2"}]}
CHECKLIST: Mapping[str, Any] = {
    "items": [
        {"id": "report", "completed_by": {"event": "Report Created"}},
        {"id": "invite", "completed_by": None},
    ]
}
SURVEY: Mapping[str, Any] = {}

Event = tuple[str, Mapping[str, Any], datetime]


def replay(events: list[Event], definition: Mapping[str, Any] = TOUR, **start: Any) -> State:
    """A fresh state (with ``start`` fields) after ``events`` in the order given."""
    state = State(version=1, **start)
    for event, properties, at in events:
        apply_event(state, event, properties, at, definition)
    return state
