"""Surveys: NPS, CSAT and CES, each a score on its scale and optional extra questions
that may branch forward, as ``docs/experiences.md`` defines them."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from collector.experiences.schemas.common import (
    DEFAULT_MAX_DISMISSALS,
    DismissThrottle,
    ExperienceSchema,
    LocalizedText,
    StrictSchema,
    add_error,
    count,
    duplicate_ids,
    identifier,
)
from collector.kit.fields import StrictBoolean

MAX_QUESTIONS = 20
MAX_CHOICES = 20
MAX_REASK_DAYS = 3650
DEFAULT_REASK_DAYS = 90
QUESTION_TYPES = ("text", "single_choice", "multiple_choice")
POSITIONS = ("corner", "center")
"""Where the card shows: a popover in the corner that leaves the page usable, or a modal."""
DIMENSIONS = ("product", "service")
END = "end"
"""The branch target that ends the survey."""
DEFAULT_BRANCH = "default"
"""The branch key taken when no choice-specific one applies."""

NPS_QUESTION = "How likely are you to recommend us to a friend or colleague?"
CSAT_QUESTION = "How satisfied are you with your experience?"
CES_QUESTION = "How much effort did it take to get what you needed?"


class ScaleSchema(StrictSchema):
    """``{"min": 1, "max": 5}``, or ``{"binary": true}`` stored as 0 to 1."""

    min = fields.Integer(strict=True)
    max = fields.Integer(strict=True)
    binary = StrictBoolean(metadata={"description": "0 unsatisfied, 1 satisfied"})

    @validates_schema
    def _scale_has_two_points_or_more(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("binary"):
            if (data.get("min", 0), data.get("max", 1)) != (0, 1):
                raise ValidationError({"binary": ["a binary scale goes from 0 to 1"]})
            return
        missing = [name for name in ("min", "max") if name not in data]
        if missing:
            raise ValidationError({name: ["Missing data for required field."] for name in missing})
        if data["max"] <= data["min"]:
            raise ValidationError({"max": ["must be greater than min"]})

    @post_load
    def _normalised(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """One stored shape: ``min`` and ``max`` always, ``binary`` only when true."""
        if data.get("binary"):
            return {"min": 0, "max": 1, "binary": True}
        return {"min": data["min"], "max": data["max"]}


class ChoiceSchema(StrictSchema):
    id = identifier(required=True, reserved=(DEFAULT_BRANCH,))
    label = LocalizedText(required=True)


class QuestionSchema(StrictSchema):
    id = identifier(required=True, reserved=(END,))
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    text = LocalizedText(required=True)
    choices = fields.List(fields.Nested(ChoiceSchema), validate=count(0, MAX_CHOICES, "choices"))
    next = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": 'choice id or "default" → a later question id or "end"'},
    )

    @validates_schema
    def _choices_fit_the_type(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["type"] == "text":
            if "choices" in data:
                raise ValidationError({"choices": ["a text question has no choices"]})
        elif not data.get("choices"):
            raise ValidationError({"choices": ["a choice question needs at least one choice"]})
        else:
            errors = duplicate_ids(data["choices"], "choices")
            if errors:
                raise ValidationError(errors)

    @validates_schema
    def _branches_name_choices(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Only a single choice picks one branch; other questions have one way on."""
        keys = {DEFAULT_BRANCH}
        if data["type"] == "single_choice":
            keys |= {choice["id"] for choice in data.get("choices", [])}
        unknown = [key for key in data.get("next", {}) if key not in keys]
        if unknown:
            allowed = "'default' or a choice id of this single_choice question"
            raise ValidationError({"next": [f"{key}: must be {allowed}" for key in unknown]})


def branch_errors(questions: list[dict[str, Any]]) -> dict[Any, Any]:
    """Branches to a question that does not exist, or back to an earlier one (a loop)."""
    position = {question["id"]: index for index, question in enumerate(questions)}
    errors: dict[Any, Any] = {}
    for index, question in enumerate(questions):
        for key, target in question.get("next", {}).items():
            if target == END:
                continue
            if target not in position:
                add_error(errors, ("questions", index, "next"), f"{key}: no question {target!r}")
            elif position[target] <= index:
                message = f"{key}: {target!r} is not after this question; branches go forward"
                add_error(errors, ("questions", index, "next"), message)
    return errors


class SurveyThrottle(DismissThrottle):
    reask_days = fields.Integer(
        strict=True,
        load_default=DEFAULT_REASK_DAYS,
        validate=validate.Range(min=0, max=MAX_REASK_DAYS),
        metadata={"description": "days before someone who saw it may be asked again"},
    )


def _default_survey_throttle() -> dict[str, Any]:
    return {"reask_days": DEFAULT_REASK_DAYS, "max_dismissals": DEFAULT_MAX_DISMISSALS}


class FollowUpSchema(StrictSchema):
    default = LocalizedText(metadata={"description": "asked after any score"})


class NpsFollowUpSchema(FollowUpSchema):
    detractor = LocalizedText(metadata={"description": "asked after 0 to 6"})
    passive = LocalizedText(metadata={"description": "asked after 7 or 8"})
    promoter = LocalizedText(metadata={"description": "asked after 9 or 10"})


class SurveySchema(ExperienceSchema):
    KIND = "survey"
    SCALES: ClassVar[tuple[dict[str, Any], ...]]
    """The scales this type allows, in their stored shape; the first is the default."""
    SCALE_ERROR: ClassVar[str]

    position = fields.String(
        load_default=POSITIONS[0],
        validate=validate.OneOf(POSITIONS),
        metadata={"description": "corner popover, or center modal over a dimmed page"},
    )
    follow_up = fields.Nested(FollowUpSchema, load_default=dict)
    questions = fields.List(
        fields.Nested(QuestionSchema),
        load_default=list,
        validate=count(0, MAX_QUESTIONS, "questions"),
    )
    throttle = fields.Nested(SurveyThrottle, load_default=_default_survey_throttle)

    @validates_schema
    def _scale_is_one_of_the_type(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["scale"] not in self.SCALES:
            raise ValidationError({"scale": [self.SCALE_ERROR]})

    @validates_schema
    def _question_ids_are_unique(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors = duplicate_ids(data["questions"], "questions")
        if errors:
            raise ValidationError(errors)

    @validates_schema
    def _branches_go_forward(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors = branch_errors(data["questions"])
        if errors:
            raise ValidationError(errors)


class NpsSchema(SurveySchema):
    SCALES = ({"min": 0, "max": 10},)
    SCALE_ERROR = 'an NPS scale is always {"min": 0, "max": 10}'

    question = LocalizedText(load_default=NPS_QUESTION)
    scale = fields.Nested(ScaleSchema, load_default=lambda: dict(NpsSchema.SCALES[0]))
    follow_up = fields.Nested(NpsFollowUpSchema, load_default=dict)


class CsatSchema(SurveySchema):
    SCALES = ({"min": 1, "max": 5}, {"min": 0, "max": 1, "binary": True})
    SCALE_ERROR = 'must be {"min": 1, "max": 5} or {"binary": true}'

    question = LocalizedText(load_default=CSAT_QUESTION)
    scale = fields.Nested(ScaleSchema, load_default=lambda: dict(CsatSchema.SCALES[0]))
    dimensions = fields.List(
        fields.String(validate=validate.OneOf(DIMENSIONS)),
        load_default=list,
        validate=count(0, len(DIMENSIONS), "dimensions"),
        metadata={"description": "each answered on the scale and sent with its dimension"},
    )

    @validates_schema
    def _dimensions_are_distinct(self, data: dict[str, Any], **kwargs: Any) -> None:
        if len(set(data["dimensions"])) != len(data["dimensions"]):
            raise ValidationError({"dimensions": ["must not repeat a dimension"]})


class CesSchema(SurveySchema):
    SCALES = ({"min": 1, "max": 7}, {"min": 1, "max": 10})
    SCALE_ERROR = 'must be {"min": 1, "max": 7} or {"min": 1, "max": 10}'

    question = LocalizedText(load_default=CES_QUESTION)
    scale = fields.Nested(ScaleSchema, load_default=lambda: dict(CesSchema.SCALES[0]))


SURVEY_SCHEMAS: dict[str, type[ExperienceSchema]] = {
    "nps": NpsSchema,
    "csat": CsatSchema,
    "ces": CesSchema,
}
