"""``/api/v1/flows`` and ``/api/v1/surveys`` (secret key): the same routes for both kinds.

Another project's experience answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.experiences import service
from collector.experiences.schemas import (
    QUERY_SCHEMAS,
    RESOURCE_SCHEMAS,
    SCHEMAS,
    VERSION_SCHEMAS,
    Kind,
)
from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer, OneOf
from collector.kit.http.body import JsonBody
from collector.kit.http.openapi import Auth, Operation, OperationRoute, route
from collector.kit.http.params import parse_query
from collector.kit.http.state import engine_of

MAX_DEFINITION_BYTES = 1024 * 1024
"""Room for 50 steps with a few translations of long texts each."""

_queries = {kind: schema() for kind, schema in QUERY_SCHEMAS.items()}
_definitions = {kind: {"oneOf": list(types.values())} for kind, types in SCHEMAS.items()}
"""A body is one of the kind's types, each validated by its own schema in the service."""
_create = {
    kind: JsonBody(limit=MAX_DEFINITION_BYTES, document=d) for kind, d in _definitions.items()
}
_resources = {kind: OneOf("type", types) for kind, types in RESOURCE_SCHEMAS.items()}
_one = {kind: Answer(r, description=f"the {kind}") for kind, r in _resources.items()}
_created = {
    kind: Answer(r, status=201, description="created, as version 1")
    for kind, r in _resources.items()
}
_list = {
    kind: Answer(
        {
            "type": "object",
            "properties": {"data": {"type": "array", "items": r.document()}},
            "required": ["data"],
            "additionalProperties": False,
        },
        description=f"every matching {kind}",
    )
    for kind, r in _resources.items()
}
_version = {
    kind: Answer(OneOf("type", types), description="that version")
    for kind, types in VERSION_SCHEMAS.items()
}
_patch = JsonBody(
    limit=MAX_DEFINITION_BYTES,
    document={"type": "object", "description": "fields of the type, each replacing its value"},
)


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
    return _list[kind].render({"data": [_resources[kind].shaped(one) for one in found]})


async def create_experience(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    body = await _create[kind].read(request)
    created = await run_in_threadpool(
        service.create_experience,
        engine_of(request),
        project_id,
        kind,
        body,
        now=datetime.now(UTC),
    )
    return _created[kind].render(created)


async def get_experience(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    experience_id = service.parse_id(request.path_params["id"], kind)
    found = await run_in_threadpool(
        service.get_experience, engine_of(request), project_id, kind, experience_id
    )
    return _one[kind].render(found)


async def update_experience(request: Request, *, kind: Kind) -> Response:
    project_id = caller_of(request).project_id
    experience_id = service.parse_id(request.path_params["id"], kind)
    patch = await _patch.read(request)
    updated = await run_in_threadpool(
        service.update_experience,
        engine_of(request),
        project_id,
        kind,
        experience_id,
        patch,
        now=datetime.now(UTC),
    )
    return _one[kind].render(updated)


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
    return _one[kind].render(archived)


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
    return _version[kind].render(found)


def _collection_routes(kind: Kind, plural: str) -> list[OperationRoute]:
    key = Auth.SECRET_KEY
    return [
        route(
            f"/{plural}",
            partial(list_experiences, kind=kind),
            name=f"list_{plural}",
            get=Operation(
                f"The project's {kind}s, oldest first; archived ones if asked by status",
                key,
                _list[kind],
                query=QUERY_SCHEMAS[kind],
            ),
        ),
        route(
            f"/{plural}",
            partial(create_experience, kind=kind),
            name=f"create_{kind}",
            post=Operation(
                f"Create a {kind}; its type names the fields it takes",
                key,
                _created[kind],
                body=_create[kind],
            ),
        ),
    ]


def _item_routes(kind: Kind, plural: str) -> list[OperationRoute]:
    one = f"/{plural}/{{id}}"
    key = Auth.SECRET_KEY
    return [
        route(
            one,
            partial(get_experience, kind=kind),
            name=f"get_{kind}",
            get=Operation(f"One {kind}", key, _one[kind], errors=(404,)),
        ),
        route(
            one,
            partial(update_experience, kind=kind),
            name=f"update_{kind}",
            patch=Operation(
                f"Change fields of a {kind}; a change of content makes a new version",
                key,
                _one[kind],
                body=_patch,
                errors=(404,),
            ),
        ),
        route(
            one,
            partial(archive_experience, kind=kind),
            name=f"archive_{kind}",
            delete=Operation(
                f"Archive a {kind}; its answers and progress are kept",
                key,
                _one[kind],
                errors=(404,),
            ),
        ),
        route(
            f"{one}/versions/{{version:int}}",
            partial(get_version, kind=kind),
            name=f"get_{kind}_version",
            get=Operation(
                f"A {kind} as it was at one version",
                key,
                _version[kind],
                errors=(404,),
            ),
        ),
    ]


def _routes(kind: Kind, plural: str) -> list[OperationRoute]:
    return [*_collection_routes(kind, plural), *_item_routes(kind, plural)]


routes = [*_routes("flow", "flows"), *_routes("survey", "surveys")]
