"""The flows and surveys routes in ``/openapi.json``, built from the same schemas."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.experiences.schemas import SCHEMAS, Kind

EXPERIENCE_COMPONENTS = {
    "Tour",
    "Checklist",
    "Announcement",
    "Hotspot",
    "ResourceCenter",
    "Nps",
    "Csat",
    "Ces",
    "Step",
    "Item",
    "Link",
    "Question",
    "Choice",
    "Scale",
    "Audience",
}


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/v1/flows", {"get", "post"}),
        ("/api/v1/flows/{id}", {"get", "patch", "delete"}),
        ("/api/v1/flows/{id}/versions/{version}", {"get"}),
        ("/api/v1/surveys", {"get", "post"}),
        ("/api/v1/surveys/{id}", {"get", "patch", "delete"}),
        ("/api/v1/surveys/{id}/versions/{version}", {"get"}),
    ],
)
def test_experience_path_is_documented(spec: dict[str, Any], path: str, methods: set[str]) -> None:
    assert set(spec["paths"][path]) == methods


@pytest.mark.parametrize("kind", ["flow", "survey"])
def test_create_body_is_one_of_the_kind_s_types(spec: dict[str, Any], kind: Kind) -> None:
    body = spec["paths"][f"/api/v1/{kind}s"]["post"]["requestBody"]
    refs = [item["$ref"] for item in body["content"]["application/json"]["schema"]["oneOf"]]
    names = [schema.__name__.removesuffix("Schema") for schema in SCHEMAS[kind].values()]
    assert refs == [f"#/components/schemas/{name}" for name in names]


def test_create_answers_201_with_the_resource(spec: dict[str, Any]) -> None:
    answer = spec["paths"]["/api/v1/surveys"]["post"]["responses"]["201"]
    refs = [item["$ref"] for item in answer["content"]["application/json"]["schema"]["oneOf"]]
    names = [schema.__name__.removesuffix("Schema") for schema in SCHEMAS["survey"].values()]
    assert refs == [f"#/components/schemas/{name}Resource" for name in names]


def test_a_resource_carries_the_fields_the_collector_adds(spec: dict[str, Any]) -> None:
    resource = spec["components"]["schemas"]["NpsResource"]
    assert {"id", "version", "created_at", "updated_at", "scale"} <= set(resource["properties"])


def test_a_resource_names_its_one_type(spec: dict[str, Any]) -> None:
    assert spec["components"]["schemas"]["NpsResource"]["properties"]["type"]["enum"] == ["nps"]


def test_experience_schemas_are_components(spec: dict[str, Any]) -> None:
    assert set(spec["components"]["schemas"]) >= EXPERIENCE_COMPONENTS


def test_every_experience_property_has_a_type(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    untyped = [
        f"{name}.{prop}"
        for name in EXPERIENCE_COMPONENTS
        for prop, definition in schemas[name].get("properties", {}).items()
        if not {"type", "$ref", "anyOf"} & set(definition)
    ]
    assert untyped == []


def test_unknown_fields_are_documented_as_refused(spec: dict[str, Any]) -> None:
    assert spec["components"]["schemas"]["Tour"]["additionalProperties"] is False
