"""Shape of a person in the admin API."""

from __future__ import annotations

from marshmallow import Schema, fields


class IdentitySchema(Schema):
    id = fields.String()
    kind = fields.String(metadata={"description": "user or anonymous"})


class AccountRefSchema(Schema):
    groupId = fields.String()
    traits = fields.Dict()


class PersonSchema(Schema):
    id = fields.UUID()
    userId = fields.String(allow_none=True)
    traits = fields.Dict()
    identities = fields.List(fields.Nested(IdentitySchema))
    accounts = fields.List(fields.Nested(AccountRefSchema))
    createdAt = fields.DateTime(metadata={"description": "first seen: the earliest message"})
    updatedAt = fields.DateTime()


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
