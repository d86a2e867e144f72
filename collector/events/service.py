"""The events export: pages for the JSON API, an endless stream for NDJSON."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, Row

from collector.db.engine import read_transaction
from collector.errors import BadRequest
from collector.events.queries import EventFilter, events_page

STREAM_CHUNK = 1000
MAX_EVENT_ID = 2**63 - 1
"""Event ids are 64-bit; a larger cursor cannot be bound (SQLite raises OverflowError)."""
_OPTIONAL = (
    ("event", "event"),
    ("groupId", "group_id"),
    ("previousId", "previous_id"),
    ("category", "category"),
    ("properties", "properties"),
    ("traits", "traits"),
    ("integrations", "integrations"),
    ("originalTimestamp", "original_timestamp"),
    ("sentAt", "sent_at"),
)


@dataclass(frozen=True)
class EventPage:
    data: list[dict[str, Any]]
    has_more: bool
    next_cursor: str | None
    """Where to continue: after this page's last event, even on the last page, so a
    client can come back later for what arrived since. Null only before any event."""


def exported(row: Row[Any]) -> dict[str, Any]:
    """Segment's field names; fields a call type does not have are left out."""
    event: dict[str, Any] = {
        "messageId": row.message_id,
        "type": row.type,
        "userId": row.user_id,
        "anonymousId": row.anonymous_id,
        "personId": row.person_id,
        "context": row.context or {},
        "timestamp": row.timestamp,
        "receivedAt": row.received_at,
    }
    for name, column in _OPTIONAL:
        value = getattr(row, column)
        if value is not None:
            event[name] = value
    if row.type in ("page", "screen") and "event" in event:
        event["name"] = event.pop("event")
    return event


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"after": last_id})).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        after = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["after"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_EVENT_ID:
        raise BadRequest("invalid cursor", fields={"cursor": ["is not a cursor this API gave"]})
    return after


def list_events(engine: Engine, where: EventFilter, *, cursor: str | None, limit: int) -> EventPage:
    after = decode_cursor(cursor)
    with read_transaction(engine) as connection:
        rows = connection.execute(events_page(where, after_id=after, limit=limit + 1)).all()
    rows, more = rows[:limit], len(rows) > limit
    return EventPage(
        data=[exported(row) for row in rows],
        has_more=more,
        next_cursor=encode_cursor(rows[-1].id) if rows else cursor or None,
    )


def stream_events(engine: Engine, where: EventFilter) -> Iterator[bytes]:
    """Every matching event as NDJSON lines, read in bounded chunks."""
    after = 0
    while True:
        with read_transaction(engine) as connection:
            rows = connection.execute(events_page(where, after_id=after, limit=STREAM_CHUNK)).all()
        for row in rows:
            yield orjson.dumps(exported(row), option=orjson.OPT_UTC_Z) + b"\n"
        if len(rows) < STREAM_CHUNK:
            return
        after = rows[-1].id
