"""The answers of the operational routes, as ``/openapi.json`` documents them."""

from __future__ import annotations

from marshmallow import Schema, fields


class StatusSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok, ready or unavailable"})
    reason = fields.String(metadata={"description": "why the collector cannot serve yet"})
