"""A ``Survey Responded`` is checked against its survey: score on the survey's scale,
dimension, text, locale, choices and answers to its questions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from collector.progress.reserved import (
    MAX_CHOICES,
    MAX_TEXT_LENGTH,
    check_reserved,
    scale_of,
    score_error,
)
from tests.collector.progress.definitions import (
    CSAT_WITH_DIMENSIONS,
    NPS,
    SURVEY_ID,
    answer,
    survey,
)

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
