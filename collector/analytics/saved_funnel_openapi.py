"""The saved funnel routes in ``/openapi.json``."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from collector.analytics import saved_funnel_schemas as schemas

ID = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operation(
    summary: str, answer: str | None, *errors: int, status: int = 200, **extra: Any
) -> dict[str, Any]:
    answered = {"description": "ok", **(_json(answer) if answer else {})}
    return {
        "summary": summary,
        "security": [{"secretKey": []}],
        **extra,
        "responses": {
            str(status): answered,
            **{str(code): {"description": "refused", **_json("Error")} for code in errors},
        },
    }


def add_saved_funnel_paths(spec: APISpec) -> None:
    for name, schema in {
        "SavedFunnel": schemas.SavedFunnelSchema,
        "SavedFunnelList": schemas.SavedFunnelListSchema,
        "SavedFunnelBody": schemas.SavedFunnelBodySchema,
    }.items():
        spec.components.schema(name, schema=schema)
    body = _json("SavedFunnelBody")
    spec.path(
        path="/api/v1/analytics/funnels",
        operations={
            "get": _operation("The project's saved funnels, by name", "SavedFunnelList", 401, 403),
            "post": _operation(
                "Save a funnel under a name unique in the project",
                "SavedFunnel",
                *(400, 401, 403, 409, 413, 415, 422),
                status=201,
                requestBody=body,
            ),
        },
    )
    spec.path(
        path="/api/v1/analytics/funnels/{id}",
        operations={
            "get": _operation("One saved funnel", "SavedFunnel", 401, 403, 404, parameters=[ID]),
            "put": _operation(
                "Replace a saved funnel's name and definition",
                "SavedFunnel",
                *(400, 401, 403, 404, 409, 413, 415, 422),
                parameters=[ID],
                requestBody=body,
            ),
            "delete": _operation(
                "Delete a saved funnel", None, 401, 403, 404, status=204, parameters=[ID]
            ),
        },
    )
