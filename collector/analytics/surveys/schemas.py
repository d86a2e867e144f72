"""Query parameters of survey scores and open-text answers, and the shape of their answers."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from collector.analytics.surveys.queries import Segment
from collector.kit.http.params import PageQuerySchema, ZonedTimeRangeSchema
from collector.kit.periods import INTERVALS

TRAIT_NAME = r"[A-Za-z0-9_][A-Za-z0-9_ .\-]{0,99}"
SEGMENT_PATTERN = rf"^((person|account)\.)?{TRAIT_NAME}$"


class SegmentField(fields.String):
    """``plan`` or ``person.plan`` (a person trait), ``account.industry`` (an account trait)."""

    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> Segment:
        text = super()._deserialize(value, attr, data, **kwargs)
        validate.Regexp(
            SEGMENT_PATTERN, error="must be a trait name, or person.<trait> or account.<trait>"
        )(text)
        source, _, trait = text.partition(".")
        if source not in ("person", "account"):
            return Segment("person", text)
        if not trait:
            raise ValidationError(f"must name a trait after {source}.")
        return Segment("account" if source == "account" else "person", trait)


class AnalysisRangeSchema(ZonedTimeRangeSchema):
    """``from`` (inclusive), ``to`` (exclusive) and ``tz``; ``from`` must come before ``to``."""

    @validates_schema
    def _ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("from_"), data.get("to")
        if start is not None and end is not None and start >= end:
            raise ValidationError("must be after from", field_name="to")


class ScoresQuerySchema(AnalysisRangeSchema):
    interval = fields.String(validate=validate.OneOf(INTERVALS))
    segment_by = SegmentField(metadata={"description": "plan, person.plan or account.industry"})
    include_ineligible = fields.Boolean(load_default=False)
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class TextsQuerySchema(PageQuerySchema, AnalysisRangeSchema):
    include_ineligible = fields.Boolean(load_default=False)
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class SurveyScaleSchema(Schema):
    min = fields.Integer(required=True)
    max = fields.Integer(required=True)
    binary = fields.Boolean(required=True, metadata={"description": "a 0-1 (no/yes) scale"})


class NpsSharesSchema(Schema):
    promoters = fields.Float(required=True)
    passives = fields.Float(required=True)
    detractors = fields.Float(required=True)


class NpsScoreSchema(Schema):
    score = fields.Float(required=True, metadata={"description": "-100 to 100"})
    ci95 = fields.List(
        fields.Float(), required=True, metadata={"description": "low and high, 95% interval"}
    )
    promoters = fields.Integer(required=True)
    passives = fields.Integer(required=True)
    detractors = fields.Integer(required=True)
    shares = fields.Nested(NpsSharesSchema, required=True)


class CsatScoreSchema(Schema):
    mean = fields.Float(allow_none=True, required=True)
    stdev = fields.Float(allow_none=True, required=True, metadata={"description": "null under 2"})
    satisfied_share = fields.Float(required=True)
    scale = fields.Nested(SurveyScaleSchema, required=True)


class CesScoreSchema(Schema):
    mean = fields.Float(allow_none=True, required=True)
    stdev = fields.Float(allow_none=True, required=True, metadata={"description": "null under 2"})
    high_effort_share = fields.Float(required=True)
    scale = fields.Nested(SurveyScaleSchema, required=True)


class ResponseRateSchema(Schema):
    shown = fields.Integer(required=True, metadata={"description": "persons"})
    responded = fields.Integer(required=True, metadata={"description": "persons"})
    rate = fields.Float(allow_none=True, required=True)


class ExcludedAnswersSchema(Schema):
    ineligible = fields.Integer(required=True)
    other_scale = fields.Integer(required=True)


class FiguresSchema(Schema):
    n = fields.Integer(
        metadata={"description": "answers counted: one per person (and dimension)"}, required=True
    )
    low_sample = fields.Boolean(
        metadata={"description": "n < 30: too few to read a trend in"}, required=True
    )
    nps = fields.Nested(NpsScoreSchema, allow_none=True, metadata={"description": "NPS surveys"})
    csat = fields.Nested(CsatScoreSchema, allow_none=True, metadata={"description": "CSAT surveys"})
    ces = fields.Nested(CesScoreSchema, allow_none=True, metadata={"description": "CES surveys"})
    dimensions = fields.Dict(
        keys=fields.String(), values=fields.Dict(), metadata={"description": "CSAT per dimension"}
    )


class PeriodFiguresSchema(FiguresSchema):
    period = fields.String(
        metadata={"description": "first day of the period, in tz"}, required=True
    )
    start = fields.DateTime(required=True)


class SegmentFiguresSchema(FiguresSchema):
    value = fields.String(allow_none=True, required=True)


class ScoresSchema(FiguresSchema):
    survey_id = fields.UUID(required=True)
    type = fields.String(required=True)
    scale = fields.Nested(SurveyScaleSchema, required=True)
    from_ = fields.DateTime(data_key="from", allow_none=True, required=True)
    to = fields.DateTime(allow_none=True, required=True)
    tz = fields.String(required=True)
    response_rate = fields.Nested(ResponseRateSchema, required=True)
    excluded = fields.Nested(
        ExcludedAnswersSchema, required=True, metadata={"description": "answers left out"}
    )
    trend = fields.List(fields.Nested(PeriodFiguresSchema))
    segments = fields.List(fields.Nested(SegmentFiguresSchema))


class TextAnswerSchema(Schema):
    id = fields.Integer(required=True)
    person_id = fields.UUID(required=True)
    user_id = fields.String(allow_none=True, required=True)
    dimension = fields.String(allow_none=True, required=True)
    score = fields.Integer(required=True)
    text = fields.String(required=True)
    eligible = fields.Boolean(required=True)
    responded_at = fields.DateTime(required=True)


class TextAnswerPageSchema(Schema):
    data = fields.List(fields.Nested(TextAnswerSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)
