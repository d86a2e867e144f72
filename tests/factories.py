"""Plain builders for test data that read like the behaviour under test."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from collector.db.engine import write_transaction
from collector.projects.service import CreatedProject
from collector.projects.service import create_project as create_project_row


def create_project(engine: Engine, *, name: str = "Acme") -> CreatedProject:
    with write_transaction(engine) as connection:
        return create_project_row(connection, name, now=datetime.now(UTC))


def write_auth(project: CreatedProject) -> dict[str, str]:
    """Segment's way of sending the write key: HTTP Basic, key as user, no password."""
    token = base64.b64encode(f"{project.write_key}:".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def secret_auth(project: CreatedProject) -> dict[str, str]:
    return {"Authorization": f"Bearer {project.secret_key}"}


def message(call_type: str = "track", **fields: Any) -> dict[str, Any]:
    """A valid Segment message of ``call_type``; ``fields`` override or add to it."""
    base: dict[str, Any] = {
        "type": call_type,
        "messageId": str(uuid.uuid4()),
        "anonymousId": "anon-1",
        "timestamp": "2026-11-25T10:00:00.000Z",
        "context": {"library": {"name": "tests", "version": "1"}},
    }
    base.update(
        {
            "track": {"event": "Report Created", "properties": {"type": "funnel"}},
            "identify": {"userId": "user-1", "traits": {"email": "ada@example.com"}},
            "group": {"userId": "user-1", "groupId": "acme", "traits": {"plan": "pro"}},
            "page": {"name": "Home", "properties": {"path": "/"}},
            "screen": {"name": "Home"},
            "alias": {"userId": "user-1", "previousId": "anon-1"},
        }.get(call_type, {})
    )
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def track(event: str = "Report Created", **fields: Any) -> dict[str, Any]:
    return message("track", event=event, **fields)
