"""Webhook endpoints, messages and attempts as the admin API accepts and shows them."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from collector.kit.fields import IsoDateTime, StrictBoolean
from collector.kit.http.params import PageQuerySchema
from collector.webhooks.catalog import EVENT_TRACKED, EVENT_TYPES
from collector.webhooks.filters import FilterError, parse

MAX_GRACE_SECONDS = 7 * 24 * 3600
_name = fields.String(validate=validate.Length(min=1, max=255))


def field_messages(messages: Any) -> Any:
    """Marshmallow's messages with string keys (it names list items by int; JSON cannot)."""
    if isinstance(messages, dict):
        return {str(key): field_messages(value) for key, value in messages.items()}
    return messages


def _check_filter(expression: str) -> None:
    try:
        parse(expression)
    except FilterError as exc:
        raise ValidationError(str(exc)) from None


class TraitsSchema(Schema):
    """Which traits payloads carry; a CRM matches contacts by ``email``."""

    class Meta:
        unknown = RAISE

    person = fields.List(_name, validate=validate.Length(max=50))
    account = fields.List(_name, validate=validate.Length(max=50))


class EndpointUpdateSchema(Schema):
    class Meta:
        unknown = RAISE

    url = fields.String(validate=validate.Length(min=1, max=2000))
    description = fields.String(validate=validate.Length(max=500))
    event_types = fields.List(
        fields.String(validate=validate.OneOf(sorted(EVENT_TYPES))),
        validate=validate.Length(min=1),
    )
    tracked_events = fields.List(_name, validate=validate.Length(max=100))
    """Track event names ``event.tracked`` forwards."""
    filter = fields.String(allow_none=True, validate=[validate.Length(max=2000), _check_filter])
    traits = fields.Nested(TraitsSchema)
    enabled = StrictBoolean()


class EndpointCreateSchema(EndpointUpdateSchema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    event_types = fields.List(
        fields.String(validate=validate.OneOf(sorted(EVENT_TYPES))),
        required=True,
        validate=validate.Length(min=1),
    )

    @validates_schema
    def _tracked_events_named(self, data: dict[str, Any], **_: Any) -> None:
        if EVENT_TRACKED in data["event_types"] and not data.get("tracked_events"):
            raise ValidationError(
                "name the track events that event.tracked forwards", "tracked_events"
            )


class RotateSchema(Schema):
    class Meta:
        unknown = RAISE

    grace_seconds = fields.Integer(
        load_default=24 * 3600, strict=True, validate=validate.Range(min=0, max=MAX_GRACE_SECONDS)
    )
    """How long the old secret keeps signing next to the new one."""


class MessageQuerySchema(PageQuerySchema):
    endpoint_id = fields.UUID()
    event_type = fields.String(validate=validate.OneOf(sorted(EVENT_TYPES)))
    status = fields.String(validate=validate.OneOf(["pending", "delivered", "failed"]))


class ReplayQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    since = IsoDateTime(required=True)
    status = fields.String(validate=validate.OneOf(["pending", "delivered", "failed"]))


class EndpointSchema(Schema):
    id = fields.UUID(required=True)
    url = fields.String(required=True)
    description = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True)
    tracked_events = fields.List(fields.String(), required=True)
    filter = fields.String(allow_none=True, required=True)
    traits = fields.Nested(TraitsSchema, required=True)
    enabled = fields.Boolean(required=True)
    disabled_reason = fields.String(allow_none=True, required=True)
    failed_in_row = fields.Integer(
        metadata={"description": "messages given up in a row; enough of them disable it"},
        required=True,
    )
    previous_secret_expires_at = fields.DateTime(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class EndpointCreatedSchema(EndpointSchema):
    secret = fields.String(required=True)
    """``whsec_…``: shown once, here; keep it in the receiver's configuration."""


class EndpointListSchema(Schema):
    data = fields.List(fields.Nested(EndpointSchema), required=True)


class SecretSchema(Schema):
    secret = fields.String(required=True)
    previous_secret_expires_at = fields.DateTime(allow_none=True, required=True)


class MessageSchema(Schema):
    id = fields.String(required=True)
    """The ``webhook-id`` header receivers see."""
    endpoint_id = fields.UUID(required=True)
    event_type = fields.String(required=True)
    status = fields.String(required=True)
    tries = fields.Integer(required=True)
    next_attempt_at = fields.DateTime(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(allow_none=True, required=True)
    payload = fields.Dict(required=True)


class MessagePageSchema(Schema):
    data = fields.List(fields.Nested(MessageSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class AttemptSchema(Schema):
    attempted_at = fields.DateTime(required=True)
    status_code = fields.Integer(allow_none=True, required=True)
    duration_ms = fields.Integer(required=True)
    response_body = fields.String(allow_none=True, required=True)
    """The answer's first 2,000 characters."""
    error = fields.String(allow_none=True, required=True)
    succeeded = fields.Boolean(required=True)


class AttemptPageSchema(Schema):
    data = fields.List(fields.Nested(AttemptSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ReplayedSchema(Schema):
    replayed = fields.Integer(required=True)


class EventTypeSchema(Schema):
    type = fields.String(required=True)
    version = fields.Integer(required=True)
    description = fields.String(required=True)


class EventTypeListSchema(Schema):
    data = fields.List(fields.Nested(EventTypeSchema), required=True)
