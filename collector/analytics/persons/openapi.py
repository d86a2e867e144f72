"""The OpenAPI description of a person's export (right of access)."""

from __future__ import annotations

from apispec import APISpec
from marshmallow import Schema, fields

from collector.analytics.persons.schemas import PersonSchema
from collector.ops.openapi import PERSON_ID, admin_operation


class PersonExportSchema(Schema):
    exported_at = fields.DateTime()
    person = fields.Nested(PersonSchema)
    events = fields.List(fields.Dict())
    survey_responses = fields.List(fields.Dict())
    experience_states = fields.List(fields.Dict())
    impressions = fields.List(fields.Dict())
    person_event_days = fields.List(fields.Dict())
    account_members = fields.List(fields.Dict())
    webhook_messages = fields.List(fields.Dict())


def add_paths(spec: APISpec) -> None:
    spec.components.schema("PersonExport", schema=PersonExportSchema)
    export = admin_operation(
        "Everything held about a person (right of access)", [PERSON_ID], "PersonExport", 404
    )
    spec.path(path="/api/v1/persons/{id}/export", operations={"get": export})
