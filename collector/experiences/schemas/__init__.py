"""Validation of flow and survey definitions, and the shapes the admin API answers with.

``load_experience`` is the one entry point: it picks the schema by ``type`` and returns
the definition with every default filled in, or raises ``ValidationFailed`` naming each
wrong field (``{"steps": {"1": {"target": [...]}}}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from marshmallow import Schema, ValidationError, fields, validate

from collector.experiences.schemas.common import STATUSES, ExperienceSchema
from collector.experiences.schemas.flows import FLOW_SCHEMAS
from collector.experiences.schemas.surveys import SURVEY_SCHEMAS
from collector.kit.errors import ValidationFailed

Kind = Literal["flow", "survey"]

SCHEMAS: Mapping[Kind, Mapping[str, type[ExperienceSchema]]] = {
    "flow": FLOW_SCHEMAS,
    "survey": SURVEY_SCHEMAS,
}
"""The schema of every type, by kind."""

_LOADERS: Mapping[str, Mapping[str, ExperienceSchema]] = {
    kind: {name: schema() for name, schema in schemas.items()} for kind, schemas in SCHEMAS.items()
}


def _string_keys(messages: Any) -> Any:
    """Marshmallow names list items by int; JSON objects need string keys."""
    if isinstance(messages, dict):
        return {str(key): _string_keys(value) for key, value in messages.items()}
    return messages


def load_experience(kind: Kind, body: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` validated as a ``kind`` of its ``type``, with the defaults filled in."""
    schemas = _LOADERS[kind]
    name = body.get("type")
    schema = schemas.get(name) if isinstance(name, str) else None
    try:
        if schema is None:
            raise ValidationError({"type": [f"must be one of: {', '.join(schemas)}"]})
        loaded: dict[str, Any] = schema.load(body)
    except ValidationError as error:
        fields = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise ValidationFailed(f"invalid {kind}", fields=_string_keys(fields)) from None
    return loaded


class FlowQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    type = fields.String(validate=validate.OneOf(list(FLOW_SCHEMAS)))


class SurveyQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    type = fields.String(validate=validate.OneOf(list(SURVEY_SCHEMAS)))


QUERY_SCHEMAS: Mapping[Kind, type[Schema]] = {"flow": FlowQuerySchema, "survey": SurveyQuerySchema}


class ExperienceMetaSchema(Schema):
    """What every answered experience carries besides its definition."""

    id = fields.UUID()
    version = fields.Integer(metadata={"description": "1, then one more per content change"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ExperienceVersionMetaSchema(Schema):
    id = fields.UUID()
    version = fields.Integer()
    created_at = fields.DateTime(metadata={"description": "when this version was made"})


def _answered(
    meta: type[Schema], type_: str, definition: type[ExperienceSchema], role: str
) -> type[Schema]:
    """One object with a type's fields and what the collector adds to them (``allOf`` two
    objects that each refuse unknown properties would refuse every answer), its ``type``
    told apart from every other type's."""
    name = definition.__name__.removesuffix("Schema") + role + "Schema"
    only = fields.String(required=True, validate=validate.OneOf([type_]))
    return type(name, (meta, definition), {"__module__": __name__, "type": only})


RESOURCE_SCHEMAS: Mapping[Kind, Mapping[str, type[Schema]]] = {
    kind: {t: _answered(ExperienceMetaSchema, t, s, "Resource") for t, s in types.items()}
    for kind, types in SCHEMAS.items()
}
"""How the admin API answers an experience of each type."""
VERSION_SCHEMAS: Mapping[Kind, Mapping[str, type[Schema]]] = {
    kind: {t: _answered(ExperienceVersionMetaSchema, t, s, "Version") for t, s in types.items()}
    for kind, types in SCHEMAS.items()
}
"""How the admin API answers one version of an experience of each type."""


__all__ = [
    "QUERY_SCHEMAS",
    "RESOURCE_SCHEMAS",
    "SCHEMAS",
    "VERSION_SCHEMAS",
    "ExperienceMetaSchema",
    "ExperienceVersionMetaSchema",
    "Kind",
    "load_experience",
]
