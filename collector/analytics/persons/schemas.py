"""Shape of a person in the admin API."""

from __future__ import annotations

from marshmallow import Schema, fields


class IdentitySchema(Schema):
    id = fields.String(required=True)
    kind = fields.String(metadata={"description": "user or anonymous"}, required=True)


class AccountRefSchema(Schema):
    groupId = fields.String(required=True)
    traits = fields.Dict(required=True)


class PersonSchema(Schema):
    id = fields.UUID(required=True)
    userId = fields.String(allow_none=True, required=True)
    traits = fields.Dict(required=True)
    identities = fields.List(fields.Nested(IdentitySchema), required=True)
    accounts = fields.List(fields.Nested(AccountRefSchema), required=True)
    createdAt = fields.DateTime(
        metadata={"description": "first seen: the earliest message"}, required=True
    )
    updatedAt = fields.DateTime(required=True)


class PersonExportSchema(Schema):
    exported_at = fields.DateTime(required=True)
    person = fields.Nested(PersonSchema, required=True)
    events = fields.List(fields.Dict(), required=True)
    survey_responses = fields.List(fields.Dict(), required=True)
    experience_states = fields.List(fields.Dict(), required=True)
    impressions = fields.List(fields.Dict(), required=True)
    person_event_days = fields.List(fields.Dict(), required=True)
    account_members = fields.List(fields.Dict(), required=True)
    webhook_messages = fields.List(fields.Dict(), required=True)
