"""Project settings as the admin API accepts them."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from collector.experiences.schemas.common import StrictBoolean


class ThrottleSchema(Schema):
    """Project-wide caps on experiences; null removes a cap."""

    class Meta:
        unknown = RAISE

    max_per_session = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0))
    max_per_day = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0))
    survey_gap_days = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=0, max=3650)
    )


class SettingsSchema(Schema):
    class Meta:
        unknown = RAISE

    # Strict: ``1`` is not ``true`` (marshmallow's truthy set matches it, as ``1 == True``).
    require_identity_verification = StrictBoolean()
    throttle = fields.Nested(ThrottleSchema)


class ProjectUpdateSchema(Schema):
    class Meta:
        unknown = RAISE

    settings = fields.Nested(SettingsSchema, required=True)


class ProjectSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    created_at = fields.DateTime()
    settings = fields.Nested(SettingsSchema)
    identity_secret = fields.String(
        metadata={"description": "key of the identity-verification HMAC; keep it server-side"}
    )
