"""``/api/v1/analytics/funnels`` (secret key): funnels saved by name, per project.

Changes are audited like every admin change (:mod:`collector.audit.middleware`); the saved
funnel also keeps who saved it, as the audit names them: a key's prefix or a dashboard
user's email.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.analytics import saved_funnels
from collector.kit.auth.callers import caller_of
from collector.kit.errors import MalformedBody
from collector.kit.http.body import read_json
from collector.kit.http.params import text_param
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of

MAX_BODY_BYTES = 64 * 1024


async def _body(request: Request) -> dict[str, Any]:
    body = await read_json(request, MAX_BODY_BYTES)
    if not isinstance(body, dict):
        raise MalformedBody("body must be a JSON object")
    return body


def _funnel_id(request: Request) -> uuid.UUID:
    return saved_funnels.parse_id(text_param(request.path_params["id"]))


async def list_funnels(request: Request) -> Response:
    project_id = caller_of(request).project_id
    found = await run_in_threadpool(saved_funnels.list_funnels, engine_of(request), project_id)
    return JSONResponse({"data": found})


async def create_funnel(request: Request) -> Response:
    caller = caller_of(request)
    body = await _body(request)
    created = await run_in_threadpool(
        lambda: saved_funnels.create_funnel(
            engine_of(request), caller.project_id, body, actor=caller.actor, now=datetime.now(UTC)
        )
    )
    return JSONResponse(created, status_code=201)


async def get_funnel(request: Request) -> Response:
    project_id = caller_of(request).project_id
    found = await run_in_threadpool(
        saved_funnels.get_funnel, engine_of(request), project_id, _funnel_id(request)
    )
    return JSONResponse(found)


async def replace_funnel(request: Request) -> Response:
    caller = caller_of(request)
    funnel_id = _funnel_id(request)
    body = await _body(request)
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
    return JSONResponse(replaced)


async def delete_funnel(request: Request) -> Response:
    project_id = caller_of(request).project_id
    funnel_id = _funnel_id(request)
    await run_in_threadpool(saved_funnels.delete_funnel, engine_of(request), project_id, funnel_id)
    return Response(status_code=204)


routes = [
    Route("/analytics/funnels", list_funnels, methods=["GET"], name="saved_funnels"),
    Route("/analytics/funnels", create_funnel, methods=["POST"], name="create_saved_funnel"),
    Route("/analytics/funnels/{id}", get_funnel, methods=["GET"], name="get_saved_funnel"),
    Route("/analytics/funnels/{id}", replace_funnel, methods=["PUT"], name="replace_saved_funnel"),
    Route("/analytics/funnels/{id}", delete_funnel, methods=["DELETE"], name="delete_saved_funnel"),
]
