"""The OpenAPI description of the ``/api/v1/webhooks`` routes."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from marshmallow import Schema, fields

from collector.kit.http.params import PageQuerySchema
from collector.webhooks import schemas

ID = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
COMPONENTS = {
    "WebhookEndpoint": schemas.EndpointSchema,
    "WebhookEndpointCreated": schemas.EndpointCreatedSchema,
    "WebhookEndpointList": schemas.EndpointListSchema,
    "WebhookEndpointCreate": schemas.EndpointCreateSchema,
    "WebhookEndpointUpdate": schemas.EndpointUpdateSchema,
    "WebhookSecret": schemas.SecretSchema,
    "WebhookRotate": schemas.RotateSchema,
    "WebhookMessage": schemas.MessageSchema,
    "WebhookMessagePage": schemas.MessagePageSchema,
    "WebhookAttemptPage": schemas.AttemptPageSchema,
    "WebhookReplayed": schemas.ReplayedSchema,
}


class EventTypeSchema(Schema):
    type = fields.String()
    version = fields.Integer()
    description = fields.String()


class EventTypeListSchema(Schema):
    data = fields.List(fields.Nested(EventTypeSchema))


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operation(
    summary: str, answer: str | None, *errors: int, status: int = 200, **extra: Any
) -> dict[str, Any]:
    answered = {"description": "ok", **(_json(answer) if answer else {})}
    refused = {str(code): {"description": "refused", **_json("Error")} for code in errors}
    return {
        "summary": summary,
        "security": [{"secretKey": []}],
        **extra,
        "responses": {str(status): answered, **refused},
    }


def _endpoint_paths(spec: APISpec) -> None:
    base = "/api/v1/webhooks/endpoints"
    spec.path(
        path=base,
        operations={
            "get": _operation(
                "Every webhook endpoint of the project", "WebhookEndpointList", 401, 403
            ),
            "post": _operation(
                "Add an endpoint; the answer shows its signing secret, once",
                "WebhookEndpointCreated",
                400,
                401,
                403,
                422,
                status=201,
                requestBody=_json("WebhookEndpointCreate"),
            ),
        },
    )
    spec.path(
        path=f"{base}/{{id}}",
        operations={
            "get": _operation("One endpoint", "WebhookEndpoint", 401, 403, 404, parameters=[ID]),
            "patch": _operation(
                "Change an endpoint; enabling it again clears its run of failures",
                "WebhookEndpoint",
                400,
                401,
                403,
                404,
                422,
                parameters=[ID],
                requestBody=_json("WebhookEndpointUpdate"),
            ),
            "delete": _operation(
                "Remove an endpoint and its delivery log",
                None,
                401,
                403,
                404,
                status=204,
                parameters=[ID],
            ),
        },
    )


def _endpoint_action_paths(spec: APISpec) -> None:
    base = "/api/v1/webhooks/endpoints"
    spec.path(
        path=f"{base}/{{id}}/rotate-secret",
        operations={
            "post": _operation(
                "A new signing secret; the old one keeps signing during the grace period",
                "WebhookSecret",
                400,
                401,
                403,
                404,
                422,
                parameters=[ID],
                requestBody=_json("WebhookRotate"),
            )
        },
    )
    spec.path(
        path=f"{base}/{{id}}/replay",
        operations={
            "post": _operation(
                "Send again the endpoint's messages written since a time",
                "WebhookReplayed",
                400,
                401,
                403,
                404,
                status=202,
                parameters=[ID, {"in": "query", "schema": schemas.ReplayQuerySchema}],
            )
        },
    )


def _message_paths(spec: APISpec) -> None:
    spec.path(
        path="/api/v1/webhooks/messages",
        operations={
            "get": _operation(
                "The delivery log, oldest first",
                "WebhookMessagePage",
                400,
                401,
                403,
                parameters=[{"in": "query", "schema": schemas.MessageQuerySchema}],
            )
        },
    )
    spec.path(
        path="/api/v1/webhooks/messages/{id}/attempts",
        operations={
            "get": _operation(
                "Every try at delivering a message",
                "WebhookAttemptPage",
                400,
                401,
                403,
                404,
                parameters=[ID, {"in": "query", "schema": PageQuerySchema}],
            )
        },
    )
    spec.path(
        path="/api/v1/webhooks/messages/{id}/replay",
        operations={
            "post": _operation(
                "Send a message again, with the same webhook-id",
                "WebhookMessage",
                401,
                403,
                404,
                status=202,
                parameters=[ID],
            )
        },
    )
    spec.path(
        path="/api/v1/webhooks/event-types",
        operations={
            "get": _operation("The event catalogue", "WebhookEventTypeList", 401, 403),
        },
    )


def add_paths(spec: APISpec) -> None:
    for name, schema in {**COMPONENTS, "WebhookEventTypeList": EventTypeListSchema}.items():
        spec.components.schema(name, schema=schema)
    _endpoint_paths(spec)
    _endpoint_action_paths(spec)
    _message_paths(spec)
