"""Writing events. Never commits: the ingest unit of work does, once, for the whole batch."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

from collector.db.models import Event, table_of
from collector.db.statements import insert_ignoring_duplicates
from collector.ingest.messages import Message

_events = table_of(Event)


def event_row(
    project_id: uuid.UUID, message: Message, person_id: uuid.UUID | None
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "message_id": message.message_id,
        "type": message.type,
        "event": message.event,
        "user_id": message.user_id,
        "anonymous_id": message.anonymous_id,
        "person_id": person_id,
        "group_id": message.group_id,
        "previous_id": message.previous_id,
        "category": message.category,
        "timestamp": message.timestamp,
        "original_timestamp": message.original_timestamp,
        "sent_at": message.sent_at,
        "received_at": message.received_at,
        "properties": message.properties,
        "traits": message.traits,
        "context": message.context,
        "integrations": message.integrations,
    }


def insert_events(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Store events; one whose ``(project, messageId)`` exists already is a retry and skipped."""
    rows = list(rows)
    if rows:
        connection.execute(insert_ignoring_duplicates(connection, _events), rows)
