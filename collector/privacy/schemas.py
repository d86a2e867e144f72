"""The query and the answer of ``DELETE /api/v1/persons/{id}``."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields


class ErasureQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    suppress = fields.Boolean(
        load_default=False,
        truthy={"true"},
        falsy={"false"},
        metadata={"description": "also drop this person's future events (delete and suppress)"},
    )


class ErasureSchema(Schema):
    erased = fields.Boolean(required=True)
    ids = fields.Integer(
        metadata={"description": "how many linked ids the person had"}, required=True
    )
    rows = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "rows deleted, per table"},
        required=True,
    )
    suppressed = fields.Boolean(required=True)
