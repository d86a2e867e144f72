"""Segment's message format, validated field by field.

The schemas stay flat on purpose: ``properties``, ``traits`` and ``context`` are free-form
objects, checked for their type only, which keeps validation to a few microseconds per
message (nested schemas for ``context`` cost several times more and reject real clients'
extra keys).

A batch carries thousands of fields, so the schemas are built for speed too: every field
skips marshmallow's generic per-value steps (``DirectField``), a batch message without the
rarely sent fields is loaded by a schema that does not declare them (``batch_schema``),
and the one rule spanning two fields is checked after loading, not by a schema hook
(``check_identified``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from collector.kit.fields import DirectField, IsoDateTime
from collector.kit.messages import MAX_EVENT_NAME_LENGTH, MAX_ID_LENGTH

MAX_MESSAGE_BYTES = 32 * 1024
MAX_BATCH_BYTES = 500 * 1024
MESSAGE_TYPES = ("track", "identify", "group", "page", "screen", "alias")
IDS_REQUIRED = "userId or anonymousId is required"


class Text(DirectField, fields.String):
    """A string; declared as ``fields.String`` so the OpenAPI document types it."""


class DistinctId(DirectField):
    """An id: a non-empty string, or a number (many clients send numeric user ids)."""

    json_schema: ClassVar[Mapping[str, Any]] = {"type": "string"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("must be a string or a number")
        text = value if isinstance(value, str) else str(value)
        if not text.strip():
            raise ValidationError("must not be empty")
        if len(text) > MAX_ID_LENGTH:
            raise ValidationError(f"must be at most {MAX_ID_LENGTH} characters")
        return text


class Document(DirectField, fields.Dict):
    """A free-form JSON object (``properties``, ``traits``, ``context``, ``integrations``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "must be a JSON object"

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        # Parsed JSON is already a plain dict of our own: no copy is needed.
        if not isinstance(value, dict):
            raise self.make_error("invalid")
        return value


class MessageSchema(Schema):
    """Fields every Segment call may carry."""

    class Meta:
        unknown = EXCLUDE

    type = Text(validate=validate.OneOf(MESSAGE_TYPES))
    messageId = DistinctId()
    userId = DistinctId(allow_none=True)
    anonymousId = DistinctId(allow_none=True)
    timestamp = IsoDateTime(allow_none=True)
    originalTimestamp = IsoDateTime(allow_none=True)
    sentAt = IsoDateTime(allow_none=True)
    context = Document(allow_none=True)
    integrations = Document(allow_none=True)


class TrackSchema(MessageSchema):
    event = Text(required=True, validate=validate.Length(min=1, max=MAX_EVENT_NAME_LENGTH))
    properties = Document(allow_none=True)


class IdentifySchema(MessageSchema):
    traits = Document(allow_none=True)


class GroupSchema(MessageSchema):
    groupId = DistinctId(required=True)
    traits = Document(allow_none=True)


class PageSchema(MessageSchema):
    name = Text(allow_none=True, validate=validate.Length(max=MAX_EVENT_NAME_LENGTH))
    category = Text(allow_none=True, validate=validate.Length(max=MAX_EVENT_NAME_LENGTH))
    properties = Document(allow_none=True)


class ScreenSchema(PageSchema):
    pass


class AliasSchema(MessageSchema):
    """An alias names its ids explicitly: ``userId`` and ``previousId`` are required."""

    userId = DistinctId(required=True)
    previousId = DistinctId(required=True)


SCHEMAS: dict[str, Schema] = {
    "track": TrackSchema(),
    "identify": IdentifySchema(),
    "group": GroupSchema(),
    "page": PageSchema(),
    "screen": ScreenSchema(),
    "alias": AliasSchema(),
}

# A batch message without the fields few clients send per message (``originalTimestamp``,
# ``sentAt``, ``integrations``) is loaded by a schema that does not declare them:
# marshmallow visits every declared field of every message, present or not. ``type`` is
# left out there too: ``batch_schema`` is reached once the type has picked the schema,
# which proves it valid.
_LEAN_SCHEMAS: dict[str, Schema] = {
    name: type(schema)(exclude=("type", "originalTimestamp", "sentAt", "integrations"))
    for name, schema in SCHEMAS.items()
}


def batch_schema(message_type: str, raw: Mapping[str, Any]) -> Schema:
    """The schema that loads ``raw``, a batch message whose type is in ``SCHEMAS``."""
    if "originalTimestamp" in raw or "sentAt" in raw or "integrations" in raw:
        return SCHEMAS[message_type]
    return _LEAN_SCHEMAS[message_type]


def check_identified(loaded: Mapping[str, Any]) -> None:
    """Every call but alias (whose schema requires its ids) names who made it.

    Checked after a successful load, where a schema hook would run, with its message.
    """
    if loaded["type"] != "alias" and not loaded.get("userId") and not loaded.get("anonymousId"):
        raise ValidationError({"userId": [IDS_REQUIRED]})


class BatchSchema(Schema):
    """``POST /v1/batch``: messages plus values that apply to all of them."""

    class Meta:
        unknown = EXCLUDE

    batch = fields.List(fields.Dict(), required=True)
    sentAt = IsoDateTime(allow_none=True)
    context = Document(allow_none=True)
    integrations = Document(allow_none=True)
    writeKey = fields.String(allow_none=True, load_only=True)


class IngestResultSchema(Schema):
    success = fields.Boolean(required=True)
    accepted = fields.Integer(required=True)
    rejected = fields.List(fields.Dict(), required=True)
    rejected_count = fields.Integer(metadata={"description": "past a thousand rejections"})
    suppressed = fields.Integer(
        metadata={"description": "messages of erased, suppressed ids, dropped on purpose"}
    )
