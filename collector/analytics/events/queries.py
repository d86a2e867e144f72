"""Statement builders for reading events; they never open a connection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from collector.kit.db.models import Event, Identity, table_of

_events = table_of(Event)
_identities = table_of(Identity)


@dataclass(frozen=True)
class EventFilter:
    project_id: uuid.UUID
    event: str | None = None
    user_id: str | None = None
    person_id: uuid.UUID | None = None
    start: datetime | None = None
    end: datetime | None = None


def events_page(where: EventFilter, *, after_id: int, limit: int) -> Select[tuple[object, ...]]:
    """Events in storage order after ``after_id``, matching ``where``."""
    statement = select(_events).where(_events.c.project_id == where.project_id)
    if where.event is not None:
        statement = statement.where(_events.c.event == where.event)
    if where.user_id is not None:
        person = (
            select(_identities.c.person_id)
            .where(
                _identities.c.project_id == where.project_id,
                _identities.c.distinct_id == where.user_id,
            )
            .scalar_subquery()
        )
        statement = statement.where(_events.c.person_id == person)
    if where.person_id is not None:
        statement = statement.where(_events.c.person_id == where.person_id)
    if where.start is not None:
        statement = statement.where(_events.c.timestamp >= where.start)
    if where.end is not None:
        statement = statement.where(_events.c.timestamp < where.end)
    return statement.where(_events.c.id > after_id).order_by(_events.c.id).limit(limit)
