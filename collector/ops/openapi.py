"""The OpenAPI description of the erasure, audit and metrics routes."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from marshmallow import Schema, fields

from collector.kit.http.params import PageQuerySchema
from collector.privacy.endpoints import ErasureQuerySchema


class ErasureSchema(Schema):
    erased = fields.Boolean()
    ids = fields.Integer(metadata={"description": "how many linked ids the person had"})
    rows = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "rows deleted, per table"},
    )
    suppressed = fields.Boolean()


class AuditEntrySchema(Schema):
    actor = fields.String(metadata={"description": "prefix of the key that made the change"})
    action = fields.String()
    target = fields.String(allow_none=True)
    details = fields.Dict()
    at = fields.DateTime()


class AuditPageSchema(Schema):
    data = fields.List(fields.Nested(AuditEntrySchema))
    has_more = fields.Boolean()
    next_cursor = fields.String(allow_none=True)


PERSON_ID: dict[str, Any] = {
    "in": "path",
    "name": "id",
    "required": True,
    "schema": {"type": "string"},
}


def _answer(schema: str, *errors: int) -> dict[str, Any]:
    refused = {"content": {"application/json": {"schema": "Error"}}}
    return {
        "200": {"description": "ok", "content": {"application/json": {"schema": schema}}},
        **{str(status): {"description": "refused", **refused} for status in errors},
    }


def admin_operation(
    summary: str, parameters: list[Any], answer: str, *errors: int
) -> dict[str, Any]:
    return {
        "summary": summary,
        "security": [{"secretKey": []}],
        "parameters": parameters,
        "responses": _answer(answer, 401, 403, 429, *errors),
    }


METRICS = {
    "get": {
        "summary": "Prometheus metrics of every worker",
        "responses": {
            "200": {
                "description": "Prometheus text format",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    }
}


def add_paths(spec: APISpec) -> None:
    for name, schema in (
        ("Erasure", ErasureSchema),
        ("AuditPage", AuditPageSchema),
    ):
        spec.components.schema(name, schema=schema)
    erase = admin_operation(
        "Erase a person and everything linked to them; suppress if asked",
        [PERSON_ID, {"in": "query", "schema": ErasureQuerySchema}],
        "Erasure",
        400,
        404,
    )
    audit = admin_operation(
        "Who changed what, and who was erased, oldest first",
        [{"in": "query", "schema": PageQuerySchema}],
        "AuditPage",
        400,
    )
    spec.path(path="/api/v1/persons/{id}", operations={"delete": erase})
    spec.path(path="/api/v1/audit", operations={"get": audit})
    spec.path(path="/metrics", operations=METRICS)
