"""Reserved track events are checked against the experience they name before being stored."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import pytest

from collector.progress.reserved import (
    FLOW_EVENTS,
    MAX_CHOICES,
    MAX_TEXT_LENGTH,
    RESERVED_EVENTS,
    SURVEY_EVENTS,
    ExperienceRef,
    check_reserved,
    reference_key,
    referenced_id,
    scale_of,
    score_error,
    version_of,
)

FLOW_ID = uuid.UUID("6f1c2a52-8d0e-4b7e-9a55-0c1e7d3f9b11")
SURVEY_ID = uuid.UUID("0b0f4a9e-2b3c-4d5e-8f60-718293a4b5c6")

TOUR: Mapping[str, Any] = {
    "steps": [{"id": "step-1", "title": "Hi"}, {"id": "welcome", "title": "Welcome"}],
}
CHECKLIST: Mapping[str, Any] = {
    "items": [
        {"id": "item-1", "completed_by": {"event": "Report Created"}},
        {"id": "invite", "completed_by": None},
    ],
}
NPS: Mapping[str, Any] = {
    "questions": [
        {"id": "why", "type": "text", "text": "Why?"},
        {
            "id": "role",
            "type": "single_choice",
            "text": "Your role?",
            "choices": [{"id": "dev", "label": "Developer"}, {"id": "pm", "label": "PM"}],
        },
        {
            "id": "uses",
            "type": "multiple_choice",
            "text": "What do you use?",
            "choices": [{"id": "tours", "label": "Tours"}, {"id": "surveys", "label": "Surveys"}],
        },
    ],
}
CSAT_WITH_DIMENSIONS: Mapping[str, Any] = {"dimensions": ["product", "service"]}


def flow(definitions: Mapping[int, Mapping[str, Any]], *, type_: str = "tour") -> ExperienceRef:
    version = max(definitions)
    return ExperienceRef(FLOW_ID, "flow", type_, "live", version, definitions)


def survey(
    type_: str = "nps", definition: Mapping[str, Any] | None = None, *, version: int = 1
) -> ExperienceRef:
    return ExperienceRef(SURVEY_ID, "survey", type_, "live", version, {version: definition or {}})


def answer(**props: Any) -> dict[str, Any]:
    """Properties of a valid NPS ``Survey Responded``, with ``props`` on top."""
    return {"survey_id": str(SURVEY_ID), "version": 1, "score": 8} | props


# Event names and reference keys ---------------------------------------------------------------


def test_reserved_events_are_the_flow_events_and_the_survey_events() -> None:
    assert RESERVED_EVENTS == FLOW_EVENTS | SURVEY_EVENTS
    assert not FLOW_EVENTS & SURVEY_EVENTS
    assert len(RESERVED_EVENTS) == 8


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


# Scales --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("survey_type", "definition", "expected"),
    [
        ("nps", {}, (0, 10)),
        ("nps", {"scale": {"min": 1, "max": 5}}, (0, 10)),
        ("csat", {}, (1, 5)),
        ("csat", {"scale": None}, (1, 5)),
        ("csat", {"scale": {"min": 1, "max": 5}}, (1, 5)),
        ("csat", {"scale": {"binary": True}}, (0, 1)),
        ("csat", {"scale": {"binary": False}}, (1, 5)),
        ("ces", {}, (1, 7)),
        ("ces", {"scale": {"min": 1, "max": 7}}, (1, 7)),
        ("ces", {"scale": {"min": 1, "max": 10}}, (1, 10)),
        ("ces", {"scale": {"max": 10}}, (1, 10)),
    ],
    ids=[
        "nps-is-zero-to-ten",
        "nps-scale-is-fixed",
        "csat-defaults-to-one-to-five",
        "csat-null-scale-is-the-default",
        "csat-one-to-five",
        "csat-binary-is-zero-or-one",
        "csat-binary-false-is-the-default",
        "ces-defaults-to-one-to-seven",
        "ces-one-to-seven",
        "ces-one-to-ten",
        "ces-min-defaults-to-one",
    ],
)
def test_scale_of(
    survey_type: str, definition: Mapping[str, Any], expected: tuple[int, int]
) -> None:
    assert scale_of(survey_type, definition) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9", "must be a number"),
        (9.5, "must be a whole number"),
        (True, "must be a number"),
        (False, "must be a number"),
        (None, "must be a number"),
        ([9], "must be a number"),
        ({"score": 9}, "must be a number"),
        (11, "must be between 0 and 10"),
        (-1, "must be between 0 and 10"),
        (10.000001, "must be a whole number"),
        (float("nan"), "must be a whole number"),
        (float("inf"), "must be a whole number"),
        (1e300, "must be between 0 and 10"),
    ],
    ids=[
        "numeric-string-is-refused",
        "fraction-is-refused",
        "true-is-not-one",
        "false-is-not-zero",
        "null-is-refused",
        "list-is-refused",
        "object-is-refused",
        "above-the-scale-is-refused",
        "below-the-scale-is-refused",
        "almost-whole-is-refused",
        "nan-is-refused",
        "infinity-is-refused",
        "huge-whole-float-is-out-of-range",
    ],
)
def test_nps_score_error(value: Any, expected: str) -> None:
    assert score_error(value, (0, 10)) == expected


@pytest.mark.parametrize(
    "value",
    [0, 7, 10, 7.0, 0.0, 10.0, -0.0],
    ids=["lowest", "middle", "highest", "whole-float", "zero-float", "ten-float", "negative-zero"],
)
def test_nps_score_accepted(value: float) -> None:
    assert score_error(value, (0, 10)) is None


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("9", ["must be a number"]),
        (9.5, ["must be a whole number"]),
        (True, ["must be a number"]),
        (None, ["must be a number"]),
        (11, ["must be between 0 and 10"]),
        (-1, ["must be between 0 and 10"]),
    ],
    ids=[
        "string-nine-is-refused",
        "nine-and-a-half-is-refused",
        "true-is-refused",
        "null-is-refused",
        "eleven-is-refused",
        "minus-one-is-refused",
    ],
)
def test_nps_answer_with_bad_score_is_refused_on_score(score: Any, expected: list[str]) -> None:
    assert check_reserved("Survey Responded", answer(score=score), survey()) == {
        "properties.score": expected
    }


def test_nps_answer_without_score_is_refused_on_score() -> None:
    props = {"survey_id": str(SURVEY_ID), "version": 1}
    assert check_reserved("Survey Responded", props, survey()) == {
        "properties.score": ["must be a number"]
    }


@pytest.mark.parametrize(
    "score", [0, 7, 7.0, 10], ids=["zero", "seven", "seven-point-zero-is-seven", "ten"]
)
def test_nps_answer_with_whole_score_in_range_is_accepted(score: float) -> None:
    assert check_reserved("Survey Responded", answer(score=score), survey()) == {}


@pytest.mark.parametrize(
    ("survey_type", "definition", "score", "accepted"),
    [
        ("csat", {}, 1, True),
        ("csat", {}, 5, True),
        ("csat", {}, 0, False),
        ("csat", {}, 6, False),
        ("csat", {"scale": {"binary": True}}, 0, True),
        ("csat", {"scale": {"binary": True}}, 1, True),
        ("csat", {"scale": {"binary": True}}, 2, False),
        ("csat", {"scale": {"binary": True}}, True, False),
        ("ces", {}, 1, True),
        ("ces", {}, 7, True),
        ("ces", {}, 0, False),
        ("ces", {}, 8, False),
        ("ces", {"scale": {"min": 1, "max": 10}}, 10, True),
        ("ces", {"scale": {"min": 1, "max": 10}}, 11, False),
        ("ces", {"scale": {"min": 1, "max": 10}}, 0, False),
    ],
    ids=[
        "csat-one",
        "csat-five",
        "csat-zero-is-below",
        "csat-six-is-above",
        "csat-binary-zero-unsatisfied",
        "csat-binary-one-satisfied",
        "csat-binary-two-is-above",
        "csat-binary-true-is-not-one",
        "ces-one",
        "ces-seven",
        "ces-zero-is-below",
        "ces-eight-is-above-seven",
        "ces-ten-on-ten-point-scale",
        "ces-eleven-is-above-ten",
        "ces-zero-is-below-ten-point-scale",
    ],
)
def test_score_follows_the_survey_scale(
    survey_type: str, definition: Mapping[str, Any], score: Any, accepted: bool
) -> None:
    errors = check_reserved(
        "Survey Responded", answer(score=score), survey(survey_type, definition)
    )
    assert ("properties.score" not in errors) is accepted


# Dimensions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("definition", "dimension", "accepted"),
    [
        (CSAT_WITH_DIMENSIONS, "product", True),
        (CSAT_WITH_DIMENSIONS, "service", True),
        (CSAT_WITH_DIMENSIONS, None, True),
        ({"dimensions": ["product"]}, "service", False),
        (CSAT_WITH_DIMENSIONS, "support", False),
        (CSAT_WITH_DIMENSIONS, "Product", False),
        ({}, "product", False),
        ({"dimensions": None}, "product", False),
        (CSAT_WITH_DIMENSIONS, ["product"], False),
    ],
    ids=[
        "product-dimension",
        "service-dimension",
        "no-dimension",
        "dimension-not-among-the-surveys",
        "unknown-dimension",
        "dimension-is-case-sensitive",
        "survey-without-dimensions",
        "survey-with-null-dimensions",
        "dimension-as-list",
    ],
)
def test_dimension_must_be_among_the_surveys(
    definition: Mapping[str, Any], dimension: Any, accepted: bool
) -> None:
    errors = check_reserved(
        "Survey Responded", answer(score=4, dimension=dimension), survey("csat", definition)
    )
    expected = (
        {} if accepted else {"properties.dimension": ["must be one of the survey's dimensions"]}
    )
    assert errors == expected


# Text, locale, choices -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("text", "x" * MAX_TEXT_LENGTH, None),
        ("text", "", None),
        ("text", "מעולה 👍", None),
        ("text", None, None),
        ("text", "x" * (MAX_TEXT_LENGTH + 1), "must be at most 5000 characters"),
        ("text", 42, "must be a string"),
        ("text", ["great"], "must be a string"),
        ("locale", "en", None),
        ("locale", "he-IL", None),
        ("locale", "x" * 35, None),
        ("locale", None, None),
        ("locale", "", "must be a locale tag such as en or he-IL"),
        ("locale", "x" * 36, "must be a locale tag such as en or he-IL"),
        ("locale", 1, "must be a locale tag such as en or he-IL"),
        ("choices", [], None),
        ("choices", ["a", "b"], None),
        ("choices", ["c"] * MAX_CHOICES, None),
        ("choices", None, None),
        ("choices", ["c"] * (MAX_CHOICES + 1), "must have at most 50 choices"),
        ("choices", "a", "must be a list of choice ids"),
        ("choices", ["a", 1], "must be a list of choice ids"),
        ("choices", {"a": True}, "must be a list of choice ids"),
    ],
    ids=[
        "text-of-5000-characters",
        "empty-text",
        "unicode-text",
        "null-text-is-no-text",
        "text-over-5000-characters",
        "text-as-number",
        "text-as-list",
        "two-letter-locale",
        "regional-locale",
        "locale-of-35-characters",
        "null-locale-is-no-locale",
        "empty-locale",
        "locale-over-35-characters",
        "locale-as-number",
        "no-choices",
        "two-choices",
        "fifty-choices",
        "null-choices-is-no-choices",
        "over-fifty-choices",
        "choices-as-string",
        "choices-with-a-number",
        "choices-as-object",
    ],
)
def test_optional_answer_property(name: str, value: Any, expected: str | None) -> None:
    errors = check_reserved("Survey Responded", answer(**{name: value}), survey())
    assert errors == ({} if expected is None else {f"properties.{name}": [expected]})


# Answers to extra questions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"why": "Saves me time"},
        {"role": "dev"},
        {"role": ["pm"]},
        {"uses": ["tours", "surveys"]},
        {"uses": "tours"},
        {"why": "", "role": "pm", "uses": ["surveys"]},
    ],
    ids=[
        "no-answers",
        "text-answer",
        "single-choice-as-id",
        "single-choice-as-one-id-list",
        "multiple-choice-with-two",
        "multiple-choice-as-one-id",
        "every-question-answered",
    ],
)
def test_answers_to_the_surveys_questions_are_accepted(answers: Mapping[str, Any]) -> None:
    assert check_reserved("Survey Responded", answer(answers=answers), survey("nps", NPS)) == {}


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"how": "fine"}, "properties.answers.how", "is not a question of this survey"),
        ({"why": 7}, "properties.answers.why", "must be a string"),
        (
            {"why": "x" * (MAX_TEXT_LENGTH + 1)},
            "properties.answers.why",
            "must be at most 5000 characters",
        ),
        ({"role": "ceo"}, "properties.answers.role", "must name choices of this question"),
        ({"role": ["dev", "pm"]}, "properties.answers.role", "must name exactly one choice"),
        ({"role": []}, "properties.answers.role", "must name choices of this question"),
        ({"role": None}, "properties.answers.role", "must name choices of this question"),
        ({"role": 1}, "properties.answers.role", "must name choices of this question"),
        ({"role": "Developer"}, "properties.answers.role", "must name choices of this question"),
        (
            {"uses": ["tours", "polls"]},
            "properties.answers.uses",
            "must name choices of this question",
        ),
        ({"uses": [["tours"]]}, "properties.answers.uses", "must name choices of this question"),
        (
            {"uses": {"tours": True}},
            "properties.answers.uses",
            "must name choices of this question",
        ),
    ],
    ids=[
        "unknown-question",
        "text-answer-as-number",
        "text-answer-over-5000-characters",
        "wrong-choice-id",
        "single-choice-with-two-choices",
        "no-choice",
        "null-choice",
        "choice-as-number",
        "choice-label-is-not-its-id",
        "one-wrong-choice-among-good-ones",
        "nested-choice-list",
        "choices-as-object",
    ],
)
def test_bad_answer_is_refused_on_its_question(
    answers: Mapping[str, Any], field: str, message: str
) -> None:
    assert check_reserved("Survey Responded", answer(answers=answers), survey("nps", NPS)) == {
        field: [message]
    }


def test_every_bad_answer_is_reported() -> None:
    answers = {"why": 1, "role": "ceo", "extra": "?"}
    assert check_reserved("Survey Responded", answer(answers=answers), survey("nps", NPS)) == {
        "properties.answers.why": ["must be a string"],
        "properties.answers.role": ["must name choices of this question"],
        "properties.answers.extra": ["is not a question of this survey"],
    }


@pytest.mark.parametrize(
    ("definition", "answers"),
    [
        ({}, {"why": "x"}),
        ({"questions": None}, {"why": "x"}),
        ({"questions": ["why", None]}, {"why": "x"}),
    ],
    ids=["survey-without-questions", "survey-with-null-questions", "malformed-question-entries"],
)
def test_answer_on_a_survey_without_that_question_is_refused(
    definition: Mapping[str, Any], answers: Mapping[str, Any]
) -> None:
    assert check_reserved(
        "Survey Responded", answer(answers=answers), survey("nps", definition)
    ) == {"properties.answers.why": ["is not a question of this survey"]}


def test_choice_question_without_choices_accepts_no_answer() -> None:
    definition = {"questions": [{"id": "role", "type": "single_choice"}]}
    errors = check_reserved(
        "Survey Responded", answer(answers={"role": "dev"}), survey("nps", definition)
    )
    assert errors == {"properties.answers.role": ["must name choices of this question"]}


@pytest.mark.parametrize(
    "answers",
    [["why", "x"], "why", 1],
    ids=["answers-as-list", "answers-as-string", "answers-as-number"],
)
def test_answers_that_are_not_an_object_are_refused(answers: Any) -> None:
    assert check_reserved("Survey Responded", answer(answers=answers), survey("nps", NPS)) == {
        "properties.answers": ["must be an object of question id to answer"]
    }


def test_null_answers_are_no_answers() -> None:
    assert check_reserved("Survey Responded", answer(answers=None), survey("nps", NPS)) == {}


def test_every_bad_property_of_an_answer_is_reported_at_once() -> None:
    props = answer(
        score=11,
        dimension="support",
        text=5,
        locale="",
        choices="a",
        answers={"how": "?"},
    )
    assert check_reserved("Survey Responded", props, survey("csat", CSAT_WITH_DIMENSIONS)) == {
        "properties.score": ["must be between 1 and 5"],
        "properties.dimension": ["must be one of the survey's dimensions"],
        "properties.text": ["must be a string"],
        "properties.locale": ["must be a locale tag such as en or he-IL"],
        "properties.choices": ["must be a list of choice ids"],
        "properties.answers.how": ["is not a question of this survey"],
    }
