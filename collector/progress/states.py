"""How one person's state with one experience changes with each reserved event.

Pure functions over plain values, applied in timestamp order. A state never moves back:
a completed tour stays completed when a late ``Flow Started`` arrives, a survey answered
stays answered when it is dismissed afterwards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

FINAL = frozenset({"completed", "responded"})


@dataclasses.dataclass(slots=True)
class State:
    version: int
    status: str = "new"
    current_step: str | None = None
    completed_items: list[str] = dataclasses.field(default_factory=list)
    shown_count: int = 0
    dismiss_count: int = 0
    first_shown_at: datetime | None = None
    last_shown_at: datetime | None = None
    last_dismissed_at: datetime | None = None
    last_responded_at: datetime | None = None
    completed_at: datetime | None = None


def _later(current: datetime | None, at: datetime) -> datetime:
    return at if current is None or at > current else current


def _earlier(current: datetime | None, at: datetime) -> datetime:
    return at if current is None or at < current else current


def _move(state: State, status: str) -> None:
    if state.status not in FINAL:
        state.status = status


def _shown(state: State, at: datetime, status: str) -> None:
    state.shown_count += 1
    state.first_shown_at = _earlier(state.first_shown_at, at)
    state.last_shown_at = _later(state.last_shown_at, at)
    _move(state, status)


def _dismissed(state: State, at: datetime) -> None:
    state.dismiss_count += 1
    state.last_dismissed_at = _later(state.last_dismissed_at, at)
    _move(state, "dismissed")


def _completed(state: State, at: datetime) -> None:
    if state.status != "completed":
        state.status = "completed"
        state.completed_at = at


def _all_items_done(state: State, definition: Mapping[str, Any]) -> bool:
    items = {entry.get("id") for entry in definition.get("items") or ()}
    return bool(items) and items <= set(state.completed_items)


def _item_done(state: State, item: str, definition: Mapping[str, Any], at: datetime) -> None:
    if item not in state.completed_items:
        state.completed_items.append(item)
    if _all_items_done(state, definition):
        _completed(state, at)
    else:
        _move(state, "in_progress")


def apply_event(
    state: State,
    event: str,
    properties: Mapping[str, Any],
    at: datetime,
    definition: Mapping[str, Any],
) -> None:
    """Update ``state`` in place for one reserved event that happened at ``at``."""
    if event in ("Flow Started", "Survey Shown"):
        _shown(state, at, "in_progress" if event == "Flow Started" else "shown")
    elif event == "Flow Step Viewed":
        state.current_step = properties.get("step")
        _move(state, "in_progress")
    elif event == "Flow Completed":
        _completed(state, at)
    elif event in ("Flow Dismissed", "Survey Dismissed"):
        _dismissed(state, at)
    elif event == "Checklist Item Completed":
        _item_done(state, str(properties.get("item")), definition, at)
    elif event == "Survey Responded":
        state.status = "responded"
        state.last_responded_at = _later(state.last_responded_at, at)


def matching_items(
    definition: Mapping[str, Any], event: str, properties: Mapping[str, Any] | None
) -> list[str]:
    """Checklist items that an ordinary track event completes."""
    found = []
    for item in definition.get("items") or ():
        rule = item.get("completed_by")
        if (
            isinstance(rule, Mapping)
            and rule.get("event") == event
            and _where_holds(rule.get("where") or {}, properties or {})
        ):
            found.append(str(item.get("id")))
    return found


def _where_holds(where: Mapping[str, Any], properties: Mapping[str, Any]) -> bool:
    """``{"properties.type": "funnel"}``: each named property equals the given value."""
    return all(
        key.startswith("properties.") and _same(properties.get(key[11:], _MISSING), value)
        for key, value in where.items()
    )


_MISSING = object()


def _same(actual: Any, expected: Any) -> bool:
    """JSON equality: ``true`` is not ``1``."""
    return isinstance(actual, bool) == isinstance(expected, bool) and actual == expected


def combine_states(
    kept: State,
    other: State,
    definition: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> State:
    """One state from two persons' states with the same experience, when they merge.

    Counts add up, first times keep the earliest and last times the latest, and the more
    final status wins (a tour completed as an anonymous visitor stays completed). Given the
    experience's ``definition``, a checklist whose items the two did between them is
    completed ``at`` the merge.
    """
    combined = _combined(kept, other)
    if definition is not None and at is not None and _all_items_done(combined, definition):
        _completed(combined, at)
    return combined


def _combined(kept: State, other: State) -> State:
    return State(
        version=max(kept.version, other.version),
        status=_further(kept.status, other.status),
        current_step=kept.current_step or other.current_step,
        completed_items=[
            *kept.completed_items,
            *(i for i in other.completed_items if i not in kept.completed_items),
        ],
        shown_count=kept.shown_count + other.shown_count,
        dismiss_count=kept.dismiss_count + other.dismiss_count,
        first_shown_at=_optional(min, kept.first_shown_at, other.first_shown_at),
        last_shown_at=_optional(max, kept.last_shown_at, other.last_shown_at),
        last_dismissed_at=_optional(max, kept.last_dismissed_at, other.last_dismissed_at),
        last_responded_at=_optional(max, kept.last_responded_at, other.last_responded_at),
        completed_at=_optional(min, kept.completed_at, other.completed_at),
    )


_PROGRESSION = ("new", "shown", "dismissed", "in_progress", "responded", "completed")


def _further(first: str, second: str) -> str:
    rank = {status: position for position, status in enumerate(_PROGRESSION)}
    return first if rank.get(first, 0) >= rank.get(second, 0) else second


def _optional(pick: Any, first: datetime | None, second: datetime | None) -> datetime | None:
    present = [moment for moment in (first, second) if moment is not None]
    return pick(present) if present else None
