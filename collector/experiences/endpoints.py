"""``/api/v1/flows`` and ``/api/v1/surveys`` (secret key): the same routes for both kinds.

Another project's experience answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.experiences import service
from collector.experiences.schemas import QUERY_SCHEMAS, Kind
from collector.kit.auth.callers import caller_of
from collector.kit.errors import MalformedBody
from collector.kit.http.body import read_json
from collector.kit.http.params import parse_query
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of

MAX_DEFINITION_BYTES = 1024 * 1024
"""Room for 50 steps with a few translations of long texts each."""

_queries = {kind: schema() for kind, schema in QUERY_SCHEMAS.items()}


async def _json_object(request: Request) -> dict[str, Any]:
    body = await read_json(request, MAX_DEFINITION_BYTES)
    if not isinstance(body, dict):
        raise MalformedBody("body must be a JSON object")
    return body


async def list_experiences(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    params = parse_query(request, _queries[kind])
    found = await run_in_threadpool(
        service.list_experiences,
        engine_of(request),
        project_id,
        kind,
        status=params.get("status"),
        type_=params.get("type"),
    )
    return JSONResponse({"data": found})


async def create_experience(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    body = await _json_object(request)
    created = await run_in_threadpool(
        service.create_experience,
        engine_of(request),
        project_id,
        kind,
        body,
        now=datetime.now(UTC),
    )
    return JSONResponse(created, status_code=201)


async def get_experience(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    experience_id = service.parse_id(request.path_params["id"], kind)
    found = await run_in_threadpool(
        service.get_experience, engine_of(request), project_id, kind, experience_id
    )
    return JSONResponse(found)


async def update_experience(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    experience_id = service.parse_id(request.path_params["id"], kind)
    patch = await _json_object(request)
    updated = await run_in_threadpool(
        service.update_experience,
        engine_of(request),
        project_id,
        kind,
        experience_id,
        patch,
        now=datetime.now(UTC),
    )
    return JSONResponse(updated)


async def archive_experience(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    experience_id = service.parse_id(request.path_params["id"], kind)
    archived = await run_in_threadpool(
        service.archive_experience,
        engine_of(request),
        project_id,
        kind,
        experience_id,
        now=datetime.now(UTC),
    )
    return JSONResponse(archived)


async def get_version(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    experience_id = service.parse_id(request.path_params["id"], kind)
    found = await run_in_threadpool(
        service.get_version,
        engine_of(request),
        project_id,
        kind,
        experience_id,
        request.path_params["version"],
    )
    return JSONResponse(found)


def _routes(kind: Kind, plural: str) -> list[Route]:
    one = f"/{plural}/{{id}}"
    return [
        Route(
            f"/{plural}",
            partial(list_experiences, kind=kind),
            methods=["GET"],
            name=f"list_{plural}",
        ),
        Route(
            f"/{plural}",
            partial(create_experience, kind=kind),
            methods=["POST"],
            name=f"create_{kind}",
        ),
        Route(one, partial(get_experience, kind=kind), methods=["GET"], name=f"get_{kind}"),
        Route(one, partial(update_experience, kind=kind), methods=["PATCH"], name=f"update_{kind}"),
        Route(
            one, partial(archive_experience, kind=kind), methods=["DELETE"], name=f"archive_{kind}"
        ),
        Route(
            f"{one}/versions/{{version:int}}",
            partial(get_version, kind=kind),
            methods=["GET"],
            name=f"get_{kind}_version",
        ),
    ]


routes = [*_routes("flow", "flows"), *_routes("survey", "surveys")]
