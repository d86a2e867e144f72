"""Reserved track events: how the SDKs report what a person did with a flow or a survey.

Their properties are checked against the experience they name before anything is stored:
an answer to an unknown survey, or a score outside the survey's scale, is rejected by name
in the batch response rather than polluting the scores.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FLOW_EVENTS = frozenset(
    {
        "Flow Started",
        "Flow Step Viewed",
        "Flow Step Failed",
        "Flow Completed",
        "Flow Dismissed",
        "Checklist Item Completed",
    }
)
SURVEY_EVENTS = frozenset({"Survey Shown", "Survey Responded", "Survey Dismissed"})
RESERVED_EVENTS = FLOW_EVENTS | SURVEY_EVENTS
MAX_TEXT_LENGTH = 5000
MAX_CHOICES = 50
MAX_REASON_LENGTH = 200

FieldErrors = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class ExperienceRef:
    """What checking a reserved event needs to know of the experience it names."""

    id: uuid.UUID
    kind: str
    type: str
    status: str
    version: int
    definitions: Mapping[int, Mapping[str, Any]]
    """Definition of each version the batch refers to (the current one at least)."""


def reference_key(event: str) -> str:
    return "flow_id" if event in FLOW_EVENTS else "survey_id"


def referenced_id(event: str, properties: Mapping[str, Any] | None) -> uuid.UUID | None:
    """The experience id a reserved event names, when it is a well-formed UUID."""
    value = (properties or {}).get(reference_key(event))
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def scale_of(survey_type: str, definition: Mapping[str, Any]) -> tuple[int, int]:
    """The inclusive score range of a survey version."""
    if survey_type == "nps":
        return 0, 10
    scale = definition.get("scale") or {}
    if scale.get("binary"):
        return 0, 1
    default_max = 5 if survey_type == "csat" else 7
    return int(scale.get("min", 1)), int(scale.get("max", default_max))


def score_error(value: Any, scale: tuple[int, int]) -> str | None:
    """Why ``value`` is not a score on ``scale``: it must be a whole JSON number in range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a number"
    if isinstance(value, float) and not value.is_integer():
        return "must be a whole number"
    low, high = scale
    if not low <= value <= high:
        return f"must be between {low} and {high}"
    return None


def check_reserved(
    event: str, properties: Mapping[str, Any] | None, experience: ExperienceRef | None
) -> FieldErrors:
    """Field errors of a reserved event (empty when it may be stored)."""
    key = reference_key(event)
    expected_kind = "flow" if event in FLOW_EVENTS else "survey"
    if experience is None or experience.kind != expected_kind:
        return {f"properties.{key}": [f"must be the id of a {expected_kind} of this project"]}
    props = properties or {}
    version = props.get("version", experience.version)
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or (version not in experience.definitions)
    ):
        return {"properties.version": [f"must be a version of this {expected_kind}"]}
    definition = experience.definitions[version]
    checker = _CHECKERS.get(event)
    return checker(props, experience, definition) if checker else {}


def version_of(properties: Mapping[str, Any] | None, experience: ExperienceRef) -> int:
    version = (properties or {}).get("version", experience.version)
    return version if isinstance(version, int) else experience.version


def _ids(entries: Any) -> set[Any]:
    return {entry.get("id") for entry in entries or () if isinstance(entry, Mapping)}


def _check_step(
    props: Mapping[str, Any], _: ExperienceRef, definition: Mapping[str, Any]
) -> FieldErrors:
    step = props.get("step")
    if not isinstance(step, str) or step not in _ids(definition.get("steps")):
        return {"properties.step": ["must be the id of a step of this flow"]}
    return {}


def _check_failed(
    props: Mapping[str, Any], experience: ExperienceRef, definition: Mapping[str, Any]
) -> FieldErrors:
    """A step the widget could not show: which one, and why (``target_not_found``, ...)."""
    errors = _check_step(props, experience, definition)
    reason = props.get("reason")
    if not isinstance(reason, str) or not 0 < len(reason) <= MAX_REASON_LENGTH:
        errors["properties.reason"] = [f"must be a string of 1 to {MAX_REASON_LENGTH} characters"]
    return errors


def _check_dismissed(
    props: Mapping[str, Any], experience: ExperienceRef, definition: Mapping[str, Any]
) -> FieldErrors:
    return _check_step(props, experience, definition) if props.get("step") is not None else {}


def _check_item(
    props: Mapping[str, Any], _: ExperienceRef, definition: Mapping[str, Any]
) -> FieldErrors:
    item = props.get("item")
    if not isinstance(item, str) or item not in _ids(definition.get("items")):
        return {"properties.item": ["must be the id of an item of this checklist"]}
    return {}


def _check_response(
    props: Mapping[str, Any], experience: ExperienceRef, definition: Mapping[str, Any]
) -> FieldErrors:
    errors: FieldErrors = {}
    problem = score_error(props.get("score"), scale_of(experience.type, definition))
    if problem:
        errors["properties.score"] = [problem]
    dimension = props.get("dimension")
    if dimension is not None and dimension not in (definition.get("dimensions") or ()):
        errors["properties.dimension"] = ["must be one of the survey's dimensions"]
    for name, check in (("text", _text_error), ("locale", _locale_error)):
        if props.get(name) is not None and (problem := check(props[name])):
            errors[f"properties.{name}"] = [problem]
    if props.get("choices") is not None and (problem := _choices_error(props["choices"])):
        errors["properties.choices"] = [problem]
    if props.get("answers") is not None:
        errors.update(_answers_errors(props["answers"], definition))
    return errors


def _text_error(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > MAX_TEXT_LENGTH:
        return f"must be at most {MAX_TEXT_LENGTH} characters"
    return None


def _locale_error(value: Any) -> str | None:
    if not isinstance(value, str) or not 0 < len(value) <= 35:
        return "must be a locale tag such as en or he-IL"
    return None


def _choices_error(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(choice, str) for choice in value):
        return "must be a list of choice ids"
    if len(value) > MAX_CHOICES:
        return f"must have at most {MAX_CHOICES} choices"
    return None


def _answers_errors(answers: Any, definition: Mapping[str, Any]) -> FieldErrors:
    if not isinstance(answers, Mapping):
        return {"properties.answers": ["must be an object of question id to answer"]}
    questions = {
        question.get("id"): question
        for question in definition.get("questions") or ()
        if isinstance(question, Mapping)
    }
    errors: FieldErrors = {}
    for question_id, answer in answers.items():
        field = f"properties.answers.{question_id}"
        question = questions.get(question_id)
        if question is None:
            errors[field] = ["is not a question of this survey"]
        elif problem := _answer_error(question, answer):
            errors[field] = [problem]
    return errors


def _answer_error(question: Mapping[str, Any], answer: Any) -> str | None:
    if question.get("type") == "text":
        return _text_error(answer)
    allowed = _ids(question.get("choices"))
    picked = answer if isinstance(answer, list) else [answer]
    if not picked or not all(isinstance(choice, str) and choice in allowed for choice in picked):
        return "must name choices of this question"
    if question.get("type") == "single_choice" and len(picked) != 1:
        return "must name exactly one choice"
    return None


_CHECKERS = {
    "Flow Step Viewed": _check_step,
    "Flow Step Failed": _check_failed,
    "Flow Dismissed": _check_dismissed,
    "Checklist Item Completed": _check_item,
    "Survey Responded": _check_response,
}
