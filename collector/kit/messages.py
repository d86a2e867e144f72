"""A validated message, normalised to what the collector stores, and the wire limits every
feature that names ids or events shares."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collector.kit.clock import corrected_timestamp

MAX_ID_LENGTH = 255
MAX_EVENT_NAME_LENGTH = 200


@dataclass(slots=True)
class Message:
    type: str
    message_id: str
    user_id: str | None
    anonymous_id: str | None
    timestamp: datetime
    original_timestamp: datetime | None
    sent_at: datetime | None
    received_at: datetime
    event: str | None = None
    group_id: str | None = None
    previous_id: str | None = None
    category: str | None = None
    properties: dict[str, Any] | None = None
    traits: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    integrations: dict[str, Any] | None = None
    index: int = 0
    """Position in the request's batch, to name the message if it is refused later."""


@dataclass(frozen=True, slots=True)
class BatchDefaults:
    """Values a batch gives once for all its messages."""

    sent_at: datetime | None = None
    context: dict[str, Any] | None = None
    integrations: dict[str, Any] | None = None


def _merged(defaults: dict[str, Any] | None, own: dict[str, Any] | None) -> dict[str, Any] | None:
    if not defaults:
        return own
    return {**defaults, **own} if own else dict(defaults)


def build_message(
    loaded: dict[str, Any], defaults: BatchDefaults, received_at: datetime
) -> Message:
    """A ``Message`` from a schema's output, with its corrected timestamp.

    A message without ``messageId`` gets a fresh one, so it is stored exactly as sent;
    retrying such a message cannot be recognised, which is why every SDK sets one.
    """
    message_type = loaded["type"]
    original = loaded.get("originalTimestamp") or loaded.get("timestamp")
    sent_at = loaded.get("sentAt") or defaults.sent_at
    return Message(
        type=message_type,
        message_id=loaded.get("messageId") or str(uuid.uuid4()),
        user_id=loaded.get("userId"),
        anonymous_id=loaded.get("anonymousId"),
        timestamp=corrected_timestamp(original, sent_at, received_at),
        original_timestamp=original,
        sent_at=sent_at,
        received_at=received_at,
        event=loaded.get("event") if message_type == "track" else loaded.get("name"),
        group_id=loaded.get("groupId"),
        previous_id=loaded.get("previousId"),
        category=loaded.get("category"),
        properties=loaded.get("properties"),
        traits=loaded.get("traits"),
        context=_merged(defaults.context, loaded.get("context")),
        integrations=_merged(defaults.integrations, loaded.get("integrations")),
    )
