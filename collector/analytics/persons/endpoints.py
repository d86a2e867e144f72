"""``GET /api/v1/persons/{id}`` (secret key): by user id, anonymous id or person id; and
``GET /api/v1/persons/{id}/export``: everything held about them."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.analytics.persons.export import export_person
from collector.analytics.persons.schemas import PersonExportSchema, PersonSchema
from collector.analytics.persons.service import get_person
from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import text_param
from collector.kit.http.state import engine_of

_person = Answer(PersonSchema)
_export = Answer(PersonExportSchema)


async def person(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    key = text_param(request.path_params["id"])
    found = await run_in_threadpool(get_person, engine, project_id, key)
    return _person.render(found)


async def export(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    key = text_param(request.path_params["id"])
    found = await run_in_threadpool(export_person, engine, project_id, key, datetime.now(UTC))
    return _export.render(found)


routes = [
    route(
        "/persons/{id:path}/export",
        export,
        name="export_person",
        get=Operation(
            "Everything held about a person (right of access)",
            Auth.SECRET_KEY,
            _export,
            errors=(404,),
        ),
    ),
    route(
        "/persons/{id:path}",
        person,
        name="get_person",
        get=Operation(
            "A person by user id, anonymous id or person id",
            Auth.SECRET_KEY,
            _person,
            errors=(404,),
        ),
    ),
]
