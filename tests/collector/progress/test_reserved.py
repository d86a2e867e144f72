"""Reserved track events are checked against the experience they name before being stored:
names, references, versions, steps and items."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import pytest

from collector.progress.reserved import (
    FLOW_EVENTS,
    RESERVED_EVENTS,
    SURVEY_EVENTS,
    ExperienceRef,
    check_reserved,
    reference_key,
    referenced_id,
    version_of,
)
from tests.collector.progress.definitions import (
    CHECKLIST,
    FLOW_ID,
    SURVEY_ID,
    TOUR,
    answer,
    flow,
    survey,
)

# Event names and reference keys ---------------------------------------------------------------


def test_reserved_events_are_the_flow_events_and_the_survey_events() -> None:
    assert RESERVED_EVENTS == FLOW_EVENTS | SURVEY_EVENTS
    assert not FLOW_EVENTS & SURVEY_EVENTS
    assert len(RESERVED_EVENTS) == 9


@pytest.mark.parametrize("event", sorted(FLOW_EVENTS))
def test_flow_events_name_their_experience_by_flow_id(event: str) -> None:
    assert reference_key(event) == "flow_id"


@pytest.mark.parametrize("event", sorted(SURVEY_EVENTS))
def test_survey_events_name_their_experience_by_survey_id(event: str) -> None:
    assert reference_key(event) == "survey_id"


@pytest.mark.parametrize(
    ("event", "properties", "expected"),
    [
        ("Flow Started", {"flow_id": str(FLOW_ID)}, FLOW_ID),
        ("Survey Shown", {"survey_id": str(SURVEY_ID)}, SURVEY_ID),
        ("Survey Shown", {"survey_id": SURVEY_ID.hex.upper()}, SURVEY_ID),
        ("Survey Shown", {"flow_id": str(FLOW_ID)}, None),
        ("Flow Started", {"survey_id": str(SURVEY_ID)}, None),
        ("Flow Started", {"flow_id": "not-a-uuid"}, None),
        ("Flow Started", {"flow_id": str(FLOW_ID)[:-1]}, None),
        ("Flow Started", {"flow_id": ""}, None),
        ("Flow Started", {"flow_id": 42}, None),
        ("Flow Started", {"flow_id": None}, None),
        ("Flow Started", {}, None),
        ("Flow Started", None, None),
    ],
    ids=[
        "flow-event-reads-flow-id",
        "survey-event-reads-survey-id",
        "uuid-without-dashes-is-well-formed",
        "survey-event-ignores-flow-id",
        "flow-event-ignores-survey-id",
        "malformed-uuid-names-nothing",
        "truncated-uuid-names-nothing",
        "empty-string-names-nothing",
        "number-names-nothing",
        "null-names-nothing",
        "missing-id-names-nothing",
        "no-properties-name-nothing",
    ],
)
def test_referenced_id(
    event: str, properties: Mapping[str, Any] | None, expected: uuid.UUID | None
) -> None:
    assert referenced_id(event, properties) == expected


# Which experience the event names ------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "properties", "experience", "field", "message"),
    [
        (
            "Survey Responded",
            answer(),
            None,
            "properties.survey_id",
            "must be the id of a survey of this project",
        ),
        (
            "Survey Responded",
            answer(survey_id=str(FLOW_ID)),
            flow({1: TOUR}),
            "properties.survey_id",
            "must be the id of a survey of this project",
        ),
        (
            "Survey Shown",
            {"survey_id": "not-a-uuid", "version": 1},
            None,
            "properties.survey_id",
            "must be the id of a survey of this project",
        ),
        (
            "Flow Started",
            {"flow_id": str(FLOW_ID), "version": 1},
            None,
            "properties.flow_id",
            "must be the id of a flow of this project",
        ),
        (
            "Flow Started",
            {"flow_id": str(SURVEY_ID), "version": 1},
            survey(),
            "properties.flow_id",
            "must be the id of a flow of this project",
        ),
        (
            "Checklist Item Completed",
            {"flow_id": "6f1c2a52", "version": 1, "item": "item-1"},
            None,
            "properties.flow_id",
            "must be the id of a flow of this project",
        ),
    ],
    ids=[
        "unknown-survey-is-refused-on-survey-id",
        "flow-id-on-a-survey-event-is-refused-on-survey-id",
        "malformed-survey-id-is-refused-on-survey-id",
        "unknown-flow-is-refused-on-flow-id",
        "survey-id-on-a-flow-event-is-refused-on-flow-id",
        "malformed-flow-id-is-refused-on-flow-id",
    ],
)
def test_event_must_name_an_experience_of_its_kind(
    event: str,
    properties: Mapping[str, Any],
    experience: ExperienceRef | None,
    field: str,
    message: str,
) -> None:
    assert check_reserved(event, properties, experience) == {field: [message]}


# Versions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "version",
    [3, 0, -1, "1", 1.0, 1.5, True, None, [1]],
    ids=[
        "version-never-created",
        "version-zero",
        "negative-version",
        "version-as-string",
        "version-as-float",
        "fractional-version",
        "version-as-boolean",
        "null-version",
        "version-as-list",
    ],
)
def test_version_not_known_is_refused(version: Any) -> None:
    props = {"flow_id": str(FLOW_ID), "version": version}
    assert check_reserved("Flow Started", props, flow({1: TOUR, 2: TOUR})) == {
        "properties.version": ["must be a version of this flow"]
    }


def test_survey_version_not_known_is_refused_as_a_survey_version() -> None:
    assert check_reserved("Survey Shown", answer(version=2), survey()) == {
        "properties.version": ["must be a version of this survey"]
    }


def test_old_version_still_known_is_checked_against_its_own_definition() -> None:
    old = {"steps": [{"id": "old-step"}]}
    props = {"flow_id": str(FLOW_ID), "version": 1, "step": "old-step"}
    assert check_reserved("Flow Step Viewed", props, flow({1: old, 2: TOUR})) == {}


def test_step_of_the_current_version_is_refused_on_an_old_version() -> None:
    old = {"steps": [{"id": "old-step"}]}
    props = {"flow_id": str(FLOW_ID), "version": 1, "step": "welcome"}
    assert check_reserved("Flow Step Viewed", props, flow({1: old, 2: TOUR})) == {
        "properties.step": ["must be the id of a step of this flow"]
    }


def test_missing_version_means_the_current_version() -> None:
    props = {"flow_id": str(FLOW_ID), "step": "welcome"}
    assert check_reserved("Flow Step Viewed", props, flow({1: {}, 2: TOUR})) == {}


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        ({"version": 1}, 1),
        ({}, 2),
        (None, 2),
        ({"version": "1"}, 2),
    ],
    ids=[
        "given-version",
        "missing-version-is-current",
        "no-properties-is-current",
        "non-integer-version-is-current",
    ],
)
def test_version_of(properties: Mapping[str, Any] | None, expected: int) -> None:
    assert version_of(properties, flow({1: TOUR, 2: TOUR})) == expected


# Flow events ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "extra"),
    [
        ("Flow Started", {}),
        ("Flow Completed", {}),
        ("Flow Step Viewed", {"step": "step-1"}),
        ("Flow Step Viewed", {"step": "welcome"}),
        ("Flow Dismissed", {}),
        ("Flow Dismissed", {"step": "welcome"}),
        ("Flow Dismissed", {"step": None}),
    ],
    ids=[
        "started-needs-only-id-and-version",
        "completed-needs-only-id-and-version",
        "generated-step-id-is-accepted",
        "given-step-id-is-accepted",
        "dismissed-without-step-is-accepted",
        "dismissed-on-a-known-step-is-accepted",
        "dismissed-with-null-step-is-accepted",
    ],
)
def test_valid_flow_event_is_accepted(event: str, extra: Mapping[str, Any]) -> None:
    props = {"flow_id": str(FLOW_ID), "version": 1} | dict(extra)
    assert check_reserved(event, props, flow({1: TOUR})) == {}


@pytest.mark.parametrize(
    ("event", "extra", "definition"),
    [
        ("Flow Step Viewed", {"step": "step-9"}, TOUR),
        ("Flow Step Viewed", {}, TOUR),
        ("Flow Step Viewed", {"step": None}, TOUR),
        ("Flow Step Viewed", {"step": 1}, TOUR),
        ("Flow Step Viewed", {"step": ["step-1"]}, TOUR),
        ("Flow Step Viewed", {"step": {"id": "step-1"}}, TOUR),
        ("Flow Step Viewed", {"step": "step-1"}, {}),
        ("Flow Step Viewed", {"step": "step-1"}, {"steps": ["step-1", None]}),
        ("Flow Dismissed", {"step": "step-9"}, TOUR),
        ("Flow Dismissed", {"step": ["step-1"]}, TOUR),
    ],
    ids=[
        "step-not-in-definition",
        "missing-step",
        "null-step",
        "step-as-number",
        "step-as-list",
        "step-as-object",
        "definition-without-steps",
        "malformed-step-entries-have-no-id",
        "dismissed-on-an-unknown-step",
        "dismissed-on-a-list-of-steps",
    ],
)
def test_step_not_in_the_definition_is_refused(
    event: str, extra: Mapping[str, Any], definition: Mapping[str, Any]
) -> None:
    props = {"flow_id": str(FLOW_ID), "version": 1} | dict(extra)
    assert check_reserved(event, props, flow({1: definition})) == {
        "properties.step": ["must be the id of a step of this flow"]
    }


def test_failed_step_with_a_reason_is_accepted() -> None:
    props = {"flow_id": str(FLOW_ID), "version": 1, "step": "welcome"}
    props["reason"] = "target_not_found"
    assert check_reserved("Flow Step Failed", props, flow({1: TOUR})) == {}


def test_failed_step_must_name_a_step_of_the_flow() -> None:
    props = {"flow_id": str(FLOW_ID), "version": 1, "step": "step-9", "reason": "timeout"}
    assert check_reserved("Flow Step Failed", props, flow({1: TOUR})) == {
        "properties.step": ["must be the id of a step of this flow"]
    }


@pytest.mark.parametrize(
    "reason",
    [None, "", 42, ["target_not_found"], "x" * 201],
    ids=["missing", "empty", "number", "list", "longer-than-200"],
)
def test_failed_step_without_a_usable_reason_is_refused(reason: Any) -> None:
    props = {"flow_id": str(FLOW_ID), "version": 1, "step": "welcome", "reason": reason}
    assert check_reserved("Flow Step Failed", props, flow({1: TOUR})) == {
        "properties.reason": ["must be a string of 1 to 200 characters"]
    }


@pytest.mark.parametrize("item", ["item-1", "invite"], ids=["event-item", "manual-item"])
def test_item_of_the_checklist_is_accepted(item: str) -> None:
    props = {"flow_id": str(FLOW_ID), "version": 1, "item": item}
    experience = flow({1: CHECKLIST}, type_="checklist")
    assert check_reserved("Checklist Item Completed", props, experience) == {}


@pytest.mark.parametrize(
    ("extra", "definition"),
    [
        ({"item": "item-9"}, CHECKLIST),
        ({}, CHECKLIST),
        ({"item": None}, CHECKLIST),
        ({"item": 1}, CHECKLIST),
        ({"item": ["item-1"]}, CHECKLIST),
        ({"item": "step-1"}, TOUR),
    ],
    ids=[
        "item-not-in-definition",
        "missing-item",
        "null-item",
        "item-as-number",
        "item-as-list",
        "step-id-is-not-an-item",
    ],
)
def test_item_not_in_the_definition_is_refused(
    extra: Mapping[str, Any], definition: Mapping[str, Any]
) -> None:
    props = {"flow_id": str(FLOW_ID), "version": 1} | dict(extra)
    assert check_reserved("Checklist Item Completed", props, flow({1: definition})) == {
        "properties.item": ["must be the id of an item of this checklist"]
    }


# Survey events -------------------------------------------------------------------------------


@pytest.mark.parametrize("event", ["Survey Shown", "Survey Dismissed"])
def test_survey_shown_and_dismissed_need_only_id_and_version(event: str) -> None:
    assert check_reserved(event, {"survey_id": str(SURVEY_ID), "version": 1}, survey()) == {}


def test_survey_shown_with_no_properties_is_refused_on_survey_id() -> None:
    assert check_reserved("Survey Shown", None, None) == {
        "properties.survey_id": ["must be the id of a survey of this project"]
    }


def test_no_properties_on_a_known_survey_check_the_current_version() -> None:
    assert check_reserved("Survey Shown", None, survey()) == {}
