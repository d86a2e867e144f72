"""``/openapi.json``, generated from the marshmallow schemas the routes validate with."""

from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector import __version__
from collector.events.schemas import EventPageSchema, EventQuerySchema
from collector.http.responses import JSONResponse
from collector.ingest import schemas as ingest
from collector.persons.schemas import PersonSchema


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields")


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): {"description": "refused", **_json("Error")} for status in statuses}


def _ingest_paths(spec: APISpec) -> None:
    ingest_errors = _errors(400, 401, 413, 415, 422)
    spec.path(
        path="/v1/batch",
        operations={
            "post": {
                "summary": "Store several Segment messages; each invalid one is named",
                "security": [{"writeKey": []}],
                "requestBody": _json("Batch"),
                "responses": {
                    "200": {"description": "stored", **_json("IngestResult")},
                    **ingest_errors,
                },
            }
        },
    )
    for call_type, schema in ingest.SCHEMAS.items():
        spec.path(
            path=f"/v1/{call_type}",
            operations={
                "post": {
                    "summary": f"Store one {call_type} call",
                    "security": [{"writeKey": []}],
                    "requestBody": _json(type(schema).__name__.removesuffix("Schema")),
                    "responses": {
                        "200": {"description": "stored", **_json("IngestResult")},
                        **ingest_errors,
                    },
                }
            },
        )


def _admin_paths(spec: APISpec) -> None:
    spec.path(
        path="/api/v1/events",
        operations={
            "get": {
                "summary": "The project's events, oldest first, a page at a time or as NDJSON",
                "security": [{"secretKey": []}],
                "parameters": [{"in": "query", "schema": EventQuerySchema}],
                "responses": {
                    "200": {"description": "a page", **_json("EventPage")},
                    **_errors(400, 401, 403),
                },
            }
        },
    )
    spec.path(
        path="/api/v1/persons/{id}",
        operations={
            "get": {
                "summary": "A person by user id, anonymous id or person id",
                "security": [{"secretKey": []}],
                "parameters": [
                    {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "the person", **_json("Person")},
                    **_errors(401, 403, 404),
                },
            }
        },
    )


@cache
def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="Waypost collector",
        version=__version__,
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
    )
    spec.components.security_scheme("writeKey", {"type": "http", "scheme": "basic"})
    spec.components.security_scheme("secretKey", {"type": "http", "scheme": "bearer"})
    for name, schema in {
        "Batch": ingest.BatchSchema,
        "IngestResult": ingest.IngestResponseSchema,
        "EventPage": EventPageSchema,
        "Person": PersonSchema,
        "Error": ErrorSchema,
        **{type(s).__name__.removesuffix("Schema"): type(s) for s in ingest.SCHEMAS.values()},
    }.items():
        spec.components.schema(name, schema=schema)
    _ingest_paths(spec)
    _admin_paths(spec)
    return spec.to_dict()


async def openapi(request: Request) -> Response:
    return JSONResponse(build_spec())


route = Route("/openapi.json", openapi, methods=["GET"], name="openapi")
