"""The answer of ``GET /api/v1/audit``."""

from __future__ import annotations

from marshmallow import Schema, fields


class AuditEntrySchema(Schema):
    actor = fields.String(
        metadata={"description": "prefix of the key that made the change"}, required=True
    )
    action = fields.String(required=True)
    target = fields.String(allow_none=True, required=True)
    details = fields.Dict(required=True)
    at = fields.DateTime(required=True)


class AuditPageSchema(Schema):
    data = fields.List(fields.Nested(AuditEntrySchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)
