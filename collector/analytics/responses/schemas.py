"""Query parameters of the survey responses list and export."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from collector.kit.http.params import PageQuerySchema, TimeRangeSchema


class ResponseQuerySchema(PageQuerySchema, TimeRangeSchema):
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    eligible = fields.Boolean()
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "ndjson", "csv"]))


class ResponseSchema(Schema):
    id = fields.Integer()
    survey_id = fields.UUID()
    version = fields.Integer()
    person_id = fields.UUID(allow_none=True)
    user_id = fields.String(allow_none=True)
    message_id = fields.String()
    survey_type = fields.String()
    score = fields.Integer(allow_none=True)
    scale_min = fields.Integer()
    scale_max = fields.Integer()
    dimension = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    choices = fields.List(fields.String(), allow_none=True)
    answers = fields.Dict(allow_none=True)
    locale = fields.String(allow_none=True)
    eligible = fields.Boolean(metadata={"description": "false when the survey was not due"})
    responded_at = fields.DateTime()


class ResponsePageSchema(Schema):
    data = fields.List(fields.Nested(ResponseSchema))
    has_more = fields.Boolean()
    next_cursor = fields.String(allow_none=True)


class ProgressSchema(Schema):
    id = fields.Integer()
    person_id = fields.UUID()
    user_id = fields.String(allow_none=True)
    version = fields.Integer()
    status = fields.String()
    current_step = fields.String(allow_none=True)
    completed_items = fields.List(fields.String())
    shown_count = fields.Integer()
    dismiss_count = fields.Integer()
    first_shown_at = fields.DateTime(allow_none=True)
    last_shown_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)


class ProgressReportSchema(ResponsePageSchema):
    summary = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "people per status"}
    )
    data = fields.List(fields.Nested(ProgressSchema))
