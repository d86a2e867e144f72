"""The dashboard's routes in ``/openapi.json``: its sign-in API and its page."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from marshmallow import Schema, fields

from collector.dashboard.endpoints import SignInSchema


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


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _refused(*statuses: int) -> dict[str, Any]:
    return {str(status): {"description": "refused", **_json("Error")} for status in statuses}


def _session_operations() -> dict[str, Any]:
    session = {"description": "who is signed in", **_json("DashboardSession")}
    return {
        "get": {
            "summary": "The signed-in dashboard user, their projects and CSRF token",
            "responses": {"200": session, **_refused(401)},
        },
        "post": {
            "summary": "Sign in to the dashboard; sets the session cookie",
            "requestBody": _json("DashboardSignIn"),
            "responses": {"200": session, **_refused(400, 401, 403, 413, 415, 422, 429)},
        },
        "delete": {
            "summary": "Sign out (needs X-CSRF-Token)",
            "responses": {"204": {"description": "signed out"}, **_refused(401, 403)},
        },
    }


def _page_operation(summary: str, *parameters: dict[str, Any]) -> dict[str, Any]:
    html = {"content": {"text/html": {"schema": {"type": "string"}}}}
    return {
        "get": {
            "summary": summary,
            "parameters": list(parameters),
            "responses": {"200": {"description": "the page", **html}, **_refused(404, 503)},
        }
    }


def add_paths(spec: APISpec) -> None:
    """Document the dashboard's routes and the schemas they use."""
    spec.components.schema("DashboardSignIn", schema=SignInSchema)
    spec.components.schema("DashboardSession", schema=DashboardSessionSchema)
    spec.path(path="/dashboard/api/session", operations=_session_operations())
    spec.path(path="/dashboard", operations=_page_operation("The dashboard web app"))
    page = {"in": "path", "name": "page", "required": True, "schema": {"type": "string"}}
    spec.path(
        path="/dashboard/{page}",
        operations=_page_operation("The dashboard web app, opened at one of its pages", page),
    )
