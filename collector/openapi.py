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
from collector.analytics import openapi as analytics_openapi
from collector.analytics.accounts import openapi as account_openapi
from collector.analytics.events.schemas import EventPageSchema, EventQuerySchema
from collector.analytics.flows import openapi as onboarding_openapi
from collector.analytics.persons import openapi as person_openapi
from collector.analytics.persons.schemas import PersonSchema
from collector.analytics.responses.schemas import (
    ProgressReportSchema,
    ResponsePageSchema,
    ResponseQuerySchema,
)
from collector.analytics.surveys import openapi as survey_openapi
from collector.dashboard import openapi as dashboard_openapi
from collector.delivery.schemas import (
    DeliveryQuerySchema,
    DeliverySchema,
    EligibilityReportSchema,
    PageSchema,
)
from collector.experiences import schemas as experiences
from collector.ingest import schemas as ingest
from collector.kit.fields import IsoDateTime
from collector.kit.http.params import PageQuerySchema
from collector.kit.http.responses import JSONResponse
from collector.ops import openapi as ops_openapi
from collector.projects import openapi as project_openapi
from collector.projects.schemas import ProjectSchema, ProjectUpdateSchema
from collector.sdkfiles import openapi as sdkfiles_openapi
from collector.webhooks import openapi as webhook_openapi


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


def _experience_components(spec: APISpec) -> dict[experiences.Kind, list[str]]:
    """The schema of every flow and survey type; the names of each kind's."""
    names: dict[experiences.Kind, list[str]] = {}
    for kind, schemas in experiences.SCHEMAS.items():
        for schema in schemas.values():
            name = schema.__name__.removesuffix("Schema")
            spec.components.schema(name, schema=schema)
            names.setdefault(kind, []).append(name)
    spec.components.schema("ExperienceMeta", schema=experiences.ExperienceMetaSchema)
    spec.components.schema("ExperienceVersionMeta", schema=experiences.ExperienceVersionMetaSchema)
    return names


def _json_of(schema: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _collection_operations(
    kind: experiences.Kind, definition: Any, answered: Any
) -> dict[str, Any]:
    listing = {"type": "object", "properties": {"data": {"type": "array", "items": answered}}}
    return {
        "get": {
            "summary": f"The project's {kind}s, oldest first; archived ones if asked by status",
            "security": [{"secretKey": []}],
            "parameters": [{"in": "query", "schema": experiences.QUERY_SCHEMAS[kind]}],
            "responses": {
                "200": {"description": f"every matching {kind}", **_json_of(listing)},
                **_errors(400, 401, 403),
            },
        },
        "post": {
            "summary": f"Create a {kind}; its type names the fields it takes",
            "security": [{"secretKey": []}],
            "requestBody": _json_of(definition),
            "responses": {
                "201": {"description": "created, as version 1", **_json_of(answered)},
                **_errors(400, 401, 403, 413, 415, 422),
            },
        },
    }


def _item_operations(kind: str, answered: Any) -> dict[str, Any]:
    path_id = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
    common = {"security": [{"secretKey": []}], "parameters": [path_id]}
    found = {"description": f"the {kind}", **_json_of(answered)}
    patch = {"type": "object", "description": "fields of the type, each replacing its value"}
    return {
        "get": {
            **common,
            "summary": f"One {kind}",
            "responses": {"200": found, **_errors(401, 403, 404)},
        },
        "patch": {
            **common,
            "summary": f"Change fields of a {kind}; a change of content makes a new version",
            "requestBody": _json_of(patch),
            "responses": {"200": found, **_errors(400, 401, 403, 404, 413, 415, 422)},
        },
        "delete": {
            **common,
            "summary": f"Archive a {kind}; its answers and progress are kept",
            "responses": {"200": found, **_errors(401, 403, 404)},
        },
    }


def _version_operations(kind: str, definition: Any) -> dict[str, Any]:
    path_id = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
    number = {"in": "path", "name": "version", "required": True, "schema": {"type": "integer"}}
    version = {"allOf": ["ExperienceVersionMeta", definition]}
    return {
        "get": {
            "summary": f"A {kind} as it was at one version",
            "security": [{"secretKey": []}],
            "parameters": [path_id, number],
            "responses": {
                "200": {"description": "that version", **_json_of(version)},
                **_errors(401, 403, 404),
            },
        }
    }


def _experience_paths(spec: APISpec) -> None:
    """``/api/v1/flows`` and ``/api/v1/surveys``: a body is one of the kind's types."""
    for kind, types in _experience_components(spec).items():
        definition = {"oneOf": types}
        answered = {"allOf": ["ExperienceMeta", definition]}
        base = f"/api/v1/{kind}s"
        spec.path(path=base, operations=_collection_operations(kind, definition, answered))
        spec.path(path=f"{base}/{{id}}", operations=_item_operations(kind, answered))
        spec.path(
            path=f"{base}/{{id}}/versions/{{version}}",
            operations=_version_operations(kind, definition),
        )


def _operation(
    summary: str, security: str | None, ok: str, *errors: int, **extra: Any
) -> dict[str, Any]:
    return {
        "summary": summary,
        **({"security": [{security: []}]} if security else {}),
        **extra,
        "responses": {"200": {"description": "ok", **_json(ok)}, **_errors(*errors)},
    }


def _delivery_paths(spec: APISpec) -> None:
    spec.path(
        path="/v1/flows",
        operations={
            "get": _operation(
                "The live flows and surveys this person is eligible for now",
                "writeKey",
                "Delivery",
                400,
                401,
                403,
                parameters=[{"in": "query", "schema": DeliveryQuerySchema}],
            )
        },
    )
    spec.path(
        path="/api/v1/persons/{id}/eligibility",
        operations={
            "get": _operation(
                "Every live experience with the decision for this person, and why",
                "secretKey",
                "EligibilityReport",
                400,
                401,
                403,
                404,
                parameters=[
                    {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}},
                    {"in": "query", "schema": PageSchema},
                ],
            )
        },
    )
    spec.path(
        path="/api/v1/project",
        operations={
            "get": _operation(
                "The project's details and settings", "secretKey", "Project", 401, 403
            ),
            "patch": _operation(
                "Change the project's settings",
                "secretKey",
                "Project",
                400,
                401,
                403,
                422,
                requestBody=_json("ProjectUpdate"),
            ),
        },
    )


def _answer_paths(spec: APISpec) -> None:
    item = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
    spec.path(
        path="/api/v1/surveys/{id}/responses",
        operations={
            "get": _operation(
                "A survey's typed answers, a page at a time, or all as CSV or NDJSON",
                "secretKey",
                "ResponsePage",
                400,
                401,
                403,
                404,
                parameters=[item, {"in": "query", "schema": ResponseQuerySchema}],
            )
        },
    )
    spec.path(
        path="/api/v1/flows/{id}/progress",
        operations={
            "get": _operation(
                "How many people are at each status of a flow, and a page of them",
                "secretKey",
                "ProgressReport",
                400,
                401,
                403,
                404,
                parameters=[item, {"in": "query", "schema": PageQuerySchema}],
            )
        },
    )


def _ops_paths(spec: APISpec) -> None:
    for path, summary in (
        ("/health", "The process is up"),
        ("/ready", "The database is reachable and migrated (503 otherwise)"),
        ("/openapi.json", "This document"),
    ):
        spec.path(
            path=path,
            operations={"get": {"summary": summary, "responses": {"200": {"description": "ok"}}}},
        )


@cache
def build_spec() -> dict[str, Any]:
    marshmallow = MarshmallowPlugin()
    spec = APISpec(
        title="Waypost collector",
        version=__version__,
        openapi_version="3.1.0",
        plugins=[marshmallow],
    )
    marshmallow.map_to_openapi_type(ingest.DistinctId, fields.String)  # type: ignore[no-untyped-call]
    marshmallow.map_to_openapi_type(IsoDateTime, fields.DateTime)  # type: ignore[no-untyped-call]
    spec.components.security_scheme("writeKey", {"type": "http", "scheme": "basic"})
    spec.components.security_scheme("secretKey", {"type": "http", "scheme": "bearer"})
    for name, schema in {
        "Batch": ingest.BatchSchema,
        "IngestResult": ingest.IngestResponseSchema,
        "EventPage": EventPageSchema,
        "Person": PersonSchema,
        "Error": ErrorSchema,
        "Delivery": DeliverySchema,
        "EligibilityReport": EligibilityReportSchema,
        "Project": ProjectSchema,
        "ProjectUpdate": ProjectUpdateSchema,
        "ResponsePage": ResponsePageSchema,
        "ProgressReport": ProgressReportSchema,
        **{type(s).__name__.removesuffix("Schema"): type(s) for s in ingest.SCHEMAS.values()},
    }.items():
        spec.components.schema(name, schema=schema)
    _ingest_paths(spec)
    _admin_paths(spec)
    _experience_paths(spec)
    _delivery_paths(spec)
    _answer_paths(spec)
    _ops_paths(spec)
    survey_openapi.add_survey_paths(spec)
    analytics_openapi.add_paths(spec)
    account_openapi.add_account_paths(spec)
    onboarding_openapi.add_onboarding_paths(spec)
    dashboard_openapi.add_paths(spec)
    ops_openapi.add_paths(spec)
    person_openapi.add_paths(spec)
    webhook_openapi.add_paths(spec)
    sdkfiles_openapi.add_paths(spec)
    project_openapi.add_paths(spec)
    return spec.to_dict()


async def openapi(request: Request) -> Response:
    return JSONResponse(build_spec())


route = Route("/openapi.json", openapi, methods=["GET"], name="openapi")
