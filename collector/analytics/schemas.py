"""Request bodies (and the persons list's query) of the analytics routes, and the shapes
of their answers for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from collector.analytics.definitions import ORDERS, PropertyPath, parse_duration
from collector.kit.http.params import MAX_PAGE_SIZE, ZonedTimeRangeSchema
from collector.kit.periods import INTERVALS

MAX_STEPS = 20
MAX_FILTER_VALUES = 100
MAX_PERIODS = 52
EVENT_NAME = validate.Length(min=1, max=255)
BREAKDOWN_SOURCES = ("person", "account", "properties")


def _duration(text: str) -> None:
    try:
        parse_duration(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def _path(sources: tuple[str, ...]) -> Any:
    def check(text: str) -> None:
        try:
            PropertyPath.parse(text, sources)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    return check


def _filter_values(value: Any) -> None:
    values = value if isinstance(value, list) else [value]
    if not 1 <= len(values) <= MAX_FILTER_VALUES:
        raise ValidationError(f"must be a value or a list of 1 to {MAX_FILTER_VALUES} values")
    if not all(item is None or isinstance(item, str | int | float | bool) for item in values):
        raise ValidationError("must be a string, number, boolean or null, or a list of them")


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class EventMatchSchema(StrictSchema):
    """``{"event": "Report Created", "where": {"properties.type": "funnel"}}``, or just the
    event name as a string."""

    event = fields.String(required=True, validate=EVENT_NAME)
    where = fields.Dict(
        keys=fields.String(validate=_path(("properties",))),
        values=fields.Raw(validate=_filter_values, allow_none=True),
        metadata={"description": "properties.<key>: a value, or a list of accepted values"},
    )

    @pre_load
    def _bare_name(self, data: Any, **kwargs: Any) -> Any:
        return {"event": data} if isinstance(data, str) else data


class ExclusionSchema(EventMatchSchema):
    from_step = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_STEPS))
    to_step = fields.Integer(
        validate=validate.Range(min=2, max=MAX_STEPS),
        metadata={"description": "default: the last step"},
    )


class AnalysisSchema(StrictSchema, ZonedTimeRangeSchema):
    """``from`` (inclusive) and ``to`` (exclusive, default now), ``tz``."""

    @validates_schema
    def _ordered_range(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("from_"), data.get("to")
        if start is not None and end is not None and start >= end:
            raise ValidationError("must be after from", field_name="to")


class FunnelSchema(AnalysisSchema):
    steps = fields.List(
        fields.Nested(EventMatchSchema),
        required=True,
        validate=validate.Length(min=2, max=MAX_STEPS),
    )
    window = fields.String(
        load_default="14d", validate=_duration, metadata={"description": "like 7d, 36h, 90m"}
    )
    order = fields.String(load_default="ordered", validate=validate.OneOf(ORDERS))
    exclude_ = fields.List(fields.Nested(ExclusionSchema), data_key="exclude", load_default=list)
    breakdown = fields.String(
        validate=_path(BREAKDOWN_SOURCES),
        metadata={"description": "person.<trait>, account.<trait> or properties.<key>"},
    )

    @pre_load
    def _one_exclusion(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("exclude"), dict | str):
            return {**data, "exclude": [data["exclude"]]}
        return data

    @validates_schema
    def _exclusions_between_steps(self, data: dict[str, Any], **kwargs: Any) -> None:
        size = len(data.get("steps", []))
        for exclusion in data.get("exclude_", []):
            last = exclusion.get("to_step", size)
            if not exclusion["from_step"] < last <= size:
                raise ValidationError(
                    f"from_step must come before to_step, and to_step be at most {size}",
                    field_name="exclude",
                )


class FunnelPersonsSchema(FunnelSchema):
    step = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_STEPS))
    dropped = fields.Boolean(
        load_default=False, metadata={"description": "only who did not reach the next step"}
    )
    breakdown_value = fields.String(metadata={"description": "only persons with this value"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    cursor = fields.String()
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))

    @validates_schema
    def _step_in_funnel(self, data: dict[str, Any], **kwargs: Any) -> None:
        size = len(data.get("steps", []))
        step = data.get("step", 1)
        if step > size or (data.get("dropped") and step == size):
            reason = "has no next step" if step == size else f"must be at most {size}"
            raise ValidationError(reason, field_name="step")


class TimeToValueSchema(AnalysisSchema):
    start = fields.Nested(
        EventMatchSchema,
        metadata={"description": "the start event; default: the person's first track event"},
    )
    value = fields.Nested(EventMatchSchema, required=True)
    breakdown = fields.String(
        validate=_path(BREAKDOWN_SOURCES),
        metadata={"description": "person.<trait>, account.<trait> or properties.<key>"},
    )


class RetentionSchema(AnalysisSchema):
    start = fields.Nested(
        EventMatchSchema,
        metadata={"description": "the cohort event; default: the person's first track event"},
    )
    returning = fields.Nested(
        EventMatchSchema, metadata={"description": "the return event; default: any track event"}
    )
    interval = fields.String(load_default="week", validate=validate.OneOf(INTERVALS))
    periods = fields.Integer(load_default=8, validate=validate.Range(min=1, max=MAX_PERIODS))


class FunnelStepSchema(Schema):
    event = fields.String(required=True)
    persons = fields.Integer(required=True)
    dropped = fields.Integer(
        metadata={"description": "reached this step and not the next"}, required=True
    )
    conversion_from_first = fields.Float(
        metadata={"description": "a fraction, 0 to 1"}, required=True
    )
    conversion_from_previous = fields.Float(
        metadata={"description": "a fraction, 0 to 1"}, required=True
    )
    median_seconds_from_previous = fields.Float(allow_none=True, required=True)
    average_seconds_from_previous = fields.Float(allow_none=True, required=True)


class FunnelAnswerSchema(Schema):
    steps = fields.List(fields.Nested(FunnelStepSchema), required=True)
    breakdown = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(FunnelStepSchema)),
        metadata={"description": "the steps per breakdown value, most persons first"},
    )


class FunnelPersonSchema(Schema):
    person_id = fields.UUID(required=True)
    user_id = fields.String(allow_none=True, required=True)
    breakdown = fields.String(allow_none=True, required=True)
    step_times = fields.List(
        fields.DateTime(allow_none=True),
        metadata={"description": "when the attributed attempt reached each step"},
        required=True,
    )


class FunnelPersonsPageSchema(Schema):
    data = fields.List(fields.Nested(FunnelPersonSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class WithinSchema(Schema):
    eligible = fields.Integer(
        metadata={"description": "started at least N days before to"}, required=True
    )
    reached = fields.Integer(required=True)
    share = fields.Float(allow_none=True, required=True)


class ValueFiguresSchema(Schema):
    persons_started = fields.Integer(required=True)
    persons_reached_value = fields.Integer(required=True)
    median_seconds = fields.Float(allow_none=True, required=True)
    p90_seconds = fields.Float(allow_none=True, required=True)
    average_seconds = fields.Float(allow_none=True, required=True)
    within = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(WithinSchema),
        metadata={"description": "1d, 7d, 30d"},
        required=True,
    )


class CohortValueFiguresSchema(ValueFiguresSchema):
    cohort = fields.String(
        metadata={"description": "first day of the signup week, in tz"}, required=True
    )


class HistogramBucketSchema(Schema):
    from_seconds = fields.Integer(required=True)
    to_seconds = fields.Integer(allow_none=True, required=True)
    persons = fields.Integer(required=True)


class TimeToValueAnswerSchema(ValueFiguresSchema):
    histogram = fields.List(fields.Nested(HistogramBucketSchema), required=True)
    cohorts = fields.List(fields.Nested(CohortValueFiguresSchema), required=True)
    breakdown = fields.Dict(keys=fields.String(), values=fields.Nested(ValueFiguresSchema))


class RetentionCohortSchema(Schema):
    cohort = fields.String(
        metadata={"description": "first day of the period, in tz"}, required=True
    )
    persons = fields.Integer(required=True)
    returned = fields.List(
        fields.Integer(allow_none=True),
        metadata={"description": "per period since; null when it had not begun"},
        required=True,
    )
    shares = fields.List(fields.Float(allow_none=True), required=True)


class RetentionAnswerSchema(Schema):
    interval = fields.String(required=True)
    periods = fields.Integer(required=True)
    cohorts = fields.List(fields.Nested(RetentionCohortSchema), required=True)
