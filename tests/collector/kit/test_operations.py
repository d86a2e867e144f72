"""Operations declared beside their routes: the methods a route answers, the document
built by walking the routes, bodies parsed and answers rendered with the declared schemas."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from marshmallow import Schema, fields
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from collector.kit.http.answers import Answer, AnswerDrift, OneOf
from collector.kit.http.body import JsonBody
from collector.kit.http.error_handlers import EXCEPTION_HANDLERS
from collector.kit.http.openapi import Auth, Operation, build_document, route


class PointSchema(Schema):
    x = fields.Integer(required=True)
    label = fields.String(data_key="name")


class ShapeSchema(Schema):
    points = fields.List(fields.Nested(PointSchema), required=True)
    at = fields.DateTime()


_body = JsonBody(PointSchema, limit=1024, invalid="invalid point")
_optional = JsonBody(PointSchema, limit=1024, optional=True)
_point = Answer(PointSchema)
_created = Answer(ShapeSchema, status=201)


async def echo(request: Request) -> Response:
    return _point.render(await _body.load(request))


async def echo_optional(request: Request) -> Response:
    return _point.render({"x": len(await _optional.read(request))})


def _client(*routes: Route | Mount) -> TestClient:
    return TestClient(Starlette(routes=list(routes), exception_handlers=EXCEPTION_HANDLERS))


def _document(*routes: Route | Mount) -> dict[str, Any]:
    return build_document(list(routes), title="test", version="1")


_POST = Operation("Echo a point", Auth.NONE, _point, body=_body)


def test_a_route_answers_only_the_methods_it_declares() -> None:
    client = _client(route("/points", echo, post=_POST))
    assert client.get("/points").status_code == 405


def test_a_route_must_declare_an_operation() -> None:
    with pytest.raises(ValueError, match="declares no operation"):
        route("/points", echo)


def test_a_route_without_operations_cannot_be_documented() -> None:
    with pytest.raises(TypeError, match="/api/points declares no operation"):
        _document(Mount("/api", routes=[Route("/points", echo, methods=["POST"])]))


def test_mounted_routes_are_documented_under_their_mount() -> None:
    document = _document(Mount("/api", routes=[route("/points", echo, post=_POST)]))
    assert list(document["paths"]) == ["/api/points"]


def test_path_parameters_are_typed_by_their_convertor() -> None:
    get = Operation("A point", Auth.NONE, _point)
    document = _document(route("/points/{id}/{version:int}", echo, get=get))
    parameters = document["paths"]["/points/{id}/{version}"]["get"]["parameters"]
    assert [(p["name"], p["schema"]["type"]) for p in parameters] == [
        ("id", "string"),
        ("version", "integer"),
    ]


def test_a_key_and_a_body_imply_their_refusals() -> None:
    post = Operation("Echo", Auth.SECRET_KEY, _point, body=_body, errors=(404,))
    responses = _document(route("/points", echo, post=post))["paths"]["/points"]["post"][
        "responses"
    ]
    assert sorted(responses) == ["200", "400", "401", "403", "404", "413", "415", "422", "429"]


def test_the_body_schema_documents_the_body() -> None:
    body = _document(route("/points", echo, post=_POST))["paths"]["/points"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Point"}


def test_answer_objects_forbid_unknown_properties() -> None:
    post = Operation("Shapes", Auth.NONE, _created)
    schemas = _document(route("/shapes", echo, post=post))["components"]["schemas"]
    assert schemas["Shape"]["additionalProperties"] is False
    assert schemas["Point"]["additionalProperties"] is False


def test_a_body_is_loaded_with_its_schema() -> None:
    response = _client(route("/points", echo, post=_POST)).post("/points", json={"x": 3})
    assert response.json() == {"x": 3}


def test_a_body_that_is_not_json_is_a_400() -> None:
    response = _client(route("/points", echo, post=_POST)).post("/points", content=b"{x")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"


def test_a_body_that_is_not_an_object_is_a_400() -> None:
    response = _client(route("/points", echo, post=_POST)).post("/points", json=[1])
    assert response.json() == {
        "error": {"code": "malformed_body", "message": "body must be a JSON object"}
    }


def test_a_refused_field_is_named_in_a_422() -> None:
    response = _client(route("/points", echo, post=_POST)).post("/points", json={"x": "a"})
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_failed",
            "message": "invalid point",
            "fields": {"x": ["Not a valid integer."]},
        }
    }


def test_an_empty_optional_body_is_an_empty_object() -> None:
    post = Operation("Count", Auth.NONE, _point, body=_optional)
    response = _client(route("/count", echo_optional, post=post)).post("/count")
    assert response.json() == {"x": 0}


def test_an_answer_leaves_out_keys_its_schema_does_not_name() -> None:
    assert _point.shaped({"x": 1, "secret": "s"}) == {"x": 1}


def test_an_answer_names_keys_as_the_wire_does() -> None:
    assert _point.shaped({"x": 1, "name": "a"}) == {"x": 1, "name": "a"}


def test_an_answer_is_shaped_at_every_level() -> None:
    shaped = _created.shaped({"points": [{"x": 1, "y": 2}]})
    assert shaped == {"points": [{"x": 1}]}


def test_an_answer_without_a_required_key_is_refused() -> None:
    with pytest.raises(AnswerDrift, match="'x'"):
        _point.shaped({"name": "renamed x"})


def test_an_answer_keeps_the_json_encoding_of_its_values() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    response = _created.render({"points": [], "at": at})
    assert response.status_code == 201
    assert response.body == b'{"points":[],"at":"2026-01-02T03:04:05Z"}'


_either = Answer(OneOf("kind", {"point": PointSchema, "shape": ShapeSchema}))


def test_an_answer_of_several_shapes_is_shaped_by_its_key() -> None:
    assert _either.shaped({"kind": "point", "x": 1, "points": []}) == {"x": 1}


def test_an_answer_of_no_declared_shape_is_refused() -> None:
    with pytest.raises(AnswerDrift, match="kind='line'"):
        _either.shaped({"kind": "line"})


def test_several_shapes_are_documented_as_one_of() -> None:
    get = Operation("Either", Auth.NONE, _either)
    answer = _document(route("/either", echo, get=get))["paths"]["/either"]["get"]["responses"]
    assert answer["200"]["content"]["application/json"]["schema"]["oneOf"] == [
        {"$ref": "#/components/schemas/Point"},
        {"$ref": "#/components/schemas/Shape"},
    ]
