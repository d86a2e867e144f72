"""Project settings as the admin API accepts them."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from collector.kit.fields import StrictBoolean
from collector.kit.http.origins import check_origin_pattern
from collector.kit.messages import MAX_EVENT_NAME_LENGTH
from collector.kit.project_settings import COMPONENTS, DEFAULT_WINDOW_DAYS, IP_MODES

MAX_KEY_FEATURES = 50


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _weight() -> fields.Float:
    return fields.Float(
        validate=validate.Range(min=0, max=100), metadata={"description": "relative weight"}
    )


class HealthWeightsSchema(_Strict):
    """Relative weights of the components; left-out ones keep their defaults."""

    frequency = _weight()
    breadth = _weight()
    depth = _weight()
    sentiment = _weight()


class HealthThresholdsSchema(_Strict):
    green = fields.Float(required=True, validate=validate.Range(min=0, max=100))
    yellow = fields.Float(required=True, validate=validate.Range(min=0, max=100))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["green"] <= data["yellow"]:
            raise ValidationError("must be above yellow", field_name="green")


def _check_features(features: list[str]) -> None:
    """Whole-list messages: errors keyed by item index would not be JSON object keys."""
    if len(features) > MAX_KEY_FEATURES:
        raise ValidationError(f"must list at most {MAX_KEY_FEATURES} events")
    if not all(0 < len(name) <= MAX_EVENT_NAME_LENGTH for name in features):
        raise ValidationError(f"event names must be 1 to {MAX_EVENT_NAME_LENGTH} characters")
    if len(set(features)) != len(features):
        raise ValidationError("must not repeat an event")


class HealthSettingsSchema(_Strict):
    """``PATCH /api/v1/project`` → ``settings.health``; each key replaces its value."""

    weights = fields.Nested(HealthWeightsSchema)
    thresholds = fields.Nested(
        HealthThresholdsSchema, metadata={"description": "green and yellow score floors"}
    )
    key_features = fields.List(
        fields.String(),
        validate=_check_features,
        metadata={"description": "event names whose use makes up depth"},
    )
    window_days = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=365),
        metadata={"description": f"days of activity scored (default {DEFAULT_WINDOW_DAYS})"},
    )

    @validates_schema
    def _weighted(self, data: dict[str, Any], **kwargs: Any) -> None:
        weights = data.get("weights")
        if weights is not None and len(weights) == len(COMPONENTS) and not any(weights.values()):
            raise ValidationError("at least one weight must be above 0", field_name="weights")


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
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    settings = fields.Nested(SettingsSchema, required=True)
    defaults = fields.Nested(
        SettingsSchema,
        metadata={"description": "what applies where settings says nothing"},
        required=True,
    )
    identity_secret = fields.String(
        metadata={"description": "key of the identity-verification HMAC; keep it server-side"}
    )


MAX_GRACE_SECONDS = 90 * 24 * 3600
"""Ninety days: enough to roll a key through every deployment, short enough to end."""


def _each_once(kinds: list[str]) -> None:
    if len(set(kinds)) != len(kinds):
        raise ValidationError("must name each kind once")


class KeyRotationSchema(Schema):
    """Which keys to replace, and how long the replaced ones keep working."""

    class Meta:
        unknown = RAISE

    kinds = fields.List(
        fields.String(validate=validate.OneOf(["write", "secret"])),
        required=True,
        validate=[validate.Length(min=1, max=2), _each_once],
        metadata={"description": "write, secret or both"},
    )
    grace_seconds = fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=MAX_GRACE_SECONDS),
        metadata={"description": "how long the old keys keep working; default: the installation's"},
    )


class ApiKeySchema(Schema):
    """A key as listings show it: never the key itself, only its first characters."""

    kind = fields.String(required=True)
    prefix = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "set once the key is rotated out"},
        required=True,
    )


class ApiKeyListSchema(Schema):
    data = fields.List(fields.Nested(ApiKeySchema), required=True)


class RotatedKeysSchema(Schema):
    """The new keys, shown this once."""

    write_key = fields.String()
    secret_key = fields.String()
    old_keys_expire_at = fields.DateTime(required=True)
