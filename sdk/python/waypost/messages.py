"""Building Segment-format messages, and refusing malformed ones before they are queued:
a bad call found here costs one log line, found by the collector it costs a batch slot.

Each message is encoded to JSON here, once, so that its size is known exactly when the
consumer packs batches under the collector's limits, and so that a caller changing a dict
after the call does not change what is sent. This runs in the caller's thread on every
call, so it is written for speed: message ids come from a pool filled by one
``os.urandom`` call, and the current timestamp is formatted once per millisecond.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

LIBRARY_NAME = "waypost-python"
VERSION = "0.1.0"
MAX_MESSAGE_BYTES = 32 * 1024
ID_FIELDS = ("userId", "groupId", "previousId")
"""Ids Segment accepts as numbers too; they are sent as strings."""
MAPPING_FIELDS = ("properties", "traits")
IDS_PER_REFILL = 256

Fields = Mapping[str, Any] | None
Common = tuple[Fields, datetime | None, str | None, Fields, str | None]
"""``context``, ``timestamp``, ``anonymous_id``, ``integrations``, ``message_id``: the
arguments every call type takes."""


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# NaN and infinities are not JSON: the collector would refuse the whole batch for them.
_ENCODER = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_json_default
)


def encode(value: Any) -> bytes:
    """Compact UTF-8 JSON; ``ValueError``/``TypeError`` for what JSON cannot carry."""
    return _ENCODER.encode(value).encode()


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds; a naive datetime is taken to be UTC already."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_clock: list[tuple[int, str]] = [(0, "")]
"""The last millisecond formatted, and its text (swapped whole, so threads may share it)."""


def now_iso() -> str:
    """The current time as ``iso()`` writes it."""
    milliseconds = time.time_ns() // 1_000_000
    last, text = _clock[0]
    if milliseconds != last:
        seconds, fraction = divmod(milliseconds, 1000)
        moment = datetime.fromtimestamp(seconds, UTC).replace(microsecond=fraction * 1000)
        text = iso(moment)
        _clock[0] = (milliseconds, text)
    return text


_ids: list[str] = []
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_message_id() -> str:
    """A random UUID4 (RFC 9562 version and variant bits), as its 36-character text."""
    try:
        return _ids.pop()
    except IndexError:
        _ids.extend(_random_ids(IDS_PER_REFILL))
        return _ids.pop()


def _random_ids(count: int) -> list[str]:
    digits = os.urandom(16 * count).hex()
    return [
        f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"
        for h in (digits[start : start + 32] for start in range(0, len(digits), 32))
    ]


# A forked child must not hand out the ids its parent still holds.
os.register_at_fork(after_in_child=_ids.clear)


def build(call_type: str, fields: Mapping[str, Any], common: Common) -> dict[str, Any]:
    """The message of one call: its own ``fields`` (``None`` left out) and the common ones."""
    context, timestamp, anonymous_id, integrations, message_id = common
    message = {
        "type": call_type,
        "messageId": new_message_id() if message_id is None else _text("message_id", message_id),
        "timestamp": now_iso() if timestamp is None else _timestamp(timestamp),
        "context": {**_mapping("context", context), "library": _library()},
    }
    for key, value in fields.items():
        if value is not None:
            message[key] = _field(key, value)
    if anonymous_id is not None:
        message["anonymousId"] = _text("anonymous_id", anonymous_id)
    if integrations is not None:
        message["integrations"] = _mapping("integrations", integrations)
    if call_type != "alias" and "userId" not in message and not anonymous_id:
        raise ValueError(f"{call_type} needs user_id or anonymous_id")
    return message


def validate_required(call_type: str, name: str, value: Any) -> None:
    if not value or not isinstance(value, str | int):
        raise ValueError(f"{call_type} needs {name} (a non-empty string)")


def _field(key: str, value: Any) -> Any:
    if key in ID_FIELDS:
        return _text(key, value)
    if key in MAPPING_FIELDS:
        return _mapping(key, value)
    return value


def _timestamp(value: Any) -> str:
    if not isinstance(value, datetime):
        raise TypeError("timestamp must be a datetime")
    return iso(value)


def _text(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{name} must be a string")


def _mapping(name: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if type(value) is not dict and not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict")
    return dict(value)


def _library() -> dict[str, str]:
    return {"name": LIBRARY_NAME, "version": VERSION}
