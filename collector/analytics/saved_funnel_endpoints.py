"""``/api/v1/analytics/funnels`` (secret key): funnels saved by name, per project.

Changes are audited like every admin change (:mod:`collector.audit.middleware`); the saved
funnel also keeps who saved it, as the audit names them: a key's prefix or a dashboard
user's email.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.analytics import saved_funnels
from collector.analytics.saved_funnel_schemas import (
    SavedFunnelBodySchema,
    SavedFunnelListSchema,
    SavedFunnelSchema,
)
from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer
from collector.kit.http.body import JsonBody
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import text_param
from collector.kit.http.state import engine_of

MAX_BODY_BYTES = 64 * 1024
_body_of = JsonBody(SavedFunnelBodySchema, limit=MAX_BODY_BYTES)
"""The service validates the body itself, also checking the name is free."""
_funnel = Answer(SavedFunnelSchema)
_created = Answer(SavedFunnelSchema, status=201)
_listed = Answer(SavedFunnelListSchema)
_deleted = Answer(status=204, description="deleted", media=())


def _funnel_id(request: Request) -> uuid.UUID:
    return saved_funnels.parse_id(text_param(request.path_params["id"]))


async def list_funnels(request: Request) -> Response:
    project_id = caller_of(request).project_id
    found = await run_in_threadpool(saved_funnels.list_funnels, engine_of(request), project_id)
    return _listed.render({"data": found})


async def create_funnel(request: Request) -> Response:
    caller = caller_of(request)
    body = await _body_of.read(request)
    created = await run_in_threadpool(
        lambda: saved_funnels.create_funnel(
            engine_of(request), caller.project_id, body, actor=caller.actor, now=datetime.now(UTC)
        )
    )
    return _created.render(created)


async def get_funnel(request: Request) -> Response:
    project_id = caller_of(request).project_id
    found = await run_in_threadpool(
        saved_funnels.get_funnel, engine_of(request), project_id, _funnel_id(request)
    )
    return _funnel.render(found)


async def replace_funnel(request: Request) -> Response:
    caller = caller_of(request)
    funnel_id = _funnel_id(request)
    body = await _body_of.read(request)
    replaced = await run_in_threadpool(
        lambda: saved_funnels.replace_funnel(
            engine_of(request),
            caller.project_id,
            funnel_id,
            body,
            actor=caller.actor,
            now=datetime.now(UTC),
        )
    )
    return _funnel.render(replaced)


async def delete_funnel(request: Request) -> Response:
    project_id = caller_of(request).project_id
    funnel_id = _funnel_id(request)
    await run_in_threadpool(saved_funnels.delete_funnel, engine_of(request), project_id, funnel_id)
    return Response(status_code=204)


_KEY = Auth.SECRET_KEY
routes = [
    route(
        "/analytics/funnels",
        list_funnels,
        name="saved_funnels",
        get=Operation("The project's saved funnels, by name", _KEY, _listed),
    ),
    route(
        "/analytics/funnels",
        create_funnel,
        name="create_saved_funnel",
        post=Operation(
            "Save a funnel under a name unique in the project",
            _KEY,
            _created,
            body=_body_of,
            errors=(409,),
        ),
    ),
    route(
        "/analytics/funnels/{id}",
        get_funnel,
        name="get_saved_funnel",
        get=Operation("One saved funnel", _KEY, _funnel, errors=(404,)),
    ),
    route(
        "/analytics/funnels/{id}",
        replace_funnel,
        name="replace_saved_funnel",
        put=Operation(
            "Replace a saved funnel's name and definition",
            _KEY,
            _funnel,
            body=_body_of,
            errors=(404, 409),
        ),
    ),
    route(
        "/analytics/funnels/{id}",
        delete_funnel,
        name="delete_saved_funnel",
        delete=Operation("Delete a saved funnel", _KEY, _deleted, errors=(404,)),
    ),
]
