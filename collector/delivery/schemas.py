"""Query parameters of ``GET /v1/flows`` and the eligibility report."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from collector.ingest.schemas import MAX_ID_LENGTH


class PageSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    url = fields.String(validate=validate.Length(max=2048))
    locale = fields.String(validate=validate.Length(min=1, max=35))
    sessionId = fields.String(validate=validate.Length(min=1, max=255))


class DeliveryQuerySchema(PageSchema):
    """The SDK may add parameters of its own (cache busters): unknown ones are ignored."""

    userId = fields.String(validate=validate.Length(min=1, max=MAX_ID_LENGTH))
    anonymousId = fields.String(validate=validate.Length(min=1, max=MAX_ID_LENGTH))
    identityHash = fields.String(validate=validate.Length(max=128))
    writeKey = fields.String(load_only=True)

    @validates_schema
    def _has_an_id(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data.get("userId") and not data.get("anonymousId"):
            raise ValidationError("userId or anonymousId is required", field_name="userId")


class DeliverySchema(Schema):
    """What ``GET /v1/flows`` answers: experiences resolved to the user's locale."""

    flows = fields.List(fields.Dict())
    surveys = fields.List(fields.Dict())


class DecisionSchema(Schema):
    id = fields.UUID()
    kind = fields.String()
    type = fields.String()
    name = fields.String()
    eligible = fields.Boolean()
    reason = fields.String(allow_none=True)
    rule = fields.Dict(allow_none=True)
    until = fields.DateTime(allow_none=True)


class EligibilityReportSchema(Schema):
    person_id = fields.UUID()
    experiences = fields.List(fields.Nested(DecisionSchema))
