"""Query parameters of the survey responses list and export."""

from __future__ import annotations

from marshmallow import fields, validate

from collector.http.params import PageQuerySchema, TimeRangeSchema


class ResponseQuerySchema(PageQuerySchema, TimeRangeSchema):
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    eligible = fields.Boolean()
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "ndjson", "csv"]))
