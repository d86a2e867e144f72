"""Building Segment-format messages, and refusing malformed ones before they are queued:
a bad call found here costs one log line, found by the collector it costs a batch slot.

Each message is encoded to JSON here, once, so that its size is known exactly when the
consumer packs batches under the collector's limits.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

LIBRARY_NAME = "waypost-python"
VERSION = "0.1.0"
MAX_MESSAGE_BYTES = 32 * 1024


def encode(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), default=_json_default).encode()


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds; a naive datetime is taken to be UTC already."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build(call_type: str, fields: Mapping[str, Any], common: Mapping[str, Any]) -> dict[str, Any]:
    """The message of one call; ``common`` holds the arguments every call type takes."""
    _check_ids(call_type, fields, common)
    timestamp = common.get("timestamp")
    if timestamp is not None and not isinstance(timestamp, datetime):
        raise TypeError("timestamp must be a datetime")
    message = {
        "type": call_type,
        "messageId": _text("message_id", common.get("message_id")) or str(uuid.uuid4()),
        "timestamp": iso(timestamp or datetime.now(UTC)),
        "context": {**_mapping("context", common.get("context")), "library": _library()},
        **_present(fields),
    }
    for name, key in (("anonymous_id", "anonymousId"), ("integrations", "integrations")):
        if common.get(name) is not None:
            message[key] = common[name]
    return message


def _check_ids(call_type: str, fields: Mapping[str, Any], common: Mapping[str, Any]) -> None:
    _text("anonymous_id", common.get("anonymous_id"))
    _mapping("integrations", common.get("integrations"))
    for name in ("traits", "properties"):
        _mapping(name, fields.get(name))
    if call_type != "alias" and fields.get("userId") is None and not common.get("anonymous_id"):
        raise ValueError(f"{call_type} needs user_id or anonymous_id")


def validate_required(call_type: str, **required: Any) -> None:
    for name, value in required.items():
        if not value or not isinstance(value, str | int):
            raise ValueError(f"{call_type} needs {name} (a non-empty string)")


def _present(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The call's own fields, ids as strings (Segment accepts numbers), ``None`` left out."""
    present = {key: value for key, value in fields.items() if value is not None}
    for key in ("userId", "groupId", "previousId"):
        if key in present:
            present[key] = _text(key, present[key])
    return present


def _text(name: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str | int):
        raise TypeError(f"{name} must be a string")
    return None if value is None else str(value)


def _mapping(name: str, value: Any) -> dict[str, Any]:
    if value is not None and not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict")
    return dict(value or {})


def _library() -> dict[str, str]:
    return {"name": LIBRARY_NAME, "version": VERSION}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, uuid.UUID | set | frozenset | tuple):
        return str(value) if isinstance(value, uuid.UUID) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
