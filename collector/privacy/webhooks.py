"""Webhook messages about a person: erased with them, exported with them.

A message's payload names its person in ``data.person.id`` and, for tracked events, the
ids the event was sent with; the match runs on the JSON itself (no index: erasures are
rare, and a project's outbox stays small once delivered messages age out). Attempts go
with their message (the foreign key cascades).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, or_, select

from collector.kit.db.models import WebhookMessage, table_of

_messages = table_of(WebhookMessage)


def _about(project_id: uuid.UUID, person_id: uuid.UUID, ids: Sequence[str]) -> ColumnElement[bool]:
    payload = _messages.c.payload
    return (_messages.c.project_id == project_id) & or_(
        payload[("data", "person", "id")].as_string() == str(person_id),
        payload[("data", "user_id")].as_string().in_(list(ids)),
        payload[("data", "anonymous_id")].as_string().in_(list(ids)),
    )


def erase_webhook_messages(
    connection: Connection, project_id: uuid.UUID, person_id: uuid.UUID, ids: Sequence[str]
) -> int:
    """Delete the messages about the person, delivered or not; how many there were."""
    return connection.execute(delete(_messages).where(_about(project_id, person_id, ids))).rowcount


def webhook_messages(
    connection: Connection, project_id: uuid.UUID, person_id: uuid.UUID, ids: Sequence[str]
) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(
            _messages.c.event_type, _messages.c.payload, _messages.c.status, _messages.c.created_at
        )
        .where(_about(project_id, person_id, ids))
        .order_by(_messages.c.id)
    )
    return [dict(row._mapping) for row in rows]
