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

from collector.dashboard.users import add_membership, create_user
from collector.experiences import service as experiences
from collector.experiences.schemas import Kind
from collector.ingest.service import IngestResult, ingest
from collector.kit.auth.keys import KeyKind
from collector.kit.db.engine import write_transaction
from collector.kit.http.responses import dumps
from collector.kit.messages import BatchDefaults
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


# --- the whole loop over HTTP: define, deliver, report back, read -----------------------------


def iso(moment: datetime) -> str:
    """A message timestamp as SDKs send it: ISO 8601 in UTC with milliseconds."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def moments_ago(seconds: float = 0) -> str:
    """An ISO timestamp ``seconds`` before the wall clock, which delivery decides with."""
    return iso(datetime.now(UTC) - timedelta(seconds=seconds))


def reserved(
    event: str,
    experience: dict[str, Any],
    properties: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A reserved track event about ``experience`` (a flow or survey as the admin API shows it).

    Its properties name the experience and its current version, plus ``properties``; it is
    sent just now by ``user-1`` unless message ``fields`` (``userId``, ``anonymousId``,
    ``messageId``, ``timestamp``…) say otherwise.
    """
    key = "survey_id" if event.startswith("Survey") else "flow_id"
    props = {key: experience["id"], "version": experience["version"], **(properties or {})}
    return track(event, properties=props, **by_user(fields))


def tracked(event: str, properties: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """An ordinary track event sent just now by ``user-1``, unless ``fields`` say otherwise."""
    return track(event, properties=properties or {}, **by_user(fields))


def by_user(fields: dict[str, Any]) -> dict[str, Any]:
    """Message fields of a call made just now by ``user-1``, unless ``fields`` say otherwise."""
    fields = dict(fields)
    if "userId" not in fields and "anonymousId" not in fields:
        fields["userId"] = "user-1"
    fields.setdefault("anonymousId", None)
    fields.setdefault("timestamp", moments_ago())
    return fields


def define(
    client: TestClient, project: CreatedProject, kind: Kind, body: dict[str, Any]
) -> dict[str, Any]:
    """``POST /api/v1/flows`` or ``/surveys`` that must answer 201; the created resource."""
    response = client.post(f"/api/v1/{kind}s", json=body, headers=secret_auth(project))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def report(client: TestClient, project: CreatedProject, *messages: Any) -> dict[str, Any]:
    """``POST /v1/batch`` that must answer 200; its body (accepted, rejected)."""
    response = send_batch(client, project, *messages)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def flows_for(
    client: TestClient, project: CreatedProject, **params: str
) -> dict[str, list[dict[str, Any]]]:
    """``GET /v1/flows`` with the write key that must answer 200: flows and surveys."""
    response = client.get("/v1/flows", params=params, headers=write_auth(project))
    assert response.status_code == 200, response.text
    body: dict[str, list[dict[str, Any]]] = response.json()
    return body


def delivered_ids(client: TestClient, project: CreatedProject, **params: str) -> list[str]:
    """Ids of the flows, then the surveys, ``GET /v1/flows`` offers, each in its order."""
    body = flows_for(client, project, **params)
    return [entry["id"] for entry in [*body["flows"], *body["surveys"]]]


def decisions(
    client: TestClient, project: CreatedProject, person: str, **params: str
) -> dict[str, dict[str, Any]]:
    """``GET /api/v1/persons/{person}/eligibility``: each live experience's decision by id."""
    response = client.get(
        f"/api/v1/persons/{person}/eligibility", params=params, headers=secret_auth(project)
    )
    assert response.status_code == 200, response.text
    return {entry["id"]: entry for entry in response.json()["experiences"]}


def update_project(
    client: TestClient, project: CreatedProject, settings: dict[str, Any]
) -> dict[str, Any]:
    """``PATCH /api/v1/project`` that must answer 200; the project as it now is."""
    response = client.patch(
        "/api/v1/project", json={"settings": settings}, headers=secret_auth(project)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def lift_project_caps(client: TestClient, project: CreatedProject) -> None:
    """No per-session cap nor survey gap: every eligible experience is delivered at once."""
    update_project(
        client, project, {"throttle": {"max_per_session": None, "survey_gap_days": None}}
    )


def admin_get(
    client: TestClient, project: CreatedProject, path: str, **params: str
) -> dict[str, Any]:
    """A secret-key ``GET`` of the admin API that must answer 200; its JSON body."""
    response = client.get(path, params=params, headers=secret_auth(project))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- dashboard users ---------------------------------------------------------------------------

DASHBOARD_PASSWORD = "correct horse battery staple"


def create_dashboard_user(
    engine: Engine, *projects: CreatedProject, password: str = DASHBOARD_PASSWORD
) -> str:
    """A dashboard user (a fresh address) who belongs to ``projects``; their email."""
    email = f"member-{uuid.uuid4().hex[:12]}@example.com"
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        create_user(connection, email, password, now=now)
        for project in projects:
            add_membership(connection, email, project.id, now=now)
    return email


def sign_in(client: TestClient, email: str, password: str = DASHBOARD_PASSWORD) -> dict[str, Any]:
    """``POST /dashboard/api/session`` that must answer 200; the session view (CSRF token…).

    The client keeps the session cookie for the calls that follow.
    """
    response = client.post("/dashboard/api/session", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    view: dict[str, Any] = response.json()
    return view
