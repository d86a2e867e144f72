"""The events export: pages for the JSON API, an endless stream for NDJSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Row

from collector.analytics.events.queries import EventFilter, events_page
from collector.kit.db.paging import Page, PageQuery, all_rows, read_page
from collector.kit.http.responses import dumps

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


def _query(where: EventFilter) -> PageQuery:
    return lambda after, limit: events_page(where, after_id=after, limit=limit)


def list_events(engine: Engine, where: EventFilter, *, cursor: str | None, limit: int) -> Page:
    return read_page(engine, _query(where), exported, cursor=cursor, limit=limit)


def stream_events(engine: Engine, where: EventFilter) -> Iterator[bytes]:
    """Every matching event as NDJSON lines, read in bounded chunks."""
    for row in all_rows(engine, _query(where)):
        yield dumps(exported(row)) + b"\n"
