"""Segment's HTTP Tracking API: ``/v1/batch`` and one route per call type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.ingest.schemas import (
    MAX_BATCH_BYTES,
    MAX_MESSAGE_BYTES,
    SCHEMAS,
    BatchSchema,
    IngestResultSchema,
)
from collector.ingest.service import IngestResult, ingest
from collector.kit.auth.callers import caller_of
from collector.kit.errors import MalformedBody, ValidationFailed
from collector.kit.http.answers import Answer
from collector.kit.http.body import JsonBody, read_json
from collector.kit.http.openapi import Auth, Operation, OperationRoute, route
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of
from collector.kit.messages import BatchDefaults
from collector.ratelimit.middleware import client_ip

CALL_TYPES = ("track", "identify", "group", "page", "screen", "alias")
BODY_LIMITS = {"/batch": MAX_BATCH_BYTES, **{f"/{t}": MAX_MESSAGE_BYTES for t in CALL_TYPES}}
"""Each route's body limit, by path: a write key may ride in the body, which is then read
before the authentication (:class:`collector.kit.http.authentication.BodyKeyMiddleware`)."""
_batch_defaults = BatchSchema(exclude=("batch",))
_stored = Answer(IngestResultSchema, description="stored; each invalid message is named")
"""Documents the answer only: ingestion is the hottest path and parses and answers on its
own (messages one by one, the answer as the service built it), not through the kit's
:class:`JsonBody` and :meth:`Answer.render`."""


def _defaults(body: dict[str, Any]) -> BatchDefaults:
    fields: dict[str, Any] = {
        key: body[key] for key in ("sentAt", "context", "integrations") if key in body
    }
    try:
        loaded = _batch_defaults.load(fields)
    except ValidationError as error:
        raise ValidationFailed("invalid batch fields", fields=error.messages_dict) from None
    return BatchDefaults(
        sent_at=loaded.get("sentAt"),
        context=loaded.get("context"),
        integrations=loaded.get("integrations"),
    )


def _ingest_authorised(
    request: Request, body: dict[str, Any], messages: list[Any], forced_type: str | None
) -> IngestResult:
    project_id = caller_of(request).project_id
    defaults = BatchDefaults() if forced_type else _defaults(body)
    return ingest(
        engine_of(request),
        project_id,
        messages,
        defaults=defaults,
        received_at=datetime.now(UTC),
        forced_type=forced_type,
        client_ip=client_ip(request),
    )


async def batch(request: Request) -> Response:
    body = await read_json(request, BODY_LIMITS["/batch"])
    if not isinstance(body, dict) or not isinstance(body.get("batch"), list):
        raise MalformedBody('body must be a JSON object with a "batch" array')
    result = await run_in_threadpool(_ingest_authorised, request, body, body["batch"], None)
    # The fast path: the answer goes out as built, not through _stored.render.
    return JSONResponse(result.as_dict())


def single(message_type: str) -> OperationRoute:
    """The route of one call type: its body is one message, of that type."""

    async def endpoint(request: Request) -> Response:
        body = await read_json(request, BODY_LIMITS[f"/{message_type}"])
        if not isinstance(body, dict):
            raise MalformedBody("body must be a JSON object")
        result = await run_in_threadpool(_ingest_authorised, request, body, [body], message_type)
        if result.rejected:
            raise ValidationFailed(f"invalid {message_type} call", fields=result.rejected[0].errors)
        return JSONResponse(result.as_dict())

    return route(
        f"/{message_type}",
        endpoint,
        name=f"ingest_{message_type}",
        post=Operation(
            f"Store one {message_type} call",
            Auth.WRITE_KEY,
            _stored,
            body=JsonBody(type(SCHEMAS[message_type]), limit=MAX_MESSAGE_BYTES),
        ),
    )


routes = [
    route(
        "/batch",
        batch,
        name="ingest_batch",
        post=Operation(
            "Store several Segment messages; each invalid one is named",
            Auth.WRITE_KEY,
            _stored,
            body=JsonBody(BatchSchema, limit=MAX_BATCH_BYTES),
        ),
    ),
    *(single(t) for t in CALL_TYPES),
]
