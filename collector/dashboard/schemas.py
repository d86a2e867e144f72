"""What ``/dashboard/api/session`` answers: who is signed in, in which projects."""

from __future__ import annotations

from marshmallow import Schema, fields


class ProjectRefSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)


class DashboardSessionSchema(Schema):
    email = fields.String(required=True)
    projects = fields.List(fields.Nested(ProjectRefSchema), required=True)
    csrf_token = fields.String(
        required=True,
        metadata={"description": "send back as X-CSRF-Token on every state-changing call"},
    )
