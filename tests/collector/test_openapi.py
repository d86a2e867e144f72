"""``/openapi.json``: every route, its security, and the schemas its bodies refer to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient

OPS_ROUTES = {"/health", "/ready", "/openapi.json"}


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def routes_of(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(path, method)`` of every route, with mounts flattened and converters dropped."""
    for route in routes:
        if isinstance(route, Mount):
            yield from routes_of(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", prefix + route.path)
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield path, method.lower()


def references(document: Any) -> Iterator[str]:
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(document, list):
        for item in document:
            yield from references(item)


def untyped_properties(spec: dict[str, Any]) -> list[str]:
    return [
        f"{name}.{prop}"
        for name, schema in spec["components"]["schemas"].items()
        for prop, definition in schema.get("properties", {}).items()
        if not definition
    ]


def test_spec_is_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] == "Waypost collector"


def test_every_api_route_is_documented(app: Starlette, spec: dict[str, Any]) -> None:
    api = [(path, method) for path, method in routes_of(app.routes) if path not in OPS_ROUTES]
    assert api
    assert [(p, m) for p, m in api if m not in spec["paths"].get(p, {})] == []


def test_every_route_is_documented(app: Starlette, spec: dict[str, Any]) -> None:
    routes = list(routes_of(app.routes))
    assert [(p, m) for p, m in routes if m not in spec["paths"].get(p, {})] == []


def test_every_documented_path_is_a_route(app: Starlette, spec: dict[str, Any]) -> None:
    assert set(spec["paths"]) <= {path for path, _ in routes_of(app.routes)}


def test_ingestion_routes_need_the_write_key(spec: dict[str, Any]) -> None:
    ingestion = [ops for path, ops in spec["paths"].items() if path.startswith("/v1/")]
    assert all(op["security"] == [{"writeKey": []}] for ops in ingestion for op in ops.values())


def test_admin_routes_need_the_secret_key(spec: dict[str, Any]) -> None:
    admin = [ops for path, ops in spec["paths"].items() if path.startswith("/api/")]
    assert all(op["security"] == [{"secretKey": []}] for ops in admin for op in ops.values())


def test_security_schemes_are_basic_and_bearer(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"] == {
        "writeKey": {"type": "http", "scheme": "basic"},
        "secretKey": {"type": "http", "scheme": "bearer"},
    }


def test_request_and_response_bodies_are_component_schemas(spec: dict[str, Any]) -> None:
    expected = {"Batch", "IngestResult", "EventPage", "Person", "Error"}
    calls = {"Track", "Identify", "Group", "Page", "Screen", "Alias"}
    assert expected | calls <= set(spec["components"]["schemas"])


def test_every_reference_names_a_component_schema(spec: dict[str, Any]) -> None:
    names = {f"#/components/schemas/{name}" for name in spec["components"]["schemas"]}
    found = set(references(spec))
    assert found
    assert found <= names


def test_events_query_parameters_are_documented(spec: dict[str, Any]) -> None:
    parameters = spec["paths"]["/api/v1/events"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {
        "event",
        "userId",
        "personId",
        "from",
        "to",
        "limit",
        "cursor",
        "format",
    }


def test_refusals_are_documented_with_the_error_envelope(spec: dict[str, Any]) -> None:
    responses = spec["paths"]["/api/v1/events"]["get"]["responses"]
    assert responses["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_every_schema_property_has_a_type(spec: dict[str, Any]) -> None:
    assert untyped_properties(spec) == []


def answer_components(spec: dict[str, Any]) -> set[str]:
    """The components an answer can contain, however deeply nested."""
    schemas = spec["components"]["schemas"]
    responses = [op["responses"] for ops in spec["paths"].values() for op in ops.values()]
    found: set[str] = set()
    pending = [ref.rsplit("/", 1)[1] for ref in references(responses)]
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            pending.extend(ref.rsplit("/", 1)[1] for ref in references(schemas[name]))
    return found


def test_answer_objects_forbid_unknown_properties(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    open_objects = [
        name
        for name in answer_components(spec)
        if "properties" in schemas[name] and schemas[name].get("additionalProperties") is not False
    ]
    assert open_objects == []
