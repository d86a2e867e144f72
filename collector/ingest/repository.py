"""Writing events. Never commits: the ingest unit of work does, once, for the whole batch."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from collector.kit.db.backends import DriverValues, backend_of
from collector.kit.db.models import Event, table_of
from collector.kit.messages import Message

_events = table_of(Event)
# Keeps each IN (...) list well under SQLite's bound-parameter limit.
CHUNK = 500

EVENT_COLUMNS = (
    "project_id",
    "message_id",
    "type",
    "event",
    "user_id",
    "anonymous_id",
    "person_id",
    "group_id",
    "previous_id",
    "category",
    "timestamp",
    "original_timestamp",
    "sent_at",
    "received_at",
    "properties",
    "traits",
    "context",
    "integrations",
)


def insert_events(
    connection: Connection,
    project_id: uuid.UUID,
    messages: Sequence[Message],
    person_ids: Sequence[uuid.UUID | None],
) -> list[Message]:
    """Store events; one whose ``(project, messageId)`` exists already is a retry and skipped.

    ``person_ids[i]`` is the person of ``messages[i]``. Returns the messages stored now for
    the first time (a messageId repeated within the batch once), so that projections that
    count — impressions, dismissals, event counters — never count a retry twice.
    """
    backend = backend_of(connection)
    row = _row_builder(backend.values, project_id)
    rows = [
        row(message, person_id) for message, person_id in zip(messages, person_ids, strict=True)
    ]
    inserted = backend.insert_many_reporting_new(
        connection,
        _events,
        EVENT_COLUMNS,
        rows,
        key="message_id",
        stored=lambda: stored_message_ids(connection, project_id, [m.message_id for m in messages]),
    )
    return _first_sightings(messages, inserted)


def _first_sightings(messages: Sequence[Message], inserted: list[Any]) -> list[Message]:
    """Messages newly stored, in batch order: the first of each messageId inserted."""
    new = set(inserted)
    fresh = []
    for message in messages:
        if message.message_id in new:
            new.discard(message.message_id)
            fresh.append(message)
    return fresh


def stored_message_ids(
    connection: Connection, project_id: uuid.UUID, message_ids: Sequence[str]
) -> set[str]:
    """Which of these messageIds the project has stored already."""
    found: set[str] = set()
    ordered = sorted(set(message_ids))
    for start in range(0, len(ordered), CHUNK):
        found.update(
            connection.execute(
                select(_events.c.message_id).where(
                    _events.c.project_id == project_id,
                    _events.c.message_id.in_(ordered[start : start + CHUNK]),
                )
            ).scalars()
        )
    return found


def _row_builder(
    values: DriverValues, project_id: uuid.UUID
) -> Callable[[Message, uuid.UUID | None], tuple[Any, ...]]:
    """A function from message to row of driver values, in ``EVENT_COLUMNS`` order."""
    as_uuid, time, json = values.bind_uuid, values.bind_time, values.bind_json
    project = as_uuid(project_id)
    # A batch's messages mostly share sentAt and receivedAt: convert each distinct one once.
    shared_time = cache(time)

    def row(message: Message, person_id: uuid.UUID | None) -> tuple[Any, ...]:
        return (
            project,
            message.message_id,
            message.type,
            message.event,
            message.user_id,
            message.anonymous_id,
            as_uuid(person_id),
            message.group_id,
            message.previous_id,
            message.category,
            time(message.timestamp),
            time(message.original_timestamp),
            shared_time(message.sent_at),
            shared_time(message.received_at),
            json(message.properties),
            json(message.traits),
            json(message.context),
            json(message.integrations),
        )

    return row
