"""``/api/v1/webhooks/…`` (secret key): endpoints, their secrets, the delivery log, replay."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.kit.auth.callers import caller_of
from collector.kit.errors import MalformedBody, ValidationFailed
from collector.kit.http.body import read_json
from collector.kit.http.params import PageQuerySchema, parse_query, text_param
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of, settings_of
from collector.webhooks import service
from collector.webhooks.catalog import EVENT_TYPES
from collector.webhooks.schemas import MessageQuerySchema, ReplayQuerySchema, RotateSchema

MAX_BODY_BYTES = 64 * 1024
_messages_query = MessageQuerySchema()
_page_query = PageQuerySchema()
_replay_query = ReplayQuerySchema()
_rotate = RotateSchema()


async def _json_object(request: Request, *, optional: bool = False) -> dict[str, Any]:
    if optional and request.headers.get("content-length", "0") == "0":
        return {}
    body = await read_json(request, MAX_BODY_BYTES)
    if not isinstance(body, dict):
        raise MalformedBody("body must be a JSON object")
    return body


def _allow_private(request: Request) -> bool:
    return settings_of(request).webhooks.allow_private_targets


def _endpoint_id(request: Request) -> uuid.UUID:
    return service.parse_id(request.path_params["id"])


async def list_endpoints(request: Request) -> Response:
    project_id = caller_of(request).project_id
    found = await run_in_threadpool(service.list_endpoints, engine_of(request), project_id)
    return JSONResponse({"data": found})


async def create_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    body = await _json_object(request)
    created = await run_in_threadpool(
        service.create_endpoint,
        engine_of(request),
        project_id,
        body,
        allow_private=_allow_private(request),
        now=datetime.now(UTC),
    )
    return JSONResponse(created, status_code=201)


async def get_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    found = await run_in_threadpool(
        service.get_endpoint, engine_of(request), project_id, _endpoint_id(request)
    )
    return JSONResponse(found)


async def update_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    endpoint_id = _endpoint_id(request)
    body = await _json_object(request)
    updated = await run_in_threadpool(
        service.update_endpoint,
        engine_of(request),
        project_id,
        endpoint_id,
        body,
        allow_private=_allow_private(request),
        now=datetime.now(UTC),
    )
    return JSONResponse(updated)


async def delete_endpoint(request: Request) -> Response:
    project_id = caller_of(request).project_id
    endpoint_id = _endpoint_id(request)
    await run_in_threadpool(service.delete_endpoint, engine_of(request), project_id, endpoint_id)
    return Response(status_code=204)


async def rotate_secret(request: Request) -> Response:
    project_id = caller_of(request).project_id
    endpoint_id = _endpoint_id(request)
    body = await _json_object(request, optional=True)
    try:
        grace = _rotate.load(body)["grace_seconds"]
    except ValidationError as error:
        raise ValidationFailed("invalid rotation", fields=error.messages_dict) from None
    rotated = await run_in_threadpool(
        service.rotate_secret,
        engine_of(request),
        project_id,
        endpoint_id,
        grace=timedelta(seconds=grace),
        now=datetime.now(UTC),
    )
    return JSONResponse(rotated)


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
    return JSONResponse({"replayed": count}, status_code=202)


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
    return JSONResponse(page.as_dict())


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
    return JSONResponse(page.as_dict())


async def replay_message(request: Request) -> Response:
    project_id = caller_of(request).project_id
    message = await run_in_threadpool(
        service.replay_message,
        engine_of(request),
        project_id,
        text_param(request.path_params["id"]),
        now=datetime.now(UTC),
    )
    return JSONResponse(message, status_code=202)


async def event_types(request: Request) -> Response:
    caller_of(request)
    catalogue = [
        {"type": e.name, "version": e.version, "description": e.description}
        for e in EVENT_TYPES.values()
    ]
    return JSONResponse({"data": catalogue})


routes = [
    Route("/webhooks/event-types", event_types, methods=["GET"]),
    Route("/webhooks/endpoints", list_endpoints, methods=["GET"]),
    Route("/webhooks/endpoints", create_endpoint, methods=["POST"]),
    Route("/webhooks/endpoints/{id}", get_endpoint, methods=["GET"]),
    Route("/webhooks/endpoints/{id}", update_endpoint, methods=["PATCH"]),
    Route("/webhooks/endpoints/{id}", delete_endpoint, methods=["DELETE"]),
    Route("/webhooks/endpoints/{id}/rotate-secret", rotate_secret, methods=["POST"]),
    Route("/webhooks/endpoints/{id}/replay", replay_endpoint, methods=["POST"]),
    Route("/webhooks/messages", list_messages, methods=["GET"]),
    Route("/webhooks/messages/{id}/attempts", list_attempts, methods=["GET"]),
    Route("/webhooks/messages/{id}/replay", replay_message, methods=["POST"]),
]
