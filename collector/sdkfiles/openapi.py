"""The OpenAPI description of the browser SDK's files."""

from __future__ import annotations

from apispec import APISpec

_ERROR = {"content": {"application/json": {"schema": "Error"}}}


def _file(summary: str, parameter: str, description: str) -> dict[str, object]:
    return {
        "get": {
            "summary": summary,
            "parameters": [
                {
                    "in": "path",
                    "name": parameter,
                    "required": True,
                    "schema": {"type": "string"},
                    "description": description,
                }
            ],
            "responses": {
                "200": {
                    "description": "the file (JavaScript, CSS or a source map)",
                    "content": {"text/javascript": {"schema": {"type": "string"}}},
                },
                "404": {"description": "no such file, or not built", **_ERROR},
            },
        }
    }


def add_paths(spec: APISpec) -> None:
    spec.path(
        path="/sdk/{name}",
        operations=_file(
            "The browser SDK",
            "name",
            "waypost.js (script), waypost.mjs (module), their .map, or waypost-<version>.js "
            "and .mjs (cached for a year)",
        ),
    )
    spec.path(
        path="/sdk/widgets/{path}",
        operations=_file(
            "The widgets add-on the SDK loads when an experience is due",
            "path",
            "tour.js, checklist.js, survey.js, widgets.css, …",
        ),
    )
