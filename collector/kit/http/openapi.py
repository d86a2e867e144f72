"""Operations declared beside their routes, and ``/openapi.json`` built by walking them.

A route's methods are the operations it declares, so no route can go undocumented and the
document cannot describe a route that does not exist. The schemas an operation names are
the ones its endpoint parses bodies with (:class:`~collector.kit.http.body.JsonBody`) and
renders answers with (:class:`~collector.kit.http.answers.Answer`).
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import Schema, fields
from starlette.convertors import FloatConvertor, IntegerConvertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from collector.kit.fields import DirectField
from collector.kit.http.answers import JSON_MEDIA_TYPE, Answer, Documented, OneOf
from collector.kit.http.body import JsonBody
from collector.kit.http.responses import dumps


class Auth(enum.Enum):
    """Who may call an operation; a key's value names its security scheme."""

    NONE = "none"
    WRITE_KEY = "writeKey"
    SECRET_KEY = "secretKey"
    SESSION = "session"


SECURITY_SCHEMES = {
    Auth.WRITE_KEY: {"type": "http", "scheme": "basic"},
    Auth.SECRET_KEY: {"type": "http", "scheme": "bearer"},
}
"""The dashboard session is a cookie the browser sends by itself: no scheme a client sets."""
_AUTH_ERRORS: dict[Auth, tuple[int, ...]] = {
    Auth.NONE: (),
    Auth.WRITE_KEY: (401, 403, 429),
    Auth.SECRET_KEY: (401, 403, 429),
    Auth.SESSION: (401,),
}
_QUERY_ERRORS = (400,)
_BODY_ERRORS = (400, 413, 415, 422)


@dataclass(frozen=True)
class Operation:
    """One method of one route as ``/openapi.json`` describes it.

    The refusals every operation of its kind can answer are implied: 401, 403 and 429 for a
    key, 400 for a query, 400, 413, 415 and 422 for a body; ``errors`` adds its own (404…).
    ``also`` names other answers that are not the error envelope (``/ready``'s 503, say).
    """

    summary: str
    auth: Auth
    answer: Answer
    query: type[Schema] | None = None
    body: JsonBody | None = None
    errors: tuple[int, ...] = ()
    also: tuple[Answer, ...] = ()

    def refusals(self) -> list[int]:
        implied = [
            *_AUTH_ERRORS[self.auth],
            *(_QUERY_ERRORS if self.query else ()),
            *(_BODY_ERRORS if self.body else ()),
        ]
        return sorted({*implied, *self.errors})


class OperationRoute(Route):
    """A route whose methods are the operations it declares."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        operations: Mapping[str, Operation],
        name: str | None = None,
    ) -> None:
        self.operations = {method.upper(): operation for method, operation in operations.items()}
        super().__init__(path, endpoint, methods=list(self.operations), name=name)


def route(
    path: str,
    endpoint: Callable[..., Any],
    *,
    name: str | None = None,
    get: Operation | None = None,
    post: Operation | None = None,
    put: Operation | None = None,
    patch: Operation | None = None,
    delete: Operation | None = None,
) -> OperationRoute:
    """A route answering the methods given an operation, and only those."""
    declared = {"GET": get, "POST": post, "PUT": put, "PATCH": patch, "DELETE": delete}
    operations = {method: op for method, op in declared.items() if op is not None}
    if not operations:
        raise ValueError(f"route {path} declares no operation")
    return OperationRoute(path, endpoint, operations=operations, name=name)


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields")


class ErrorSchema(Schema):
    """The one envelope of every refusal (:mod:`collector.kit.errors`)."""

    error = fields.Nested(ErrorBodySchema, required=True)


def declared_routes(
    routes: Sequence[BaseRoute], prefix: str = ""
) -> Iterator[tuple[str, OperationRoute]]:
    """Every route with its full path (mounts flattened, converters dropped)."""
    for found in routes:
        if isinstance(found, Mount):
            yield from declared_routes(found.routes, prefix + found.path)
        elif isinstance(found, OperationRoute):
            yield prefix + found.path_format, found
        elif isinstance(found, Route):
            raise TypeError(f"route {prefix}{found.path} declares no operation")


class _ComponentNames:
    """A schema's component name is its class name without ``Schema``; a second class of
    the same name gets its module's feature in front."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Schema]] = {}

    def __call__(self, schema: Any) -> str:
        cls = resolve_schema_cls(schema)
        assert isinstance(cls, type)
        name = cls.__name__.removesuffix("Schema")
        if self._classes.setdefault(name, cls) is not cls:
            feature = cls.__module__.split(".")[1].title()
            name = feature + name
            if self._classes.setdefault(name, cls) is not cls:
                raise ValueError(f"two schemas would be named {name}")
        return name


def _direct_field_type(self: Any, field: Any, **kwargs: Any) -> dict[str, Any]:
    """A :class:`DirectField` states its JSON type, which no marshmallow base gives it."""
    if isinstance(field, DirectField):
        return dict(field.json_schema)
    return {}


def _path_parameters(found: OperationRoute) -> list[dict[str, Any]]:
    parameters = []
    for name, convertor in found.param_convertors.items():
        kind = "string"
        if isinstance(convertor, IntegerConvertor):
            kind = "integer"
        elif isinstance(convertor, FloatConvertor):
            kind = "number"
        parameters.append({"in": "path", "name": name, "required": True, "schema": {"type": kind}})
    return parameters


def _content(schema: Documented | None, media: Sequence[str]) -> dict[str, Any]:
    """The content of a body; a JSON schema is copied, as apispec resolves it in place."""
    content: dict[str, Any] = {}
    for media_type in media:
        if media_type == JSON_MEDIA_TYPE:
            described: Any = schema
            if isinstance(schema, OneOf):
                described = schema.document()
            elif isinstance(schema, Mapping):
                described = copy.deepcopy(dict(schema))
            content[media_type] = {} if described is None else {"schema": described}
        else:
            content[media_type] = {"schema": {"type": "string"}}
    return {"content": content} if content else {}


def _response(answer: Answer) -> dict[str, Any]:
    return {"description": answer.description, **_content(answer.schema, answer.media)}


def _operation(operation: Operation, found: OperationRoute) -> dict[str, Any]:
    parameters = _path_parameters(found)
    if operation.query is not None:
        parameters.append({"in": "query", "schema": operation.query})
    refused = {"description": "refused", **_content(ErrorSchema, [JSON_MEDIA_TYPE])}
    described: dict[str, Any] = {
        "summary": operation.summary,
        "responses": {
            **{str(a.status): _response(a) for a in (operation.answer, *operation.also)},
            **{str(status): refused for status in operation.refusals()},
        },
    }
    if operation.auth in SECURITY_SCHEMES:
        described["security"] = [{operation.auth.value: []}]
    if parameters:
        described["parameters"] = parameters
    if operation.body is not None:
        body = operation.body.document or operation.body.schema
        described["requestBody"] = {
            "required": not operation.body.optional,
            **_content(body, [JSON_MEDIA_TYPE]),
        }
    return described


def _answer_components(document: dict[str, Any]) -> set[str]:
    """The components an answer can contain, however deeply."""
    schemas = document["components"]["schemas"]
    pending = [
        response
        for operations in document["paths"].values()
        for operation in operations.values()
        for response in operation["responses"].values()
    ]
    found: set[str] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in found:
                    found.add(name)
                    pending.append(schemas[name])
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def build_document(routes: Sequence[BaseRoute], *, title: str, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``routes``.

    Answer objects refuse properties they do not name (``additionalProperties: false``):
    :class:`Answer` renders exactly the named ones, so a client may rely on it.
    """
    marshmallow = MarshmallowPlugin(schema_name_resolver=_ComponentNames())
    spec = APISpec(title=title, version=version, openapi_version="3.1.0", plugins=[marshmallow])
    assert marshmallow.converter is not None
    marshmallow.converter.add_attribute_function(_direct_field_type)  # type: ignore[no-untyped-call]
    for auth, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(auth.value, scheme)
    spec.components.schema("Error", schema=ErrorSchema)
    paths: dict[str, dict[str, Any]] = {}
    for path, found in declared_routes(routes):
        for method, operation in found.operations.items():
            paths.setdefault(path, {})[method.lower()] = _operation(operation, found)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    schemas = document["components"]["schemas"]
    for name in _answer_components(document):
        if "properties" in schemas[name]:
            schemas[name].setdefault("additionalProperties", False)
    return document


def openapi_route(
    routes: Sequence[BaseRoute], *, title: str, version: str, path: str = "/openapi.json"
) -> OperationRoute:
    """The route serving the document of ``routes``, built at its first request, so
    ``routes`` may hold this route too."""
    built: list[bytes] = []

    async def endpoint(request: Request) -> Response:
        if not built:
            built.append(dumps(build_document(routes, title=title, version=version)))
        return Response(built[0], media_type=JSON_MEDIA_TYPE)

    document = Answer({"type": "object"}, description="this document, OpenAPI 3.1")
    return route(
        path, endpoint, name="openapi", get=Operation("This document", Auth.NONE, document)
    )
