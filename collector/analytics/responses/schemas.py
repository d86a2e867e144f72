"""Query parameters of the survey responses list and export."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from collector.kit.http.params import PageQuerySchema, TimeRangeSchema


class ResponseQuerySchema(PageQuerySchema, TimeRangeSchema):
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    eligible = fields.Boolean()
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "ndjson", "csv"]))


class ResponseSchema(Schema):
    id = fields.Integer(required=True)
    survey_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    person_id = fields.UUID(allow_none=True, required=True)
    user_id = fields.String(allow_none=True, required=True)
    message_id = fields.String(required=True)
    survey_type = fields.String(required=True)
    score = fields.Integer(allow_none=True, required=True)
    scale_min = fields.Integer(required=True)
    scale_max = fields.Integer(required=True)
    dimension = fields.String(allow_none=True, required=True)
    text = fields.String(allow_none=True, required=True)
    choices = fields.List(fields.String(), allow_none=True, required=True)
    answers = fields.Dict(allow_none=True, required=True)
    locale = fields.String(allow_none=True, required=True)
    eligible = fields.Boolean(
        metadata={"description": "false when the survey was not due"}, required=True
    )
    responded_at = fields.DateTime(required=True)


class ResponsePageSchema(Schema):
    data = fields.List(fields.Nested(ResponseSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ProgressSchema(Schema):
    id = fields.Integer(required=True)
    person_id = fields.UUID(required=True)
    user_id = fields.String(allow_none=True, required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True)
    current_step = fields.String(allow_none=True, required=True)
    completed_items = fields.List(fields.String(), required=True)
    shown_count = fields.Integer(required=True)
    dismiss_count = fields.Integer(required=True)
    first_shown_at = fields.DateTime(allow_none=True, required=True)
    last_shown_at = fields.DateTime(allow_none=True, required=True)
    completed_at = fields.DateTime(allow_none=True, required=True)


class ProgressReportSchema(ResponsePageSchema):
    summary = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "people per status"},
        required=True,
    )
    data = fields.List(fields.Nested(ProgressSchema), required=True)
