"""From raw JSON to validated messages, naming each rejected one and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from marshmallow import ValidationError

from collector.ingest.results import RejectionAnswer
from collector.ingest.schemas import (
    MAX_MESSAGE_BYTES,
    MESSAGE_TYPES,
    SCHEMAS,
    batch_schema,
    check_identified,
)
from collector.kit.messages import BatchDefaults, Message, build_message

TOO_LARGE = f"message is larger than {MAX_MESSAGE_BYTES // 1024} KB"


@dataclass(frozen=True)
class Rejection:
    index: int
    message_id: str | None
    errors: dict[str, Any]

    def as_dict(self) -> RejectionAnswer:
        return {"index": self.index, "messageId": self.message_id, "errors": self.errors}


def _message_id(raw: Any) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("messageId")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)[:255]
    return None


def _check(raw: Any, forced_type: str | None, check_size: bool) -> dict[str, Any]:
    """The schema's output for one raw message; raises ValidationError naming fields."""
    if not isinstance(raw, dict):
        raise ValidationError({"_schema": ["must be a JSON object"]})
    if check_size and len(orjson.dumps(raw)) > MAX_MESSAGE_BYTES:
        raise ValidationError({"_schema": [TOO_LARGE]})
    message_type = forced_type or raw.get("type")
    if not isinstance(message_type, str) or message_type not in SCHEMAS:
        raise ValidationError({"type": [f"must be one of: {', '.join(MESSAGE_TYPES)}"]})
    # A single-message route checks the body's own ``type`` too: only the full schema has it.
    schema = SCHEMAS[message_type] if forced_type else batch_schema(message_type, raw)
    loaded: dict[str, Any] = schema.load(raw)
    loaded["type"] = message_type
    check_identified(loaded)
    return loaded


def validate_messages(
    raw_messages: list[Any],
    defaults: BatchDefaults,
    received_at: datetime,
    *,
    forced_type: str | None = None,
) -> tuple[list[Message], list[Rejection]]:
    """Valid messages ready to store, and a rejection for each invalid one.

    ``forced_type`` is the call type of a single-message route (``/v1/track``); there the
    request body limit already bounds the message, so its size is not measured again.
    """
    messages: list[Message] = []
    rejected: list[Rejection] = []
    for index, raw in enumerate(raw_messages):
        try:
            loaded = _check(raw, forced_type, check_size=forced_type is None)
            message = build_message(loaded, defaults, received_at)
            message.index = index
            messages.append(message)
        except ValidationError as error:
            rejected.append(Rejection(index, _message_id(raw), _field_messages(error)))
        except OverflowError:
            reason = {"sentAt": ["too far from the message's timestamp to correct the clock"]}
            rejected.append(Rejection(index, _message_id(raw), reason))
    return messages, rejected


def _field_messages(error: ValidationError) -> dict[str, Any]:
    messages = error.messages
    return messages if isinstance(messages, dict) else {"_schema": messages}
