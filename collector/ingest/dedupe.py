"""Which messages of a batch are new: projections that count (impressions, dismissals,
event counters) must not count a retried message twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Connection, select

from collector.db.models import Event, table_of
from collector.ingest.messages import Message

_events = table_of(Event)
# Keeps each IN (...) list well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500


def stored_message_ids(
    connection: Connection, project_id: uuid.UUID, message_ids: Sequence[str]
) -> set[str]:
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


def first_sightings(
    connection: Connection, project_id: uuid.UUID, messages: Sequence[Message]
) -> list[Message]:
    """Messages not stored before, each messageId once (its first occurrence in the batch).

    Read in the ingest transaction before the insert: on SQLite, write transactions take
    turns, so this is exact; on PostgreSQL two processes storing the same retried message
    at the same instant could both see it as new, and its projections would count twice.
    """
    seen = stored_message_ids(connection, project_id, [m.message_id for m in messages])
    fresh = []
    for message in messages:
        if message.message_id not in seen:
            seen.add(message.message_id)
            fresh.append(message)
    return fresh
