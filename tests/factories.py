"""Plain builders for test data that read like the behaviour under test."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import orjson
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.auth.keys import KeyKind
from collector.db.engine import write_transaction
from collector.experiences import service as experiences
from collector.experiences.schemas import Kind
from collector.http.responses import dumps
from collector.ingest.messages import BatchDefaults
from collector.ingest.service import IngestResult, ingest
from collector.projects.service import CreatedProject, rotate_project_keys
from collector.projects.service import create_project as create_project_row

RECEIVED_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
"""When the collector receives the messages of service-level tests: a fixed instant."""

_CALL_FIELDS: dict[str, dict[str, Any]] = {
    "track": {"event": "Report Created", "properties": {"type": "funnel"}},
    "identify": {"userId": "user-1", "traits": {"email": "ada@example.com"}},
    "group": {"userId": "user-1", "groupId": "acme", "traits": {"plan": "pro"}},
    "page": {"name": "Home", "properties": {"path": "/"}},
    "screen": {"name": "Home"},
    "alias": {"userId": "user-1", "previousId": "anon-1"},
}


def create_project(engine: Engine, *, name: str = "Acme") -> CreatedProject:
    with write_transaction(engine) as connection:
        return create_project_row(connection, name, now=datetime.now(UTC))


def rotate_keys(
    engine: Engine,
    project: CreatedProject,
    *kinds: KeyKind,
    now: datetime,
    grace: timedelta,
) -> dict[KeyKind, str]:
    """Rotate the project's keys as if it were ``now``; the old ones end at ``now + grace``."""
    with write_transaction(engine) as connection:
        return rotate_project_keys(connection, project.id, kinds, now=now, grace=grace)


def write_auth(project: CreatedProject) -> dict[str, str]:
    """Segment's way of sending the write key: HTTP Basic, key as user, no password."""
    return basic_auth(project.write_key)


def basic_auth(key: str) -> dict[str, str]:
    token = base64.b64encode(f"{key}:".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def secret_auth(project: CreatedProject) -> dict[str, str]:
    return bearer_auth(project.secret_key)


def bearer_auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def message(call_type: str = "track", **fields: Any) -> dict[str, Any]:
    """A valid Segment message of ``call_type``; ``fields`` override or add to it.

    A field given as ``None`` is left out of the message.
    """
    base: dict[str, Any] = {
        "type": call_type,
        "messageId": str(uuid.uuid4()),
        "anonymousId": "anon-1",
        "timestamp": "2026-11-25T10:00:00.000Z",
        "context": {"library": {"name": "tests", "version": "1"}},
    }
    base.update(_CALL_FIELDS.get(call_type, {}))
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def track(event: str | None = "Report Created", **fields: Any) -> dict[str, Any]:
    return message("track", event=event, **fields)


def ingest_messages(
    engine: Engine,
    project: CreatedProject,
    *messages: Any,
    received_at: datetime = RECEIVED_AT,
    sent_at: datetime | None = None,
) -> IngestResult:
    """Run the ingestion service on ``messages`` as one batch, without HTTP."""
    return ingest(
        engine,
        project.id,
        list(messages),
        defaults=BatchDefaults(sent_at=sent_at),
        received_at=received_at,
    )


def send_batch(client: TestClient, project: CreatedProject, *messages: Any) -> httpx2.Response:
    """``POST /v1/batch`` with the project's write key."""
    return client.post("/v1/batch", json={"batch": list(messages)}, headers=write_auth(project))


def stored_events(client: httpx2.Client, project: CreatedProject) -> list[dict[str, Any]]:
    """Every event stored for ``project``, oldest first, read back through the events API.

    ``client`` is a ``TestClient``, or an ``httpx2.Client`` whose base URL is a live server.
    """
    events: list[dict[str, Any]] = []
    params = {"limit": "1000"}
    while True:
        response = client.get("/api/v1/events", params=params, headers=secret_auth(project))
        response.raise_for_status()
        page = response.json()
        events += page["data"]
        if not page["has_more"]:
            return events
        params["cursor"] = page["next_cursor"]


def stored_message_ids(client: httpx2.Client, project: CreatedProject) -> list[str]:
    return [event["messageId"] for event in stored_events(client, project)]


def tour(**fields: Any) -> dict[str, Any]:
    """The doc's minimal tour body; ``fields`` override or add to it."""
    body: dict[str, Any] = {
        "name": "Welcome",
        "type": "tour",
        "steps": [{"title": "Hi", "body": "Welcome aboard"}],
    }
    return {**body, **fields}


def checklist(**fields: Any) -> dict[str, Any]:
    """The doc's minimal checklist body; ``fields`` override or add to it."""
    item = {"title": "Create a report", "completed_by": {"event": "Report Created"}}
    return {"name": "Get started", "type": "checklist", "items": [item], **fields}


def nps(**fields: Any) -> dict[str, Any]:
    """The doc's minimal NPS survey body; ``fields`` override or add to it."""
    return {"name": "NPS", "type": "nps", **fields}


def create_experience(
    engine: Engine, project: CreatedProject, kind: Kind, body: dict[str, Any]
) -> dict[str, Any]:
    """Store a flow or survey through the service; its resource as the admin API shows it."""
    resource = experiences.create_experience(engine, project.id, kind, body, now=datetime.now(UTC))
    shown: dict[str, Any] = orjson.loads(dumps(resource))
    return shown


def create_flow(engine: Engine, project: CreatedProject, **fields: Any) -> dict[str, Any]:
    """A tour (or, with ``type`` and its fields, any flow) of ``project``."""
    return create_experience(engine, project, "flow", tour(**fields))


def create_survey(engine: Engine, project: CreatedProject, **fields: Any) -> dict[str, Any]:
    """An NPS survey (or, with ``type``, any survey) of ``project``."""
    return create_experience(engine, project, "survey", nps(**fields))
