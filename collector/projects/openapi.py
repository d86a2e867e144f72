"""The OpenAPI description of ``/api/v1/project/keys`` (listing and rotation)."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from collector.projects import schemas

COMPONENTS = {
    "ApiKeyList": schemas.ApiKeyListSchema,
    "KeyRotation": schemas.KeyRotationSchema,
    "RotatedKeys": schemas.RotatedKeysSchema,
}


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operation(summary: str, answer: str, *errors: int, **extra: Any) -> dict[str, Any]:
    refused = {str(code): {"description": "refused", **_json("Error")} for code in errors}
    return {
        "summary": summary,
        "security": [{"secretKey": []}],
        **extra,
        "responses": {"200": {"description": "ok", **_json(answer)}, **refused},
    }


def add_paths(spec: APISpec) -> None:
    for name, schema in COMPONENTS.items():
        spec.components.schema(name, schema=schema)
    spec.path(
        path="/api/v1/project/keys",
        operations={
            "get": _operation(
                "The project's working keys (current and rotated out), by their first characters",
                "ApiKeyList",
                401,
                403,
            )
        },
    )
    spec.path(
        path="/api/v1/project/keys/rotate",
        operations={
            "post": _operation(
                "New keys, shown once; the old ones keep working for the grace period",
                "RotatedKeys",
                400,
                401,
                403,
                413,
                415,
                422,
                requestBody=_json("KeyRotation"),
            )
        },
    )
