"""Answers rendered through the schema their operation declares.

An answer carries exactly the keys its schema names, at every level of nesting, so what a
client receives is what ``/openapi.json`` promises: a key the schema does not name is left
out, and a required key the service forgot fails loudly instead of reaching a client.
Values are not converted: datetimes and UUIDs keep the one encoding of
:mod:`collector.kit.http.responses` whatever the field that declares them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
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


Shape = Callable[[Any], Any]


def shaped(schema: Schema, content: Any) -> Any:
    """``content`` reduced to the keys ``schema`` names (by their JSON names)."""
    return _shaper(schema)(content)


@cache
def _shaper(schema: Schema) -> Shape:
    """What ``shaped`` does for one schema, worked out once: answers of a thousand rows
    are shaped at every request."""
    plan = [
        (field.data_key or name, _field_shaper(field), field.required)
        for name, field in schema.dump_fields.items()
    ]
    schema_name = type(schema).__name__

    def shape(content: Any) -> Any:
        if not isinstance(content, Mapping):
            return content
        answer: dict[str, Any] = {}
        for key, inner, required in plan:
            if key in content:
                value = content[key]
                answer[key] = value if inner is None or value is None else inner(value)
            elif required:
                raise AnswerDrift(f"{schema_name} requires {key!r}; the answer has none")
        return answer

    return shape


def _field_shaper(field: fields.Field[Any]) -> Shape | None:
    """How a field's value is shaped; None when it is sent as it is."""
    if isinstance(field, fields.Nested):
        return _nested_shaper(field)
    if isinstance(field, fields.List):
        item = _field_shaper(field.inner)
        if item is not None:
            return lambda value: [item(v) for v in value] if isinstance(value, list) else value
    if isinstance(field, fields.Dict) and field.value_field is not None:
        entry = _field_shaper(field.value_field)
        if entry is not None:
            return lambda value: (
                {k: entry(v) for k, v in value.items()} if isinstance(value, Mapping) else value
            )
    return None


def _nested_shaper(field: fields.Nested) -> Shape:
    """Looked up at the first value, as a schema may nest itself."""
    found: list[Shape] = []

    def shape(value: Any) -> Any:
        if not found:
            nested = field.schema
            assert isinstance(nested, Schema)
            found.append(_shaper(nested))
        inner = found[0]
        return [inner(item) for item in value] if isinstance(value, list) else inner(value)

    return shape


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
