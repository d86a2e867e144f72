"""Combining two persons' states with one experience when the persons merge."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest

from collector.progress.states import State, combine_states
from tests.collector.progress.state_replay import CHECKLIST, SURVEY, T1, T2, T3, TOUR, replay

NEW = State(version=1)


@pytest.mark.parametrize(
    ("kept", "other", "status"),
    [
        ("new", "new", "new"),
        ("new", "shown", "shown"),
        ("shown", "new", "shown"),
        ("shown", "dismissed", "dismissed"),
        ("dismissed", "in_progress", "in_progress"),
        ("in_progress", "dismissed", "in_progress"),
        ("shown", "responded", "responded"),
        ("responded", "dismissed", "responded"),
        ("in_progress", "completed", "completed"),
        ("completed", "in_progress", "completed"),
        ("completed", "new", "completed"),
        ("dismissed", "completed", "completed"),
        ("unknown", "shown", "shown"),
    ],
)
def test_combined_status_is_the_further_one(kept: str, other: str, status: str) -> None:
    combined = combine_states(State(version=1, status=kept), State(version=1, status=other))
    assert combined.status == status


@pytest.mark.parametrize(
    ("field", "kept", "other", "combined"),
    [
        ("version", 1, 3, 3),
        ("version", 4, 2, 4),
        ("shown_count", 2, 3, 5),
        ("dismiss_count", 1, 1, 2),
        ("dismiss_count", 0, 0, 0),
        ("first_shown_at", T2, T1, T1),
        ("first_shown_at", None, T1, T1),
        ("first_shown_at", T1, None, T1),
        ("last_shown_at", T1, T3, T3),
        ("last_shown_at", T3, None, T3),
        ("last_dismissed_at", T2, T1, T2),
        ("last_dismissed_at", None, T2, T2),
        ("last_responded_at", T1, T2, T2),
        ("last_responded_at", None, None, None),
        ("completed_at", T3, T2, T2),
        ("completed_at", None, T2, T2),
        ("current_step", "step-1", "step-2", "step-1"),
        ("current_step", None, "step-2", "step-2"),
        ("current_step", "step-1", None, "step-1"),
        ("completed_items", ["b", "a"], ["c", "a"], ["b", "a", "c"]),
        ("completed_items", [], ["a"], ["a"]),
        ("completed_items", ["a"], [], ["a"]),
    ],
    ids=[
        "version-the-later-1",
        "version-the-later-2",
        "shown-counts-add-up",
        "dismissals-add-up",
        "no-dismissals",
        "first-shown-the-earliest",
        "first-shown-of-the-other-alone",
        "first-shown-of-the-kept-alone",
        "last-shown-the-latest",
        "last-shown-of-the-kept-alone",
        "last-dismissed-the-latest",
        "last-dismissed-of-the-other-alone",
        "last-responded-the-latest",
        "never-responded",
        "completed-the-earliest",
        "completed-of-the-other-alone",
        "step-of-the-kept",
        "step-of-the-other-when-the-kept-has-none",
        "step-of-the-kept-when-the-other-has-none",
        "items-of-both-kept-first-once-each",
        "items-of-the-other-alone",
        "items-of-the-kept-alone",
    ],
)
def test_combined_field(field: str, kept: Any, other: Any, combined: Any) -> None:
    first, second = State(**{"version": 1, field: kept}), State(**{"version": 1, field: other})
    assert getattr(combine_states(first, second), field) == combined


def test_combining_changes_neither_state() -> None:
    kept = State(version=1, status="in_progress", completed_items=["report"], shown_count=1)
    other = State(version=1, status="dismissed", completed_items=["invite"], dismiss_count=1)
    before = (State(**_fields(kept)), State(**_fields(other)))
    combine_states(kept, other, CHECKLIST, at=T3)
    assert (kept, other) == before


def _fields(state: State) -> dict[str, Any]:
    values = {name: getattr(state, name) for name in State.__slots__ if name != "__weakref__"}
    values["completed_items"] = list(state.completed_items)
    return values


def test_combining_with_a_new_state_keeps_the_other() -> None:
    started = replay([("Flow Started", {}, T1), ("Flow Step Viewed", {"step": "step-2"}, T2)])
    assert combine_states(NEW, started) == started
    assert combine_states(started, NEW) == started


@pytest.mark.parametrize(
    ("kept", "other", "status", "completed_at"),
    [
        (["report"], ["invite"], "completed", T3),
        (["report"], ["report"], "in_progress", None),
        ([], ["report", "invite"], "completed", T1),
        (["report", "invite"], [], "completed", T1),
    ],
    ids=[
        "items-done-between-them-complete-it-at-the-merge",
        "items-missing-leave-it-open",
        "completed-by-the-other-keeps-its-time",
        "completed-by-the-kept-keeps-its-time",
    ],
)
def test_combined_checklist_with_every_item_done_is_completed(
    kept: list[str], other: list[str], status: str, completed_at: datetime | None
) -> None:
    def ticked(items: list[str]) -> State:
        return replay(
            [("Checklist Item Completed", {"item": item}, T1) for item in items], CHECKLIST
        )

    combined = combine_states(ticked(kept), ticked(other), CHECKLIST, at=T3)
    assert (combined.status, combined.completed_at) == (status, completed_at)


def test_combining_without_the_definition_completes_nothing() -> None:
    kept = State(version=1, status="in_progress", completed_items=["report"])
    other = State(version=1, status="in_progress", completed_items=["invite"])
    assert combine_states(kept, other).status == "in_progress"


@pytest.mark.parametrize("definition", [TOUR, SURVEY], ids=["tour", "survey"])
def test_combining_states_of_other_types_completes_nothing(definition: Mapping[str, Any]) -> None:
    kept = State(version=1, status="in_progress", current_step="step-1")
    other = State(version=1, status="shown")
    assert combine_states(kept, other, definition, at=T3).status == "in_progress"
