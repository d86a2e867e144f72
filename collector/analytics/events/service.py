"""The events export: pages for the JSON API, an endless stream for NDJSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Row

from collector.analytics.events.queries import EventFilter, events_page
from collector.analytics.events.results import ExportedEvent
from collector.kit.db.paging import Page, PageQuery, all_rows, read_page
from collector.kit.http.responses import dumps

NAMED = ("page", "screen")
"""The call types whose ``event`` column holds a ``name``."""


def exported(row: Row[Any]) -> ExportedEvent:
    """Segment's field names; fields a call type does not have are left out, in the order
    they always had (``name`` last)."""
    event: ExportedEvent = {
        "messageId": row.message_id,
        "type": row.type,
        "userId": row.user_id,
        "anonymousId": row.anonymous_id,
        "personId": row.person_id,
        "context": row.context or {},
        "timestamp": row.timestamp,
        "receivedAt": row.received_at,
    }
    if row.event is not None and row.type not in NAMED:
        event["event"] = row.event
    if row.group_id is not None:
        event["groupId"] = row.group_id
    if row.previous_id is not None:
        event["previousId"] = row.previous_id
    if row.category is not None:
        event["category"] = row.category
    _documents(event, row)
    if row.event is not None and row.type in NAMED:
        event["name"] = row.event
    return event


def _documents(event: ExportedEvent, row: Row[Any]) -> None:
    """The JSON columns and the client's own timestamps, when the call had them."""
    if row.properties is not None:
        event["properties"] = row.properties
    if row.traits is not None:
        event["traits"] = row.traits
    if row.integrations is not None:
        event["integrations"] = row.integrations
    if row.original_timestamp is not None:
        event["originalTimestamp"] = row.original_timestamp
    if row.sent_at is not None:
        event["sentAt"] = row.sent_at


def _query(where: EventFilter) -> PageQuery:
    return lambda after, limit: events_page(where, after_id=after, limit=limit)


def list_events(
    engine: Engine, where: EventFilter, *, cursor: str | None, limit: int
) -> Page[ExportedEvent]:
    return read_page(engine, _query(where), exported, cursor=cursor, limit=limit)


def stream_events(engine: Engine, where: EventFilter) -> Iterator[bytes]:
    """Every matching event as NDJSON lines, read in bounded chunks."""
    for row in all_rows(engine, _query(where)):
        yield dumps(exported(row)) + b"\n"
