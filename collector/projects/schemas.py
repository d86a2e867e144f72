"""Project settings as the admin API accepts them."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from collector.accounts.schemas import HealthSettingsSchema
from collector.experiences.schemas.common import StrictBoolean
from collector.ops.origins import check_origin_pattern
from collector.privacy.ip import IP_MODES


class ThrottleSchema(Schema):
    """Project-wide caps on experiences; null removes a cap."""

    class Meta:
        unknown = RAISE

    max_per_session = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0))
    max_per_day = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0))
    survey_gap_days = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=0, max=3650)
    )


class RateLimitsSchema(Schema):
    """Requests per second this project allows; null falls back to the installation's."""

    class Meta:
        unknown = RAISE

    write_key = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=1, max=1_000_000)
    )
    client_ip = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=1, max=1_000_000)
    )
    secret_key = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=1, max=1_000_000)
    )


class SettingsSchema(Schema):
    class Meta:
        unknown = RAISE

    ip_addresses = fields.String(
        validate=validate.OneOf(IP_MODES),
        metadata={"description": "none (default): not stored; truncated: /24 or /48; full"},
    )
    retention_days = fields.Integer(
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=36500),
        metadata={"description": "events older than this are deleted; null keeps them"},
    )
    rate_limits = fields.Nested(RateLimitsSchema)
    allowed_origins = fields.List(
        fields.String(validate=check_origin_pattern),
        validate=validate.Length(max=100),
        metadata={"description": "browser origins the write key works from; empty: any"},
    )

    # Strict: ``1`` is not ``true`` (marshmallow's truthy set matches it, as ``1 == True``).
    require_identity_verification = StrictBoolean()
    throttle = fields.Nested(ThrottleSchema)
    health = fields.Nested(HealthSettingsSchema)


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
