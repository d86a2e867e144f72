"""``/api/v1/webhooks/…`` (secret key): endpoints, their secrets, the delivery log, replay."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer
from collector.kit.http.body import JsonBody
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import PageQuerySchema, parse_query, text_param
from collector.kit.http.state import engine_of, settings_of
from collector.webhooks import service
from collector.webhooks.catalog import EVENT_TYPES
from collector.webhooks.schemas import (
    AttemptPageSchema,
    EndpointCreatedSchema,
    EndpointCreateSchema,
    EndpointListSchema,
    EndpointSchema,
    EndpointUpdateSchema,
    EventTypeListSchema,
    MessagePageSchema,
    MessageQuerySchema,
    MessageSchema,
    ReplayedSchema,
    ReplayQuerySchema,
    RotateSchema,
    SecretSchema,
)

MAX_BODY_BYTES = 64 * 1024
_messages_query = MessageQuerySchema()
_page_query = PageQuerySchema()
_replay_query = ReplayQuerySchema()
_create = JsonBody(EndpointCreateSchema, limit=MAX_BODY_BYTES)
"""The service validates endpoint bodies itself (it also checks where the URL points)."""
_update = JsonBody(EndpointUpdateSchema, limit=MAX_BODY_BYTES)
_rotate = JsonBody(RotateSchema, limit=MAX_BODY_BYTES, invalid="invalid rotation", optional=True)
_endpoint = Answer(EndpointSchema)
_created = Answer(EndpointCreatedSchema, status=201)
_endpoints = Answer(EndpointListSchema)
_secret = Answer(SecretSchema)
_replayed = Answer(ReplayedSchema, status=202)
_messages = Answer(MessagePageSchema)
_attempts = Answer(AttemptPageSchema)
_message_replayed = Answer(MessageSchema, status=202)
_event_types = Answer(EventTypeListSchema)
_deleted = Answer(status=204, description="deleted", media=())


def _allow_private(request: Request) -> bool:
    return settings_of(request).webhooks.allow_private_targets


def _endpoint_id(request: Request) -> uuid.UUID:
    return service.parse_id(request.path_params["id"])


async def list_endpoints(request: Request) -> Response:
    project_id = caller_of(request).project_id
    found = await run_in_threadpool(service.list_endpoints, engine_of(request), project_id)
    return _endpoints.render({"data": found})


async def create_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    body = await _create.read(request)
    created = await run_in_threadpool(
        service.create_endpoint,
        engine_of(request),
        project_id,
        body,
        allow_private=_allow_private(request),
        now=datetime.now(UTC),
    )
    return _created.render(created)


async def get_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    found = await run_in_threadpool(
        service.get_endpoint, engine_of(request), project_id, _endpoint_id(request)
    )
    return _endpoint.render(found)


async def update_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    endpoint_id = _endpoint_id(request)
    body = await _update.read(request)
    updated = await run_in_threadpool(
        service.update_endpoint,
        engine_of(request),
        project_id,
        endpoint_id,
        body,
        allow_private=_allow_private(request),
        now=datetime.now(UTC),
    )
    return _endpoint.render(updated)


async def delete_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    endpoint_id = _endpoint_id(request)
    await run_in_threadpool(service.delete_endpoint, engine_of(request), project_id, endpoint_id)
    return Response(status_code=204)


async def rotate_secret(request: Request) -> Response:
    project_id = caller_of(request).project_id
    endpoint_id = _endpoint_id(request)
    grace = (await _rotate.load(request))["grace_seconds"]
    rotated = await run_in_threadpool(
        service.rotate_secret,
        engine_of(request),
        project_id,
        endpoint_id,
        grace=timedelta(seconds=grace),
        now=datetime.now(UTC),
    )
    return _secret.render(rotated)


async def replay_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    endpoint_id = _endpoint_id(request)
    params = parse_query(request, _replay_query)
    count = await run_in_threadpool(
        service.replay_endpoint,
        engine_of(request),
        project_id,
        endpoint_id,
        since=params["since"],
        status=params.get("status"),
        now=datetime.now(UTC),
    )
    return _replayed.render({"replayed": count})


async def list_messages(request: Request) -> Response:
    project_id = caller_of(request).project_id
    params = parse_query(request, _messages_query)
    names: tuple[str, ...] = ("endpoint_id", "event_type", "status")
    where = {name: params[name] for name in names if name in params}
    page = await run_in_threadpool(
        service.list_messages,
        engine_of(request),
        project_id,
        where=where,
        cursor=params.get("cursor"),
        limit=params["limit"],
    )
    return _messages.render(page.as_dict())


async def list_attempts(request: Request) -> Response:
    project_id = caller_of(request).project_id
    params = parse_query(request, _page_query)
    page = await run_in_threadpool(
        service.list_attempts,
        engine_of(request),
        project_id,
        text_param(request.path_params["id"]),
        cursor=params.get("cursor"),
        limit=params["limit"],
    )
    return _attempts.render(page.as_dict())


async def replay_message(request: Request) -> Response:
    project_id = caller_of(request).project_id
    message = await run_in_threadpool(
        service.replay_message,
        engine_of(request),
        project_id,
        text_param(request.path_params["id"]),
        now=datetime.now(UTC),
    )
    return _message_replayed.render(message)


async def event_types(request: Request) -> Response:
    caller_of(request)
    catalogue = [
        {"type": e.name, "version": e.version, "description": e.description}
        for e in EVENT_TYPES.values()
    ]
    return _event_types.render({"data": catalogue})


_KEY = Auth.SECRET_KEY
routes = [
    route(
        "/webhooks/event-types",
        event_types,
        get=Operation("The event catalogue", _KEY, _event_types),
    ),
    route(
        "/webhooks/endpoints",
        list_endpoints,
        get=Operation("Every webhook endpoint of the project", _KEY, _endpoints),
    ),
    route(
        "/webhooks/endpoints",
        create_endpoint,
        post=Operation(
            "Add an endpoint; the answer shows its signing secret, once",
            _KEY,
            _created,
            body=_create,
        ),
    ),
    route(
        "/webhooks/endpoints/{id}",
        get_endpoint,
        get=Operation("One endpoint", _KEY, _endpoint, errors=(404,)),
    ),
    route(
        "/webhooks/endpoints/{id}",
        update_endpoint,
        patch=Operation(
            "Change an endpoint; enabling it again clears its run of failures",
            _KEY,
            _endpoint,
            body=_update,
            errors=(404,),
        ),
    ),
    route(
        "/webhooks/endpoints/{id}",
        delete_endpoint,
        delete=Operation("Remove an endpoint and its delivery log", _KEY, _deleted, errors=(404,)),
    ),
    route(
        "/webhooks/endpoints/{id}/rotate-secret",
        rotate_secret,
        post=Operation(
            "A new signing secret; the old one keeps signing during the grace period",
            _KEY,
            _secret,
            body=_rotate,
            errors=(404,),
        ),
    ),
    route(
        "/webhooks/endpoints/{id}/replay",
        replay_endpoint,
        post=Operation(
            "Send again the endpoint's messages written since a time",
            _KEY,
            _replayed,
            query=ReplayQuerySchema,
            errors=(404,),
        ),
    ),
    route(
        "/webhooks/messages",
        list_messages,
        get=Operation("The delivery log, oldest first", _KEY, _messages, query=MessageQuerySchema),
    ),
    route(
        "/webhooks/messages/{id}/attempts",
        list_attempts,
        get=Operation(
            "Every try at delivering a message",
            _KEY,
            _attempts,
            query=PageQuerySchema,
            errors=(404,),
        ),
    ),
    route(
        "/webhooks/messages/{id}/replay",
        replay_message,
        post=Operation(
            "Send a message again, with the same webhook-id",
            _KEY,
            _message_replayed,
            errors=(404,),
        ),
    ),
]
