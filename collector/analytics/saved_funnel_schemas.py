"""The body of a saved funnel and its shape in answers.

The definition is validated with the very schema ``POST /api/v1/analytics/funnel`` reads,
so whatever can be saved can be run.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from collector.analytics.schemas import FunnelSchema, StrictSchema

MAX_NAME_LENGTH = 200


def _not_blank(name: str) -> None:
    if not name.strip():
        raise ValidationError("must not be blank")


class SavedFunnelBodySchema(StrictSchema):
    """``POST`` and ``PUT`` ``/api/v1/analytics/funnels``: the name and the definition."""

    name = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_NAME_LENGTH), _not_blank],
        metadata={"description": "unique in the project"},
    )
    definition = fields.Nested(
        FunnelSchema,
        required=True,
        metadata={"description": "the body POST /api/v1/analytics/funnel takes"},
    )


class SavedFunnelSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    definition = fields.Dict(metadata={"description": "as it was saved"}, required=True)
    created_by = fields.String(
        allow_none=True,
        metadata={"description": "key prefix or dashboard user's email"},
        required=True,
    )
    updated_by = fields.String(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class SavedFunnelListSchema(Schema):
    data = fields.List(
        fields.Nested(SavedFunnelSchema), metadata={"description": "by name"}, required=True
    )
