"""``GET`` and ``PATCH /api/v1/project``: the calling project's details and settings;
``GET /api/v1/project/keys`` and ``POST /api/v1/project/keys/rotate``: its keys."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from marshmallow import ValidationError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.kit.auth.callers import Caller, caller_of
from collector.kit.auth.keys import KeyKind
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.errors import MalformedBody, ValidationFailed
from collector.kit.http.body import read_json
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import app_state, engine_of, settings_of
from collector.projects.schemas import KeyRotationSchema, ProjectUpdateSchema
from collector.projects.service import (
    list_keys,
    project_details,
    rotate_project_keys,
    update_settings,
)

MAX_SETTINGS_BYTES = 16 * 1024
MAX_ROTATION_BYTES = 1024
_update = ProjectUpdateSchema()
_rotation = KeyRotationSchema()


def _details(engine: Engine, project_id: uuid.UUID) -> dict[str, Any]:
    with read_transaction(engine) as connection:
        return project_details(connection, project_id)


def _update_settings(
    engine: Engine, project_id: uuid.UUID, changes: dict[str, Any]
) -> dict[str, Any]:
    with write_transaction(engine) as connection:
        return update_settings(connection, project_id, changes)


def _for_caller(caller: Caller, details: dict[str, Any]) -> dict[str, Any]:
    """Keep the identity secret on servers: a dashboard session is a browser, a key is not."""
    if caller.credential == "session":
        details.pop("identity_secret", None)
    return details


async def project(request: Request) -> Response:
    engine = engine_of(request)
    caller = caller_of(request)
    if request.method == "GET":
        details = await run_in_threadpool(_details, engine, caller.project_id)
        return JSONResponse(_for_caller(caller, details))
    body = await read_json(request, MAX_SETTINGS_BYTES)
    if not isinstance(body, dict):
        raise MalformedBody("body must be a JSON object")
    try:
        changes = _update.load(body)["settings"]
    except ValidationError as error:
        raise ValidationFailed("invalid project settings", fields=error.messages_dict) from None
    details = await run_in_threadpool(_update_settings, engine, caller.project_id, changes)
    return JSONResponse(_for_caller(caller, details))


def _keys(engine: Engine, project_id: uuid.UUID) -> list[dict[str, Any]]:
    with read_transaction(engine) as connection:
        found = list_keys(connection, project_id, now=datetime.now(UTC))
    return [vars(key) for key in found]


def _rotate(
    engine: Engine, caller: Caller, kinds: tuple[KeyKind, ...], grace: timedelta
) -> dict[str, Any]:
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        new_keys = rotate_project_keys(
            connection, caller.project_id, kinds, now=now, grace=grace, actor=caller.actor
        )
    return {
        **{f"{kind}_key": key for kind, key in new_keys.items()},
        "old_keys_expire_at": now + grace,
    }


async def keys(request: Request) -> Response:
    project_id = caller_of(request).project_id
    return JSONResponse({"data": await run_in_threadpool(_keys, engine_of(request), project_id)})


async def rotate_keys(request: Request) -> Response:
    """New keys, shown once. Rotating the secret key with itself does not lock the caller
    out: the key that called keeps working for the grace period like any other.

    This app forgets the project's keys once the rotation is committed, so an old key
    whose grace is over is refused by the very next request; other processes see it
    within the key cache's lifetime (:mod:`collector.kit.auth.cache`)."""
    caller = caller_of(request)
    body = await read_json(request, MAX_ROTATION_BYTES)
    if not isinstance(body, dict):
        raise MalformedBody("body must be a JSON object")
    try:
        rotation = _rotation.load(body)
    except ValidationError as error:
        raise ValidationFailed("invalid key rotation", fields=error.messages_dict) from None
    grace = rotation.get("grace_seconds", settings_of(request).key_grace_seconds)
    kinds = tuple(cast(KeyKind, kind) for kind in rotation["kinds"])
    state = app_state(request)
    rotated = await run_in_threadpool(
        _rotate, state["engine"], caller, kinds, timedelta(seconds=grace)
    )
    state["key_owners"].forget_project(caller.project_id)
    return JSONResponse(rotated)


routes = [
    Route("/project", project, methods=["GET", "PATCH"], name="project"),
    Route("/project/keys", keys, methods=["GET"], name="project_keys"),
    Route("/project/keys/rotate", rotate_keys, methods=["POST"], name="rotate_project_keys"),
]
