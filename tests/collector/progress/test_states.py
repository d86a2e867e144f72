"""How one person's state with one experience moves with each reserved event."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest

from collector.progress.states import State, matching_items
from tests.collector.progress.state_replay import (
    CHECKLIST,
    SURVEY,
    T1,
    T2,
    T3,
    Event,
    replay,
)

# The effect of each event --------------------------------------------------------------------


def test_new_state_is_new_and_untouched() -> None:
    assert State(version=3) == State(
        version=3,
        status="new",
        current_step=None,
        completed_items=[],
        shown_count=0,
        dismiss_count=0,
        first_shown_at=None,
        last_shown_at=None,
        last_dismissed_at=None,
        last_responded_at=None,
        completed_at=None,
    )


def test_states_do_not_share_their_completed_items() -> None:
    first, second = State(version=1), State(version=1)
    first.completed_items.append("report")
    assert second.completed_items == []


@pytest.mark.parametrize(
    ("event", "status"),
    [("Flow Started", "in_progress"), ("Survey Shown", "shown")],
    ids=["flow-started-is-in-progress", "survey-shown-is-shown"],
)
def test_showing_counts_an_impression(event: str, status: str) -> None:
    state = replay([(event, {}, T1)])
    assert (state.status, state.shown_count, state.first_shown_at, state.last_shown_at) == (
        status,
        1,
        T1,
        T1,
    )


def test_each_showing_is_counted() -> None:
    state = replay([("Survey Shown", {}, T1), ("Survey Shown", {}, T2), ("Survey Shown", {}, T3)])
    assert (state.shown_count, state.first_shown_at, state.last_shown_at) == (3, T1, T3)


def test_step_viewed_records_the_step_and_is_in_progress() -> None:
    state = replay([("Flow Step Viewed", {"step": "step-2"}, T1)])
    assert (state.status, state.current_step) == ("in_progress", "step-2")


def test_later_step_viewed_replaces_the_current_step() -> None:
    state = replay(
        [("Flow Step Viewed", {"step": "step-1"}, T1), ("Flow Step Viewed", {"step": "step-2"}, T2)]
    )
    assert state.current_step == "step-2"


def test_step_viewed_does_not_count_an_impression() -> None:
    state = replay([("Flow Step Viewed", {"step": "step-1"}, T1)])
    assert (state.shown_count, state.first_shown_at) == (0, None)


def test_flow_completed_completes_at_its_time() -> None:
    state = replay([("Flow Started", {}, T1), ("Flow Completed", {}, T2)])
    assert (state.status, state.completed_at) == ("completed", T2)


def test_second_completion_keeps_the_first_completion_time() -> None:
    state = replay([("Flow Completed", {}, T1), ("Flow Completed", {}, T2)])
    assert (state.status, state.completed_at) == ("completed", T1)


@pytest.mark.parametrize(
    ("event", "shown"),
    [("Flow Dismissed", "Flow Started"), ("Survey Dismissed", "Survey Shown")],
    ids=["flow-dismissed", "survey-dismissed"],
)
def test_dismissal_is_counted_and_dated(event: str, shown: str) -> None:
    state = replay([(shown, {}, T1), (event, {}, T2)])
    assert (state.status, state.dismiss_count, state.last_dismissed_at) == ("dismissed", 1, T2)


def test_each_dismissal_is_counted() -> None:
    state = replay([("Survey Dismissed", {}, T1), ("Survey Dismissed", {}, T2)])
    assert (state.dismiss_count, state.last_dismissed_at) == (2, T2)


def test_showing_again_after_a_dismissal_reopens_the_flow() -> None:
    state = replay([("Flow Dismissed", {}, T1), ("Flow Started", {}, T2)])
    assert (state.status, state.dismiss_count) == ("in_progress", 1)


def test_survey_responded_is_responded_at_its_time() -> None:
    state = replay([("Survey Shown", {}, T1), ("Survey Responded", {"score": 9}, T2)], SURVEY)
    assert (state.status, state.last_responded_at) == ("responded", T2)


def test_survey_responded_without_being_shown_is_still_responded() -> None:
    state = replay([("Survey Responded", {"score": 9}, T1)], SURVEY)
    assert (state.status, state.shown_count, state.last_responded_at) == ("responded", 0, T1)


def test_answering_again_moves_the_last_response_time() -> None:
    state = replay([("Survey Responded", {}, T1), ("Survey Responded", {}, T3)], SURVEY)
    assert state.last_responded_at == T3


@pytest.mark.parametrize(
    "event", ["Report Created", "Page Viewed", ""], ids=["ordinary-event", "page-view", "no-name"]
)
def test_event_that_is_not_reserved_changes_nothing(event: str) -> None:
    state = replay([(event, {"step": "step-1", "item": "report"}, T1)], CHECKLIST)
    assert state == State(version=1)


def test_version_is_left_to_the_caller() -> None:
    assert replay([("Flow Started", {"version": 2}, T1)]).version == 1


# Never moving back ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "properties"),
    [
        ("Flow Started", {}),
        ("Flow Step Viewed", {"step": "step-1"}),
        ("Flow Dismissed", {}),
        ("Checklist Item Completed", {"item": "report"}),
    ],
    ids=[
        "late-start-keeps-completed",
        "late-step-view-keeps-completed",
        "dismissal-keeps-completed",
        "item-keeps-completed",
    ],
)
def test_completed_flow_stays_completed(event: str, properties: Mapping[str, Any]) -> None:
    state = replay([("Flow Completed", {}, T2), (event, properties, T3)], CHECKLIST)
    assert (state.status, state.completed_at) == ("completed", T2)


@pytest.mark.parametrize(
    "event",
    ["Survey Shown", "Survey Dismissed"],
    ids=["shown-again-keeps-responded", "dismissal-keeps-responded"],
)
def test_responded_survey_stays_responded(event: str) -> None:
    state = replay([("Survey Responded", {"score": 9}, T1), (event, {}, T2)], SURVEY)
    assert state.status == "responded"


def test_events_after_completion_are_still_counted() -> None:
    state = replay(
        [("Flow Completed", {}, T1), ("Flow Started", {}, T2), ("Flow Dismissed", {}, T3)]
    )
    assert (
        state.shown_count,
        state.last_shown_at,
        state.dismiss_count,
        state.last_dismissed_at,
    ) == (
        1,
        T2,
        1,
        T3,
    )


def test_dismissal_after_a_response_is_still_counted() -> None:
    state = replay([("Survey Responded", {}, T1), ("Survey Dismissed", {}, T2)], SURVEY)
    assert (state.dismiss_count, state.last_dismissed_at) == (1, T2)


@pytest.mark.parametrize(
    "status", ["new", "shown", "in_progress", "dismissed"], ids=lambda status: f"from-{status}"
)
def test_flow_completed_completes_from_any_open_status(status: str) -> None:
    state = replay([("Flow Completed", {}, T1)], status=status)
    assert state.status == "completed"


@pytest.mark.parametrize(
    "status", ["new", "shown", "dismissed"], ids=lambda status: f"from-{status}"
)
def test_survey_responded_answers_from_any_open_status(status: str) -> None:
    assert replay([("Survey Responded", {}, T1)], SURVEY, status=status).status == "responded"


# Out-of-order timestamps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "order",
    [[T2, T1, T3], [T3, T2, T1], [T1, T3, T2]],
    ids=["earliest-arrives-second", "reverse-order", "latest-arrives-second"],
)
def test_shown_times_keep_the_earliest_first_and_the_latest_last(order: list[datetime]) -> None:
    state = replay([("Survey Shown", {}, at) for at in order], SURVEY)
    assert (state.first_shown_at, state.last_shown_at, state.shown_count) == (T1, T3, 3)


def test_late_dismissal_keeps_the_latest_dismissal_time() -> None:
    state = replay([("Flow Dismissed", {}, T3), ("Flow Dismissed", {}, T1)])
    assert (state.last_dismissed_at, state.dismiss_count) == (T3, 2)


def test_late_response_keeps_the_latest_response_time() -> None:
    state = replay([("Survey Responded", {}, T3), ("Survey Responded", {}, T1)], SURVEY)
    assert state.last_responded_at == T3


def test_equal_times_are_kept() -> None:
    state = replay([("Survey Shown", {}, T1), ("Survey Shown", {}, T1)], SURVEY)
    assert (state.first_shown_at, state.last_shown_at) == (T1, T1)


def test_times_already_stored_are_compared_with_new_ones() -> None:
    state = replay(
        [("Survey Shown", {}, T2), ("Survey Dismissed", {}, T1), ("Survey Responded", {}, T1)],
        SURVEY,
        first_shown_at=T1,
        last_shown_at=T1,
        last_dismissed_at=T3,
        last_responded_at=T3,
    )
    assert (
        state.first_shown_at,
        state.last_shown_at,
        state.last_dismissed_at,
        state.last_responded_at,
    ) == (T1, T2, T3, T3)


# Checklists ----------------------------------------------------------------------------------


def test_first_item_done_puts_the_checklist_in_progress() -> None:
    state = replay([("Checklist Item Completed", {"item": "report"}, T1)], CHECKLIST)
    assert (state.status, state.completed_items, state.completed_at) == (
        "in_progress",
        ["report"],
        None,
    )


@pytest.mark.parametrize(
    "order",
    [["report", "invite"], ["invite", "report"]],
    ids=["in-definition-order", "in-reverse-order"],
)
def test_checklist_completes_when_all_items_are_done(order: list[str]) -> None:
    events: list[Event] = [
        ("Checklist Item Completed", {"item": item}, at)
        for item, at in zip(order, [T1, T2], strict=True)
    ]
    state = replay(events, CHECKLIST)
    assert (state.status, state.completed_items, state.completed_at) == ("completed", order, T2)


def test_item_done_twice_is_recorded_once() -> None:
    events: list[Event] = [
        ("Checklist Item Completed", {"item": "report"}, T1),
        ("Checklist Item Completed", {"item": "report"}, T2),
    ]
    state = replay(events, CHECKLIST)
    assert (state.status, state.completed_items) == ("in_progress", ["report"])


def test_item_done_after_a_dismissal_reopens_the_checklist() -> None:
    events: list[Event] = [
        ("Flow Dismissed", {}, T1),
        ("Checklist Item Completed", {"item": "report"}, T2),
    ]
    assert replay(events, CHECKLIST).status == "in_progress"


def test_items_done_before_are_counted_towards_completion() -> None:
    state = replay(
        [("Checklist Item Completed", {"item": "invite"}, T2)],
        CHECKLIST,
        status="in_progress",
        completed_items=["report"],
    )
    assert (state.status, state.completed_at) == ("completed", T2)


def test_items_not_in_the_definition_do_not_complete_it() -> None:
    events: list[Event] = [
        ("Checklist Item Completed", {"item": "report"}, T1),
        ("Checklist Item Completed", {"item": "old-item"}, T2),
    ]
    state = replay(events, CHECKLIST)
    assert (state.status, state.completed_items) == ("in_progress", ["report", "old-item"])


@pytest.mark.parametrize(
    "definition",
    [{}, {"items": None}, {"items": []}],
    ids=["no-items-key", "null-items", "empty-items"],
)
def test_checklist_without_items_is_never_completed_by_an_item(
    definition: Mapping[str, Any],
) -> None:
    state = replay([("Checklist Item Completed", {"item": "report"}, T1)], definition)
    assert (state.status, state.completed_at) == ("in_progress", None)


def test_completed_checklist_keeps_its_completion_time_when_an_item_repeats() -> None:
    events: list[Event] = [
        ("Checklist Item Completed", {"item": "report"}, T1),
        ("Checklist Item Completed", {"item": "invite"}, T2),
        ("Checklist Item Completed", {"item": "report"}, T3),
    ]
    state = replay(events, CHECKLIST)
    assert (state.status, state.completed_at, state.completed_items) == (
        "completed",
        T2,
        ["report", "invite"],
    )


# Items completed by ordinary events ----------------------------------------------------------


def checklist(*rules: Any) -> dict[str, Any]:
    """A checklist whose items ``item-1``… are completed by ``rules`` in turn."""
    return {"items": [{"id": f"item-{n}", "completed_by": rule} for n, rule in enumerate(rules, 1)]}


FUNNEL = {"event": "Report Created", "where": {"properties.type": "funnel"}}


@pytest.mark.parametrize(
    ("definition", "event", "properties", "expected"),
    [
        (checklist({"event": "Report Created"}), "Report Created", {}, ["item-1"]),
        (checklist({"event": "Report Created"}), "Report Created", None, ["item-1"]),
        (checklist({"event": "Report Created", "where": None}), "Report Created", {}, ["item-1"]),
        (checklist({"event": "Report Created", "where": {}}), "Report Created", {}, ["item-1"]),
        (checklist({"event": "Report Created"}), "Report Deleted", {}, []),
        (checklist({"event": "Report Created"}), "report created", {}, []),
        (checklist(None), "Report Created", {}, []),
        (checklist("Report Created"), "Report Created", {}, []),
        ({"items": [{"id": "a"}]}, "Report Created", {}, []),
        ({}, "Report Created", {}, []),
        ({"items": None}, "Report Created", {}, []),
        (
            checklist({"event": "Report Created"}, None, {"event": "Report Created"}),
            "Report Created",
            {},
            ["item-1", "item-3"],
        ),
        ({"items": [{"id": 7, "completed_by": {"event": "E"}}]}, "E", {}, ["7"]),
    ],
    ids=[
        "event-without-where-matches",
        "event-without-properties-matches",
        "null-where-matches-any-properties",
        "empty-where-matches-any-properties",
        "other-event-does-not-match",
        "event-name-is-case-sensitive",
        "manual-item-is-never-matched",
        "malformed-rule-is-never-matched",
        "item-without-rule-is-never-matched",
        "definition-without-items",
        "definition-with-null-items",
        "every-matching-item-in-definition-order",
        "item-ids-are-strings",
    ],
)
def test_matching_items_by_event(
    definition: Mapping[str, Any],
    event: str,
    properties: Mapping[str, Any] | None,
    expected: list[str],
) -> None:
    assert matching_items(definition, event, properties) == expected


@pytest.mark.parametrize(
    ("where", "properties", "matches"),
    [
        ({"properties.type": "funnel"}, {"type": "funnel"}, True),
        ({"properties.type": "funnel"}, {"type": "funnel", "other": 1}, True),
        ({"properties.type": "funnel"}, {"type": "trend"}, False),
        ({"properties.type": "funnel"}, {"type": "Funnel"}, False),
        ({"properties.type": "funnel"}, {}, False),
        ({"properties.type": "funnel"}, None, False),
        ({"properties.type": "funnel"}, {"type": ["funnel"]}, False),
        ({"properties.count": 1}, {"count": 1}, True),
        ({"properties.count": 1}, {"count": 1.0}, True),
        ({"properties.count": 1}, {"count": "1"}, False),
        ({"properties.count": 1}, {"count": True}, False),
        ({"properties.shared": True}, {"shared": True}, True),
        ({"properties.shared": True}, {"shared": 1}, False),
        ({"properties.shared": False}, {"shared": 0}, False),
        ({"properties.shared": False}, {"shared": False}, True),
        ({"properties.shared": False}, {}, False),
        ({"properties.note": None}, {"note": None}, True),
        ({"properties.note": None}, {}, False),
        ({"properties.note": ""}, {"note": None}, False),
        (
            {"properties.type": "funnel", "properties.count": 2},
            {"type": "funnel", "count": 2},
            True,
        ),
        ({"properties.type": "funnel", "properties.count": 2}, {"type": "funnel"}, False),
        ({"properties.type": "funnel", "properties.count": 2}, {"type": "x", "count": 2}, False),
        ({"type": "funnel"}, {"type": "funnel"}, False),
        ({"traits.plan": "pro"}, {"plan": "pro"}, False),
        ({"context.page.path": "/app"}, {"path": "/app"}, False),
        ({"property.type": "funnel"}, {"type": "funnel"}, False),
        ({"Properties.type": "funnel"}, {"type": "funnel"}, False),
        ({"propertiestype": "funnel"}, {"type": "funnel", "pe": "funnel"}, False),
    ],
    ids=[
        "equal-string-matches",
        "extra-properties-do-not-matter",
        "different-string-fails",
        "string-is-case-sensitive",
        "missing-property-fails",
        "no-properties-fail",
        "list-is-not-its-element",
        "equal-number-matches",
        "whole-float-equals-integer",
        "numeric-string-is-not-a-number",
        "true-is-not-1",
        "true-matches-true",
        "1-is-not-true",
        "0-is-not-false",
        "false-matches-false",
        "missing-property-is-not-false",
        "null-matches-null",
        "missing-property-is-not-null",
        "null-is-not-empty-string",
        "all-conditions-hold",
        "one-missing-condition-fails",
        "one-different-condition-fails",
        "bare-key-fails",
        "traits-key-fails",
        "context-key-fails",
        "singular-prefix-fails",
        "prefix-is-case-sensitive",
        "prefix-without-dot-fails",
    ],
)
def test_where_filter(
    where: Mapping[str, Any], properties: Mapping[str, Any] | None, matches: bool
) -> None:
    definition = checklist({"event": "Report Created", "where": where})
    assert matching_items(definition, "Report Created", properties) == (
        ["item-1"] if matches else []
    )


def test_only_items_whose_filter_holds_are_matched() -> None:
    definition = checklist(
        FUNNEL, {"event": "Report Created"}, FUNNEL | {"where": {"properties.type": "trend"}}
    )
    assert matching_items(definition, "Report Created", {"type": "trend"}) == ["item-2", "item-3"]
