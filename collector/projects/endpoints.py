"""``GET`` and ``PATCH /api/v1/project``: the calling project's details and settings."""

from __future__ import annotations

import uuid
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.auth.guards import bearer_token, project_for_secret_key
from collector.db.engine import read_transaction, write_transaction
from collector.errors import MalformedBody, ValidationFailed
from collector.http.body import read_json
from collector.http.responses import JSONResponse
from collector.http.state import engine_of
from collector.projects.schemas import ProjectUpdateSchema
from collector.projects.service import project_details, update_settings

MAX_SETTINGS_BYTES = 16 * 1024
_update = ProjectUpdateSchema()


def _details(engine: Engine, project_id: uuid.UUID) -> dict[str, Any]:
    with read_transaction(engine) as connection:
        return project_details(connection, project_id)


def _update_settings(
    engine: Engine, project_id: uuid.UUID, changes: dict[str, Any]
) -> dict[str, Any]:
    with write_transaction(engine) as connection:
        return update_settings(connection, project_id, changes)


def _for_caller(request: Request, details: dict[str, Any]) -> dict[str, Any]:
    """Keep the identity secret on servers: a dashboard session is a browser, a key is not."""
    if bearer_token(request) is None:
        details.pop("identity_secret", None)
    return details


async def project(request: Request) -> Response:
    engine = engine_of(request)
    project_id = await run_in_threadpool(project_for_secret_key, engine, request)
    if request.method == "GET":
        details = await run_in_threadpool(_details, engine, project_id)
        return JSONResponse(_for_caller(request, details))
    body = await read_json(request, MAX_SETTINGS_BYTES)
    if not isinstance(body, dict):
        raise MalformedBody("body must be a JSON object")
    try:
        changes = _update.load(body)["settings"]
    except ValidationError as error:
        raise ValidationFailed("invalid project settings", fields=error.messages_dict) from None
    details = await run_in_threadpool(_update_settings, engine, project_id, changes)
    return JSONResponse(_for_caller(request, details))


routes = [Route("/project", project, methods=["GET", "PATCH"], name="project")]
