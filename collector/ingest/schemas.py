"""Segment's message format, validated field by field.

The schemas stay flat on purpose: ``properties``, ``traits`` and ``context`` are free-form
objects, checked for their type only, which keeps validation to a few microseconds per
message (nested schemas for ``context`` cost several times more and reject real clients'
extra keys).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

MAX_MESSAGE_BYTES = 32 * 1024
MAX_BATCH_BYTES = 500 * 1024
MAX_ID_LENGTH = 255
MAX_EVENT_NAME_LENGTH = 200
MESSAGE_TYPES = ("track", "identify", "group", "page", "screen", "alias")


class DistinctId(fields.Field):  # type: ignore[type-arg]
    """An id: a non-empty string, or a number (many clients send numeric user ids)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("must be a string or a number")
        text = value if isinstance(value, str) else str(value)
        if not text.strip():
            raise ValidationError("must not be empty")
        if len(text) > MAX_ID_LENGTH:
            raise ValidationError(f"must be at most {MAX_ID_LENGTH} characters")
        return text


class IsoDateTime(fields.Field):  # type: ignore[type-arg]
    """An ISO 8601 date-time; one without an offset is taken as UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise ValidationError("must be an ISO 8601 date-time string")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError("must be an ISO 8601 date-time string") from None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.isoformat()


class Document(fields.Dict):
    """A free-form JSON object (``properties``, ``traits``, ``context``, ``integrations``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "must be a JSON object"


class MessageSchema(Schema):
    """Fields every Segment call may carry."""

    class Meta:
        unknown = EXCLUDE

    type = fields.String(validate=validate.OneOf(MESSAGE_TYPES))
    messageId = DistinctId()
    userId = DistinctId(allow_none=True)
    anonymousId = DistinctId(allow_none=True)
    timestamp = IsoDateTime(allow_none=True)
    originalTimestamp = IsoDateTime(allow_none=True)
    sentAt = IsoDateTime(allow_none=True)
    context = Document(allow_none=True)
    integrations = Document(allow_none=True)

    @validates_schema
    def _has_an_id(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data.get("userId") and not data.get("anonymousId"):
            raise ValidationError("userId or anonymousId is required", field_name="userId")


class TrackSchema(MessageSchema):
    event = fields.String(required=True, validate=validate.Length(min=1, max=MAX_EVENT_NAME_LENGTH))
    properties = Document(allow_none=True)


class IdentifySchema(MessageSchema):
    traits = Document(allow_none=True)


class GroupSchema(MessageSchema):
    groupId = DistinctId(required=True)
    traits = Document(allow_none=True)


class PageSchema(MessageSchema):
    name = fields.String(allow_none=True, validate=validate.Length(max=MAX_EVENT_NAME_LENGTH))
    category = fields.String(allow_none=True, validate=validate.Length(max=MAX_EVENT_NAME_LENGTH))
    properties = Document(allow_none=True)


class ScreenSchema(PageSchema):
    pass


class AliasSchema(MessageSchema):
    userId = DistinctId(required=True)
    previousId = DistinctId(required=True)

    @validates_schema
    def _has_an_id(self, data: dict[str, Any], **kwargs: Any) -> None:
        """An alias names its ids explicitly; ``userId`` and ``previousId`` are required."""


SCHEMAS: dict[str, Schema] = {
    "track": TrackSchema(),
    "identify": IdentifySchema(),
    "group": GroupSchema(),
    "page": PageSchema(),
    "screen": ScreenSchema(),
    "alias": AliasSchema(),
}


class BatchSchema(Schema):
    """``POST /v1/batch``: messages plus values that apply to all of them."""

    class Meta:
        unknown = EXCLUDE

    batch = fields.List(fields.Dict(), required=True)
    sentAt = IsoDateTime(allow_none=True)
    context = Document(allow_none=True)
    integrations = Document(allow_none=True)
    writeKey = fields.String(allow_none=True, load_only=True)


class IngestResponseSchema(Schema):
    success = fields.Boolean()
    accepted = fields.Integer()
    rejected = fields.List(fields.Dict())
