"""``GET`` and ``PATCH /api/v1/project``: the calling project's details and settings;
``GET /api/v1/project/keys`` and ``POST /api/v1/project/keys/rotate``: its keys."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.kit.auth.callers import Caller, caller_of
from collector.kit.auth.keys import KeyKind
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.http.answers import Answer
from collector.kit.http.body import JsonBody
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.state import app_state, engine_of, settings_of
from collector.projects.results import ProjectDetail, RotatedKeys
from collector.projects.schemas import (
    ApiKeyListSchema,
    KeyRotationSchema,
    ProjectSchema,
    ProjectUpdateSchema,
    RotatedKeysSchema,
)
from collector.projects.service import (
    list_keys,
    project_details,
    rotate_project_keys,
    update_settings,
)

MAX_SETTINGS_BYTES = 16 * 1024
MAX_ROTATION_BYTES = 1024
_update = JsonBody(
    ProjectUpdateSchema, limit=MAX_SETTINGS_BYTES, invalid="invalid project settings"
)
_rotation = JsonBody(KeyRotationSchema, limit=MAX_ROTATION_BYTES, invalid="invalid key rotation")
_project_answer = Answer(ProjectSchema)
_keys_list = Answer(ApiKeyListSchema)
_rotated = Answer(RotatedKeysSchema)


def _details(engine: Engine, project_id: uuid.UUID) -> ProjectDetail:
    with read_transaction(engine) as connection:
        return project_details(connection, project_id)


def _update_settings(
    engine: Engine, project_id: uuid.UUID, changes: dict[str, Any]
) -> ProjectDetail:
    with write_transaction(engine) as connection:
        return update_settings(connection, project_id, changes)


def _for_caller(caller: Caller, details: ProjectDetail) -> ProjectDetail:
    """Keep the identity secret on servers: a dashboard session is a browser, a key is not."""
    if caller.credential == "session":
        details.pop("identity_secret", None)
    return details


async def project(request: Request) -> Response:
    engine = engine_of(request)
    caller = caller_of(request)
    if request.method == "GET":
        details = await run_in_threadpool(_details, engine, caller.project_id)
        return _project_answer.render(_for_caller(caller, details))
    changes = (await _update.load(request))["settings"]
    details = await run_in_threadpool(_update_settings, engine, caller.project_id, changes)
    return _project_answer.render(_for_caller(caller, details))


def _keys(engine: Engine, project_id: uuid.UUID) -> list[dict[str, Any]]:
    with read_transaction(engine) as connection:
        found = list_keys(connection, project_id, now=datetime.now(UTC))
    return [vars(key) for key in found]


def _rotate(
    engine: Engine, caller: Caller, kinds: tuple[KeyKind, ...], grace: timedelta
) -> RotatedKeys:
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        new_keys = rotate_project_keys(
            connection, caller.project_id, kinds, now=now, grace=grace, actor=caller.actor
        )
    rotated: RotatedKeys = {"old_keys_expire_at": now + grace}
    if "write" in new_keys:
        rotated["write_key"] = new_keys["write"]
    if "secret" in new_keys:
        rotated["secret_key"] = new_keys["secret"]
    return rotated


async def keys(request: Request) -> Response:
    project_id = caller_of(request).project_id
    return _keys_list.render(
        {"data": await run_in_threadpool(_keys, engine_of(request), project_id)}
    )


async def rotate_keys(request: Request) -> Response:
    """New keys, shown once. Rotating the secret key with itself does not lock the caller
    out: the key that called keeps working for the grace period like any other.

    This app forgets the project's keys once the rotation is committed, so an old key
    whose grace is over is refused by the very next request; other processes see it
    within the key cache's lifetime (:mod:`collector.kit.auth.cache`)."""
    caller = caller_of(request)
    rotation = await _rotation.load(request)
    grace = rotation.get("grace_seconds", settings_of(request).key_grace_seconds)
    kinds = tuple(cast(KeyKind, kind) for kind in rotation["kinds"])
    state = app_state(request)
    rotated = await run_in_threadpool(
        _rotate, state["engine"], caller, kinds, timedelta(seconds=grace)
    )
    state["key_owners"].forget_project(caller.project_id)
    return _rotated.render(rotated)


routes = [
    route(
        "/project",
        project,
        name="project",
        get=Operation("The project's details and settings", Auth.SECRET_KEY, _project_answer),
        patch=Operation(
            "Change the project's settings", Auth.SECRET_KEY, _project_answer, body=_update
        ),
    ),
    route(
        "/project/keys",
        keys,
        name="project_keys",
        get=Operation(
            "The project's working keys (current and rotated out), by their first characters",
            Auth.SECRET_KEY,
            _keys_list,
        ),
    ),
    route(
        "/project/keys/rotate",
        rotate_keys,
        name="rotate_project_keys",
        post=Operation(
            "New keys, shown once; the old ones keep working for the grace period",
            Auth.SECRET_KEY,
            _rotated,
            body=_rotation,
        ),
    ),
]
