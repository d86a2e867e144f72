"""``GET /api/v1/persons/{id}`` (secret key): by user id, anonymous id or person id."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.auth.guards import project_for_secret_key
from collector.http.params import text_param
from collector.http.responses import JSONResponse
from collector.http.state import engine_of
from collector.persons.service import get_person


async def person(request: Request) -> Response:
    engine = engine_of(request)
    project_id = await run_in_threadpool(project_for_secret_key, engine, request)
    key = text_param(request.path_params["id"])
    found = await run_in_threadpool(get_person, engine, project_id, key)
    return JSONResponse(found)


routes = [Route("/persons/{id:path}", person, methods=["GET"], name="get_person")]
