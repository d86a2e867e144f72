"""``GET /api/v1/persons/{id}`` (secret key): by user id, anonymous id or person id; and
``GET /api/v1/persons/{id}/export``: everything held about them."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.analytics.persons.export import export_person
from collector.analytics.persons.service import get_person
from collector.kit.auth.callers import caller_of
from collector.kit.http.params import text_param
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of


async def person(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    key = text_param(request.path_params["id"])
    found = await run_in_threadpool(get_person, engine, project_id, key)
    return JSONResponse(found)


async def export(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    key = text_param(request.path_params["id"])
    found = await run_in_threadpool(export_person, engine, project_id, key, datetime.now(UTC))
    return JSONResponse(found)


routes = [
    Route("/persons/{id:path}/export", export, methods=["GET"], name="export_person"),
    Route("/persons/{id:path}", person, methods=["GET"], name="get_person"),
]
