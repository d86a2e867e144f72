"""Answers rendered through the schema their operation declares.

An answer carries exactly the keys its schema names, at every level of nesting, so what a
client receives is what ``/openapi.json`` promises: a key the schema does not name is left
out, and a required key the service forgot fails loudly instead of reaching a client.
Values are not converted: datetimes and UUIDs keep the one encoding of
:mod:`collector.kit.http.responses` whatever the field that declares them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from marshmallow import Schema, fields
from starlette.responses import Response

from collector.kit.http.responses import JSONResponse

JSON_MEDIA_TYPE = "application/json"


@dataclass(frozen=True)
class OneOf:
    """Objects of several shapes, told apart by the value of their ``key``."""

    key: str
    schemas: Mapping[str, type[Schema]]

    @cached_property
    def _instances(self) -> dict[str, Schema]:
        return {value: schema() for value, schema in self.schemas.items()}

    def document(self) -> dict[str, Any]:
        return {"oneOf": list(self.schemas.values())}

    def shaped(self, content: Any) -> Any:
        """``content`` as the schema its ``key`` names has it."""
        value = content.get(self.key) if isinstance(content, Mapping) else None
        schema = self._instances.get(value) if isinstance(value, str) else None
        if schema is None:
            raise AnswerDrift(f"no answer schema has {self.key}={value!r}")
        return shaped(schema, content)


Documented = type[Schema] | OneOf | Mapping[str, Any]
"""A marshmallow schema, objects of several schemas, or a JSON schema for what neither
describes."""


class AnswerDrift(Exception):
    """A service answered without a key its declared schema requires."""


def shaped(schema: Schema, content: Any) -> Any:
    """``content`` reduced to the keys ``schema`` names (by their JSON names)."""
    if not isinstance(content, Mapping):
        return content
    answer: dict[str, Any] = {}
    for name, field in schema.dump_fields.items():
        key = field.data_key or name
        if key in content:
            answer[key] = _shaped_value(field, content[key])
        elif field.required:
            raise AnswerDrift(f"{type(schema).__name__} requires {key!r}; the answer has none")
    return answer


def _shaped_value(field: fields.Field[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, fields.Nested) and isinstance(field.schema, Schema):
        if field.many or isinstance(value, list):
            return [shaped(field.schema, item) for item in value]
        return shaped(field.schema, value)
    if isinstance(field, fields.List) and isinstance(value, list):
        return [_shaped_value(field.inner, item) for item in value]
    if isinstance(field, fields.Dict) and field.value_field and isinstance(value, Mapping):
        return {key: _shaped_value(field.value_field, item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Answer:
    """What an operation answers when it succeeds: its status, the schema of its JSON
    body (none for an empty answer) and the other media types it can answer with."""

    schema: Documented | None = None
    status: int = 200
    description: str = "ok"
    media: tuple[str, ...] = (JSON_MEDIA_TYPE,)

    @cached_property
    def _schema(self) -> Schema | OneOf | None:
        if isinstance(self.schema, type):
            return self.schema()
        return self.schema if isinstance(self.schema, OneOf) else None

    def shaped(self, content: Any) -> Any:
        """``content`` as the declared schema has it (unchanged for a JSON schema)."""
        schema = self._schema
        if isinstance(schema, OneOf):
            return schema.shaped(content)
        return content if schema is None else shaped(schema, content)

    def render(self, content: Any, *, headers: Mapping[str, str] | None = None) -> Response:
        return JSONResponse(self.shaped(content), status_code=self.status, headers=headers)
