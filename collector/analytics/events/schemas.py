"""Parameters and shape of the events export."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from collector.kit.http.params import PageQuerySchema, TimeRangeSchema


class EventQuerySchema(PageQuerySchema, TimeRangeSchema):
    event = fields.String(validate=validate.Length(min=1, max=255))
    userId = fields.String(validate=validate.Length(min=1, max=255))
    """Every event of the person this user id resolves to, from before sign-up too."""
    personId = fields.UUID()
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "ndjson"]))


class ExportedEventSchema(Schema):
    """An event as exported: Segment's field names plus the resolved ``personId``."""

    messageId = fields.String(required=True)
    type = fields.String(required=True)
    event = fields.String()
    name = fields.String()
    category = fields.String()
    userId = fields.String(allow_none=True, required=True)
    anonymousId = fields.String(allow_none=True, required=True)
    groupId = fields.String()
    previousId = fields.String()
    personId = fields.UUID(allow_none=True, required=True)
    properties = fields.Dict()
    traits = fields.Dict()
    context = fields.Dict(required=True)
    integrations = fields.Dict()
    timestamp = fields.DateTime(required=True)
    originalTimestamp = fields.DateTime()
    sentAt = fields.DateTime()
    receivedAt = fields.DateTime(required=True)


class EventPageSchema(Schema):
    data = fields.List(fields.Nested(ExportedEventSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)
